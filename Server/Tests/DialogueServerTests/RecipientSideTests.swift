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

/// The recipient's server over HTTP: notifications, the inbox, keep, the user's acknowledgement, deletion of entries.
@Suite struct RecipientSideTests {
    func notify(
        _ client: some TestClientProtocol, _ harness: MailHarness, _ notification: DialogueDelivery.Notification
    ) async throws -> TestResponse {
        try await harness.notify(client, notification)
    }

    func list(_ client: some TestClientProtocol, _ harness: MailHarness, _ query: String, as user: TestUser? = nil)
        async throws -> TestResponse
    {
        try await harness.list(client, query, as: user)
    }

    @Test(
        "[dlv-notification-idempotent] [dlv-abuse-unknown] a notification is 202, its repeat 200 and adds nothing; an unknown user is 404, another domain 403"
    )
    func notifications() async throws {
        let harness = try await MailHarness()
        try await harness.application.test(.router) { client in
            let notification = try harness.notification(to: "alice@example.org", envelope: Array("one".utf8))
            #expect(try await notify(client, harness, notification).status == .accepted)
            #expect(try await harness.store.inbox(recipient: "alice@example.org", after: nil, limit: 10).count == 1)
            #expect(try await notify(client, harness, notification).status == .ok)
            #expect(try await harness.store.inbox(recipient: "alice@example.org", after: nil, limit: 10).count == 1)
            let unknown = try await notify(
                client, harness, try harness.notification(to: "nobody@example.org", envelope: Array("two".utf8)))
            #expect(unknown.status == .notFound)
            #expect(unknown.problem == "unknown-recipient")
            #expect(try await harness.store.inbox(recipient: "nobody@example.org", after: nil, limit: 10).isEmpty)
            let elsewhere = try await notify(
                client, harness, try harness.notification(to: "carol@example.com", envelope: Array("three".utf8)))
            #expect(elsewhere.status == .forbidden)
            #expect(elsewhere.problem == "address-mismatch")
            // A user cannot post a notification: the endpoint takes a server's request.
            let bytes = notification.encodedBytes
            let byUser = try await client.execute(
                uri: base + "/notifications", method: .post,
                headers: try harness.user(harness.alice, "POST", "/notifications", body: bytes),
                body: ByteBuffer(bytes: bytes))
            #expect(byUser.status == .forbidden)
        }
    }

    @Test("[dlv-inbox-cursor] the inbox pages by an opaque cursor, with no entry skipped or repeated")
    func cursorPaging() async throws {
        let harness = try await MailHarness()
        try await harness.application.test(.router) { client in
            for index in 0..<5 {
                let envelope = Array("message \(index)".utf8)
                #expect(
                    try await notify(
                        client, harness, try harness.notification(to: "alice@example.org", envelope: envelope)
                    ).status == .accepted)
                // Entries of another user interleave and must not appear.
                _ = try await notify(
                    client, harness, try harness.notification(to: "erin@example.org", envelope: envelope))
            }
            var seen: [String] = []
            var query = "?limit=2"
            for _ in 0..<4 {
                let page = try await list(client, harness, query)
                #expect(page.status == .ok)
                let entries = try #require(page.json["entries"] as? [[String: Any]])
                seen += entries.compactMap { $0["entry"] as? String }
                let cursor = try #require(page.json["cursor"] as? String)
                query = "?limit=2&after=" + cursor
                if entries.isEmpty { #expect(cursor == (query.components(separatedBy: "after=").last ?? "")) }
            }
            #expect(seen.count == 5)
            #expect(Set(seen).count == 5)
            // The notification is the exact bytes, in unpadded base64url.
            let first = try #require((try await list(client, harness, "?limit=1")).json["entries"] as? [[String: Any]])
            #expect((first.first?["notification"] as? String)?.contains("=") == false)
            // A malformed or unknown cursor is 400.
            #expect(try await list(client, harness, "?after=bogus").problem == "malformed")
            #expect(try await list(client, harness, "?after=c-999999").problem == "malformed")
            #expect(try await list(client, harness, "?limit=0").status == .badRequest)
            #expect(try await list(client, harness, "?wait=61").status == .badRequest)
        }
    }

