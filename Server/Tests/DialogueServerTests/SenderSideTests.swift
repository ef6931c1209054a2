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

/// The sender's server over HTTP: uploads, submissions, status, blob serving, acknowledgements and deletion.
@Suite struct SenderSideTests {
    let envelope = Array("an envelope, opaque to the server".utf8)
    let chunk = Array((0..<1000).map { UInt8($0 % 251) })

    func upload(_ client: some TestClientProtocol, _ harness: MailHarness, _ bytes: [UInt8]) async throws
        -> HTTPResponse.Status
    {
        let path = "/blobs/" + blobID(bytes).text(kind: .blob)
        return try await client.execute(
            uri: base + path, method: .put, headers: try harness.user(harness.alice, "PUT", path, body: bytes),
            body: ByteBuffer(bytes: bytes)
        ).status
    }

    /// The message of alice (or of `sender`) to bob: one envelope, one chunk.
    func submission(_ harness: MailHarness, from sender: TestUser? = nil) throws -> Submission {
        try harness.submission(envelope: blobID(envelope), chunks: [blobID(chunk)], from: sender)
    }

    func submit(_ client: some TestClientProtocol, _ harness: MailHarness, _ bytes: [UInt8]) async throws
        -> TestResponse
    {
        try await client.execute(
            uri: base + "/submissions", method: .post,
            headers: try harness.user(harness.alice, "POST", "/submissions", body: bytes),
            body: ByteBuffer(bytes: bytes))
    }

    func acknowledge(_ client: some TestClientProtocol, _ harness: MailHarness, by user: TestUser) async throws
        -> TestResponse
    { try await harness.acknowledge(envelope: envelope, by: user, with: client) }

    @Test("[dlv-upload-verify] an upload is stored once (201), a repeat is 200, wrong bytes are 422 and not kept")
    func uploads() async throws {
        let harness = try await MailHarness()
        try await harness.application.test(.router) { client in
            #expect(try await upload(client, harness, envelope) == .created)
            #expect(try await upload(client, harness, envelope) == .ok)
            // Bytes that do not hash to the path's identifier.
            let path = "/blobs/" + blobID(chunk).text(kind: .blob)
            let response = try await client.execute(
                uri: base + path, method: .put, headers: try harness.user(harness.alice, "PUT", path, body: envelope),
                body: ByteBuffer(bytes: envelope))
            #expect(response.status.code == 422)
            #expect(response.problem == "authentication-failed")
            #expect(harness.files.size(of: blobID(chunk)) == nil)
        }
    }

    @Test(
        "a submission is 201 once, the same bytes again 200 with the same identifier (the repeat rule of the submission section)"
    )
    func submissionAndRepeat() async throws {
        let harness = try await MailHarness()
        try await harness.application.test(.router) { client in
            let bytes = try submission(harness).encodedBytes
            // Nothing uploaded yet: 409 missing-blobs listing both.
            let missing = try await submit(client, harness, bytes)
            #expect(missing.status.code == 409)
            #expect(missing.problem == "missing-blobs")
            #expect((missing.json["blobs"] as? [String])?.count == 2)
            _ = try await upload(client, harness, envelope)
            _ = try await upload(client, harness, chunk)
            let first = try await submit(client, harness, bytes)
            #expect(first.status == .created)
            let id = try #require(first.json["submission"] as? String)
            #expect(id == ContentIdentifier.hashing(bytes, context: .submissionID).text(kind: .submission))
            let again = try await submit(client, harness, bytes)
            #expect(again.status == .ok)
            #expect(again.json["submission"] as? String == id)
            // Delivery status, for the sender only (Spec: delivery.md#dlv-ep-status).
            let path = "/submissions/" + id
            let status = try await client.execute(
                uri: base + path, method: .get, headers: try harness.user(harness.alice, "GET", path))
            #expect(status.status == .ok)
            #expect(status.json["state"] as? String == "live")
            let deliveries = try #require(status.json["deliveries"] as? [[String: Any]])
            #expect(deliveries.first?["recipient"] as? String == "bob@example.net")
            #expect(deliveries.first?["state"] as? String == "pending")
            let other = try await client.execute(
                uri: base + path, method: .get, headers: try harness.user(harness.erin, "GET", path))
            #expect(other.status == .notFound)
        }
    }

