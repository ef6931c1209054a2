/// The parts of an absolute target URI that RFC 9421's derived components name:
/// `scheme "://" authority path [ "?" query ]`, no fragment (Spec: delivery.md#dlv-request-target).
struct TargetURI {
    let scheme: String
    let authority: String
    let path: String
    let query: String

    init(_ text: String) throws(DeliveryError) {
        let bytes = Array(text.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0,
            bytes[(colon + 1)...].starts(with: Array("//".utf8))
        else { throw .malformed("the target URI '\(text)' is not absolute") }
        guard !bytes.contains(UInt8(ascii: "#")) else { throw .malformed("the target URI '\(text)' has a fragment") }
        func string(_ slice: ArraySlice<UInt8>) -> String { String(decoding: slice, as: UTF8.self) }
        scheme = RequestHead.lowercasedASCII(string(bytes[..<colon]))
        let rest = bytes[(colon + 3)...]
        let authorityEnd = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? rest.endIndex
        var authority = RequestHead.lowercasedASCII(string(rest[..<authorityEnd]))
        // RFC 9421 section 2.2.3: the authority as in HTTP, without the scheme's default port.
        for (defaultScheme, port) in [("https", ":443"), ("http", ":80")] where scheme == defaultScheme {
            if authority.hasSuffix(port) { authority.removeLast(port.count) }
        }
        self.authority = authority
        let afterAuthority = rest[authorityEnd...]
        let queryStart = afterAuthority.firstIndex(of: UInt8(ascii: "?")) ?? afterAuthority.endIndex
        let path = string(afterAuthority[..<queryStart])
        self.path = path.isEmpty ? "/" : path
        query = queryStart == afterAuthority.endIndex ? "?" : string(afterAuthority[queryStart...])
    }
}
