public import DialogueDelivery
public import DialogueServerStorage

/// The store's nonce table as the ``NonceCache`` the request verifier asks (Spec: [dlv-request-replay]):
/// checking and recording are one step of the store. A store that cannot answer refuses the request,
/// since it cannot tell it from a replay.
public struct StoreNonceCache: NonceCache {
    private let store: any NonceStore

    /// Wraps `store`.
    public init(store: any NonceStore) { self.store = store }

    /// Records the pair until `expires + 60`; `false` when it was recorded before.
    public func admit(_ entry: NonceCacheEntry, now: UInt64) async -> Bool {
        (try? await store.recordNonce(keyID: entry.keyID, nonce: entry.nonce, until: entry.keptUntil, now: now))
            ?? false
    }
}
