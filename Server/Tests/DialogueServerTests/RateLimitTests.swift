import DialogueCrypto
import DialogueDelivery
import DialogueServer
import DialogueServerStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Token buckets per peer domain and per user on the injected clock (Spec: [dlv-abuse-rate]).
@Suite struct RateLimitTests {
    @Test("[dlv-abuse-rate] a bucket allows its burst, then says when the next token comes; time refills it")
    func bucket() {
        let clock = ManualClock(1_000)
        let limiter = RateLimiter(
            limits: RateLimits(peer: RateLimit(rate: 0.5, burst: 3), user: .unlimited), clock: clock)
        for _ in 0..<3 { #expect(limiter.take(.peer("p.example")) == .allowed) }
        // Half a token a second: two seconds to the next one.
        #expect(limiter.take(.peer("p.example")) == .limited(retryAfter: 2))
        // Another peer has a bucket of its own; users are not limited here.
        #expect(limiter.take(.peer("q.example")) == .allowed)
        for _ in 0..<1_000 { #expect(limiter.take(.user("alice@example.org")) == .allowed) }
        clock.advance(by: 1)
        #expect(limiter.take(.peer("p.example")) == .limited(retryAfter: 1))
        clock.advance(by: 1)
        #expect(limiter.take(.peer("p.example")) == .allowed)
        #expect(limiter.take(.peer("p.example")) == .limited(retryAfter: 2))
        // A long quiet period refills to the burst, not beyond.
        clock.advance(by: 3_600)
        for _ in 0..<3 { #expect(limiter.take(.peer("p.example")) == .allowed) }
        #expect(limiter.take(.peer("p.example")) != .allowed)
    }

    @Test("[dlv-abuse-rate] a flood of new keys does not grow the table past its bound, nor free a limited key")
    func boundedTable() {
        let clock = ManualClock(1_000)
        let limiter = RateLimiter(
            limits: RateLimits(peer: RateLimit(rate: 0.01, burst: 1), user: .unlimited), clock: clock,
            maximumKeys: 10)
        #expect(limiter.take(.peer("flooder.example")) == .allowed)
        for index in 0..<9 { _ = limiter.take(.peer("p\(index).example")) }
        // Ten keys fit: the flooder's bucket is still there, and empty.
        #expect(limiter.take(.peer("flooder.example")) == .limited(retryAfter: 100))
        for index in 0..<1_000 { _ = limiter.take(.peer("new\(index).example")) }
        #expect(limiter.trackedKeys <= 10)
    }

    @Test("[dlv-abuse-rate] a user over the limit gets 429 rate-limited with Retry-After, and gets in again later")
    func userLimit() async throws {
        let harness = try await MailHarness(configure: {
            $0.rateLimits = RateLimits(peer: .unlimited, user: RateLimit(rate: 1, burst: 2))
        })
        try await harness.application.test(.router) { client in
            #expect(try await harness.list(client).status == .ok)
            #expect(try await harness.list(client).status == .ok)
            let limited = try await harness.list(client)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.problem == "rate-limited")
            #expect(limited.headers[.retryAfter] == "1")
            // Another user has a bucket of its own.
            #expect(try await harness.list(client, as: harness.erin).status == .ok)
            // A request in alice's name that does not verify spends none of her tokens.
            harness.clock.advance(by: 1)
            let forged = try harness.forgedHeaders("GET", "/inbox", keyID: harness.alice.keyID, key: harness.alice.key)
            #expect(
                try await client.execute(uri: base + "/inbox", method: .get, headers: forged).status == .unauthorized)
            #expect(try await harness.list(client).status == .ok)
            #expect(try await harness.list(client).status == .tooManyRequests)
        }
    }

    @Test("[dlv-abuse-rate] a peer domain over the limit gets 429 for its notifications, and nothing is stored")
    func peerLimit() async throws {
        let harness = try await MailHarness(configure: {
            $0.rateLimits = RateLimits(peer: RateLimit(rate: 0.1, burst: 1), user: .unlimited)
        })
        try await harness.application.test(.router) { client in
            let first = try harness.notification(to: "alice@example.org", envelope: Array("first".utf8))
            #expect(try await harness.notify(client, first).status == .accepted)
            let second = try harness.notification(to: "alice@example.org", envelope: Array("second".utf8))
            let limited = try await harness.notify(client, second)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.problem == "rate-limited")
            #expect(limited.headers[.retryAfter] == "10")
            #expect(try await harness.store.inbox(recipient: "alice@example.org", after: nil, limit: 10).count == 1)
            // Users are not counted against the peer's bucket.
            #expect(try await harness.list(client).status == .ok)
            harness.clock.advance(by: 10)
            #expect(try await harness.notify(client, second).status == .accepted)
        }
    }
}
