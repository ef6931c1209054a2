import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import DialogueServerStorage
import Foundation
import Testing

/// Three real `dialogued` processes on loopback, each naming the others in its peers file: the whole
/// delivery protocol between servers (Spec: delivery.md#dlv-overview).
@Suite(.serialized) struct ThreeServerTests {
    @Test(
        "[dlv-delete] alice@A to bob@B and carol@C: stored once on A, both notified, bob fetches all, carol the envelope and one part, both acknowledge, then A answers 410 for every blob and names none"
    )
    func oneMessageThreeServers() async throws {
        let (servers, users) = try await Self.startThree()
        defer { servers.forEach { $0.remove() } }
        let (alice, bob, carol) = (users[0], users[1], users[2])
        let client = LoopbackClient.make()
        defer { Task { await client.shutdown() } }
        do {
            try await deliver(servers: servers, alice: alice, bob: bob, carol: carol, client: client)
        } catch {
            for server in servers { print("--- \(server.domain) log:\n\(server.log(tail: 4_000))") }
            throw error
        }
    }

    /// a.test, b.test and c.test with alice, bob and carol, each server naming the others in its peers
    /// file, started; `prepare` changes a server's settings before its user is added (its own database).
    static func startThree(prepare: (Int, DialoguedProcess) throws -> Void = { _, _ in }) async throws
        -> (servers: [DialoguedProcess], users: [LoopbackUser])
    {
        let servers = try ["a.test", "b.test", "c.test"].map { try DialoguedProcess(domain: $0) }
        do {
            let users = try ["alice@a.test", "bob@b.test", "carol@c.test"].map { try LoopbackUser($0) }
            for (index, (server, user)) in zip(servers, users).enumerated() {
                try prepare(index, server)
                try server.addUser(user.address.text, cardBytes: user.secret.card.encodedBytes)
            }
            for server in servers {
                try server.setPeers(try servers.filter { $0 !== server }.map { try $0.peersLine })
                try await server.start()
            }
            return (servers, users)
        } catch {
            servers.forEach { $0.remove() }
            throw error
        }
    }

