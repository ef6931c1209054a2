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

/// Blob bodies around the sizes where serving changes its way of reading (one read by the request's task up to
/// 64 KiB, thread-pool chunks of 256 KiB above), whole and in ranges.
@Suite struct BlobReadingTests {
    @Test(
        "[dlv-blob-serve] blobs of 1 B, 64 KiB, 64 KiB + 1 and 512 KiB + 1 are served whole and in ranges, byte for byte"
    )
    func blobsAroundTheReadSizes() async throws {
        let harness = try await MailHarness()
        let envelope = Array("sizes envelope".utf8)
        let blobs = [1, 65_536, 65_537, 524_289].map { count in
            (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ count) }
        }
        let application = makeApplication(
            service: harness.service, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            try await harness.publish(envelope: envelope, chunks: blobs, with: client)
            for bytes in blobs {
                let path = base + "/blobs/" + blobID(bytes).text(kind: .blob)
                let whole = try await client.execute(uri: path, method: .get)
                #expect(whole.status == .ok)
                #expect(whole.bytes == bytes, "\(bytes.count) bytes")
                let last = try await client.execute(uri: path, method: .get, headers: [.range: "bytes=-1"])
                #expect(last.status == .partialContent)
                #expect(last.bytes == [bytes[bytes.count - 1]])
                if bytes.count > 65_537 {
                    let middle = try await client.execute(
                        uri: path, method: .get, headers: [.range: "bytes=65536-300000"])
                    #expect(middle.bytes == Array(bytes[65_536...300_000]))
                }
            }
        }
    }
}
