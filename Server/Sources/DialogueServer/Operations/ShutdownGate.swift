internal import Synchronization

/// Whether the server is shutting down, and how many requests are in flight (Spec: [dlv-ops-shutdown]).
/// While it drains, a new request is answered `503 unavailable` with `Retry-After` and readiness fails;
/// the requests already in flight finish.
public final class ShutdownGate: Sendable {
    private struct State {
        var draining = false
        var inFlight = 0
    }

    private let state = Mutex(State())

    /// An open gate.
    public init() {}

    /// Whether the server is draining.
    public var isDraining: Bool { state.withLock { $0.draining } }

    /// Requests being answered now.
    public var inFlight: Int { state.withLock { $0.inFlight } }

    /// Starts draining: every request from now on is refused.
    public func beginDraining() { state.withLock { $0.draining = true } }

    /// Admits a request, `false` while draining; an admitted request calls ``leave()`` when answered.
    public func enter() -> Bool {
        state.withLock { state in
            guard !state.draining else { return false }
            state.inFlight += 1
            return true
        }
    }

    /// A request admitted by ``enter()`` is answered.
    public func leave() { state.withLock { $0.inFlight -= 1 } }

    /// Returns when no request is in flight, or after `timeout`; `true` when none is left.
    public func waitUntilIdle(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while inFlight > 0 {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}
