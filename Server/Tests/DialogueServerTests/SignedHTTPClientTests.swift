import AsyncHTTPClient
import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import DialogueServer
import DialogueServerStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// The server's HTTP client against a real server on loopback (Spec: delivery.md#dlv-request).
@Suite struct SignedHTTPClientTests {
    struct Captured: Sendable {
        var fields: [RequestHead.Field] = []
        var body: [UInt8] = []
    }

    /// What the peer's notifications endpoint received last.
    final class Recorder: Sendable {
        let captured = Mutex(Captured())
        func withLock<T: Sendable>(_ body: (inout Captured) -> T) -> T { captured.withLock { body(&$0) } }
    }

    static let blob = Array(repeating: UInt8(0x61), count: 200_000)

    /// A peer with a notifications endpoint that records what it got, a redirect, a busy endpoint,
    /// an oversized answer and a blob.
    func withPeer(_ body: @Sendable (Int, Recorder) async throws -> Void) async throws {
        let captured = Recorder()
        let router = Router()
        router.post("/v1/notifications") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 10_000)
            captured.withLock {
                $0.fields = request.headers.map { RequestHead.Field($0.name.rawName, $0.value) }
                $0.body = Array(buffer: bytes)
            }
            return Response(status: .accepted)
        }
        router.post("/v1/moved") { _, _ in
            Response(status: .found, headers: [.location: "/v1/notifications"])
        }
        router.post("/v1/busy") { _, _ in
            Response(status: .serviceUnavailable, headers: [.retryAfter: "7"])
        }
        router.post("/v1/big") { _, _ in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: 0x41, count: 100_000)))
        }
        router.get("/v1/blobs/:id") { _, _ in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: Self.blob)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body(try #require(client.port), captured)
        }
    }

    func withClient(_ body: (HTTPClient) async throws -> Void) async throws {
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton, configuration: SignedHTTPClient.configuration(.init()))
        do { try await body(client) } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// Spec: [dlv-request], [dlv-request-keyid] — a notification is posted as `application/cbor`, signed with
    /// the server key as `DOMAIN/srv-…`, and the signature verifies under the profile.
    @Test func requestsAreSignedWithTheServerKey() async throws {
        let clock = ManualClock(1_000_000)
        try await withPeer { port, captured in
            try await withClient { http in
                let client = SignedHTTPClient(
                    client: http, identity: Fixtures.identity, domain: "a.example", clock: clock)
                let url = "http://127.0.0.1:\(port)/v1/notifications"
                let response = try await client.post([1, 2, 3, 4], to: url)
                #expect(response.status == 202)
                let request = captured.withLock { $0 }
                #expect(request.body == [1, 2, 3, 4])
                let key = Fixtures.identity.keys[0]
                let verifier = RequestVerifier(
                    keys: StaticKeyResolver(
                        users: [:],
                        servers: [
                            "a.example": [
                                ServerKeyValidity(key: key.signingKey.publicKey, validFrom: 0, validUntil: 10_000_000)
                            ]
                        ]),
                    nonces: MemoryNonceCache(startedAt: 0), clock: { 1_000_000 })
                let verified = try await verifier.verify(
                    RequestHead(method: "POST", targetURI: url, fields: request.fields), body: request.body)
                #expect(verified.keyID.text == "a.example/" + key.fingerprint.text(kind: .serverKey))
                #expect(
                    request.fields.contains { $0.name.lowercased() == "content-type" && $0.value == "application/cbor" }
                )
            }
        }
    }

    /// Spec: [dlv-retry-classes] — a redirect is not followed but returned (and retried by the outbox);
    /// `Retry-After` is read in seconds; an answer over the body limit is a failure, not buffered.
    @Test func redirectsAreNotFollowedAndAnswersAreBounded() async throws {
        let clock = ManualClock(1_000_000)
        try await withPeer { port, captured in
            try await withClient { http in
                var limits = SignedHTTPClient.Limits()
                limits.maximumBody = 10_000
                let client = SignedHTTPClient(
                    client: http, identity: Fixtures.identity, domain: "a.example", clock: clock, limits: limits)
                let moved = try await client.post([1], to: "http://127.0.0.1:\(port)/v1/moved")
                #expect(moved.status == 302)
                #expect(captured.withLock { $0.body.isEmpty }, "the redirect was not followed")
                let busy = try await client.post([1], to: "http://127.0.0.1:\(port)/v1/busy")
                #expect(busy.status == 503)
                #expect(busy.retryAfter == 7)
                await #expect(throws: (any Error).self) {
                    _ = try await client.post([1], to: "http://127.0.0.1:\(port)/v1/big")
                }
            }
        }
    }

    /// Spec: [dlv-keep] — a blob is streamed into its file and checked against its identifier; bytes that
    /// do not match leave no file.
    @Test func blobsAreStreamedAndVerified() async throws {
        let directory = NSTemporaryDirectory() + "dialogue-fetch-" + UUID().uuidString
        let files = try BlobFiles(root: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withPeer { port, _ in
            try await withClient { http in
                let fetcher = HTTPBlobFetcher(client: http)
                let base = try BaseURL("http://127.0.0.1:\(port)/v1")
                let id = ContentIdentifier.hashing(Self.blob, context: .blob)
                #expect(try await fetcher.fetch(id, from: base, into: files, limit: 1 << 20) == Self.blob.count)
                #expect(try files.read(id, limit: 1 << 20) == Self.blob)
                let wrong = Fixtures.blob("something else")
                await #expect(throws: BlobFiles.Failure.self) {
                    _ = try await fetcher.fetch(wrong, from: base, into: files, limit: 1 << 20)
                }
                #expect(files.size(of: wrong) == nil)
                await #expect(throws: (any Error).self) {
                    _ = try await fetcher.fetch(id, from: base, into: files, limit: 1_000)
                }
            }
        }
    }
}
