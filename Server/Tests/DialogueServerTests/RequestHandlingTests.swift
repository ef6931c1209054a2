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

/// What every endpoint shares: request signatures, body limits, routes, problems, and the unsigned documents.
@Suite struct RequestHandlingTests {
    let blob = Array("a blob".utf8)
    var blobPath: String { "/blobs/" + blobID(blob).text(kind: .blob) }

    @Test("[dlv-request-verify] a replayed request is 401 replayed, and its repeat stores nothing new")
    func replayed() async throws {
        let harness = try await MailHarness()
        try await harness.application.test(.router) { client in
            let headers = try harness.user(harness.alice, "GET", "/inbox")
            #expect(try await client.execute(uri: base + "/inbox", method: .get, headers: headers).status == .ok)
            let again = try await client.execute(uri: base + "/inbox", method: .get, headers: headers)
            #expect(again.status == .unauthorized)
            #expect(again.problem == "replayed")
        }
    }

    @Test("[dlv-request-replay] a server that lost its nonces refuses requests created before its start as replayed")
    func lostNonceHistory() async throws {
        let harness = try await MailHarness(nonceHistoryLost: true)
        try await harness.application.test(.router) { client in
            let before = try harness.signedHeaders(
                "GET", "/inbox", keyID: harness.alice.keyID, key: harness.alice.key, created: harness.clock.now() - 5)
            #expect(try await client.execute(uri: base + "/inbox", method: .get, headers: before).problem == "replayed")
            let after = try harness.user(harness.alice, "GET", "/inbox")
            #expect(try await client.execute(uri: base + "/inbox", method: .get, headers: after).status == .ok)
        }
    }

    @Test("[dlv-request-verify] [dlv-request-time] an expired request is 401 expired")
    func expired() async throws {
        let harness = try await MailHarness()
        try await harness.application.test(.router) { client in
            let headers = try harness.signedHeaders(
                "GET", "/inbox", keyID: harness.alice.keyID, key: harness.alice.key, created: harness.clock.now() - 1000
            )
            let response = try await client.execute(uri: base + "/inbox", method: .get, headers: headers)
            #expect(response.status == .unauthorized)
            #expect(response.problem == "expired")
        }
    }

