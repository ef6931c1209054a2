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

/// The application on a real loopback socket: what HTTP/1.1 framing does to HEAD, ranges and streamed files.
@Suite struct LiveServerTests {
    @Test("[dlv-blob-serve] over a socket: a 3 MiB blob streams whole, in a range, and HEAD has its length and no body")
    func blobOverSocket() async throws {
        let harness = try await MailHarness()
        let envelope = Array("live envelope".utf8)
        let chunk = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let application = makeApplication(
            service: harness.service, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            for bytes in [envelope, chunk] {
                let path = "/blobs/" + blobID(bytes).text(kind: .blob)
                let stored = try await client.execute(
                    uri: base + path, method: .put, headers: try harness.user(harness.alice, "PUT", path, body: bytes),
                    body: ByteBuffer(bytes: bytes))
                #expect(stored.status == .created)
            }
            let submission = try Submission(
                sender: harness.alice.address,
                deliveries: [
                    try Delivery(
                        recipient: harness.bob.address, envelope: blobID(envelope),
                        fingerprint: harness.bob.card.fingerprint)
                ],
                chunks: [blobID(chunk)], created: harness.clock.now(), expires: harness.clock.now() + 86_400,
                signingKey: harness.alice.key
            ).encodedBytes
            let submitted = try await client.execute(
                uri: base + "/submissions", method: .post,
                headers: try harness.user(harness.alice, "POST", "/submissions", body: submission),
                body: ByteBuffer(bytes: submission))
            #expect(submitted.status == .created)
            let path = base + "/blobs/" + blobID(chunk).text(kind: .blob)
            let whole = try await client.execute(uri: path, method: .get)
            #expect(whole.status == .ok)
            #expect(whole.bytes == chunk)
            let part = try await client.execute(uri: path, method: .get, headers: [.range: "bytes=1048576-2097151"])
            #expect(part.status == .partialContent)
            #expect(part.bytes == Array(chunk[1_048_576...2_097_151]))
            let head = try await client.execute(uri: path, method: .head)
            #expect(head.status == .ok)
            #expect(head.headers[.contentLength] == String(chunk.count))
            #expect(head.body.readableBytes == 0)
            let unknown = try await client.execute(uri: base + "/nowhere", method: .get)
            #expect(unknown.status == .notFound)
            #expect(unknown.problem == "not-found")
        }
    }
}
