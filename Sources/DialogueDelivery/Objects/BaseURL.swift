/// The URL every endpoint of a server is addressed relative to, for example
/// `https://mail.example.org/dialogue/v1` (Spec: delivery.md#dlv-base-url).
///
/// ```
/// base-url  = scheme "://" host [ ":" port ] *( "/" segment )
/// scheme    = "https" / "http"                   ; lower case
/// host      = 1*( a-z / 0-9 / "." / "-" )  /  "[" 1*( 0-9 / a-f / ":" ) "]"
/// port      = 1*5 DIGIT                          ; 1 to 65535, no leading zero
/// segment   = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" )   ; not "." or ".."
/// ```
///
/// ```swift
/// let base = try BaseURL("https://mail.example.org/dialogue/v1")
/// base.endpoint("/server")  // "https://mail.example.org/dialogue/v1/server"
/// ```
public struct BaseURL: Hashable, Sendable, CustomStringConvertible {
    /// The longest base URL, in bytes (Spec: [dlv-base-url]).
    public static let maximumLength = 255

    /// The URL exactly as given.
    public let text: String
    /// Whether the scheme is `https` (otherwise it is `http`).
    public let isHTTPS: Bool
    /// The host: a name, a dotted address, or a bracketed IPv6 address with its brackets.
    public let host: String
    /// The port, when the URL names one.
    public let port: Int?
    /// The path after the authority, `""` or `/segment…` (no trailing `/`): where the endpoints live.
    public let path: String

    /// Parses a base URL; anything the grammar does not allow is `malformed` (Spec: [dlv-base-url]).
    public init(_ text: String) throws(DeliveryError) {
        let bytes = Array(text.utf8)
        func fail(_ reason: String) -> DeliveryError { .malformed("the base URL '\(text)' \(reason)") }
        guard bytes.count <= BaseURL.maximumLength else {
            throw fail("is \(bytes.count) bytes; at most \(BaseURL.maximumLength) are allowed")
        }
        let https = Array("https://".utf8)
        let http = Array("http://".utf8)
        var index: Int
        if bytes.starts(with: https) {
            isHTTPS = true
            index = https.count
        } else if bytes.starts(with: http) {
            isHTTPS = false
            index = http.count
        } else {
            throw fail("does not start with 'https://' or 'http://'")
        }
        let hostStart = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "[") {
            index += 1
            while index < bytes.count, BaseURL.isIPv6Character(bytes[index]) { index += 1 }
            guard index > hostStart + 1, index < bytes.count, bytes[index] == UInt8(ascii: "]") else {
                throw fail("has a bracketed host that is not 1 or more of 0-9, a-f and ':' followed by ']'")
            }
            index += 1
        } else {
            while index < bytes.count, BaseURL.isHostCharacter(bytes[index]) { index += 1 }
            guard index > hostStart else {
                throw fail("has an empty host, or one that starts with a character other than a-z, 0-9, '.', '-'")
            }
        }
        host = String(decoding: bytes[hostStart..<index], as: UTF8.self)
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            index += 1
            let portStart = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            let digits = bytes[portStart..<index]
            guard (1...5).contains(digits.count), digits.first != UInt8(ascii: "0"),
                let value = Int(String(decoding: digits, as: UTF8.self)), value <= 65535
            else { throw fail("has a port that is not 1 to 65535 without a leading zero") }
            port = value
        } else {
            port = nil
        }
        let pathStart = index
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "/") else {
                throw fail(
                    "has byte 0x\(String(bytes[index], radix: 16)) at \(index): only '/' segments may follow the host")
            }
            index += 1
            let segmentStart = index
            while index < bytes.count, BaseURL.isSegmentCharacter(bytes[index]) { index += 1 }
            let segment = bytes[segmentStart..<index]
            guard !segment.isEmpty else { throw fail("has an empty path segment or a trailing '/'") }
            guard !segment.elementsEqual([0x2e]), !segment.elementsEqual([0x2e, 0x2e]) else {
                throw fail("has a '.' or '..' path segment")
            }
        }
        self.text = text
        path = String(decoding: bytes[pathStart...], as: UTF8.self)
    }

    /// The scheme and authority, `https://host[:port]`: what `@target-uri` begins with
    /// (Spec: [dlv-request-target]).
    public var origin: String { String(text.dropLast(path.utf8.count)) }

    /// Whether the host is a loopback address: `localhost`, `[::1]` or a dotted address in
    /// `127.0.0.0/8` (four decimal numbers 0 to 255 without leading zeros, the first 127).
    public var isLoopback: Bool {
        if host == "localhost" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { part in
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCIIDigit), part == "0" || part.first != "0",
                let value = Int(part)
            else { return false }
            return value <= 255
        }
    }

    /// Whether the URL may be used: always over `https`; over `http` only when a peers file names
    /// it (`allowingHTTP`) or its host is a loopback address (Spec: [dlv-base-url]).
    public func isUsable(allowingHTTP: Bool) -> Bool { isHTTPS || allowingHTTP || isLoopback }

    /// The URL of an endpoint: the base URL followed by the endpoint's path, e.g. `/server`.
    public func endpoint(_ path: String) -> String { text + path }

    /// The URL.
    public var description: String { text }

    private static func isHostCharacter(_ byte: UInt8) -> Bool {
        (0x61...0x7a).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2e || byte == 0x2d
    }

    private static func isIPv6Character(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) || byte == 0x3a
    }

    private static func isSegmentCharacter(_ byte: UInt8) -> Bool {
        (0x61...0x7a).contains(byte) || (0x41...0x5a).contains(byte) || (0x30...0x39).contains(byte)
            || byte == 0x2d || byte == 0x2e || byte == 0x5f || byte == 0x7e
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
