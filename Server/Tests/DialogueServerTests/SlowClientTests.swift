import DialogueIdentifiers
import DialogueServer
import DialogueServerStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A slow client cannot hold a connection: silence closes it, a body that drips is `408` (Spec: [dlv-limits-time]).
@Suite struct SlowClientTests {
    func harness(idleTimeout: Int = 1) async throws -> MailHarness {
        try await MailHarness(configure: {
            $0.idleTimeout = idleTimeout
            $0.requestTimeout = 1
        })
    }

    @Test("[dlv-limits-time] a request head that stops arriving is closed after the idle timeout, unanswered")
    func silentHead() async throws {
        // 2 s, not 1: a machine busy with the whole suite can take a second to read the second connection's head.
        let harness = try await harness(idleTimeout: 2)
        let application = makeApplication(
            service: harness.service, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            let connection = try RawConnection(port: try #require(client.port))
            #expect(connection.send(Array("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n".utf8)))
            let started = ContinuousClock.now
            let (bytes, closed) = connection.readToEnd()
            #expect(closed, "the server kept the connection open")
            #expect(bytes.isEmpty)
            #expect(ContinuousClock.now - started < .seconds(8))
            // The server still answers others (on a new connection: the test client's own idled out too).
            // A generous read timeout: with the whole suite running in parallel the answer can take seconds.
            let other = try RawConnection(port: try #require(client.port), readTimeout: 15)
            #expect(other.send(Array("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)))
            #expect(String(decoding: other.readToEnd().bytes, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test("[dlv-limits-time] a body that drips past the request timeout is 408 limits-exceeded, and nothing is stored")
    func drippingBody() async throws {
        // The idle timeout well above the pauses between bytes, so that a loaded machine that wakes
        // the sender late still tests the request timeout, not the idle one.
        let harness = try await harness(idleTimeout: 5)
        let blob = [UInt8](repeating: 0x61, count: 64)
        let path = "/blobs/" + blobID(blob).text(kind: .blob)
        let signed = try harness.user(harness.alice, "PUT", path, body: blob)
        let application = makeApplication(
            service: harness.service, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            let connection = try RawConnection(port: try #require(client.port))
            var head = "PUT \(base + path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(blob.count)\r\n"
            for field in signed { head += "\(field.name.rawName): \(field.value)\r\n" }
            #expect(connection.send(Array((head + "\r\n").utf8)))
            // A byte every 0.25 s: never silent for the idle timeout, but slower than the request timeout allows.
            for byte in blob.prefix(16) {
                try await Task.sleep(for: .milliseconds(250))
                guard connection.send([byte]) else { break }
            }
            let answer = String(decoding: connection.readToEnd().bytes, as: UTF8.self)
            #expect(answer.hasPrefix("HTTP/1.1 408"), "\(answer)")
            #expect(answer.contains("urn:dialogue:problem:limits-exceeded"))
        }
        #expect(try await harness.store.blobState(blobID(blob)) == .unknown)
        #expect(harness.files.size(of: blobID(blob)) == nil)
    }
}
