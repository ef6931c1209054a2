import AsyncHTTPClient
import DialogueDelivery
import DialogueIdentifiers
import DialogueServer
import DialogueServerStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization
import Testing

/// Graceful shutdown: new requests are 503 with Retry-After, the ones in flight finish (Spec: [dlv-ops-shutdown]).
@Suite struct ShutdownTests {
    @Test("[dlv-ops-shutdown] while draining every request but liveness is 503 unavailable with Retry-After")
    func drainingGate() async throws {
        let harness = try await MailHarness()
        let gate = ShutdownGate()
        try await harness.application(metrics: ServerMetrics(), gate: gate).test(.router) { client in
            #expect(try await client.execute(uri: "/ready", method: .get).status == .ok)
            gate.beginDraining()
            for uri in ["/ready", base + "/server", base + "/inbox"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .serviceUnavailable, "\(uri)")
                #expect(response.problem == "unavailable")
                #expect(response.headers[.retryAfter] == "5")
            }
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
    }

    @Test(
        "[dlv-ops-shutdown] on a socket: an upload in flight finishes, a long poll answers at once, a new request is 503, then the server stops"
    )
    func gracefulShutdownOverSocket() async throws {
        let harness = try await MailHarness()
        let gate = ShutdownGate()
        let port = Mutex<Int?>(nil)
        let application = makeApplication(
            service: harness.service, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            gate: gate, onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } })
        let logger = Logger(label: "shutdown-test")
        let service = MailHTTPService(
            application: application, service: harness.service, gate: gate, drainTimeout: .seconds(20), logger: logger)
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let blob = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let blobPath = "/blobs/" + blobID(blob).text(kind: .blob)
        let (rest, sendRest) = AsyncStream.makeStream(of: ByteBuffer.self)

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var listening: Int?
            for _ in 0..<500 where listening == nil {
                try await Task.sleep(for: .milliseconds(10))
                listening = port.withLock { $0 }
            }
            let origin = "http://127.0.0.1:\(try #require(listening))"

            func request(_ method: HTTPMethod, _ path: String, headers: HTTPFields = [:]) -> HTTPClientRequest {
                var request = HTTPClientRequest(url: origin + path)
                request.method = method
                for field in headers { request.headers.add(name: field.name.rawName, value: field.value) }
                return request
            }
            // An upload whose second half waits until the server is draining.
            var upload = request(
                .PUT, base + blobPath, headers: try harness.user(harness.alice, "PUT", blobPath, body: blob))
            let firstHalf = ByteBuffer(bytes: blob[..<100_000])
            upload.body = .stream(
                AsyncStream { continuation in
                    continuation.yield(firstHalf)
                    Task {
                        for await buffer in rest { continuation.yield(buffer) }
                        continuation.finish()
                    }
                }, length: .known(Int64(blob.count)))
            let uploading = Task { try await client.execute(upload, timeout: .seconds(30)) }
            let polling = Task {
                let started = ContinuousClock.now
                let response = try await client.execute(
                    request(
                        .GET, base + "/inbox?wait=30", headers: try harness.user(harness.alice, "GET", "/inbox?wait=30")
                    ),
                    timeout: .seconds(40))
                let body = try await response.body.collect(upTo: 65_536)
                return (response.status.code, String(buffer: body), ContinuousClock.now - started)
            }
            for _ in 0..<500 where gate.inFlight < 2 { try await Task.sleep(for: .milliseconds(10)) }
            #expect(gate.inFlight == 2)

            await group.triggerGracefulShutdown()
            for _ in 0..<500 where !gate.isDraining { try await Task.sleep(for: .milliseconds(10)) }
            // The long poll answers its empty listing at once instead of after 30 seconds.
            let (pollStatus, pollBody, pollTime) = try await polling.value
            #expect(pollStatus == 200)
            #expect(pollBody.contains("\"entries\":[]"))
            #expect(pollTime < .seconds(20))
            // The listener is still open while the upload finishes: a new request is told to come back.
            let refused = try await client.execute(request(.GET, base + "/server"), timeout: .seconds(10))
            #expect(refused.status.code == 503)
            #expect(refused.headers.first(name: "Retry-After") == "5")
            _ = try await refused.body.collect(upTo: 65_536)

            sendRest.yield(ByteBuffer(bytes: blob[100_000...]))
            sendRest.finish()
            let uploaded = try await uploading.value
            #expect(uploaded.status.code == 201)
            _ = try await uploaded.body.collect(upTo: 65_536)
            try await tasks.next()
        }
        #expect(gate.inFlight == 0)
        if case .uploaded = try await harness.store.blobState(blobID(blob)) {
        } else {
            Issue.record("the upload in flight at shutdown was not stored")
        }
        #expect(harness.files.size(of: blobID(blob)) == blob.count)
        try await client.shutdown()
    }

    /// A peer that answers `202` only when released, to hold an outbox request in flight.
    final class HeldPeer: SignedRequestSending {
        private let started = Mutex(0)
        private let (released, release) = AsyncStream.makeStream(of: Void.self)

        var requests: Int { started.withLock { $0 } }

        func letGo() { release.finish() }

        func post(_ body: [UInt8], to url: String) async throws -> PeerResponse {
            started.withLock { $0 += 1 }
            for await _ in released {}
            return PeerResponse(status: 202)
        }
    }

    @Test("[dlv-ops-shutdown] the outbox's request in flight at shutdown is finished and recorded before it stops")
    func outboxRecordsWhatItWasSending() async throws {
        let store = MemoryMailStore()
        let peer = HeldPeer()
        var settings = OutboxSettings()
        settings.interval = .seconds(3_600)
        let outbox = Outbox(
            store: store, files: nil, identity: Fixtures.identity, baseURL: Fixtures.baseURL, directory: FakePeers(),
            sender: peer, clock: ManualClock(1_000), settings: settings)
        let group = ServiceGroup(configuration: .init(services: [outbox], logger: Logger(label: "shutdown-test")))
        let record = try await Fixtures.submit("in flight", to: ["bob@b.example"], store: store)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for _ in 0..<500 where peer.requests == 0 {
                outbox.wake()
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(peer.requests == 1)
            await group.triggerGracefulShutdown()
            try await Task.sleep(for: .milliseconds(50))
            peer.letGo()
            try await tasks.next()
        }
        let stored = try #require(try await store.submission(record.id))
        #expect(stored.deliveries.first?.state == .notified)
        #expect(peer.requests == 1)
    }
}
