import DialogueIdentifiers
import DialogueServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The blob fast path answers exactly what the application answers, and HTTP/1.1's order of answers
/// holds when a connection mixes both (Spec: [dlv-blob-serve]).
@Suite struct LiveBlobFastPathTests {
    /// One answer read off a connection: the status line, the fields in order, the body.
    struct RawAnswer {
        let status: String
        let fields: [(String, String)]
        let body: [UInt8]

        /// The fields without `Date`, which changes every second.
        var stableFields: [String] { fields.filter { $0.0 != "date" }.map { "\($0.0): \($0.1)" }.sorted() }
    }

    /// Splits what arrived into answers, using each one's `Content-Length` (`HEAD` answers have no body).
    static func answers(_ bytes: [UInt8], heads: Set<Int> = []) -> [RawAnswer] {
        var answers: [RawAnswer] = []
        var rest = bytes[...]
        let separator = Array("\r\n\r\n".utf8)
        while let end = rest.firstRange(of: separator) {
            let lines = String(decoding: rest[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
            let fields = lines.dropFirst().map { line -> (String, String) in
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                return (parts[0].lowercased(), parts.count > 1 ? parts[1] : "")
            }
            let length =
                heads.contains(answers.count) ? 0 : Int(fields.first { $0.0 == "content-length" }?.1 ?? "0") ?? 0
            let bodyStart = end.upperBound
            guard rest.distance(from: bodyStart, to: rest.endIndex) >= length else { break }
            let bodyEnd = rest.index(bodyStart, offsetBy: length)
            answers.append(RawAnswer(status: lines[0], fields: fields, body: Array(rest[bodyStart..<bodyEnd])))
            rest = rest[bodyEnd...]
        }
        return answers
    }

    /// The application of `harness` on an ephemeral port, served with a fast path the test can read.
    static func serve(_ harness: MailHarness, idleTimeout: Int = 30) -> (some ApplicationProtocol, LiveBlobFastPath) {
        let fastPath = LiveBlobFastPath(
            service: harness.service, metrics: ServerMetrics(), gate: ShutdownGate(), logger: Logger(label: "test"),
            serverName: "dialogued")
        let application = makeApplication(
            service: harness.service,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: "dialogued"),
            server: httpServer(idleTimeout: idleTimeout, fastPath: fastPath))
        return (application, fastPath)
    }

    @Test(
        "[dlv-blob-serve] a live blob is answered on the fast path with the application's fields and bytes; GET and HEAD; a Range goes to the application"
    )
    func theFastPathAnswersAsTheApplicationDoes() async throws {
        let harness = try await MailHarness()
        let chunk = [UInt8](repeating: 0x61, count: 70_000)
        let path = base + "/blobs/" + blobID(chunk).text(kind: .blob)
        let (application, fastPath) = LiveBlobFastPathTests.serve(harness)
        try await application.test(.live) { client in
            try await harness.publish(envelope: Array("fast envelope".utf8), chunks: [chunk], with: client)
            let port = try #require(client.port)
            func fetch(_ method: String, _ fields: String = "") async throws -> RawAnswer {
                let connection = try RawConnection(port: port)
                #expect(
                    connection.send(
                        Array(
                            "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(fields)Connection: close\r\n\r\n".utf8))
                )
                let (bytes, closed) = await connection.readToEndOffThePool()
                let answer = LiveBlobFastPathTests.answers(bytes, heads: method == "HEAD" ? [0] : []).first
                return try #require(
                    answer,
                    "\(method): \(bytes.count) bytes, closed \(closed): \(String(decoding: bytes.prefix(300), as: UTF8.self))"
                )
            }
            // `Connection: close` always goes to the application: these are its answers. The first read
            // of the store marks the blob live.
            let byApplication = try await fetch("GET")
            let headByApplication = try await fetch("HEAD")
            #expect(byApplication.status == "HTTP/1.1 200 OK" && byApplication.body == chunk)
            #expect(fastPath.answered.value == 0)

            // On a kept-alive connection the next fetches are the fast path's, answer for answer the same.
            let connection = try RawConnection(port: port)
            let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            let head = "HEAD \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            let range = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=0-9\r\nConnection: close\r\n\r\n"
            #expect(connection.send(Array((request + head + range).utf8)))
            let answers = LiveBlobFastPathTests.answers(await connection.readToEndOffThePool().bytes, heads: [1])
            try #require(answers.count == 3, "\(answers.map(\.status))")
            #expect(fastPath.answered.value == 2)
            #expect(answers[0].status == byApplication.status && answers[0].body == chunk)
            #expect(answers[0].stableFields == byApplication.stableFields)
            #expect(answers[0].fields.contains { $0.0 == "date" })
            #expect(answers[1].stableFields == headByApplication.stableFields && answers[1].body.isEmpty)
            #expect(answers[2].status == "HTTP/1.1 206 Partial Content" && answers[2].body == Array(chunk[0...9]))
        }
    }

    @Test(
        "[dlv-blob-serve] answers keep the order of pipelined requests when the application owes one: a 404 from the store, then live blobs"
    )
    func pipelinedRequestsAreAnsweredInOrder() async throws {
        let harness = try await MailHarness()
        let chunk = [UInt8](repeating: 0x62, count: 1_000)
        let path = base + "/blobs/" + blobID(chunk).text(kind: .blob)
        let unknown = base + "/blobs/" + blobID(Array("never uploaded".utf8)).text(kind: .blob)
        let (application, fastPath) = LiveBlobFastPathTests.serve(harness)
        try await application.test(.live) { client in
            try await harness.publish(envelope: Array("order envelope".utf8), chunks: [chunk], with: client)
            #expect(try await client.execute(uri: path, method: .get).status == .ok)
            let connection = try RawConnection(port: try #require(client.port))
            let get = { (target: String) in "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" }
            // The first fetch is the fast path's; a 404 needs a store read (the application), and the
            // live fetches behind it must wait for its answer.
            let requests =
                get(path) + get(unknown) + get(path) + get(unknown) + get(path) + get(path)
                + "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            #expect(connection.send(Array(requests.utf8)))
            let received = await connection.readToEndOffThePool()
            let answers = LiveBlobFastPathTests.answers(received.bytes)
            #expect(
                answers.map { $0.status.split(separator: " ")[1] } == [
                    "200", "404", "200", "404", "200", "200", "200",
                ],
                "\(answers.map(\.status))")
            for index in [0, 2, 4, 5] where answers.indices.contains(index) { #expect(answers[index].body == chunk) }
            #expect(answers.last.map { String(decoding: $0.body, as: UTF8.self).hasPrefix("ok") } == true)
            #expect(fastPath.answered.value >= 1)
        }
    }

    @Test(
        "[dlv-limits-time] a connection whose answers were all the fast path's is idle once they are written: the idle timeout closes it"
    )
    func fastAnswersLeaveTheConnectionIdle() async throws {
        let harness = try await MailHarness()
        let chunk = [UInt8](repeating: 0x63, count: 2_000)
        let path = base + "/blobs/" + blobID(chunk).text(kind: .blob)
        // Published and marked live through an application whose test client does not idle out
        // meanwhile; the one under test shares its service (and so its live blobs: the clock stands).
        try await LiveBlobFastPathTests.serve(harness).0.test(.live) { client in
            try await harness.publish(envelope: Array("idle envelope".utf8), chunks: [chunk], with: client)
            #expect(try await client.execute(uri: path, method: .get).status == .ok)
        }
        let (application, fastPath) = LiveBlobFastPathTests.serve(harness, idleTimeout: 2)
        try await application.test(.live) { client in
            let connection = try RawConnection(port: try #require(client.port), readTimeout: 20)
            let started = ContinuousClock.now
            #expect(
                connection.send(
                    Array(
                        "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nHEAD \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                            .utf8)))
            // Hummingbird's connection state handler counts a request done when its answer's end goes by;
            // a fast answer that it did not count would keep the connection busy, never idle.
            let (bytes, closed) = await connection.readToEndOffThePool()
            let answers = LiveBlobFastPathTests.answers(bytes, heads: [1])
            #expect(answers.map(\.status) == ["HTTP/1.1 200 OK", "HTTP/1.1 200 OK"])
            #expect(answers.first?.body == chunk)
            #expect(fastPath.answered.value == 2)
            #expect(closed, "the connection was still open after the idle timeout")
            #expect(ContinuousClock.now - started < .seconds(15))
        }
    }

    @Test(
        "[dlv-blob-serve] after fast answers to HEAD and GET the application's answers keep their bodies, and a HEAD answer has none"
    )
    func methodsStayPairedWithAnswers() async throws {
        let harness = try await MailHarness()
        let chunk = [UInt8](repeating: 0x66, count: 1_500)
        let path = base + "/blobs/" + blobID(chunk).text(kind: .blob)
        let unknown = base + "/blobs/" + blobID(Array("never uploaded either".utf8)).text(kind: .blob)
        let (application, fastPath) = LiveBlobFastPathTests.serve(harness)
        try await application.test(.live) { client in
            try await harness.publish(envelope: Array("paired envelope".utf8), chunks: [chunk], with: client)
            #expect(try await client.execute(uri: path, method: .get).status == .ok)
            // NIO's encoder gives each answer the method of the next request its decoder read (a HEAD
            // answer goes without a body): a fast answer must take its request's turn. Pipelined, so
            // that the first request is the fast path's and the rest the application's.
            func exchange(_ requests: [(String, String)]) async throws -> [RawAnswer] {
                let connection = try RawConnection(port: try #require(client.port))
                let text = requests.map { "\($0.0) \($0.1) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" }.joined()
                #expect(connection.send(Array((text + "GET /health HTTP/1.1\r\nConnection: close\r\n\r\n").utf8)))
                let heads = Set(requests.indices.filter { requests[$0].0 == "HEAD" })
                return LiveBlobFastPathTests.answers(await connection.readToEndOffThePool().bytes, heads: heads)
            }
            let afterHead = try await exchange([("HEAD", path), ("GET", unknown), ("GET", path)])
            #expect(
                afterHead.map { $0.status } == [
                    "HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK",
                ])
            #expect(afterHead.count == 4 && afterHead[0].body.isEmpty && afterHead[2].body == chunk)
            #expect(afterHead.count == 4 && String(decoding: afterHead[1].body, as: UTF8.self).contains("not-found"))
            let afterGet = try await exchange([("GET", path), ("HEAD", unknown), ("GET", unknown)])
            #expect(
                afterGet.map { $0.status } == [
                    "HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found", "HTTP/1.1 404 Not Found", "HTTP/1.1 200 OK",
                ])
            #expect(afterGet.count == 4 && afterGet[0].body == chunk && afterGet[1].body.isEmpty)
            #expect(afterGet.count == 4 && String(decoding: afterGet[2].body, as: UTF8.self).contains("not-found"))
            // An application answer to HEAD whose route writes a body (HEAD takes GET's route) has none.
            let health = try await exchange([("HEAD", "/health"), ("GET", path)])
            #expect(health.map { $0.status } == ["HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK"])
            #expect(health.count == 3 && health[0].body.isEmpty && health[1].body == chunk)
            #expect(fastPath.answered.value == 2)
        }
    }

    @Test(
        "[dlv-blob-serve] [dlv-tombstones] a small blob served again comes from the bytes kept, until its deletion: then it is 410, from the application"
    )
    func keptBytesEndWithTheDeletion() async throws {
        let harness = try await MailHarness()
        let envelope = Array("kept envelope".utf8)
        let chunk = [UInt8](repeating: 0x64, count: 1_000)
        let path = base + "/blobs/" + blobID(chunk).text(kind: .blob)
        let (application, fastPath) = LiveBlobFastPathTests.serve(harness)
        try await application.test(.live) { client in
            try await harness.publish(envelope: envelope, chunks: [chunk], with: client)
            #expect(try await client.execute(uri: path, method: .get).status == .ok)
            func fetchTwice() async throws -> [RawAnswer] {
                let connection = try RawConnection(port: try #require(client.port))
                let get = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                #expect(connection.send(Array((get + get + "GET /health HTTP/1.1\r\nConnection: close\r\n\r\n").utf8)))
                return LiveBlobFastPathTests.answers(await connection.readToEndOffThePool().bytes)
            }
            let served = try await fetchTwice()
            #expect(served.prefix(2).map(\.body) == [chunk, chunk])
            #expect(fastPath.answered.value == 2)
            #expect(fastPath.bodies.count == 1)
            #expect(try await harness.acknowledge(envelope: envelope, by: harness.bob, with: client).status == .ok)
            let gone = try await fetchTwice()
            #expect(gone.prefix(2).map { $0.status } == ["HTTP/1.1 410 Gone", "HTTP/1.1 410 Gone"])
            #expect(fastPath.answered.value == 2)
        }
    }

    @Test("[dlv-blob-serve] [dlv-ops-tls] over HTTPS the fast path's answers are encrypted like the application's")
    func theFastPathAnswersOverTLS() async throws {
        let harness = try await MailHarness()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try SelfSignedCertificate.make(in: directory)
        let chunk = [UInt8](repeating: 0x65, count: 3_000)
        let path = base + "/blobs/" + blobID(chunk).text(kind: .blob)
        let fastPath = LiveBlobFastPath(
            service: harness.service, metrics: ServerMetrics(), gate: ShutdownGate(), logger: Logger(label: "test"),
            serverName: "dialogued")
        let tls = try serverTLSConfiguration(certificateFile: directory + "/tls.pem", keyFile: directory + "/tls.key")
        let application = makeApplication(
            service: harness.service,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: "dialogued"),
            server: try httpsServer(idleTimeout: 30, tls: tls, fastPath: fastPath))
        try await application.test(.ahc(.https)) { client in
            try await harness.publish(envelope: Array("tls envelope".utf8), chunks: [chunk], with: client)
            for _ in 0..<3 {
                let fetched = try await client.execute(uri: path, method: .get)
                #expect(fetched.status == .ok)
                #expect(Array(buffer: fetched.body) == chunk)
            }
            #expect(fastPath.answered.value >= 2)
        }
    }
}
