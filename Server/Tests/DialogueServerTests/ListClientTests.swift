import DialogueClient
import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import Foundation
import Testing

/// The list agent and the member side of DialogueClient against three real `dialogued` processes
/// (Spec: lists.md): the list `dev@a.test` lives on a.test; alice runs it, bob (b.test) and carol
/// (c.test) are members.
@Suite(.serialized) struct ListClientTests {
    /// A world of three servers with a list account on a.test and its agent.
    struct ListWorld {
        let world: MailClientTests.World
        let list: Address
        let agent: ListAgent
        let members: [MailClient]

        init(_ name: String = "dev") async throws {
            let world = try await MailClientTests.World()
            self.world = world
            list = try Address(parsing: "\(name)@a.test")
            let identity = try SecretIdentity.generate(
                addresses: [list], created: UInt64(Date().timeIntervalSince1970) - 60, validity: 86_400 * 30)
            try world.servers[0].addUser(list.text, cardBytes: identity.card.encodedBytes)
            let client = try MailClient(
                address: list, identity: identity, homeServer: try BaseURL(world.servers[0].baseURL),
                peers: world.peers, directory: try MailClientTests.temporaryDirectory())
            agent = ListAgent(client: client)
            members = try (0..<3).map { try world.client($0) }
        }

        /// A user registered on server `server` now, with a client of its own.
        func newMember(_ text: String, server: Int) async throws -> MailClient {
            let address = try Address(parsing: text)
            let identity = try SecretIdentity.generate(
                addresses: [address], created: UInt64(Date().timeIntervalSince1970) - 60, validity: 86_400)
            try world.servers[server].addUser(address.text, cardBytes: identity.card.encodedBytes)
            return try MailClient(
                address: address, identity: identity, homeServer: try BaseURL(world.servers[server].baseURL),
                peers: world.peers, directory: try MailClientTests.temporaryDirectory())
        }

        var alice: Address { world.users[0].card.addresses[0] }
        var bob: Address { world.users[1].card.addresses[0] }
        var carol: Address { world.users[2].card.addresses[0] }

        func shutdown() async {
            await agent.client.shutdown()
            for member in members { await member.shutdown() }
            world.remove()
        }

        /// Follows until `count` posts are opened on `member`'s device (the epoch keys travel as mail).
        func followUntilOpened(_ member: MailClient, count: Int, seconds: Double = 30) async throws -> [ListPostSummary]
        {
            let deadline = Date().addingTimeInterval(seconds)
            while true {
                try await member.follow(list)
                let posts = try await member.store.listPosts(list)
                if posts.filter({ $0.state == "opened" }).count >= count || Date() > deadline { return posts }
                try await Task.sleep(for: .milliseconds(200))
            }
        }

