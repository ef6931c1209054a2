/// What a signature covers of an HTTP request: its method, its target URI and its header field
/// lines as received (Spec: delivery.md#dlv-request, #dlv-request-target).
///
/// The target URI is the absolute URI the client sent the request to, rebuilt by a server from its
/// configured base URL and the path and query exactly as received, never from a `Host` or
/// `X-Forwarded-*` header ([dlv-request-target]).
public struct RequestHead: Hashable, Sendable {
    /// One header field line.
    public struct Field: Hashable, Sendable {
        /// The name, in any case.
        public let name: String
        /// The value, as received.
        public let value: String

        /// Creates a field line.
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The method, as received, e.g. `POST`.
    public let method: String
    /// The absolute target URI ([dlv-request-target]).
    public let targetURI: String
    /// The header field lines, in the order received.
    public let fields: [Field]

    /// Creates a request head.
    public init(method: String, targetURI: String, fields: [Field]) {
        self.method = method
        self.targetURI = targetURI
        self.fields = fields
    }

    /// The values of every line named `name`, compared without ASCII case, in order.
    public func values(of name: String) -> [String] {
        let wanted = RequestHead.lowercasedASCII(name)
        return fields.filter { RequestHead.lowercasedASCII($0.name) == wanted }.map(\.value)
    }

    static func lowercasedASCII(_ text: String) -> String {
        String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5a ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