    @Test("[dlv-submission-verify] a blob another user uploaded is missing for this one (step 8)")
    func anotherUsersUpload() async throws {
        let harness = try await MailHarness()
        try await harness.application.test(.router) { client in
            _ = try await upload(client, harness, envelope)
            _ = try await upload(client, harness, chunk)
            let erins = try submission(harness, from: harness.erin).encodedBytes
            let response = try await client.execute(
                uri: base + "/submissions", method: .post,
                headers: try harness.user(harness.erin, "POST", "/submissions", body: erins),
                body: ByteBuffer(bytes: erins))
            #expect(response.status == .conflict)
            #expect(response.problem == "missing-blobs")
            // alice's submission in erin's request: it does not verify under erin's key (step 5).
            let alices = try submission(harness).encodedBytes
            let claimed = try await client.execute(
                uri: base + "/submissions", method: .post,
                headers: try harness.user(harness.erin, "POST", "/submissions", body: alices),
                body: ByteBuffer(bytes: alices))
            #expect(claimed.problem == "bad-signature")
        }
    }

    @Test("[dlv-submission-verify] a message above the server's limit is 413 limits-exceeded")
    func messageLimit() async throws {
        let harness = try await MailHarness(maximumMessageSize: 500)
        try await harness.application.test(.router) { client in
            _ = try await upload(client, harness, envelope)
            _ = try await upload(client, harness, chunk)
            let response = try await submit(client, harness, try submission(harness).encodedBytes)
            #expect(response.status.code == 413)
            #expect(response.problem == "limits-exceeded")
        }
    }

    @Test("[dlv-blob-serve] a live blob: 200 with its headers, HEAD, a single Range 206, an unsatisfiable one 416")
    func blobServing() async throws {
        let harness = try await MailHarness()
        try await harness.application.test(.router) { client in
            let path = base + "/blobs/" + blobID(chunk).text(kind: .blob)
            _ = try await upload(client, harness, envelope)
            _ = try await upload(client, harness, chunk)
            // Uploaded but named by no submission: 404.
            #expect(try await client.execute(uri: path, method: .get).status == .notFound)
            #expect(try await submit(client, harness, try submission(harness).encodedBytes).status == .created)
            let whole = try await client.execute(uri: path, method: .get)
            #expect(whole.status == .ok)
            #expect(whole.bytes == chunk)
            #expect(whole.headers[.eTag] == "\"\(blobID(chunk).text(kind: .blob))\"")
            #expect(whole.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(whole.headers[.acceptRanges] == "bytes")
            #expect(whole.headers[.contentType] == "application/octet-stream")
            #expect(whole.headers[.contentLength] == "1000")
            let head = try await client.execute(uri: path, method: .head)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            #expect(head.headers[.contentLength] == "1000")
            let part = try await client.execute(uri: path, method: .get, headers: [.range: "bytes=10-19"])
            #expect(part.status == .partialContent)
            #expect(part.bytes == Array(chunk[10...19]))
            #expect(part.headers[.contentRange] == "bytes 10-19/1000")
            let suffix = try await client.execute(uri: path, method: .get, headers: [.range: "bytes=-5"])
            #expect(suffix.bytes == Array(chunk[995...]))
            let outside = try await client.execute(uri: path, method: .get, headers: [.range: "bytes=1000-"])
            #expect(outside.status.code == 416)
            #expect(outside.headers[.contentRange] == "bytes */1000")
            // A path parameter that does not parse is 400, never 404.
            let bad = try await client.execute(uri: base + "/blobs/blob-nope", method: .get)
            #expect(bad.status == .badRequest)
            #expect(bad.problem == "malformed")
        }
    }

