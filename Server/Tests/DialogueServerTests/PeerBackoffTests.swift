import DialogueServer
import Testing

/// Backoff per peer: one probe at a time to a failing peer, catch-up when it answers (Spec: [dlv-retry-per-peer]).
@Suite struct PeerBackoffTests {
    /// Takes a slot outside `#expect`, which cannot call a mutating method.
    func begin(_ backoff: inout PeerBackoff, _ domain: String, now: UInt64) -> Bool { backoff.begin(domain, now: now) }

    static let doubling: @Sendable (Int) -> UInt64 = { attempt in min(3_600, 10 << UInt64(attempt - 1)) }

    /// Spec: [dlv-retry-per-peer] — a healthy peer takes up to eight requests at once.
    @Test func aHealthyPeerTakesEightAtOnce() {
        var backoff = PeerBackoff(delay: Self.doubling)
        for _ in 0..<8 { #expect(begin(&backoff, "b.example", now: 0)) }
        #expect(!begin(&backoff, "b.example", now: 0))
        #expect(backoff.excluded(now: 0) == ["b.example"])
        backoff.end("b.example", reachable: true, now: 1)
        #expect(begin(&backoff, "b.example", now: 1))
    }

    /// Spec: [dlv-retry-per-peer] — a failing peer gets one probe per backoff interval, however much waits for it.
    @Test func aFailingPeerGetsOneProbeAtATime() {
        var backoff = PeerBackoff(delay: Self.doubling)
        #expect(begin(&backoff, "down.example", now: 100))
        backoff.end("down.example", reachable: false, now: 100)
        #expect(backoff.peer("down.example").nextProbe == 110)
        #expect(backoff.excluded(now: 109) == ["down.example"])
        #expect(!begin(&backoff, "down.example", now: 109))
        #expect(begin(&backoff, "down.example", now: 110))
        #expect(!begin(&backoff, "down.example", now: 110))
        #expect(backoff.excluded(now: 110) == ["down.example"])
        backoff.end("down.example", reachable: false, now: 111)
        #expect(backoff.peer("down.example").nextProbe == 131)
        // Retry-After longer than the backoff wins.
        #expect(begin(&backoff, "down.example", now: 131))
        backoff.end("down.example", reachable: false, retryAfter: 600, now: 131)
        #expect(backoff.peer("down.example").nextProbe == 731)
    }

    /// Spec: [dlv-retry-per-peer] — when the probe succeeds, or the peer calls us, it is healthy at once.
    @Test func aPeerThatAnswersIsCaughtUpAtOnce() {
        var backoff = PeerBackoff(delay: Self.doubling)
        _ = backoff.begin("p.example", now: 0)
        backoff.end("p.example", reachable: false, now: 0)
        backoff.heardFrom("p.example")
        #expect(backoff.excluded(now: 1).isEmpty)
        for _ in 0..<8 { #expect(begin(&backoff, "p.example", now: 1)) }
        _ = backoff.begin("q.example", now: 0)
        backoff.end("q.example", reachable: false, now: 0)
        #expect(begin(&backoff, "q.example", now: 10))
        backoff.end("q.example", reachable: true, now: 11)
        #expect(backoff.peer("q.example").failures == 0)
        #expect(!backoff.excluded(now: 11).contains("q.example"))
    }
}

/// The backoff moves a step per failed probe, not per request that was in flight when the peer went down.
@Suite struct PeerBackoffEscalationTests {
    /// Spec: [dlv-retry-per-peer], [dlv-retry-backoff] — eight requests sent while the peer looked healthy
    /// that all fail are one failure of the peer: the next probe waits the first delay, not the eighth.
    @Test func failuresOfTheHealthyPeriodCountOnce() {
        var backoff = PeerBackoff(delay: PeerBackoffTests.doubling)
        for _ in 0..<8 { _ = backoff.begin("down.example", now: 0) }
        for _ in 0..<8 { backoff.end("down.example", reachable: false, now: 0) }
        #expect(backoff.peer("down.example").failures == 1)
        #expect(backoff.peer("down.example").nextProbe == 10)
        // A late Retry-After of one of them still pushes the probe out.
        var late = PeerBackoff(delay: PeerBackoffTests.doubling)
        for _ in 0..<2 { _ = late.begin("busy.example", now: 0) }
        late.end("busy.example", reachable: false, now: 0)
        late.end("busy.example", reachable: false, retryAfter: 300, now: 1)
        #expect(late.peer("busy.example").failures == 1)
        #expect(late.peer("busy.example").nextProbe == 301)
        // The probe's failure is the next step.
        _ = backoff.begin("down.example", now: 10)
        backoff.end("down.example", reachable: false, now: 10)
        #expect(backoff.peer("down.example").failures == 2)
        #expect(backoff.peer("down.example").nextProbe == 30)
    }
}
