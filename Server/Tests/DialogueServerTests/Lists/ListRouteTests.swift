import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import DialogueServer
import DialogueServerStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The list routes over real HTTP on loopback (Spec: lists.md#list-endpoints): every route's success and
/// its refusals, the three posting policies, a removed member, the long poll and the cache headers.
@Suite struct ListRouteTests {
    @Test("[list-ep-create] [list-ep-info] [list-limits-before-read] a list is created by its own account, once")
    func creating() async throws {
        let harness = try await ListHarness()
        let descriptor = try harness.descriptor()
        try await harness.application.test(.live) { client in
            let path = harness.path
            #expect(try await harness.send(client, .get, path, as: nil).problem == "not-found")
            let big = try await client.execute(
                uri: base + "/lists", method: .post, body: ByteBuffer(bytes: [UInt8](repeating: 0, count: 2049)))
            #expect(big.status.code == 413)
            #expect(big.problem == "limits-exceeded")
            // Another user may not create a list in the list's name.
            let other = try await harness.send(
                client, .post, "/lists", as: harness.mail.alice, body: descriptor.encodedBytes)
            #expect(other.status.code == 403)
            #expect(other.problem == "address-mismatch")
            // A descriptor signed by a key that is not the account's.
            let stranger = try harness.descriptor(key: Ed25519.SigningKey())
            let wrongKey = try await harness.send(
                client, .post, "/lists", as: harness.list, body: stranger.encodedBytes)
            #expect(wrongKey.problem == "unknown-key")
            #expect(
                try await harness.send(client, .post, "/lists", as: harness.list, body: [0x80]).problem == "malformed")
            let created = try await harness.send(
                client, .post, "/lists", as: harness.list, body: descriptor.encodedBytes)
            #expect(created.status == .created)
            let again = try await harness.send(client, .post, "/lists", as: harness.list, body: descriptor.encodedBytes)
            #expect(again.status == .ok)
            let info = try await harness.send(client, .get, path, as: nil)
            #expect(info.status == .ok)
            #expect(info.headers[.contentType] == "application/cbor")
            let decoded = try ListInfo(decoding: info.bytes)
            #expect(decoded.descriptor == descriptor.encodedBytes)
            #expect(decoded.latestEvent == nil)
            #expect(try await harness.send(client, .get, "/lists/Not%20An%20Address", as: nil).problem == "malformed")
            let wrongMethod = try await harness.send(client, .delete, path + "/index", as: nil)
            #expect(wrongMethod.status.code == 405)
            #expect(wrongMethod.problem == "method-not-allowed")
            let (entries, _) = try await harness.index(client, as: harness.list)
            #expect(entries.map(\.position) == [1])
            #expect(entries.first?.kind == .descriptor)
            #expect(entries.first?.object == descriptor.encodedBytes)
        }
    }

    @Test(
        "[list-event-verify] [list-members-state] [list-ep-members] [list-member-request] membership by the owner only")
    func membership() async throws {
        let harness = try await ListHarness()
        let (bob, erin, alice) = (harness.mail.bob, harness.mail.erin, harness.mail.alice)
        try await harness.application.test(.live) { client in
            try await harness.setUp(client, members: [])
            let path = harness.path + "/members"
            let joined = try harness.event(1, .joined, epoch: 0, member: bob)
            // A user of this server who is not the list's account: forbidden. A stranger: no key to check.
            #expect(
                try await harness.send(client, .post, path, as: alice, body: joined.encodedBytes).problem == "forbidden"
            )
            #expect(
                try await harness.send(client, .post, path, as: bob, body: joined.encodedBytes).problem == "unknown-key"
            )
            let tooBig = try await client.execute(
                uri: base + path, method: .post, body: ByteBuffer(bytes: [UInt8](repeating: 0, count: 1025)))
            #expect(tooBig.status.code == 413)
            #expect(
                try await harness.send(client, .post, path, as: harness.list, body: joined.encodedBytes).status
                    == .created)
            #expect(
                try await harness.send(client, .post, path, as: harness.list, body: joined.encodedBytes).status == .ok)
            // [list-members-state]: bob is a member already; erin is not one to remove.
            let twice = try harness.event(2, .joined, epoch: 0, member: bob)
            #expect(
                try await harness.send(client, .post, path, as: harness.list, body: twice.encodedBytes).problem
                    == "malformed")
            let notMember = try harness.event(2, .removed, epoch: 1, member: erin)
            #expect(
                try await harness.send(client, .post, path, as: harness.list, body: notMember.encodedBytes).problem
                    == "malformed")
            // A serial that skips one: [list-event-verify] step 7.
            let skipped = try harness.event(3, .joined, epoch: 0, member: erin)
            #expect(
                try await harness.send(client, .post, path, as: harness.list, body: skipped.encodedBytes).problem
                    == "malformed")
            let erinJoins = try harness.event(2, .joined, epoch: 0, member: erin)
            #expect(
                try await harness.send(client, .post, path, as: harness.list, body: erinJoins.encodedBytes).status
                    == .created)
            let members = try await harness.send(client, .get, path, as: bob)
            #expect(members.status == .ok)
            let listed = members.json["members"] as? [[String: Any]] ?? []
            #expect(listed.compactMap { $0["address"] as? String } == ["bob@example.net", "erin@example.org"])
            #expect(listed.compactMap { $0["joined"] as? Int } == [2, 3])
            #expect(listed.first?["fingerprint"] as? String == bob.card.fingerprint.text(kind: .identityKey))
            #expect(members.json["epoch"] as? Int == 0)
            #expect(try await harness.send(client, .get, path, as: alice).problem == "forbidden")
            #expect(try await harness.send(client, .get, path, as: nil).problem == "malformed")
            let info = try ListInfo(decoding: try await harness.send(client, .get, harness.path, as: nil).bytes)
            #expect(info.latestEvent == erinJoins.encodedBytes)
        }
    }

    @Test("[list-ep-post] [list-policy-check] members only: 409 until every blob is held, then 201, then 200")
    func postingAsAMember() async throws {
        let harness = try await ListHarness()
        let (bob, alice) = (harness.mail.bob, harness.mail.alice)
        let envelope = Array("bob's envelope".utf8)
        let chunk = Array("bob's chunk".utf8)
        try await harness.application.test(.live) { client in
            try await harness.setUp(client, members: [bob])
            let request = try harness.post(by: bob, envelope: envelope, chunks: [chunk], epoch: 0)
            let posts = harness.path + "/posts"
            #expect(try await harness.upload(client, [envelope], as: bob) == [201])
            #expect(try await harness.upload(client, [envelope], as: bob) == [200])
            // Not a member: may not upload.
            #expect(try await harness.upload(client, [chunk], as: alice) == [403])
            let missing = try await harness.send(client, .post, posts, as: bob, body: request.encodedBytes)
            #expect(missing.status.code == 409)
            #expect(missing.problem == "missing-blobs")
            #expect(missing.json["blobs"] as? [String] == [blobID(chunk).text(kind: .blob)])
            #expect(try await harness.upload(client, [chunk], as: bob) == [201])
            #expect(
                try await harness.send(client, .post, posts, as: bob, body: request.encodedBytes).status == .created)
            #expect(try await harness.send(client, .post, posts, as: bob, body: request.encodedBytes).status == .ok)
            let served = try await client.execute(
                uri: base + "/blobs/" + blobID(envelope).text(kind: .blob), method: .get)
            #expect(served.status == .ok)
            #expect(served.bytes == envelope)
            // [list-policy-check]: a user who is not a member is refused, and nothing of it is kept.
            let other = Array("alice's envelope".utf8)
            let alices = try harness.post(by: alice, envelope: other, epoch: 0)
            #expect(
                try await harness.send(client, .post, posts, as: alice, body: alices.encodedBytes).problem
                    == "forbidden")
            // [list-post-verify] step 7: a post sealed to another epoch is expired.
            let late = try harness.post(by: bob, envelope: Array("later".utf8), epoch: 1)
            #expect(try await harness.send(client, .post, posts, as: bob, body: late.encodedBytes).problem == "expired")
            // A post signed by bob sent in erin's name.
            let erins = try await harness.send(client, .post, posts, as: harness.mail.erin, body: request.encodedBytes)
            #expect(erins.problem == "address-mismatch")
            let (entries, answer) = try await harness.index(client, as: bob)
            #expect(entries.map(\.kind) == [.descriptor, .event, .post])
            #expect(entries.last?.object == request.post)
            #expect(answer.json["cursor"] as? String == "c-3")
            #expect(answer.headers[.cacheControl] == "private, no-store")
            let tooMany = try await client.execute(
                uri: base + posts, method: .post,
                body: ByteBuffer(bytes: [UInt8](repeating: 0, count: ListPostRequest.maximumSize + 1)))
            #expect(tooMany.status.code == 413)
        }
    }

    @Test(
        "[list-ep-index] [list-epoch-roll] a removed member's polls are 403; a long poll wakes when an entry is appended"
    )
    func removalAndLongPoll() async throws {
        let harness = try await ListHarness()
        let (bob, erin) = (harness.mail.bob, harness.mail.erin)
        try await harness.application.test(.live) { client in
            try await harness.setUp(client, members: [bob, erin])
            let (entries, first) = try await harness.index(client, "?limit=2", as: bob)
            #expect(entries.map(\.position) == [1, 2])
            let cursor = try #require(first.json["cursor"] as? String)
            #expect(
                try await harness.send(client, .get, harness.path + "/index?limit=0", as: bob).problem == "malformed")
            #expect(
                try await harness.send(client, .get, harness.path + "/index?wait=61", as: bob).problem == "malformed")
            #expect(
                try await harness.send(client, .get, harness.path + "/index?after=c-99", as: bob).problem == "malformed"
            )
            #expect(
                try await harness.send(client, .get, harness.path + "/index?after=x", as: bob).problem == "malformed")
            let (rest, _) = try await harness.index(client, "?after=" + cursor, as: bob, after: 2)
            #expect(rest.map(\.position) == [3])
            // A poll that waits, woken by the removal of erin.
            let started = ContinuousClock.now
            async let woken = harness.index(client, "?after=c-3&wait=30", as: bob, after: 3)
            try await Task.sleep(for: .milliseconds(300))
            // The test client has one connection, which the poll holds: the event comes on another.
            let removed = try harness.event(3, .removed, epoch: 1, member: erin)
            let status = try await harness.sendAside(
                port: try #require(client.port), .post, harness.path + "/members", as: harness.list,
                body: removed.encodedBytes)
            #expect(status == 201)
            let (appended, _) = try await woken
            #expect(appended.map(\.position) == [4])
            #expect(ContinuousClock.now - started < .seconds(10))
            // erin's request now: a former member.
            let refused = try await harness.send(client, .get, harness.path + "/index", as: erin)
            #expect(refused.status.code == 403)
            #expect(refused.problem == "forbidden")
            #expect(try await harness.send(client, .get, harness.path + "/members", as: erin).problem == "forbidden")
            let post = try harness.post(by: erin, envelope: Array("erin".utf8), epoch: 1)
            #expect(try await harness.upload(client, [Array("erin".utf8)], as: erin) == [403])
            #expect(
                try await harness.send(client, .post, harness.path + "/posts", as: erin, body: post.encodedBytes)
                    .problem
                    == "forbidden")
            // An empty poll answers its own cursor.
            let (none, empty) = try await harness.index(client, "?after=c-4", as: bob, after: 4)
            #expect(none.isEmpty)
            #expect(empty.json["cursor"] as? String == "c-4")
        }
    }

    @Test("[list-descriptor-revision] [list-ep-held] moderated: held, approved by the owner, or rejected and dropped")
    func moderation() async throws {
        let harness = try await ListHarness()
        let (bob, erin) = (harness.mail.bob, harness.mail.erin)
        try await harness.application.test(.live) { client in
            try await harness.setUp(client, members: [bob, erin])
            let policy = harness.path + "/policy"
            let moderated = try harness.descriptor(posting: .moderated, revision: 2)
            #expect(
                try await harness.send(client, .put, policy, as: bob, body: moderated.encodedBytes).problem
                    == "forbidden")
            #expect(
                try await harness.send(client, .put, policy, as: harness.list, body: moderated.encodedBytes).status
                    == .ok)
            #expect(
                try await harness.send(client, .put, policy, as: harness.list, body: moderated.encodedBytes).status
                    == .ok)
            let sameRevision = try harness.descriptor(posting: .open, revision: 2)
            #expect(
                try await harness.send(client, .put, policy, as: harness.list, body: sameRevision.encodedBytes).problem
                    == "malformed")
            let otherMode = try harness.descriptor(mode: .public, revision: 3)
            #expect(
                try await harness.send(client, .put, policy, as: harness.list, body: otherMode.encodedBytes).problem
                    == "malformed")
            let kept = Array("a post to keep".utf8)
            let dropped = Array("a post to drop".utf8)
            #expect(try await harness.upload(client, [kept], as: bob) == [201])
            #expect(try await harness.upload(client, [dropped], as: erin) == [201])
            let keep = try harness.post(by: bob, envelope: kept, epoch: 0)
            let drop = try harness.post(by: erin, envelope: dropped, epoch: 0)
            let posts = harness.path + "/posts"
            #expect(try await harness.send(client, .post, posts, as: bob, body: keep.encodedBytes).status == .accepted)
            #expect(try await harness.send(client, .post, posts, as: bob, body: keep.encodedBytes).status == .ok)
            #expect(try await harness.send(client, .post, posts, as: erin, body: drop.encodedBytes).status == .accepted)
            let heldPath = harness.path + "/held"
            #expect(try await harness.send(client, .get, heldPath, as: bob).problem == "forbidden")
            let held = try await harness.send(client, .get, heldPath, as: harness.list)
            let listed = held.json["held"] as? [[String: Any]] ?? []
            #expect(listed.compactMap { $0["post"] as? String }.count == 2)
            #expect(listed.first?["chunks"] as? [String] == [])
            let approve = heldPath + "/" + blobID(kept).text(kind: .blob) + "/approve"
            #expect(try await harness.send(client, .post, approve, as: bob).problem == "forbidden")
            #expect(try await harness.send(client, .post, approve, as: harness.list).status == .created)
            #expect(try await harness.send(client, .post, approve, as: harness.list).problem == "not-found")
            let reject = heldPath + "/" + blobID(dropped).text(kind: .blob)
            #expect(try await harness.send(client, .delete, reject, as: harness.list).status == .noContent)
            #expect(try await harness.send(client, .delete, reject, as: harness.list).problem == "not-found")
            #expect(
                try await harness.send(client, .delete, heldPath + "/blob-nope", as: harness.list).problem
                    == "malformed")
            #expect(harness.mail.files.size(of: blobID(dropped)) == nil)
            let gone = try await client.execute(uri: base + "/blobs/" + blobID(dropped).text(kind: .blob), method: .get)
            #expect(gone.status.code == 410)
            let (entries, _) = try await harness.index(client, as: bob)
            #expect(entries.map(\.kind) == [.descriptor, .event, .event, .descriptor, .post])
            #expect(entries.last?.object == keep.post)
        }
    }

    @Test(
        "[list-ep-post] [list-policy-check] open: a stranger posts, uploading its blobs after the 409 with its post's key"
    )
    func openPosting() async throws {
        let harness = try await ListHarness()
        let carol = harness.carol
        let envelope = Array("carol's envelope".utf8)
        try await harness.application.test(.live) { client in
            try await harness.setUp(client, posting: .open, members: [harness.mail.bob])
            // Before any post, carol has no key the server knows.
            #expect(try await harness.upload(client, [envelope], as: carol) == [401])
            let request = try harness.post(by: carol, envelope: envelope, epoch: 0)
            let posts = harness.path + "/posts"
            let missing = try await harness.send(client, .post, posts, as: carol, body: request.encodedBytes)
            #expect(missing.problem == "missing-blobs")
            // Another blob than the pending post's is not hers to upload.
            #expect(try await harness.upload(client, [Array("other".utf8)], as: carol) == [403])
            #expect(try await harness.upload(client, [envelope], as: carol) == [201])
            #expect(
                try await harness.send(client, .post, posts, as: carol, body: request.encodedBytes).status == .created)
            // A stranger's post that does not verify is answered with the post's own failure.
            let late = try harness.post(by: carol, envelope: Array("x".utf8), epoch: 5)
            #expect(
                try await harness.send(client, .post, posts, as: carol, body: late.encodedBytes).problem == "expired")
        }
    }

    @Test("[list-index-cache] a public list is read unsigned; a full page is immutable, a short one no-cache")
    func publicCache() async throws {
        let harness = try await ListHarness()
        try await harness.application.test(.live) { client in
            try await harness.setUp(client, mode: .public, members: [harness.mail.bob])
            let (full, fullAnswer) = try await harness.index(client, "?limit=2", as: nil)
            #expect(full.count == 2)
            #expect(fullAnswer.headers[.cacheControl] == "public, max-age=31536000, immutable")
            let (short, shortAnswer) = try await harness.index(client, "?limit=3", as: nil)
            #expect(short.count == 2)
            #expect(shortAnswer.headers[.cacheControl] == "no-cache")
            let members = try await harness.send(client, .get, harness.path + "/members", as: nil)
            #expect(members.status == .ok)
            // A signature changes nothing on a public list's read.
            let (_, signed) = try await harness.index(client, as: harness.mail.bob)
            #expect(signed.headers[.cacheControl] == "no-cache")
        }
    }

    @Test("[list-index-append-only] list blobs are never swept, even when the mail message that shared one is deleted")
    func neverSwept() async throws {
        let harness = try await ListHarness()
        let bob = harness.mail.bob
        let shared = Array("an envelope both a message and a post name".utf8)
        try await harness.application.test(.live) { client in
            try await harness.setUp(client, members: [bob])
            // alice's message names the blob and is delivered and acknowledged: its blobs go.
            try await harness.mail.publish(envelope: shared, chunks: [], with: client)
            #expect(try await harness.upload(client, [shared], as: bob) == [200])
            let request = try harness.post(by: bob, envelope: shared, epoch: 0)
            #expect(
                try await harness.send(client, .post, harness.path + "/posts", as: bob, body: request.encodedBytes)
                    .status == .created)
            let deleted = try await harness.mail.store.acknowledge(
                envelope: blobID(shared), recipient: bob.address.text, at: harness.now)
            #expect(deleted.0 == .recorded)
            #expect(deleted.deleted.isEmpty)
            harness.mail.clock.advance(by: 400 * 86_400)
            #expect(try await harness.mail.service.sweep() == 0)
            #expect(try await harness.mail.service.startupSweep() == 0)
            let served = try await client.execute(
                uri: base + "/blobs/" + blobID(shared).text(kind: .blob), method: .get)
            #expect(served.status == .ok)
            #expect(served.bytes == shared)
        }
    }

    @Test("[list-index-append-only] [dlv-durable] on SQLite, a list, its index and its members survive a reopen")
    func durableOnSQLite() async throws {
        let harness = try await ListHarness(sqlite: true)
        let bob = harness.mail.bob
        let envelope = Array("durable".utf8)
        try await harness.application.test(.live) { client in
            try await harness.setUp(client, members: [bob])
            #expect(try await harness.upload(client, [envelope], as: bob) == [201])
            let request = try harness.post(by: bob, envelope: envelope, epoch: 0)
            #expect(
                try await harness.send(client, .post, harness.path + "/posts", as: bob, body: request.encodedBytes)
                    .status == .created)
        }
        let reopened = try SQLiteMailStore(path: harness.mail.files.root + "/mail.sqlite")
        let entries = try await reopened.listEntries(list: "dev@example.org", after: 0, limit: 10)
        #expect(entries.map(\.position) == [1, 2, 3])
        #expect(try await reopened.list("dev@example.org")?.length == 3)
        #expect(try await reopened.listMember(list: "dev@example.org", address: "bob@example.net")?.current == true)
        #expect(try await reopened.blobState(blobID(envelope)) == .live(size: envelope.count))
    }

    @Test(
        "[list-one-copy] a post costs one entry and its blobs, whatever the number of members; a poll reads from its cursor"
    )
    func oneCopy() async throws {
        let harness = try await ListHarness(sqlite: true)
        let members =
            [harness.mail.bob] + (try (0..<40).map { try TestUser("member\($0)@example.net", now: harness.now) })
        let envelope = Array("one copy".utf8)
        try await harness.application.test(.live) { client in
            try await harness.setUp(client, members: members)
            let before = try await harness.mail.store.list("dev@example.org")
            #expect(try await harness.upload(client, [envelope], as: harness.mail.bob) == [201])
            let request = try harness.post(by: harness.mail.bob, envelope: envelope, epoch: 0)
            #expect(
                try await harness.send(
                    client, .post, harness.path + "/posts", as: harness.mail.bob, body: request.encodedBytes
                )
                .status == .created)
            let after = try await harness.mail.store.list("dev@example.org")
            #expect(after?.length == (before?.length ?? 0) + 1)
            let entries = try await harness.mail.store.listEntries(
                list: "dev@example.org", after: before?.length ?? 0, limit: 10)
            #expect(entries.count == 1)
            // The entry is the only thing a post adds besides its blob: a few hundred bytes, never per member.
            #expect(entries[0].bytes.count <= ListEntry.maximumSize)
            #expect(entries[0].bytes.count < 600)
            #expect(try await harness.mail.store.listMembers(list: "dev@example.org").count == members.count)
            // A poll after the cursor reads only what follows it.
            let (tail, _) = try await harness.index(
                client, "?after=c-\(before?.length ?? 0)", as: harness.mail.bob, after: before?.length ?? 0)
            #expect(tail.count == 1)
        }
    }
}
