public import DialogueIdentifiers

/// The list of servers of a private network with no DNS or no public certificates
/// (Spec: delivery.md#dlv-peers).
///
/// ```
/// # domain        base URL                              server key fingerprints
/// example.org     http://10.0.0.5:8080/dialogue/v1      srv-aeq…
/// example.net     https://mail.example.net/dialogue/v1  srv-aez… srv-aek…
/// ```
///
/// One entry per line; fields separated by one or more spaces or tabs; `#` starts a comment that
/// runs to the end of the line; empty lines are ignored. Lines end with a line feed; a carriage
/// return is not a separator.
public struct PeersFile: Hashable, Sendable {
    /// One server of the network.
    public struct Entry: Hashable, Sendable {
        /// The domain, canonical.
        public let domain: String
        /// Its server's base URL; an `http` URL is allowed because the file names it.
        public let baseURL: BaseURL
        /// The fingerprints of its server keys (kind `srv`), in the file's order.
        public let fingerprints: [ContentIdentifier]
        /// The line the entry is on, counted from 1.
        public let line: Int
    }

    /// The entries, in the file's order.
    public let entries: [Entry]

    /// Parses a peers file, rejecting the whole file at its first bad line (Spec: [dlv-peers-parse]).
    public init(parsing bytes: some Collection<UInt8>) throws(PeersFileError) {
        var entries: [Entry] = []
        var lineNumber = 0
        for line in Array(bytes).split(separator: 0x0a, omittingEmptySubsequences: false) {
            lineNumber += 1
            guard let text = String(validating: line, as: UTF8.self) else {
                throw PeersFileError(line: lineNumber, "the line is not valid UTF-8")
            }
            let content = text.prefix { $0 != "#" }
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.isEmpty { continue }
            guard fields.count >= 3 else {
                throw PeersFileError(
                    line: lineNumber,
                    "a line has a domain, a base URL and at least one fingerprint; found \(fields.count) fields")
            }
            let domain: String
            let baseURL: BaseURL
            do {
                domain = try DeliveryWire.domain(String(fields[0]), "the domain")
                baseURL = try BaseURL(String(fields[1]))
            } catch {
                throw PeersFileError(line: lineNumber, error.reason)
            }
            var fingerprints: [ContentIdentifier] = []
            for field in fields.dropFirst(2) {
                do {
                    fingerprints.append(try ContentIdentifier(text: field, kind: .serverKey))
                } catch {
                    throw PeersFileError(line: lineNumber, "'\(field)' is not a srv fingerprint: \(error.reason)")
                }
            }
            if let earlier = entries.first(where: { $0.domain == domain }) {
                throw PeersFileError(line: lineNumber, "'\(domain)' is already named on line \(earlier.line)")
            }
            entries.append(Entry(domain: domain, baseURL: baseURL, fingerprints: fingerprints, line: lineNumber))
        }
        self.entries = entries
    }

    /// Parses a peers file held as text.
    public init(parsing text: String) throws(PeersFileError) { try self.init(parsing: Array(text.utf8)) }

    /// The entry for `domain`, or `nil`.
    public func entry(for domain: String) -> Entry? { entries.first { $0.domain == domain } }
}
