import DialogueClient
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Foundation
import Testing

/// The mail client library against three real `dialogued` processes on loopback: what a person does
/// with `dialogue send/inbox/read/reply/ack/status`, through the library (Spec: delivery.md).
@Suite(.serialized) struct MailClientTests {
    /// Three servers that name each other in their peers files, one user on each, and a client per user.
    struct World {
        let servers: [DialoguedProcess]
        let peers: PeersFile
        let users: [SecretIdentity]
        let directories: [String]

        init() async throws {
            servers = try ["a.test", "b.test", "c.test"].map { try DialoguedProcess(domain: $0) }
            users = try ["alice@a.test", "bob@b.test", "carol@c.test"].map {
                try SecretIdentity.generate(
                    addresses: [try Address(parsing: $0)], created: UInt64(Date().timeIntervalSince1970) - 60,
                    validity: 86_400 * 30)
            }
            for (server, user) in zip(servers, users) {
                try server.addUser(user.card.addresses[0].text, cardBytes: user.card.encodedBytes)
            }
            let lines = try servers.map { try $0.peersLine }
            for server in servers {
                try server.setPeers(try servers.filter { $0 !== server }.map { try $0.peersLine })
                try await server.start()
            }
            peers = try PeersFile(parsing: lines.joined(separator: "\n") + "\n")
            directories = try (0..<3).map { _ in try MailClientTests.temporaryDirectory() }
        }

        /// A client of user `index` over `directory` (by default the user's first device).
        func client(_ index: Int, directory: String? = nil) throws -> MailClient {
            try MailClient(
                address: users[index].card.addresses[0], identity: users[index],
                homeServer: try BaseURL(servers[index].baseURL), peers: peers,
                directory: directory ?? directories[index])
        }

        func remove() {
            servers.forEach { $0.remove() }
            directories.forEach { try? FileManager.default.removeItem(atPath: $0) }
        }

        /// The status of sent message `number` of `client` once the sender's server deleted it (`410`,
        /// [dlv-tombstones]), or the last one seen after `seconds`.
        static func statusOnceDeleted(_ number: Int, of client: MailClient, seconds: Double = 30) async throws
            -> DeliveryStatus
        {
            var status = try await client.status(number)
            let deadline = Date().addingTimeInterval(seconds)
            while !status.gone, Date() < deadline {
                try await Task.sleep(for: .milliseconds(100))
                status = try await client.status(number)
            }
            return status
        }

