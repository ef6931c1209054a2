/// Backoff kept per peer, not per message (Spec: [dlv-retry-per-peer]).
///
/// A healthy peer gets up to ``concurrencyLimit`` requests at once. A failing peer gets one request
/// at a time (a probe) once its backoff has passed, however many messages wait for it; when a probe
/// succeeds, or the peer sends a request of its own, it is healthy again and everything that waits
/// for it is due at once. The state lives in memory: after a restart every peer starts healthy and
/// every waiting delivery is due, as the specification asks.
public struct PeerBackoff: Sendable {
    /// One peer's state.
    public struct Peer: Hashable, Sendable {
        /// Consecutive failures; 0 for a healthy peer.
        public var failures = 0
        /// When the next probe may go, while failing.
        public var nextProbe: UInt64 = 0
        /// Requests in flight.
        public var inFlight = 0
        /// Whether the request in flight is a probe of a failing peer: only a probe's failure moves the
        /// backoff a step, not the failures of requests sent while the peer still looked healthy.
        public var probing = false
    }

    /// Requests in flight to one healthy peer at most (Spec: [dlv-retry-per-peer]).
    public let concurrencyLimit: Int
    /// The delay before the `n`-th retry, in seconds (Spec: [dlv-retry-backoff]).
    public let delay: @Sendable (_ attempt: Int) -> UInt64
    private var peers: [String: Peer] = [:]

    /// Creates the scheduler with a delay function (``RetryPolicy`` gives the specification's).
    public init(concurrencyLimit: Int = 8, delay: @escaping @Sendable (_ attempt: Int) -> UInt64) {
        self.concurrencyLimit = concurrencyLimit
        self.delay = delay
    }

    /// The state of `domain`.
    public func peer(_ domain: String) -> Peer { peers[domain] ?? Peer() }

    /// The peers that must not be sent anything at `now`: failing ones before their probe time or with a
    /// probe in flight, and healthy ones at their concurrency limit.
    public func excluded(now: UInt64) -> Set<String> {
        Set(
            peers.filter { _, peer in
                peer.failures > 0 ? (peer.inFlight > 0 || now < peer.nextProbe) : peer.inFlight >= concurrencyLimit
            }.keys)
    }

    /// Takes a slot for one request to `domain` at `now`, or returns `false` when none is free.
    public mutating func begin(_ domain: String, now: UInt64) -> Bool {
        var peer = peer(domain)
        if peer.failures > 0 {
            guard peer.inFlight == 0, now >= peer.nextProbe else { return false }
            peer.probing = true
        } else {
            guard peer.inFlight < concurrencyLimit else { return false }
        }
        peer.inFlight += 1
        peers[domain] = peer
        return true
    }

    /// Releases a slot: success makes the peer healthy; a retried failure moves its next probe out by the
    /// backoff, or to `retryAfter` seconds if that is later. A permanent refusal is an answer, so the peer is healthy.
    public mutating func end(_ domain: String, reachable: Bool, retryAfter: UInt64? = nil, now: UInt64) {
        var peer = peer(domain)
        peer.inFlight = max(0, peer.inFlight - 1)
        if reachable {
            peer.failures = 0
            peer.nextProbe = 0
        } else if peer.failures == 0 || peer.probing {
            peer.failures += 1
            peer.nextProbe = now + max(delay(peer.failures), retryAfter ?? 0)
        } else if let retryAfter {
            // A request of the healthy period that failed late: no new step, but its Retry-After counts.
            peer.nextProbe = max(peer.nextProbe, now + retryAfter)
        }
        peer.probing = false
        peers[domain] = peer
    }

    /// Gives back a slot that ``begin(_:now:)`` took for a request that was not sent (another process
    /// holds the job): nothing is learnt about the peer.
    public mutating func release(_ domain: String) {
        guard var peer = peers[domain] else { return }
        peer.inFlight = max(0, peer.inFlight - 1)
        if peer.inFlight == 0 { peer.probing = false }
        peers[domain] = peer
    }

    /// The peer sent us a request: it is up, so whatever waits for it is due now; `true` when it was
    /// failing (so there is something to send at once).
    @discardableResult
    public mutating func heardFrom(_ domain: String) -> Bool {
        guard var peer = peers[domain], peer.failures > 0 else { return false }
        peer.failures = 0
        peer.nextProbe = 0
        peers[domain] = peer
        return true
    }
}
