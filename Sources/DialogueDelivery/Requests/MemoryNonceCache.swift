/// A replay cache in memory, for one process (Spec: delivery.md#dlv-request-replay).
///
/// Entries go once `now` passes their `expires + 60`. A memory cache loses its history when the
/// process stops, so it is created with the time it started, and refuses (as replays) requests
/// created less than 360 seconds before that time, which it cannot tell from replays of
/// requests accepted before the restart. A cache that carries its history over (a shared
/// store) passes the time that history begins instead.
public actor MemoryNonceCache: NonceCache {
    private struct Pair: Hashable {
        let keyID: String
        let nonce: String
    }

    private var keptUntil: [Pair: UInt64] = [:]
    private let startedAt: UInt64
    private var nextSweep: UInt64 = 0

    /// How far before the start a request is refused: the longest lifetime plus the skew, 360 seconds.
    public static let restartWindow: UInt64 = RequestProfile.maximumLifetime + RequestProfile.clockSkew

    /// Creates an empty cache whose history begins at `startedAt`.
    public init(startedAt: UInt64) {
        self.startedAt = startedAt
    }

    /// Records the entry unless its pair is kept already, or it was created less than 360 seconds
    /// before ``init(startedAt:)``'s time.
    public func admit(_ entry: NonceCacheEntry, now: UInt64) -> Bool {
        sweep(now: now)
        if entry.created < startedAt && startedAt - entry.created < MemoryNonceCache.restartWindow { return false }
        let pair = Pair(keyID: entry.keyID, nonce: entry.nonce)
        if let kept = keptUntil[pair], kept >= now { return false }
        keptUntil[pair] = entry.keptUntil
        return true
    }

    /// Records a pair as accepted without a check, kept until `keptUntil` (for a history loaded
    /// from elsewhere).
    public func record(keyID: String, nonce: String, keptUntil: UInt64) {
        let pair = Pair(keyID: keyID, nonce: nonce)
        self.keptUntil[pair] = max(self.keptUntil[pair] ?? 0, keptUntil)
    }

    /// Whether the pair is recorded and kept at `now`.
    public func contains(keyID: String, nonce: String, now: UInt64) -> Bool {
        guard let kept = keptUntil[Pair(keyID: keyID, nonce: nonce)] else { return false }
        return kept >= now
    }

    /// The number of pairs held, expired ones included until the next sweep.
    public var count: Int { keptUntil.count }

    /// Drops every pair whose time has passed, at most once a minute: a pair past its time is
    /// already ignored by ``admit(_:now:)``, the sweep only bounds the memory.
    private func sweep(now: UInt64) {
        guard now >= nextSweep else { return }
        nextSweep = now &+ RequestProfile.clockSkew
        keptUntil = keptUntil.filter { $0.value >= now }
    }
}
