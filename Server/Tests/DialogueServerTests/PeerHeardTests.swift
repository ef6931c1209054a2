import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import DialogueServer
import DialogueServerStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// A verified request from a peer that was failing makes what waits for it due at once (Spec: [dlv-retry-per-peer]).
@Suite struct PeerHeardTests {
    @Test(
        "[dlv-retry-per-peer] a verified server request from a peer in backoff sends its waiting notification at once; a forged one does not"
    )
    func verifiedRequestCatchesUp() async throws {
        let outboxBox = Mutex<Outbox?>(nil)
        let heard = Mutex<[String]>([])
        let harness = try await MailHarness(peerHeard: { domain in
            heard.withLock { $0.append(domain) }
            outboxBox.withLock { $0 }?.peerHeard(domain)
        })
        // The outbox keeps time of its own: nothing moves it, so only the peer's request ends the backoff.
        let outboxClock = ManualClock(1_000)
        let peers = FakePeers()
        peers.set("example.net", .down)
        let outbox = Outbox(
            store: harness.store, files: nil, identity: Fixtures.identity, baseURL: Fixtures.baseURL, directory: peers,
            sender: peers, clock: outboxClock, random: { 0.5 })
        outboxBox.withLock { $0 = outbox }
        _ = try await Fixtures.submit("caught up", to: ["bob@example.net"], store: harness.store, at: 1_000)
        await outbox.drain()
        #expect(peers.requests(to: "example.net").count == 1)
        #expect(await outbox.peer("example.net").failures == 1)
        peers.set("example.net", .answer(202))
        await outbox.drain()
        #expect(peers.requests(to: "example.net").count == 1, "in backoff: no request before the probe time")

        try await harness.application.test(.router) { client in
            // example.net's key id, signed by another key.
            let forged = try harness.forgedHeaders("GET", "/inbox", keyID: try harness.peerKeyID, key: harness.peerKey)
            #expect(
                try await client.execute(uri: base + "/inbox", method: .get, headers: forged).status == .unauthorized)
            #expect(heard.withLock { $0 }.isEmpty)
            #expect(await outbox.peer("example.net").failures == 1)
            // Any verified server request counts, even one the endpoint then refuses.
            let refused = try await client.execute(
                uri: base + "/inbox", method: .get, headers: try harness.peer("GET", "/inbox"))
            #expect(refused.status == .forbidden)
            #expect(heard.withLock { $0 } == ["example.net"])
        }
        // heardFrom runs on the actor, after the callback returns.
        for _ in 0..<200 where await outbox.peer("example.net").failures != 0 {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(await outbox.peer("example.net").failures == 0)
        await outbox.drain()
        #expect(peers.requests(to: "example.net").count == 2)
        let status = try #require(
            try await harness.store.submission(
                ContentIdentifier.hashing(Array("caught up".utf8), context: .submissionID)))
        #expect(status.deliveries.first?.state == .notified)
    }
}
