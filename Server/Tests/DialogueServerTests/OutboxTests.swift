import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import DialogueServer
import DialogueServerStorage
import Foundation
import Testing

/// The outbox against a fake network and a manual clock: what it sends, when, and what it records
/// (Spec: delivery.md#dlv-retry).
@Suite struct OutboxTests {
    let store: any MailStore = MemoryMailStore()
    let peers = FakePeers()
    let clock = ManualClock(1_000)

    /// An outbox whose jitter draw is always 0: the n-th retry of a peer waits 10 × 2^(n−1) / 2 seconds.
    func outbox(lifetime: UInt64 = 432_000, files: BlobFiles? = nil) -> Outbox {
        var settings = OutboxSettings()
        settings.deliveryLifetime = lifetime
        return Outbox(
            store: store, files: files, identity: Fixtures.identity, baseURL: Fixtures.baseURL, directory: peers,
            sender: peers, clock: clock, settings: settings, random: { 0 })
    }

    func delivery(_ submission: SubmissionRecord, _ recipient: String) async throws -> DeliveryRecord {
        try #require(try await store.submission(submission.id)?.deliveries.first { $0.recipient == recipient })
    }

    /// Spec: [dlv-notification] — a delivery is notified on the first try with a notification signed by the
    /// server key, naming the sender, the recipient, the envelope, the sizes, our base URL and the expiry.
    @Test func aHealthyPeerIsNotifiedOnTheFirstTry() async throws {
        let submission = try await Fixtures.submit("first", to: ["bob@b.example"], store: store)
        await outbox().drain()
        let requests = peers.requests
        #expect(requests.count == 1)
        #expect(requests.first?.url == "https://mail.b.example/dialogue/v1/notifications")
        let key = try ServerKey(
            publicKey: Fixtures.identity.keys[0].signingKey.publicKey, validFrom: 0, validUntil: 10_000_000)
        let notification = try Notification(
            verifying: try #require(requests.first).body, signerDomain: "a.example", serverKeys: [key],
            servedDomains: ["b.example"], now: 1_000)
        #expect(notification.sender.text == "alice@a.example")
        #expect(notification.recipient.text == "bob@b.example")
        #expect(notification.envelope == Fixtures.blob("envelope first"))
        #expect(notification.envelopeSize == 300)
        #expect(notification.messageSize == 5_300)
        #expect(notification.baseURL == Fixtures.baseURL)
        #expect(notification.created == 1_000)
        #expect(notification.expires == submission.expires)
        #expect(notification.stanzaIndex == 0)
        let record = try await delivery(submission, "bob@b.example")
        #expect(record.state == .notified)
        #expect(record.attempts == 1)
        await outbox().drain()
        #expect(peers.requests.count == 1)
    }

    /// Spec: [dlv-retry-per-peer], [dlv-retry-backoff] — while 50 notifications wait for a peer that is
    /// down, it gets one probe per backoff interval (5, 10, 20, 40 s with the draw fixed at 0), never
    /// sooner; when it answers again, all 50 are sent in that same pass, one request each: no retry storm.
    @Test func aDownPeerGetsOneProbePerIntervalAndIsCaughtUpAtOnce() async throws {
        let recipients = (0..<50).map { "user\($0)@b.example" }
        let submission = try await Fixtures.submit("many", to: recipients, store: store)
        let other = try await Fixtures.submit("other", to: ["carol@c.example"], store: store)
        peers.set("b.example", .down)
        let outbox = outbox()
        // The peer looked healthy: at most 8 requests went before the first failure came back.
        await outbox.drain()
        #expect(peers.requests(to: "b.example").count == 8)
        #expect(peers.requests(to: "c.example").count == 1)
        #expect(try await delivery(other, "carol@c.example").state == .notified)
        var sent = 8
        var probeTime: UInt64 = 1_000
        for interval: UInt64 in [5, 10, 20, 40] {
            clock.set(probeTime + interval - 1)
            await outbox.drain()
            #expect(peers.requests(to: "b.example").count == sent, "no request before the backoff has passed")
            probeTime += interval
            clock.set(probeTime)
            await outbox.drain()
            await outbox.drain()
            sent += 1
            #expect(peers.requests(to: "b.example").count == sent, "exactly one probe per interval")
        }
        #expect(await outbox.peer("b.example").failures == 5)
        peers.set("b.example", .answer(202))
        clock.set(probeTime + 80)
        await outbox.drain()
        #expect(peers.requests(to: "b.example").count == sent + 50)
        for recipient in recipients {
            let record = try await delivery(submission, recipient)
            #expect(record.state == .notified)
        }
        #expect(await outbox.peer("b.example").failures == 0)
    }

