public import DialogueDelivery

/// A request that the server under test sent to the suite's peer server, as received.
public struct PeerRequest: Sendable {
    /// The method.
    public let method: String
    /// The path and query, as on the request line.
    public let uri: String
    /// The header fields, in the order received.
    public let fields: [RequestHead.Field]
    /// The body.
    public let body: [UInt8]

    /// The request as the signature profile sees it, with the peer's own origin as the target URI's
    /// scheme and authority ([dlv-request-target]).
    public func head(origin: String) -> RequestHead {
        RequestHead(method: method, targetURI: origin + uri, fields: fields)
    }
}
