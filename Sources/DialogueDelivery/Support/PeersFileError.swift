/// Why a peers file was rejected, naming the line (Spec: [dlv-peers-parse]).
///
/// A peers file is rejected as a whole: one bad line and no entry of it is used.
public struct PeersFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The line, counted from 1.
    public let line: Int
    /// What is wrong with it.
    public let reason: String

    /// Creates an error about `line`.
    public init(line: Int, _ reason: String) {
        self.line = line
        self.reason = reason
    }

    /// `line N: reason`.
    public var description: String { "line \(line): \(reason)" }

    /// The class a server reports for it: `malformed`.
    public var deliveryError: DeliveryError { .malformed(description) }
}
