import DialogueClient
import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import Foundation
import Testing

/// What a list costs its server ([list-one-copy]), measured on real processes: the bytes stored per
/// post of a 1 KiB message with 2 members and with many, and the bytes of one poll. Every member is
/// registered with 'dialogued user add': 10 by default, `DIALOGUE_LIST_MEMBERS` (e.g. 1000) for a
/// measurement.
@Suite(.serialized) struct ListCostTests {
    static let members = ProcessInfo.processInfo.environment["DIALOGUE_LIST_MEMBERS"].flatMap { Int($0) } ?? 10

    /// The length of the index entry at the end of `list`'s index, read from the server's database.
    static func lastEntryBytes(_ server: DialoguedProcess, list: String) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [
            server.data + "/mail.sqlite",
            "SELECT length(bytes) FROM list_entries WHERE list = '\(list)' ORDER BY position DESC LIMIT 1",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// The bytes of the answer to `GET url` (unsigned: a public list's index).
    static func answerBytes(_ url: String) throws -> (bytes: Int, body: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (data.count, String(decoding: data, as: UTF8.self))
    }

    @Test(
        "list-one-copy: a 1 KiB post stores the same bytes on the list server with 2 members as with 12 (or DIALOGUE_LIST_MEMBERS + 2); one poll of one post is one entry"
    )
    func whatAListCosts() async throws {
        let lists = try await ListClientTests.ListWorld("cost")
        do {
            try await measure(lists, members: ListCostTests.members)
        } catch {
            await lists.shutdown()
            throw error
        }
        await lists.shutdown()
    }

    func measure(_ lists: ListClientTests.ListWorld, members count: Int) async throws {
        let (agent, list, bob) = (lists.agent, lists.list, lists.members[1])
        let server = lists.world.servers[0]
        try await agent.create(owner: lists.alice, posting: .members, history: .archive)
        try await agent.add(lists.bob)
        try await agent.add(lists.carol)
        let text = String(repeating: "x", count: 1024)
        func postCost(_ subject: String) async throws -> (blobs: Int, entry: Int) {
            // The files the post added (acknowledged key messages may be deleted meanwhile: not counted).
            let before = lists.listServerBlobs()
            _ = try await bob.post(Composition(to: [], subject: subject, text: text), to: list)
            let added = lists.listServerBlobs().filter { before[$0.key] == nil }.values.reduce(0, +)
            return (added, try ListCostTests.lastEntryBytes(server, list: list.text))
        }
        let small = try await postCost("post A")
        // A member's poll with nothing new (one signed index GET and its checks), timed at each size the
        // list reaches: 2 members, then 10, 100, 1,000 as far as `count` goes. A figure, not an assertion.
        var pollTimes: [String] = []
        func timePolls(members: Int) async throws {
            _ = try await bob.follow(list, openPosts: false)
            var samples: [Double] = []
            for _ in 0..<30 {
                let start = ContinuousClock.now
                _ = try await bob.follow(list, openPosts: false)
                let (seconds, attoseconds) = (ContinuousClock.now - start).components
                samples.append(Double(seconds) * 1000 + Double(attoseconds) / 1e15)
            }
            samples.sort()
            pollTimes.append(
                "\(members) members: p50 \(String(format: "%.2f", samples[15])) ms, p90 \(String(format: "%.2f", samples[27])) ms"
            )
        }
        try await timePolls(members: 2)
        let stages = Set([8, 98, 998, count].filter { $0 <= count })
        let started = Date()
        for index in 0..<count {
            // Names far apart, so that no member's card looks like another's (a look-alike is an alarm).
            let name = "m" + String(UInt64(index) &* 2_654_435_761 % 1_000_000_007, radix: 36) + "x\(index)"
            let address = try Address(parsing: "\(name)@c.test")
            let identity = try SecretIdentity.generate(
                addresses: [address], created: UInt64(Date().timeIntervalSince1970) - 60, validity: 86_400)
            try lists.world.servers[2].addUser(address.text, cardBytes: identity.card.encodedBytes)
            try await agent.add(address)
            if stages.contains(index + 1) { try await timePolls(members: index + 3) }
        }
        let adding = Date().timeIntervalSince(started)
        let large = try await postCost("post B")
        // The blobs are the same bytes; the entry differs only by its position's encoding (a larger uint).
        #expect(small.blobs > 1024 && small.blobs == large.blobs, "\(small) with 2 members, \(large) with \(count + 2)")
        #expect(large.entry >= small.entry && large.entry - small.entry <= 4, "\(small) then \(large)")

        // One poll: a public list's index after its first two entries holds the post alone.
        let publicList = try await ListClientTests.ListWorld.addList(lists, "open")
        do {
            try await publicList.create(owner: lists.alice, mode: .public, posting: .members, history: .archive)
            try await publicList.add(lists.bob)
            _ = try await bob.post(Composition(to: [], subject: "post C", text: text), to: publicList.list)
        } catch {
            await publicList.client.shutdown()
            throw error
        }
        await publicList.client.shutdown()
        let index = server.baseURL + "/lists/open@a.test/index"
        let first = try ListCostTests.answerBytes(index + "?limit=2")
        let cursor = try #require(
            (try JSONSerialization.jsonObject(with: Data(first.body.utf8)) as? [String: Any])?["cursor"] as? String)
        let poll = try ListCostTests.answerBytes(index + "?after=" + cursor)
        #expect(poll.body.contains("\"entries\":[\""), "\(poll.body)")
        // The comparison: the same text sent as one ordinary message to every member. Dialogue mail stores
        // it once too, but its envelope holds a stanza per recipient; SMTP (a Mailman list) sends and
        // stores a copy per member.
        func asMail(recipients: Int) async throws -> Int {
            let store = MemoryBlobStore()
            let sealer = MessageSealer(sender: lists.world.users[1], store: store)
            let draft = MessageDraft(
                recipients: (0..<recipients).map {
                    .init(address: try! Address(parsing: "r\($0)@c.test"), encryptionKey: X25519.PrivateKey().publicKey)
                }, date: UInt64(Date().timeIntervalSince1970), subject: "post A", parts: [.text(text)])
            let sealed = try await sealer.seal(draft)
            var total = sealed.envelopeBytes.count
            for part in sealed.signedManifest.manifest.parts {
                for chunk in part.chunks { total += await store.get(chunk)?.count ?? 0 }
            }
            return total
        }
        // At the list's size, and at 1,002 whatever the list's size (sealing needs no server).
        let sizes = Array(Set([2, min(count + 2, MessageLimits.maximumRecipients), 1_002])).sorted()
        var mail: [Int] = []
        for recipients in sizes { mail.append(try await asMail(recipients: recipients)) }
        #expect(mail == mail.sorted() && mail.first! < mail.last!, "a stanza per recipient: \(mail)")
        print(
            "list-cost: the same text as one ordinary message to every member: "
                + zip(sizes, mail).map { "\($1) bytes for \($0)" }.joined(separator: ", ")
                + " (a stanza each); over SMTP, a copy per member")
        print(
            "list-cost: a 1 KiB post stores \(small.blobs) blob bytes + a \(small.entry)-byte index entry with 2 members, "
                + "\(large.blobs) + \(large.entry) with \(count + 2) members (adding them took \(Int(adding)) s); "
                + "one poll answering that post is \(poll.bytes) bytes of JSON; a member's poll with nothing new: "
                + pollTimes.joined(separator: "; "))
    }
}

extension ListClientTests.ListWorld {
    /// Another list account on a.test, with its agent.
    static func addList(_ lists: ListClientTests.ListWorld, _ name: String) async throws -> ListAgent {
        let address = try Address(parsing: "\(name)@a.test")
        let identity = try SecretIdentity.generate(
            addresses: [address], created: UInt64(Date().timeIntervalSince1970) - 60, validity: 86_400)
        try lists.world.servers[0].addUser(address.text, cardBytes: identity.card.encodedBytes)
        return ListAgent(
            client: try MailClient(
                address: address, identity: identity, homeServer: try BaseURL(lists.world.servers[0].baseURL),
                peers: lists.world.peers, directory: try MailClientTests.temporaryDirectory()))
    }
}
