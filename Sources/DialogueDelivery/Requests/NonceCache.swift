/// The pairs (`keyid`, `nonce`) a server has accepted, for the replay check
/// (Spec: delivery.md#dlv-request-replay).
///
/// The verifier asks only after the signature verified, so that nobody can use up another
/// party's nonces with forged requests. One cache shared by every process that serves a domain
/// is enough.
public protocol NonceCache: Sendable {
    /// Records `entry` and returns `true`, or returns `false` when its pair was accepted before
    /// and is still kept (until `expires + 60`), or when the cache cannot tell (a cache that lost
    /// its history refuses requests created less than 360 seconds before its start).
    ///
    /// The check and the record are one step: two requests with one pair never both pass.
    func admit(_ entry: NonceCacheEntry, now: UInt64) async -> Bool
}

/// One accepted pair and the times that say how long to keep it ([dlv-request-replay]).
public struct NonceCacheEntry: Hashable, Sendable {
    /// The `keyid`, as received (canonical, [dlv-request-keyid]).
    public let keyID: String
    /// The `nonce`.
    public let nonce: String
    /// The request's `created`.
    public let created: UInt64
    /// The request's `expires`.
    public let expires: UInt64

    /// Creates an entry.
    public init(keyID: String, nonce: String, created: UInt64, expires: UInt64) {
        self.keyID = keyID
        self.nonce = nonce
        self.created = created
        self.expires = expires
    }

    /// The last second the pair must be kept: `expires + 60`. After it, the request is refused as
    /// `expired` before the cache is asked ([dlv-request-time]).
    public var keptUntil: UInt64 { expires &+ RequestProfile.clockSkew }
}