        /// The blob files the list's server holds, by name, with their sizes.
        func listServerBlobs() -> [String: Int] {
            let root = world.servers[0].data + "/blobs"
            var blobs: [String: Int] = [:]
            for shard in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] {
                for file in (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + shard)) ?? [] {
                    let attributes = try? FileManager.default.attributesOfItem(atPath: root + "/" + shard + "/" + file)
                    blobs[file] = (attributes?[.size] as? Int) ?? 0
                }
            }
            return blobs
        }
    }

    @Test(
        "list-keys-to-members, list-post-seal, list-post-open, list-epoch-roll, list-ep-index: two members read a post with the author's verdict; a removed member is refused (403) and holds no key of later epochs; a member added later reads the archive"
    )
    func membersReadARemovedMemberIsLockedOutALateMemberReadsTheArchive() async throws {
        let lists = try await ListWorld()
        do {
            try await scenario(lists)
        } catch {
            await lists.shutdown()
            throw error
        }
        await lists.shutdown()
    }

    func scenario(_ lists: ListWorld) async throws {
        let (agent, list) = (lists.agent, lists.list)
        let (bob, carol) = (lists.members[1], lists.members[2])
        try await agent.create(owner: lists.alice, posting: .members, history: .archive)
        try await agent.add(lists.bob)
        try await agent.add(lists.carol)

        let hello = try await bob.post(Composition(to: [], subject: "Hello list", text: "hi all"), to: list)
        #expect(!hello.held)
        for member in [bob, carol] {
            let posts = try await lists.followUntilOpened(member, count: 1)
            let post = try #require(posts.first)
            #expect(post.state == "opened", "\(post)")
            #expect(post.author == lists.bob && post.subject == "Hello list")
            #expect(post.messageID == hello.messageID)
            let read = try await member.readListPost(list, position: post.position)
            #expect(try await read.parts[0].readAll() == Array("hi all".utf8))
        }
        // bob's keys (the list's first message) were kept at his home, then acknowledged: the list's server deleted them.
        let keys = try await MailClientTests.World.statusOnceDeleted(1, of: agent.client, seconds: 15)
        #expect(keys.gone, "\(keys)")
        // carol had never heard of bob: the verdict is the author's first contact, never the list's.
        #expect(try await carol.store.listPosts(list).first?.verdict == "first-contact")
        // The post shows in the thread index beside ordinary mail.
        #expect(try await carol.thread(hello.messageID).map(\.sender) == [lists.bob.text])

        // bob is removed: the epoch rolls; carol's next post is sealed to epoch 1.
        let removal = try await agent.remove(lists.bob)
        #expect(removal.epoch == 1)
        try await Task.sleep(for: .milliseconds(500))
        let after = try await carol.post(Composition(to: [], subject: "After bob", text: "later"), to: list)
        #expect(after.post.epoch == 1)
        await #expect(throws: ClientError.self) { try await bob.follow(list) }
        do { try await bob.follow(list) } catch let error as ClientError { #expect(error.status == 403, "\(error)") }
        try await bob.sync()
        _ = try? await bob.follow(list)
        #expect(try await bob.store.heldEpochs(list) == [0], "bob never receives epoch 1")
        #expect(try await lists.followUntilOpened(carol, count: 2).filter { $0.state == "opened" }.count == 2)

        // dave (b.test) joins later; the history is the whole archive: he reads both posts.
        let dave = try await lists.newMember("dave@b.test", server: 1)
        defer { Task { await dave.shutdown() } }
        try await agent.add(dave.address)
        let archive = try await lists.followUntilOpened(dave, count: 2)
        #expect(archive.map(\.subject) == ["Hello list", "After bob"], "\(archive)")
        #expect(try await dave.store.heldEpochs(list) == [0, 1])
        let members = try await agent.members()
        #expect(Set(members.members.map(\.address)) == [lists.carol.text, "dave@b.test"])
        #expect(members.epoch == 1)
    }

    @Test(
        "list-ep-info-author, list-ep-post, list-policy-check: a non-member posts from the list's information (open: appended, read by members with the author's verdict; moderated: held; members only: 403, nothing kept), and a former member posts to an open list"
    )
    func aNonMemberPostsAsThePolicySays() async throws {
        let lists = try await ListWorld("open")
        let erin = try await lists.newMember("erin@c.test", server: 2)
        do {
            let (agent, list, bob, carol) = (lists.agent, lists.list, lists.members[1], lists.members[2])
            try await agent.create(owner: lists.alice, posting: .open, history: .archive)
            try await agent.add(lists.bob)
            try await agent.add(lists.carol)
            // erin never followed the list and is no member: she learns the epoch from GET /lists/{list}.
            let stranger = try await erin.post(Composition(to: [], subject: "From outside", text: "hello"), to: list)
            #expect(!stranger.held && stranger.post.epoch == 0 && stranger.uploaded == 2, "\(stranger)")
            let read = try await lists.followUntilOpened(bob, count: 1)
            #expect(read.map(\.author) == [erin.address] && read.first?.verdict == "first-contact", "\(read)")
            // carol is removed (the key rolls to epoch 1); her device follows the list, gets 403, and
            // posts as the stranger she now is, sealed to the new epoch she cannot read.
            try await carol.follow(list)
            #expect(try await agent.remove(lists.carol).epoch == 1)
            let former = try await carol.post(Composition(to: [], subject: "Still here", text: "bye"), to: list)
            #expect(former.post.epoch == 1, "\(former)")
            #expect(try await carol.store.heldEpochs(list) == [0])
            let both = try await lists.followUntilOpened(bob, count: 2)
            #expect(both.map(\.subject) == ["From outside", "Still here"], "\(both)")

            // Moderated: erin's post is held for the owner.
            try await agent.setPolicy(posting: .moderated)
            let held = try await erin.post(Composition(to: [], subject: "Hold me", text: "?"), to: list)
            #expect(held.held)
            #expect(try await agent.held().map(\.post.envelope) == [held.post.envelope])

            // Members only: refused, and none of her blobs is kept.
            try await agent.setPolicy(posting: .members)
            let blobs = lists.listServerBlobs()
            do {
                _ = try await erin.post(Composition(to: [], subject: "Refused", text: "no"), to: list)
                Issue.record("a non-member's post to a members-only list was accepted")
            } catch let error as ClientError {
                #expect(error.status == 403 && error.code.name == "forbidden", "\(error)")
            }
            #expect(lists.listServerBlobs() == blobs)
        } catch {
            await erin.shutdown()
            await lists.shutdown()
            throw error
        }
        await erin.shutdown()
        await lists.shutdown()
    }

    @Test("list-ep-held, list-policy-check: a post to a moderated list is held (202) until the owner approves it")
    func aModeratedPostIsHeldAndApproved() async throws {
        let lists = try await ListWorld("mod")
        do {
            let (agent, list, bob, carol) = (lists.agent, lists.list, lists.members[1], lists.members[2])
            try await agent.create(owner: lists.alice, posting: .moderated, history: .archive)
            try await agent.add(lists.bob)
            try await agent.add(lists.carol)
            let report = try await bob.post(Composition(to: [], subject: "Moderate me", text: "please"), to: list)
            #expect(report.held)
            let held = try await agent.held()
            #expect(held.map(\.post.envelope) == [report.post.envelope])
            try await carol.follow(list)
            #expect(try await carol.store.listPosts(list).isEmpty, "nothing is appended before the approval")
            try await agent.approve(report.post.envelope)
            #expect(try await agent.held().isEmpty)
            let posts = try await lists.followUntilOpened(carol, count: 1)
            #expect(posts.map(\.subject) == ["Moderate me"])
        } catch {
            await lists.shutdown()
            throw error
        }
        await lists.shutdown()
    }

    @Test(
        "list-epoch-roll, list-keys-to-members, list-post-open: under history 'joining' a late member's joining rolls the key; it reads from its joining on, and an earlier post says 'posted before you could read this list', not damaged"
    )
    func underHistoryJoiningALateMemberReadsFromItsJoining() async throws {
        let lists = try await ListWorld("recent")
        do {
            let (agent, list, bob, carol) = (lists.agent, lists.list, lists.members[1], lists.members[2])
            try await agent.create(owner: lists.alice, posting: .members, history: .joining)
            try await agent.add(lists.bob)
            _ = try await bob.post(Composition(to: [], subject: "Before carol", text: "one"), to: list)
            let joined = try await agent.add(lists.carol)
            #expect(joined.epoch == 1, "joining rolls the key under history 1")
            let later = try await bob.post(Composition(to: [], subject: "With carol", text: "two"), to: list)
            #expect(later.post.epoch == 1)
            let posts = try await lists.followUntilOpened(carol, count: 1)
            #expect(posts.map(\.state) == ["posted before you could read this list", "opened"], "\(posts)")
            #expect(try await carol.store.heldEpochs(list) == [1])
            // bob, a member across the roll, received epoch 1 too and reads both.
            #expect(try await lists.followUntilOpened(bob, count: 2).map(\.state) == ["opened", "opened"])
        } catch {
            await lists.shutdown()
            throw error
        }
        await lists.shutdown()
    }
}
