/// Sends one signed `POST` to a peer server: what the outbox needs of the network, so that tests put a
/// fake peer in its place (Spec: [dlv-request]).
public protocol SignedRequestSending: Sendable {
    /// Signs `body` with the server key and posts it to `url` as `application/cbor`.
    ///
    /// - Returns: The peer's answer, whatever its status.
    /// - Throws: When no HTTP answer came (connection refused, timeout, TLS failure, a body over the
    ///   limit): a network failure, retried ([dlv-retry-classes]).
    func post(_ body: [UInt8], to url: String) async throws -> PeerResponse
}
