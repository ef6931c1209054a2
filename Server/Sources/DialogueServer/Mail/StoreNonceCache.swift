public import DialogueDelivery
public import DialogueServerStorage

/// The store's nonce table as the ``NonceCache`` the request verifier asks (Spec: [dlv-request-replay]):
/// checking and recording are one step of the store. A store that cannot answer refuses the request,
/// since it cannot tell it from a replay.
///
/// A store that starts without the history of the process before it (the memory store) cannot tell a
/// request made before the start from a replay of one accepted then: it refuses every request created
/// before `refusingCreatedBefore`, the start, which [dlv-request-replay] asks for the 360 seconds before
/// it (earlier ones are `expired` anyway).
public struct StoreNonceCache: NonceCache {
    private let store: any NonceStore
    private let refusingCreatedBefore: UInt64?

    /// Wraps `store`; `refusingCreatedBefore` is the start time when the store has lost its history.
    public init(store: any NonceStore, refusingCreatedBefore: UInt64? = nil) {
        self.store = store
        self.refusingCreatedBefore = refusingCreatedBefore
    }

    /// Records the pair until `expires + 60`; `false` when it was recorded before, or may have been.
    public func admit(_ entry: NonceCacheEntry, now: UInt64) async -> Bool {
        if let start = refusingCreatedBefore, entry.created < start { return false }
        return (try? await store.recordNonce(keyID: entry.keyID, nonce: entry.nonce, until: entry.keptUntil, now: now))
            ?? false
    }
}