    @Test("[dlv-inbox-wait] a long poll with nothing new is woken by a notification, long before its 30 s wait ends")
    func longPoll() async throws {
        let harness = try await MailHarness()
        try await harness.application.test(.router) { client in
            let empty = try await list(client, harness, "")
            let cursor = try #require(empty.json["cursor"] as? String)
            let started = ContinuousClock.now
            async let poll = list(client, harness, "?wait=30&after=" + cursor)
            try await Task.sleep(for: .milliseconds(300))
            #expect(
                try await notify(
                    client, harness, try harness.notification(to: "alice@example.org", envelope: Array("late".utf8))
                )
                .status == .accepted)
            let answer = try await poll
            let elapsed = ContinuousClock.now - started
            #expect((answer.json["entries"] as? [[String: Any]])?.count == 1)
            // Woken, not timed out: half the wait, so that a loaded machine cannot make it fail.
            #expect(elapsed < .seconds(15))
            // With nothing arriving, the poll ends after `wait` with the same cursor.
            let next = try #require(answer.json["cursor"] as? String)
            let quiet = try await list(client, harness, "?wait=1&after=" + next)
            #expect(quiet.json["cursor"] as? String == next)
            #expect((quiet.json["entries"] as? [[String: Any]])?.isEmpty == true)
        }
    }

    @Test(
        "[dlv-keep] keep fetches the listed blobs from the sender's server once, then serves them; the acknowledgement is stored for relay, a repeat is 200; DELETE removes the entry (memory and SQLite stores)",
        arguments: [false, true]
    )
    func keepAcknowledgeDelete(sqlite: Bool) async throws {
        let harness = try await MailHarness(sqlite: sqlite)
        try await harness.application.test(.router) { client in
            let envelope = Array("kept envelope".utf8)
            harness.fetcher.add(envelope)
            let notification = try harness.notification(to: "alice@example.org", envelope: envelope)
            _ = try await notify(client, harness, notification)
            let entries = try #require((try await list(client, harness, "")).json["entries"] as? [[String: Any]])
            let entry = try #require(entries.first?["entry"] as? String)
            let keepBody = Array("{\"blobs\": [\"\(blobID(envelope).text(kind: .blob))\"]}".utf8)
            let keepPath = "/inbox/\(entry)/keep"
            for _ in 0..<2 {
                let kept = try await client.execute(
                    uri: base + keepPath, method: .post,
                    headers: try harness.user(harness.alice, "POST", keepPath, body: keepBody),
                    body: ByteBuffer(bytes: keepBody))
                #expect(kept.status == .ok)
            }
            #expect(harness.fetcher.fetches == 1)
            let served = try await client.execute(
                uri: base + "/blobs/" + blobID(envelope).text(kind: .blob), method: .get)
            #expect(served.bytes == envelope)
            // A blob the sender's server does not have: 409 missing-blobs.
            let absent = Array("{\"blobs\": [\"\(blobID(Array("absent".utf8)).text(kind: .blob))\"]}".utf8)
            let missing = try await client.execute(
                uri: base + keepPath, method: .post,
                headers: try harness.user(harness.alice, "POST", keepPath, body: absent),
                body: ByteBuffer(bytes: absent))
            #expect(missing.problem == "missing-blobs")
            // Another user's entry is not found.
            let erinKeep = try await client.execute(
                uri: base + keepPath, method: .post,
                headers: try harness.user(harness.erin, "POST", keepPath, body: keepBody),
                body: ByteBuffer(bytes: keepBody))
            #expect(erinKeep.status == .notFound)

            let ack = try Acknowledgement(
                recipient: harness.alice.address, envelope: blobID(envelope), sender: notification.sender,
                created: harness.clock.now(), signingKey: harness.alice.key)
            let ackPath = "/inbox/\(entry)/acknowledge"
            let first = try await client.execute(
                uri: base + ackPath, method: .post,
                headers: try harness.user(harness.alice, "POST", ackPath, body: ack.encodedBytes),
                body: ByteBuffer(bytes: ack.encodedBytes))
            #expect(first.status == .accepted)
            let relays = try await harness.store.dueRelays(now: harness.clock.now(), limit: 10)
            #expect(relays.first?.acknowledgement == ack.encodedBytes)
            let again = try await client.execute(
                uri: base + ackPath, method: .post,
                headers: try harness.user(harness.alice, "POST", ackPath, body: ack.encodedBytes),
                body: ByteBuffer(bytes: ack.encodedBytes))
            #expect(again.status == .ok)

            let entryPath = "/inbox/\(entry)"
            let deleted = try await client.execute(
                uri: base + entryPath, method: .delete, headers: try harness.user(harness.alice, "DELETE", entryPath))
            #expect(deleted.status == .noContent)
            #expect(try await harness.store.inbox(recipient: "alice@example.org", after: nil, limit: 10).isEmpty)
            let afterDelete = try await client.execute(
                uri: base + "/blobs/" + blobID(envelope).text(kind: .blob), method: .get)
            #expect(afterDelete.status == .gone)
        }
    }
}
