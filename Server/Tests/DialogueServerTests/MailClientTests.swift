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
        let attachment = (0..<(2 * MessageLimits.chunkSize + 5_000)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let file = world.directories[0] + "/report.bin"
        try Data(attachment).write(to: URL(fileURLWithPath: file))

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
        var status = try await alice.status(report.sent.number)
        let deadline = Date().addingTimeInterval(30)
        while !status.gone, Date() < deadline {
            try await Task.sleep(for: .milliseconds(200))
            status = try await alice.status(report.sent.number)
        }
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
}
