import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import DialogueServerConformance
import DialogueServerStorage
import Foundation
import Synchronization
import Testing

/// `dialogued` killed with SIGKILL in the middle of a burst of uploads, submissions and notifications,
/// then restarted on the same data (Spec: delivery.md#dlv-durable).
@Suite(.serialized) struct CrashSafetyTests {
    @Test(
        "[dlv-durable] [dlv-submission-durable] [dlv-notification-durable] after SIGKILL mid-burst: every acknowledged submission and notification is kept, every stored blob matches its identifier, and the outbox delivers every acknowledged submission"
    )
    func killedMidBurst() async throws {
        let sender = try DialoguedProcess(domain: "a.test")
        let recipient = try DialoguedProcess(domain: "b.test")
        defer {
            sender.remove()
            recipient.remove()
        }
        let alice = try LoopbackUser("alice@a.test")
        let bob = try LoopbackUser("bob@b.test")
        try sender.addUser(alice.address.text, cardBytes: alice.secret.card.encodedBytes)
        try recipient.addUser(bob.address.text, cardBytes: bob.secret.card.encodedBytes)
        // A third server, played in process, that sends notifications to A during the burst.
        let peerKey = Ed25519.SigningKey()
        let peer = try await FakePeer.start(domain: "c.test", key: peerKey, port: 0)
        let peerFingerprint = ContentIdentifier.hashing(peerKey.publicKey.rawRepresentation, context: .serverKey)
        try sender.setPeers([
            try recipient.peersLine, "c.test \(peer.baseURL) \(peerFingerprint.text(kind: .serverKey))",
        ])
        try recipient.setPeers([try sender.peersLine])
        try await recipient.start()
        try await sender.start()
        let client = LoopbackClient.make()
        defer { Task { await client.shutdown() } }
        let peerSigner = (try RequestKeyID(server: "c.test", fingerprint: peerFingerprint), peerKey)

        let tally = BurstTally()
        let burst = Task {
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<6 {
                    group.addTask {
                        for round in 0..<400 {
                            if Task.isCancelled { return }
                            tally.attempted.withLock { $0 += 1 }
                            if worker % 3 == 2 {
                                // A notification from the third server to alice.
                                let blob = Array("message \(worker)-\(round)-\(UUID())".utf8)
                                peer.add(blob: blob)
                                let now = UInt64(Date().timeIntervalSince1970)
                                guard
                                    let notification = try? DialogueDelivery.Notification(
                                        sender: try Address(canonical: "carol@c.test"), recipient: alice.address,
                                        envelope: ContentIdentifier.hashing(blob, context: .blob),
                                        envelopeSize: UInt64(blob.count), messageSize: UInt64(blob.count),
                                        baseURL: try BaseURL(peer.baseURL), created: now, expires: now + 86_400,
                                        signingKey: peerKey),
                                    let answer = try? await client.send(
                                        "POST", sender.baseURL, "/notifications", body: notification.encodedBytes,
                                        contentType: "application/cbor", signer: peerSigner)
                                else { continue }
                                if answer.status == 202 {
                                    tally.confirmed.withLock { $0.append(notification.encodedBytes) }
                                }
                            } else {
                                // An upload of 8 to 200 KiB and its submission to bob.
                                let size = 8_192 + ((worker * 7_919 + round * 104_729) % 196_608)
                                let blob =
                                    (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ worker &+ round) }
                                    + Array(UUID().uuidString.utf8)
                                guard (try? await client.upload(blob, to: sender.baseURL, as: alice))?.status == 201
                                else { continue }
                                let id = ContentIdentifier.hashing(blob, context: .blob)
                                let now = UInt64(Date().timeIntervalSince1970)
                                guard
                                    let submission = try? Submission(
                                        sender: alice.address,
                                        deliveries: [
                                            try Delivery(
                                                recipient: bob.address, envelope: id,
                                                fingerprint: bob.secret.card.fingerprint)
                                        ], chunks: [], created: now, expires: now + 86_400,
                                        signingKey: alice.secret.signingKey),
                                    let answer = try? await client.send(
                                        "POST", sender.baseURL, "/submissions", body: submission.encodedBytes,
                                        contentType: "application/cbor", as: alice)
                                else { continue }
                                if answer.status == 201 { tally.acknowledged.withLock { $0.append(submission) } }
                            }
                        }
                    }
                }
            }
        }
        // Kill it once the burst is well under way, with requests in flight.
        try await waitUntil("the burst has 30 acknowledged submissions", seconds: 120) {
            tally.acknowledged.withLock { $0.count } >= 30
        }
        sender.kill()
        burst.cancel()
        await burst.value
        let submissions = tally.acknowledged.withLock { $0 }
        let notifications = tally.confirmed.withLock { $0 }
        #expect(notifications.count > 0)

        // Before restarting: no half-written file under a blob's name.
        let files = try BlobFiles(root: sender.data)
        for id in try files.storedIdentifiers() {
            let bytes = try #require(try files.read(id, limit: 1 << 24))
            #expect(ContentIdentifier.hashing(bytes, context: .blob) == id, "a stored blob does not match its name")
        }

        try await sender.start()
        // Nothing it acknowledged is lost: every submission has its status and its blob.
        for submission in submissions {
            let status = try await client.send(
                "GET", sender.baseURL, "/submissions/" + submission.identifier.text(kind: .submission), as: alice)
            #expect(status.status == 200, "an acknowledged submission is lost")
            let envelope = submission.deliveries[0].envelope
            #expect(try await client.fetch(envelope, from: sender.baseURL) != nil, "an acknowledged blob is lost")
        }
        // Every confirmed notification is in alice's inbox, once.
        let entries = try await client.send("GET", sender.baseURL, "/inbox?limit=1000", as: alice).json["entries"]
        let listed = Set(((entries as? [[String: Any]]) ?? []).compactMap { $0["notification"] as? String })
        for bytes in notifications {
            #expect(listed.contains(UnpaddedBase64URL.encode(bytes)), "a confirmed notification is lost")
        }
        // The outbox resumes: bob's server is told of every acknowledged submission.
        let document = try ServerDocument(
            verifying: try await client.send("GET", sender.baseURL, "/server").body, domain: "a.test",
            now: UInt64(Date().timeIntervalSince1970), allowingHTTP: true)
        let envelopes = Set(submissions.map { $0.deliveries[0].envelope })
        try await waitUntil("bob's server has every acknowledged submission's notification", seconds: 60) {
            let answer = try await client.send("GET", recipient.baseURL, "/inbox?limit=1000", as: bob)
            let received = Set(
                ((answer.json["entries"] as? [[String: Any]]) ?? []).compactMap { entry -> ContentIdentifier? in
                    guard let text = entry["notification"] as? String, let bytes = UnpaddedBase64URL.decode(text) else {
                        return nil
                    }
                    return try? DialogueDelivery.Notification(
                        verifying: bytes, signerDomain: "a.test", serverKeys: document.keys,
                        servedDomains: ["b.test"], now: UInt64(Date().timeIntervalSince1970)
                    ).envelope
                })
            return envelopes.isSubset(of: received)
        }
        await peer.stop()
        let total = tally.attempted.withLock { $0 }
        print(
            "crash test: \(total) requests attempted, \(submissions.count) submissions and \(notifications.count) notifications acknowledged before SIGKILL"
        )
    }
}

/// What the burst's workers got acknowledged, shared between them.
final class BurstTally: Sendable {
    let acknowledged = Mutex<[Submission]>([])
    let confirmed = Mutex<[[UInt8]]>([])
    let attempted = Mutex(0)
}