    /// A pass with a small overall limit still sends everything due, refilling as requests finish.
    @Test func aPassRefillsUntilNothingIsDue() async throws {
        let recipients = (0..<30).map { "user\($0)@\(["b", "c", "d"][$0 % 3]).example" }
        let submission = try await Fixtures.submit("refill", to: recipients, store: store)
        var settings = OutboxSettings()
        settings.maximumInFlight = 3
        let outbox = Outbox(
            store: store, files: nil, identity: Fixtures.identity, baseURL: Fixtures.baseURL, directory: peers,
            sender: peers, clock: clock, settings: settings, random: { 0 })
        await outbox.drain()
        #expect(peers.requests.count == 30)
        for recipient in recipients { #expect(try await delivery(submission, recipient).state == .notified) }
    }

    /// Spec: [dlv-retry-per-peer] — a restart keeps the outbox and makes every waiting delivery due: a new
    /// outbox on the same store sends what waited for a peer in backoff at once.
    @Test func aRestartMakesEveryWaitingDeliveryDue() async throws {
        let recipients = (0..<20).map { "user\($0)@b.example" }
        let submission = try await Fixtures.submit("restart", to: recipients, store: store)
        peers.set("b.example", .down)
        await outbox().drain()
        #expect(peers.requests.count == 8)
        peers.set("b.example", .answer(202))
        clock.advance(by: 1)
        await outbox().drain()
        #expect(peers.requests.count == 28)
        for recipient in recipients { #expect(try await delivery(submission, recipient).state == .notified) }
    }

    /// Spec: [dlv-retry-classes] — a 404 is a permanent failure: the delivery is failed with the status and
    /// the problem type, never retried, and the blobs it alone named are deleted with their files.
    @Test func aPermanentRefusalFailsTheDeliveryAndFreesItsBlobs() async throws {
        let directory = NSTemporaryDirectory() + "dialogue-outbox-" + UUID().uuidString
        let files = try BlobFiles(root: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for label in ["envelope gone", "chunk gone"] {
            try files.write(Array(label.utf8), as: Fixtures.blob(label), limit: 100)
        }
        let submission = try await Fixtures.submit("gone", to: ["nobody@b.example"], store: store)
        peers.set("b.example", .answer(404, problem: "unknown-recipient"))
        let outbox = outbox(files: files)
        await outbox.drain()
        let record = try await delivery(submission, "nobody@b.example")
        #expect(record.state == .failed)
        #expect(record.lastError == "404 urn:dialogue:problem:unknown-recipient")
        #expect(record.attempts == 1)
        #expect(files.size(of: Fixtures.blob("envelope gone")) == nil)
        #expect(files.size(of: Fixtures.blob("chunk gone")) == nil)
        // A refusal is an answer: the peer is not in backoff, and the failed delivery is not tried again.
        #expect(await outbox.peer("b.example").failures == 0)
        clock.advance(by: 3_600)
        await outbox.drain()
        #expect(peers.requests.count == 1)
    }

    /// Spec: [dlv-retry-classes] — 408, 425, 429, 5xx and a redirect are retried, not failed.
    @Test(arguments: [408, 425, 429, 500, 503, 301, 302]) func transientAnswersAreRetried(status: Int) async throws {
        let submission = try await Fixtures.submit("transient", to: ["bob@b.example"], store: store)
        peers.set("b.example", .answer(status))
        await outbox().drain()
        let record = try await delivery(submission, "bob@b.example")
        #expect(record.state == .retrying)
        #expect(record.lastError == "\(status)")
    }

    /// Spec: [dlv-retry-backoff] — a delivery that is not confirmed within the delivery lifetime is given up:
    /// the retry that would fall at or after the deadline is not made, and the last error is recorded.
    @Test func aDeliveryIsGivenUpAfterItsLifetime() async throws {
        let submission = try await Fixtures.submit("late", to: ["bob@b.example"], store: store)
        peers.set("b.example", .down)
        let outbox = outbox(lifetime: 100)
        // Attempts at 1000, 1005, 1015, 1035, 1075; the next would be at 1155, past 1100.
        for time: UInt64 in [1_000, 1_005, 1_015, 1_035, 1_075] {
            clock.set(time)
            await outbox.drain()
        }
        let record = try await delivery(submission, "bob@b.example")
        #expect(record.state == .failed)
        #expect(record.attempts == 5)
        #expect(record.lastError?.hasPrefix("given up at the delivery lifetime: no answer") == true)
        clock.set(2_000)
        await outbox.drain()
        #expect(peers.requests.count == 5)
    }

    /// Spec: [dlv-retry-backoff] — the submission's expiry, when it comes first, ends the tries too.
    @Test func aDeliveryIsGivenUpAtTheSubmissionsExpiry() async throws {
        let submission = try await Fixtures.submit("expiring", to: ["bob@b.example"], store: store, expires: 1_010)
        peers.set("b.example", .down)
        let outbox = outbox()
        await outbox.drain()
        #expect(try await delivery(submission, "bob@b.example").state == .retrying)
        clock.set(1_005)
        await outbox.drain()
        let record = try await delivery(submission, "bob@b.example")
        #expect(record.state == .failed)
        #expect(record.lastError?.hasPrefix("given up at the expiry") == true)
    }

    /// Spec: [dlv-retry-backoff] — a Retry-After longer than the backoff replaces it.
    @Test func retryAfterIsHonoured() async throws {
        let submission = try await Fixtures.submit("busy", to: ["bob@b.example"], store: store)
        peers.set("b.example", .answer(429, retryAfter: 120, problem: "rate-limited"))
        let outbox = outbox()
        await outbox.drain()
        #expect(try await delivery(submission, "bob@b.example").lastError == "429 urn:dialogue:problem:rate-limited")
        peers.set("b.example", .answer(202))
        clock.set(1_119)
        await outbox.drain()
        #expect(peers.requests.count == 1, "not before Retry-After")
        clock.set(1_120)
        await outbox.drain()
        #expect(peers.requests.count == 2)
        #expect(try await delivery(submission, "bob@b.example").state == .notified)
    }

    /// Spec: [dlv-ack] — a stored acknowledgement is relayed to the sender's server's `/acknowledgements`;
    /// `200` ends the relay, and a `410` (the delivery is done there) ends it too, without a retry.
    @Test(arguments: [(200, InboxEntryRecord.AcknowledgementState.relayed), (410, .failed)])
    func acknowledgementsAreRelayed(status: Int, state: InboxEntryRecord.AcknowledgementState) async throws {
        let envelope = Fixtures.blob("relayed envelope")
        guard
            case .added(let entry) = try await store.addInboxEntry(
                recipient: "bob@a.example", sender: "dave@d.example", envelope: envelope,
                baseURL: "https://mail.d.example/dialogue/v1", notification: [1, 2, 3], received: 1_000,
                expires: 100_000)
        else {
            Issue.record("the entry was not added")
            return
        }
        #expect(
            try await store.setAcknowledgement(
                recipient: "bob@a.example", sequence: entry.sequence, acknowledgement: [9, 8, 7], at: 1_000))
        peers.set("d.example", .answer(status))
        let outbox = outbox()
        await outbox.drain()
        #expect(peers.requests.map(\.url) == ["https://mail.d.example/dialogue/v1/acknowledgements"])
        #expect(peers.requests.first?.body == [9, 8, 7])
        let stored = try #require(try await store.inboxEntry(recipient: "bob@a.example", sequence: entry.sequence))
        #expect(stored.acknowledgementState == state)
        clock.advance(by: 3_600)
        await outbox.drain()
        #expect(peers.requests.count == 1)
    }

    /// `wake()` sends a new submission at once, and a graceful stop finishes and returns.
    @Test func runSendsOnWakeAndStops() async throws {
        var settings = OutboxSettings()
        settings.interval = .seconds(3_600)
        let outbox = Outbox(
            store: store, files: nil, identity: Fixtures.identity, baseURL: Fixtures.baseURL, directory: peers,
            sender: peers, clock: clock, settings: settings)
        let running = Task { try await outbox.run() }
        _ = try await Fixtures.submit("woken", to: ["bob@b.example"], store: store)
        outbox.wake()
        for _ in 0..<200 where peers.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        #expect(peers.requests.count == 1)
        outbox.stop()
        try await running.value
    }
}
