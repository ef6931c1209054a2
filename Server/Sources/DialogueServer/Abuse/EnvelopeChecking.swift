public import DialogueDelivery
public import DialogueIdentifiers

/// Asks a sender's server whether it holds an envelope, for the check of [dlv-abuse-head]: a `HEAD`
/// of `BASE/blobs/{envelope}`. Implemented with async-http-client (``HTTPBlobFetcher``); tests use a fake.
public protocol EnvelopeChecking: Sendable {
    /// The answer to `HEAD BASE/blobs/{id}`: its status and `Content-Length`. Throws when there is no
    /// answer (unreachable, timed out), which is the sender's server's failure, not a refusal.
    func head(_ id: ContentIdentifier, at baseURL: BaseURL) async throws -> EnvelopeHeadAnswer
}

/// The answer of a sender's server to the `HEAD` of [dlv-abuse-head].
public struct EnvelopeHeadAnswer: Hashable, Sendable {
    /// The status.
    public var status: Int
    /// The `Content-Length`, if there was one that parses.
    public var length: UInt64?

    /// An answer with `status` and `length`.
    public init(status: Int, length: UInt64?) {
        self.status = status
        self.length = length
    }

    /// What the answer means for a notification that announces an envelope of `size` bytes: `true` when
    /// the server holds it (`200` with that length), `false` when it answered that it does not (another
    /// length, or a `4xx` that [dlv-retry-classes] calls permanent), `nil` when the answer says nothing
    /// (a `5xx`, a `3xx`, `408`, `425`, `429`): the check could not be made.
    public func holds(size: UInt64) -> Bool? {
        switch status {
        case 200: length == size
        case 408, 425, 429: nil
        case 400..<500: false
        default: nil
        }
    }
}