        /// A file of `size` bytes in the first user's directory, with content no other file has.
        func attachment(size: Int, name: String = "report.bin") throws -> (path: String, bytes: [UInt8]) {
            let seed = UInt8.random(in: 1...255)
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed)) }
            let path = directories[0] + "/" + name
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return (path, bytes)
        }
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "dialogue-client-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test(
        "dlv-card-judged: a recipient whose server serves a new key without a rotation statement is refused before anything is sealed or uploaded; accepting the change sends to the new key"
    )
    func aKeyChangeStopsTheSend() async throws {
        let world = try await World()
        defer { world.remove() }
        let alice = try world.client(0)
        do {
            try await keyChange(world: world, alice: alice)
        } catch {
            await alice.shutdown()
            throw error
        }
        await alice.shutdown()
    }

    func keyChange(world: World, alice: MailClient) async throws {
        let bob = world.users[1].card.addresses[0]
        let first = try await alice.send(Composition(to: [bob], subject: "One", text: "first"))
        #expect(first.cards.map(\.assessment.verdict.name) == ["first-contact"])
        // Bob's server now serves a card with another key and no statement from the old one.
        let replacement = try SecretIdentity.generate(
            addresses: [bob], created: UInt64(Date().timeIntervalSince1970) - 30, validity: 86_400 * 30)
        _ = try DialoguedProcess.run(["user", "remove", bob.text, "--data", world.servers[1].data])
        try world.servers[1].addUser(bob.text, cardBytes: replacement.card.encodedBytes)
        let uploadsBefore = try String(contentsOfFile: world.servers[0].logPath, encoding: .utf8)
            .components(separatedBy: "route=/blobs/{blob}").count
        #expect(uploadsBefore > 1, "the server's log lists the first message's uploads")
        do {
            _ = try await alice.send(Composition(to: [bob], subject: "Two", text: "second"))
            Issue.record("a send to a changed key went ahead")
        } catch let error as ClientError {
            #expect(error.code == .trustAlarm)
            #expect(error.reason.contains("key-changed"))
        }
        let uploadsAfter = try String(contentsOfFile: world.servers[0].logPath, encoding: .utf8)
            .components(separatedBy: "route=/blobs/{blob}").count
        #expect(uploadsAfter == uploadsBefore, "nothing was uploaded for the refused send")
        let accepted = try await alice.send(
            Composition(to: [bob], subject: "Three", text: "third"), acceptingKeyChanges: [bob])
        #expect(accepted.cards.first?.card.fingerprint == replacement.card.fingerprint)
    }

    @Test(
        "dlv-card-judged, dlv-card-observation, dlv-ua-discovery, dlv-inbox-cursor, dlv-keep-before-ack, dlv-keep, dlv-tombstones: alice sends bob and carol; cards judged first; carol reads the text only; bob resumes an interrupted fetch with only the missing chunks, replies by hash; both acknowledge; the sender's server answers 410; bob's second device still reads the kept copy"
    )
    func wholeMission() async throws {
        let world = try await World()
        defer { world.remove() }
        let alice = try world.client(0)
        let bob = try world.client(1)
        let carol = try world.client(2)
        let (file, attachment) = try world.attachment(size: 2 * MessageLimits.chunkSize + 5_000)

        // [dlv-card-judged]: both cards are fetched from their servers and pinned before sealing.
        let report = try await alice.send(
            Composition(
                to: [bob.address, carol.address], subject: "Report", text: "The report is attached.",
                attachments: [Composition.attachment(path: file, fileName: "report.bin")]))
        #expect(report.cards.map(\.assessment.verdict.name) == ["first-contact", "first-contact"])
        #expect(report.uploaded == 5)  // one text chunk, three attachment chunks, one envelope: once each
        #expect(report.alreadyHeld == 0)

        // Both are notified; the envelope is opened at sync, and the sender is a first contact.
        let bobNew = try await bob.sync(wait: 20)
        let carolNew = try await carol.sync(wait: 20)
        #expect(bobNew.count == 1 && carolNew.count == 1)
        #expect(bobNew.first?.subject == "Report")
        #expect(bobNew.first?.verdict == "first-contact")
        #expect(try await bob.sync().isEmpty)  // the cursor moved: nothing is listed twice

        // Carol reads only the text: the envelope and one chunk, nothing else.
        let carolMessage = try await carol.open(try #require(carolNew.first).number)
        #expect(try await carol.partReader(carolMessage, index: 0).readAll() == Array("The report is attached.".utf8))
        #expect(carol.fetched.blobs == 2)

        // Bob's download of the attachment is interrupted after its first chunk ...
        let bobNumber = try #require(bobNew.first).number
        let opened = try await bob.open(bobNumber)
        _ = try await bob.partReader(opened, index: 1).chunk(0)
        #expect(bob.fetched.blobs == 2)  // the envelope and that chunk
        await bob.shutdown()
        // ... and the rerun fetches only the two chunks it lacks.
        let bobAgain = try world.client(1)
        let reopened = try await bobAgain.open(bobNumber)
        #expect(try await bobAgain.partReader(reopened, index: 1).readAll() == attachment)
        #expect(bobAgain.fetched.blobs == 2)
        #expect(try await bobAgain.partReader(reopened, index: 1).readAll() == attachment)
        #expect(bobAgain.fetched.blobs == 2)  // nothing is fetched twice

        // Bob replies by hash; alice's thread is rebuilt locally from in-reply-to and references.
        let reply = try await bobAgain.reply(to: bobNumber, text: "Thanks, got it.")
        #expect(reply.cards.map(\.assessment.verdict.name) == ["known"])  // pinned when alice's message arrived
        let aliceNew = try await alice.sync(wait: 20)
        #expect(aliceNew.first?.subject == "Re: Report")
        let thread = try await alice.thread(report.sent.messageID)
        #expect(thread.map(\.messageID) == [report.sent.messageID, reply.sent.messageID])
        #expect(thread.last?.parent == report.sent.messageID)

        // [dlv-keep-before-ack]: bob keeps everything on his server, then acknowledges; carol keeps nothing.
        try await bobAgain.acknowledge(bobNumber)
        try await carol.acknowledge(try #require(carolNew.first).number, keeping: false)
        let status = try await World.statusOnceDeleted(report.sent.number, of: alice)
        #expect(status.gone)  // [dlv-tombstones]: 410 for the deleted submission
        #expect(status.state == "deleted")

        // A second device of bob's, with its own cursor and store, reads the kept copy: the sender's
        // server answers 410 and the home server serves what it kept ([dlv-keep]).
        let secondDevice = try world.client(1, directory: try MailClientTests.temporaryDirectory())
        let listed = try await secondDevice.sync()
        #expect(listed.count == 1)
        let onSecond = try await secondDevice.open(try #require(listed.first).number)
        #expect(try await secondDevice.partReader(onSecond, index: 1).readAll() == attachment)
        #expect(onSecond.opened.messageID == report.sent.messageID)

        for client in [alice, bobAgain, carol, secondDevice] { await client.shutdown() }
    }

    @Test(
        "msg-forward, dlv-ep-upload: a forward by reference reuses the original's chunks; the forwarder's server receives each blob once, whatever the number of forwards"
    )
    func forwardUploadsNoChunkTwice() async throws {
        let world = try await World()
        defer { world.remove() }
        let alice = try world.client(0)
        let bob = try world.client(1)
        let carol = try world.client(2)
        defer { Task { for client in [alice, bob, carol] { await client.shutdown() } } }
        let (file, attachment) = try world.attachment(size: 3 * MessageLimits.chunkSize + 10)
        _ = try await alice.send(
            Composition(
                to: [bob.address], subject: "Plans", text: "The plans.",
                attachments: [Composition.attachment(path: file, fileName: "plans.bin")]))
        let number = try #require(try await bob.sync(wait: 20).first).number
        let original = try await bob.open(number)
        let chunks = Set(original.opened.manifest.parts.flatMap(\.chunks).map { $0.text(kind: .blob) })
        #expect(chunks.count == 5)  // one text chunk, four attachment chunks
        let bobServer = world.servers[1]
        #expect(bobServer.blobFiles().isDisjoint(with: chunks), "bob's server held none of them before")

        let first = try await bob.forward(number, to: [carol.address], text: "FYI")
        let putsAfterFirst = bobServer.requests("PUT", "/blobs/{blob}")
        #expect(first.uploaded == putsAfterFirst)
        #expect(chunks.isSubset(of: bobServer.blobFiles()), "the forward names the original's chunks")
        let second = try await bob.forward(number, to: [alice.address], text: "FYI too")
        let putsAfterSecond = bobServer.requests("PUT", "/blobs/{blob}")
        #expect(second.alreadyHeld >= chunks.count, "the chunks were on the server already")
        #expect(second.uploaded == putsAfterSecond - putsAfterFirst)
        #expect(second.uploaded <= 3, "only the new envelope and the new text went up")
        // Content-addressed files: one file per distinct blob. As many uploads as files means no blob went twice.
        #expect(putsAfterSecond == bobServer.blobFiles().count)

        // Carol reads the forwarded attachment: the original's bytes, verified against alice's signed manifest.
        let forwarded = try await carol.open(try #require(try await carol.sync(wait: 20).first).number)
        let index = try #require(forwarded.opened.manifest.parts.firstIndex { $0.fileName == "plans.bin" })
        #expect(try await carol.partReader(forwarded, index: index).readAll() == attachment)
    }
}
