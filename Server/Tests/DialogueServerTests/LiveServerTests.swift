import AsyncHTTPClient
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import DialogueServer
import DialogueServerStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOHTTP1
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
            try await harness.publish(envelope: envelope, chunks: [chunk], with: client)
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

    @Test(
        "[dlv-blob-serve] [dlv-tombstones] a blob deleted while it is being downloaded still arrives whole; the next fetch is 410"
    )
    func deletionDuringADownload() async throws {
        let harness = try await MailHarness()
        let envelope = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 1) }
        let application = makeApplication(
            service: harness.service, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            let path = "/blobs/" + blobID(envelope).text(kind: .blob)
            try await harness.publish(envelope: envelope, chunks: [], with: client)
            // Start the download, read its first bytes, then let the last acknowledgement delete the blob.
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            defer { Task { try? await http.shutdown() } }
            let port = try #require(client.port)
            let response = try await http.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)\(base)\(path)"), timeout: .seconds(30))
            #expect(response.status == .ok)
            var received: [UInt8] = []
            var iterator = response.body.makeAsyncIterator()
            if let first = try await iterator.next() { received += Array(buffer: first) }
            let ack = try Acknowledgement(
                recipient: harness.bob.address, envelope: blobID(envelope), sender: harness.alice.address,
                created: harness.clock.now(), signingKey: harness.bob.key)
            let acknowledged = try await client.execute(
                uri: base + "/acknowledgements", method: .post,
                headers: try harness.peer("POST", "/acknowledgements", body: ack.encodedBytes),
                body: ByteBuffer(bytes: ack.encodedBytes))
            #expect(acknowledged.status == .ok)
            #expect(harness.files.size(of: blobID(envelope)) == nil, "the file is deleted")
            while let buffer = try await iterator.next() { received += Array(buffer: buffer) }
            #expect(received == envelope, "the download that was answered 200 got every byte")
            let late = try await client.execute(uri: base + path, method: .get)
            #expect(late.status == .gone)
        }
    }
}
