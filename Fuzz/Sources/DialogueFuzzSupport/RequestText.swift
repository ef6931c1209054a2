public import DialogueConformance

/// A signed request as one fuzz input: `METHOD TARGET-URI`, then one `name:value` line per header
/// field (the value exactly as sent, from the byte after the first colon), an empty line, and
/// the body. Fuzz/make-corpus.py writes the request vectors in this form.
public struct RequestText: Sendable, Hashable {
    /// The method.
    public var method: String
    /// The target URI.
    public var targetURI: String
    /// The header lines, in order.
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: [UInt8]

    /// Reads a request; `nil` when there is no first line with a space.
    public init?(parsing bytes: [UInt8]) {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var bodyStart = bytes.count
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0a {
                if index == start && !lines.isEmpty {
                    bodyStart = index + 1
                    break
                }
                lines.append(bytes[start..<index])
                start = index + 1
            }
            index += 1
        }
        if index >= bytes.count && start < bytes.count { lines.append(bytes[start...]) }
        guard let first = lines.first, let space = first.firstIndex(of: 0x20) else { return nil }
        method = String(decoding: first[..<space], as: UTF8.self)
        targetURI = String(decoding: first[(space + 1)...], as: UTF8.self)
        headers = lines.dropFirst().map { line in
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                return (String(decoding: line, as: UTF8.self), "")
            }
            return (
                String(decoding: line[..<colon], as: UTF8.self), String(decoding: line[(colon + 1)...], as: UTF8.self)
            )
        }
        body = bodyStart < bytes.count ? Array(bytes[bodyStart...]) : []
    }

    /// The members of a `request.verify` input: `method`, `target_uri`, `headers`, `body`.
    public var members: [(String, JSONValue)] {
        [
            ("method", .string(method)), ("target_uri", .string(targetURI)),
            ("headers", .array(headers.map { .array([.string($0.name), .string($0.value)]) })),
            ("body", .string(Hex.encode(body))),
        ]
    }

    public static func == (lhs: RequestText, rhs: RequestText) -> Bool {
        lhs.method == rhs.method && lhs.targetURI == rhs.targetURI && lhs.body == rhs.body
            && lhs.headers.elementsEqual(rhs.headers) { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(targetURI)
        hasher.combine(body)
    }
}