    @Test(
        "[dlv-ack-idempotent] [dlv-delete] [dlv-tombstones] a non-recipient's acknowledgement is refused and deletes nothing; the recipient's deletes the blobs, a repeat is 200, then GET is 410 (memory and SQLite stores)",
        arguments: [false, true]
    )
    func acknowledgementDeletes(sqlite: Bool) async throws {
        let harness = try await MailHarness(sqlite: sqlite)
        try await harness.application.test(.router) { client in
            _ = try await upload(client, harness, envelope)
            _ = try await upload(client, harness, chunk)
            let bytes = try submission(harness).encodedBytes
            #expect(try await submit(client, harness, bytes).status == .created)
            let path = base + "/blobs/" + blobID(envelope).text(kind: .blob)
            // Signed by a key the message was not sealed to: not-a-recipient, and nothing goes.
            let stranger = try TestUser("bob@example.net", now: harness.clock.now())
            let refused = try await acknowledge(client, harness, by: stranger)
            #expect(refused.status == .forbidden)
            #expect(refused.problem == "not-a-recipient")
            #expect(try await client.execute(uri: path, method: .get).status == .ok)
            #expect(harness.files.size(of: blobID(envelope)) != nil)
            let accepted = try await acknowledge(client, harness, by: harness.bob)
            #expect(accepted.status == .ok)
            #expect(try await acknowledge(client, harness, by: harness.bob).status == .ok)
            for blob in [envelope, chunk] {
                let gone = try await client.execute(
                    uri: base + "/blobs/" + blobID(blob).text(kind: .blob), method: .get)
                #expect(gone.status == .gone)
                #expect(gone.problem == "gone")
                #expect(harness.files.size(of: blobID(blob)) == nil)
            }
            // The deleted submission's status is 410 too.
            let statusPath =
                "/submissions/" + ContentIdentifier.hashing(bytes, context: .submissionID).text(kind: .submission)
            let status = try await client.execute(
                uri: base + statusPath, method: .get, headers: try harness.user(harness.alice, "GET", statusPath))
            #expect(status.status == .gone)
        }
    }

    @Test("[dlv-errors] bodies that do not decode are 400 problems, never a 5xx")
    func undecodableBodies() async throws {
        let harness = try await MailHarness()
        try await harness.application.test(.router) { client in
            let garbage = Array("not CBOR at all".utf8)
            let submitted = try await submit(client, harness, garbage)
            #expect(submitted.status == .badRequest)
            #expect(submitted.problem == "malformed")
            let ack = try await client.execute(
                uri: base + "/acknowledgements", method: .post,
                headers: try harness.peer("POST", "/acknowledgements", body: garbage), body: ByteBuffer(bytes: garbage))
            #expect(ack.problem == "malformed")
            let notification = try await client.execute(
                uri: base + "/notifications", method: .post,
                headers: try harness.peer("POST", "/notifications", body: garbage), body: ByteBuffer(bytes: garbage))
            #expect(notification.problem == "malformed")
            let keepPath = "/inbox/e1/keep"
            let keep = try await client.execute(
                uri: base + keepPath, method: .post,
                headers: try harness.user(harness.alice, "POST", keepPath, body: garbage),
                body: ByteBuffer(bytes: garbage))
            #expect(keep.status == .badRequest)
            // The digest is checked before the body is parsed ([dlv-request-verify] step 8 comes before the layout).
            let mismatched = try await client.execute(
                uri: base + keepPath, method: .post,
                headers: try harness.user(harness.alice, "POST", keepPath, body: Array("{}".utf8)),
                body: ByteBuffer(bytes: garbage))
            #expect(mismatched.problem == "authentication-failed")
            let entry = try await client.execute(
                uri: base + "/inbox/E1", method: .delete,
                headers: try harness.user(harness.alice, "DELETE", "/inbox/E1"))
            #expect(entry.problem == "malformed")
        }
    }
}