    func deliver(
        servers: [DialoguedProcess], alice: LoopbackUser, bob: LoopbackUser, carol: LoopbackUser, client: LoopbackClient
    ) async throws {
        let (a, b, c) = (servers[0], servers[1], servers[2])
        // Alice seals one message with an attachment of three chunks, and uploads each blob once.
        let attachment = (0..<(2 * MessageLimits.chunkSize + 5_000)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let store = MemoryBlobStore()
        var draft = MessageDraft(
            recipients: [.init(card: bob.secret.card), .init(card: carol.secret.card)],
            date: UInt64(Date().timeIntervalSince1970),
            parts: [
                .text("The report is attached."),
                .init(mediaType: "application/octet-stream", fileName: "report.bin", content: .bytes(attachment)),
            ])
        draft.headers["subject"] = "Report"
        let sealed = try await MessageSealer(sender: alice.secret, store: store).seal(draft)
        let manifest = sealed.signedManifest.manifest
        let chunks = manifest.parts.flatMap(\.chunks)
        #expect(chunks.count == 4)
        for id in chunks {
            let bytes = try #require(await store.get(id))
            #expect(try await client.upload(bytes, to: a.baseURL, as: alice).status == 201)
        }
        #expect(try await client.upload(sealed.envelopeBytes, to: a.baseURL, as: alice).status == 201)
        let deliveries = try zip(manifest.recipients, sealed.stanzaIndices).map { recipient, index in
            let card = recipient.address == bob.address ? bob.secret.card : carol.secret.card
            return try Delivery(
                recipient: recipient.address, envelope: sealed.envelopeID, fingerprint: card.fingerprint,
                stanzaIndex: index)
        }
        let now = UInt64(Date().timeIntervalSince1970)
        let submission = try Submission(
            sender: alice.address, deliveries: deliveries, chunks: chunks, created: now, expires: now + 86_400,
            signingKey: alice.secret.signingKey)
        let submitted = try await client.send(
            "POST", a.baseURL, "/submissions", body: submission.encodedBytes, contentType: "application/cbor",
            as: alice)
        #expect(submitted.status == 201)

        // Stored once: one file per blob on A, whatever the number of recipients.
        let files = try BlobFiles(root: a.data)
        for id in chunks + [sealed.envelopeID] { #expect(files.size(of: id) != nil) }

        // B and C are notified; each recipient reads its notification from its own server.
        var notifications: [Address: DialogueDelivery.Notification] = [:]
        for (server, user) in [(b, bob), (c, carol)] {
            let entries = try await client.inbox(server.baseURL, as: user, wait: 20)
            #expect(entries.count == 1)
            let text = try #require(entries.first?["notification"] as? String)
            let notification = try DialogueDelivery.Notification(
                verifying: try #require(UnpaddedBase64URL.decode(text)), signerDomain: "a.test",
                serverKeys: try await document(of: a, client: client).keys, servedDomains: [server.domain],
                now: UInt64(Date().timeIntervalSince1970))
            #expect(notification.envelope == sealed.envelopeID)
            #expect(notification.baseURL.text == a.baseURL)
            notifications[user.address] = notification
        }

        // Bob fetches everything from A; carol the envelope and the text part only.
        for (user, wanted) in [(bob, manifest.parts.indices), (carol, 0..<1)] {
            let notification = try #require(notifications[user.address])
            let envelope = try #require(try await client.fetch(notification.envelope, from: a.baseURL))
            let opened = try EnvelopeOpener.open(envelope, as: user.secret, stanzaIndex: notification.stanzaIndex)
            #expect(opened.manifest.subject == "Report")
            let local = MemoryBlobStore()
            for index in wanted {
                for id in opened.manifest.parts[index].chunks {
                    await local.put(try #require(try await client.fetch(id, from: a.baseURL)), as: id)
                }
            }
            #expect(
                try await PartReader(part: opened.manifest.parts[0], store: local).readAll()
                    == Array("The report is attached.".utf8))
            if user.address == bob.address {
                #expect(try await PartReader(part: opened.manifest.parts[1], store: local).readAll() == attachment)
            }
        }

        // Both acknowledge through their home servers, which relay to A; the message stays until the last.
        let envelopePath = "/blobs/" + sealed.envelopeID.text(kind: .blob)
        for (index, (server, user)) in [(b, bob), (c, carol)].enumerated() {
            let entry = try #require(try await client.inbox(server.baseURL, as: user).first?["entry"] as? String)
            let ack = try Acknowledgement(
                recipient: user.address, envelope: sealed.envelopeID, sender: alice.address,
                created: UInt64(Date().timeIntervalSince1970), signingKey: user.secret.signingKey)
            let answer = try await client.send(
                "POST", server.baseURL, "/inbox/\(entry)/acknowledge", body: ack.encodedBytes,
                contentType: "application/cbor", as: user)
            #expect(answer.status == 202)
            if index == 0 {
                try await waitUntil("A records bob's acknowledgement") {
                    let status = try await client.send(
                        "GET", a.baseURL, "/submissions/" + submission.identifier.text(kind: .submission), as: alice)
                    let states = (status.json["deliveries"] as? [[String: Any]] ?? []).map { $0["state"] as? String }
                    return states.contains("acknowledged")
                }
                #expect(try await client.send("GET", a.baseURL, envelopePath).status == 200)
            }
        }
        try await waitUntil("A deletes the message after carol's acknowledgement") {
            try await client.send("GET", a.baseURL, envelopePath).status == 410
        }
        for id in chunks {
            #expect(try await client.send("GET", a.baseURL, "/blobs/" + id.text(kind: .blob)).status == 410)
            #expect(files.size(of: id) == nil)
        }
        #expect(files.size(of: sealed.envelopeID) == nil)
        a.stop()
        let stored = try SQLiteMailStore(path: a.data + "/mail.sqlite")
        for id in chunks + [sealed.envelopeID] {
            guard case .deleted = try await stored.blobState(id) else {
                Issue.record("\(id.text(kind: .blob)) is still named on A")
                continue
            }
        }
    }

    @Test(
        "[dlv-retry-per-peer] a recipient server that is down when five messages are sent gets all five soon after it comes back, with one probe at a time meanwhile"
    )
    func aDownPeerIsCaughtUpWithoutARetryStorm() async throws {
        let a = try DialoguedProcess(domain: "a.test")
        let b = try DialoguedProcess(domain: "b.test")
        defer {
            a.remove()
            b.remove()
        }
        let alice = try LoopbackUser("alice@a.test")
        let bob = try LoopbackUser("bob@b.test")
        try a.addUser(alice.address.text, cardBytes: alice.secret.card.encodedBytes)
        try b.addUser(bob.address.text, cardBytes: bob.secret.card.encodedBytes)
        try a.setPeers([try b.peersLine])
        try b.setPeers([try a.peersLine])
        try await a.start()
        let client = LoopbackClient.make()
        defer { Task { await client.shutdown() } }
        var submissions: [Submission] = []
        for index in 0..<5 {
            let envelope = Array("envelope \(index) \(UUID())".utf8)
            #expect(try await client.upload(envelope, to: a.baseURL, as: alice).status == 201)
            let now = UInt64(Date().timeIntervalSince1970)
            let submission = try Submission(
                sender: alice.address,
                deliveries: [
                    try Delivery(
                        recipient: bob.address, envelope: blobID(envelope), fingerprint: bob.secret.card.fingerprint)
                ], chunks: [], created: now, expires: now + 86_400, signingKey: alice.secret.signingKey)
            let answer = try await client.send(
                "POST", a.baseURL, "/submissions", body: submission.encodedBytes, contentType: "application/cbor",
                as: alice)
            #expect(answer.status == 201)
            submissions.append(submission)
        }
        func attempts() async throws -> [Int] {
            var counts: [Int] = []
            for submission in submissions {
                let status = try await client.send(
                    "GET", a.baseURL, "/submissions/" + submission.identifier.text(kind: .submission), as: alice)
                let deliveries = status.json["deliveries"] as? [[String: Any]] ?? []
                counts.append(deliveries.first?["attempts"] as? Int ?? -1)
            }
            return counts
        }
        // B is down for 12 seconds: the first attempt fails, then one probe per interval (5 to 10 s,
        // then 10 to 20 s) goes to B, never one request per message.
        try await Task.sleep(for: .seconds(12))
        let whileDown = try await attempts()
        #expect((1...3).contains(whileDown.reduce(0, +)), "one attempt and at most two probes in 12 s: \(whileDown)")
        try await b.start()
        let started = Date()
        try await waitUntil("B has all five notifications", seconds: 40) {
            try await client.inbox(b.baseURL, as: bob).count == 5
        }
        let after = try await attempts()
        #expect(after.reduce(0, +) <= 5 + 4, "each delivery sent once after the peer came back: \(after)")
        #expect(Date().timeIntervalSince(started) < 25, "caught up more than one probe interval after B came back")
        print(
            "down peer: \(whileDown) attempts while down, caught up \(Date().timeIntervalSince(started)) s after it started"
        )
    }

    func document(of server: DialoguedProcess, client: LoopbackClient) async throws -> ServerDocument {
        let answer = try await client.send("GET", server.baseURL, "/server")
        return try ServerDocument(
            verifying: answer.body, domain: server.domain, now: UInt64(Date().timeIntervalSince1970),
            allowingHTTP: true)
    }
}

/// Polls `condition` every 100 ms for up to `seconds`, failing the test with `what` if it never holds.
func waitUntil(_ what: String, seconds: Double = 30, _ condition: () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw ProcessFailure("timed out after \(seconds) s waiting until \(what)")
}