    @Test("[dlv-request-verify] a wrong key is bad-signature, an unknown one unknown-key")
    func wrongKey() async throws {
        let harness = try await MailHarness()
        try await harness.application.test(.router) { client in
            // alice's keyid and signature base, signed by another key.
            let genuine = try RequestSigner(keyID: harness.alice.keyID, signingKey: harness.alice.key).sign(
                method: "GET", targetURI: MailHarness.origin + base + "/inbox", body: [], created: harness.clock.now(),
                expires: harness.clock.now() + 300, nonce: RequestSigner.randomNonce())
            let other = Ed25519.SigningKey().signature(for: genuine.signatureBase.bytes).rawRepresentation
            let forged: HTTPFields = [
                .init("Content-Digest")!: genuine.contentDigest, .init("Signature-Input")!: genuine.signatureInput,
                .init("Signature")!: "dlg=:" + Data(other).base64EncodedString() + ":",
            ]
            let bad = try await client.execute(uri: base + "/inbox", method: .get, headers: forged)
            #expect(bad.problem == "bad-signature")
            #expect(bad.status == .unauthorized)
            // A user this server does not have.
            let stranger = try TestUser("mallory@example.org", now: harness.clock.now())
            let unknown = try await client.execute(
                uri: base + "/inbox", method: .get, headers: try harness.user(stranger, "GET", "/inbox"))
            #expect(unknown.problem == "unknown-key")
            // The target URI is rebuilt from the configured base URL, not the Host: a signature over
            // another origin does not verify.
            let signature = try RequestSigner(keyID: harness.alice.keyID, signingKey: harness.alice.key).sign(
                method: "GET", targetURI: "https://evil.example/dialogue/v1/inbox", body: [],
                created: harness.clock.now(),
                expires: harness.clock.now() + 300, nonce: RequestSigner.randomNonce())
            var fields = HTTPFields()
            for field in signature.fields {
                fields.append(HTTPField(name: HTTPField.Name(field.name)!, value: field.value))
            }
            #expect(
                try await client.execute(uri: base + "/inbox", method: .get, headers: fields).problem == "bad-signature"
            )
            // No signature at all.
            #expect(try await client.execute(uri: base + "/inbox", method: .get).problem == "malformed")
        }
    }

    @Test("[dlv-request-verify] a body that does not match its Content-Digest is 422 and nothing is stored")
    func badDigest() async throws {
        let harness = try await MailHarness()
        try await harness.application.test(.router) { client in
            let headers = try harness.user(harness.alice, "PUT", blobPath, body: Array("other bytes".utf8))
            let response = try await client.execute(
                uri: base + blobPath, method: .put, headers: headers, body: ByteBuffer(bytes: blob))
            #expect(response.status.code == 422)
            #expect(response.problem == "authentication-failed")
            #expect(harness.files.size(of: blobID(blob)) == nil)
            #expect(try harness.files.removeTemporaries() == 0)
        }
    }

    @Test(
        "[dlv-limits-before-read] a body above the endpoint's limit is 413 before it is read or its signature checked")
    func oversized() async throws {
        let harness = try await MailHarness()
        try await harness.application.test(.router) { client in
            // Unsigned: the length decides first.
            let body = ByteBuffer(bytes: [UInt8](repeating: 0, count: 2049))
            let response = try await client.execute(uri: base + "/notifications", method: .post, body: body)
            #expect(response.status.code == 413)
            #expect(response.problem == "limits-exceeded")
            let ack = try await client.execute(
                uri: base + "/acknowledgements", method: .post,
                body: ByteBuffer(bytes: [UInt8](repeating: 0, count: 1025)))
            #expect(ack.status.code == 413)
            // A blob above 16 MiB, declared by Content-Length.
            let big = try await client.execute(
                uri: base + blobPath, method: .put, headers: [.contentLength: "16777217"])
            #expect(big.status.code == 413)
        }
    }

    @Test("[dlv-errors] an unknown route is a 404 problem, a wrong method 405 with Allow")
    func routes() async throws {
        let harness = try await MailHarness()
        try await harness.application.test(.router) { client in
            for path in [
                "/nowhere", base + "/nowhere", base + "/blobs/../server", base + "/inbox/e1/other", "/dialogue/server",
            ] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.problem == "not-found", "\(path)")
            }
            let wrong = try await client.execute(uri: base + "/submissions", method: .get)
            #expect(wrong.status.code == 405)
            #expect(wrong.problem == "method-not-allowed")
            #expect(wrong.headers[.allow] == "POST")
        }
    }

    @Test("[dlv-errors] every problem type has the status of the chapter's table")
    func problemTable() throws {
        let chapter = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Spec/delivery.md")
        let text = try String(contentsOf: chapter, encoding: .utf8)
        var table: [String: Int] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2, let status = Int(cells[1]) else { continue }
            table[cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = status
        }
        #expect(table.count == ProblemType.allCases.count)
        for type in ProblemType.allCases {
            #expect(table[type.rawValue] == type.status, "\(type.rawValue)")
            let response = MailProblem(type, "a test").response
            #expect(Int(response.status.code) == type.status)
            #expect(response.headers[.contentType] == "application/problem+json")
        }
        // Every class of the object checks is answered with its own type and status.
        for code in DeliveryError.Code.all {
            let problem = MailProblem(DeliveryError(code, "a test"))
            #expect(problem.type.rawValue == code.name)
            #expect(problem.status == table[code.name], "\(code.name)")
        }
    }

    @Test("[dlv-server-document] the server document and the well-known copy verify; cards are served")
    func documents() async throws {
        let harness = try await MailHarness()
        try await harness.application.test(.router) { client in
            for path in [base + "/server", "/.well-known/dialogue-server"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/cbor")
                let document = try ServerDocument(
                    verifying: response.bytes, domain: "example.org", now: harness.clock.now(), allowingHTTP: false)
                #expect(document.baseURL.text == "https://mail.example.org/dialogue/v1")
            }
            let card = try await client.execute(uri: base + "/cards/alice@example.org", method: .get)
            #expect(card.status == .ok)
            #expect(try CardResponse(decoding: card.bytes).card == harness.alice.card.encodedBytes)
            #expect(try await client.execute(uri: base + "/cards/nobody@example.org", method: .get).status == .notFound)
            #expect(
                try await client.execute(uri: base + "/cards/Not%20An%20Address", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/ready", method: .get).status == .ok)
        }
    }

    @Test(
        "[dlv-delete-crash-safe] the start-up sweep removes temporaries and files whose blobs are not live or uploaded")
    func startupSweep() async throws {
        let harness = try await MailHarness()
        let stray = Array("a file nothing names".utf8)
        try harness.files.write(stray, as: blobID(stray), limit: 1 << 20)
        try harness.files.write(blob, as: blobID(blob), limit: 1 << 20)
        try await harness.store.recordUpload(
            blobID(blob), size: blob.count, by: "alice@example.org", at: harness.clock.now())
        _ = FileManager.default.createFile(atPath: harness.files.root + "/tmp/half-written", contents: Data([1, 2, 3]))
        #expect(try await harness.service.startupSweep() == 2)
        #expect(harness.files.size(of: blobID(stray)) == nil)
        #expect(harness.files.size(of: blobID(blob)) == blob.count)
        // After the upload grace, the unnamed upload goes too.
        harness.clock.advance(by: 86_400)
        #expect(try await harness.service.sweep() == 1)
        #expect(harness.files.size(of: blobID(blob)) == nil)
    }
}
