/// Why discovery found no usable server document for a domain (Spec: [dlv-discovery]).
public struct DiscoveryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The domain asked for.
    public let domain: String
    /// What went wrong, for the log and the delivery's last error.
    public let reason: String

    /// Creates an error.
    public init(domain: String, reason: String) {
        self.domain = domain
        self.reason = reason
    }

    /// `discovery of DOMAIN: REASON`.
    public var description: String { "discovery of \(domain): \(reason)" }
}
