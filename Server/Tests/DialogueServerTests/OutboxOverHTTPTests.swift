import AsyncHTTPClient
import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import DialogueServer
import DialogueServerStorage
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// The outbox, the discovering directory and the signed client together, against a peer server on
/// loopback that a peers file names (Spec: delivery.md#dlv-peers, delivery.md#dlv-notification).
@Suite struct OutboxOverHTTPTests {
    final class Inbox: Sendable {
        let notifications = Mutex<[Notification]>([])
    }

    /// Spec: [dlv-peers], [dlv-request], [dlv-notification] — the notification reaches the peer the peers
    /// file names, in a request the peer verifies under our server key, carrying a notification it verifies.
    @Test func aNotificationTravelsToAPeersFilePeer() async throws {
        let peerKey = Fixtures.key("b.example server")
        let clock = ManualClock(1_000)
        let inbox = Inbox()
        let ourKey = Fixtures.identity.keys[0]
        let ourValidity = ServerKeyValidity(key: ourKey.signingKey.publicKey, validFrom: 0, validUntil: 10_000_000)
        let verifier = RequestVerifier(
            keys: StaticKeyResolver(users: [:], servers: ["a.example": [ourValidity]]),
            nonces: MemoryNonceCache(startedAt: 0), clock: { 1_000 })
        let portBox = Mutex(0)
        let router = Router()
        router.get("/v1/server") { _, _ -> Response in
            let port = portBox.withLock { $0 }
            let document = try ServerDocument(
                domain: "b.example", baseURL: BaseURL("http://127.0.0.1:\(port)/v1"),
                keys: [ServerKey(publicKey: peerKey.publicKey, validFrom: 0, validUntil: 10_000_000)],
                signingKeys: [peerKey], created: 900, expires: 100_000, maximumMessageSize: 1 << 26,
                maximumRecipients: 100)
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: document.encodedBytes)))
        }
        router.post("/v1/notifications") { request, _ -> Response in
            let port = portBox.withLock { $0 }
            let body = Array(buffer: try await request.body.collect(upTo: 4_096))
            let head = RequestHead(
                method: "POST", targetURI: "http://127.0.0.1:\(port)/v1/notifications",
                fields: request.headers.map { RequestHead.Field($0.name.rawName, $0.value) })
            guard (try? await verifier.verify(head, body: body)) != nil else { return Response(status: .unauthorized) }
            let key = try ServerKey(publicKey: ourKey.signingKey.publicKey, validFrom: 0, validUntil: 10_000_000)
            guard
                let notification = try? Notification(
                    verifying: body, signerDomain: "a.example", serverKeys: [key], servedDomains: ["b.example"],
                    now: 1_000)
            else { return Response(status: .unprocessableContent) }
            inbox.notifications.withLock { $0.append(notification) }
            return Response(status: .accepted)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            portBox.withLock { $0 = port }
            let fingerprint = ContentIdentifier.hashing(peerKey.publicKey.rawRepresentation, context: .serverKey)
            let peers = try PeersFile(
                parsing: "b.example http://127.0.0.1:\(port)/v1 \(fingerprint.text(kind: .serverKey))\n")
            let http = HTTPClient(
                eventLoopGroupProvider: .singleton, configuration: SignedHTTPClient.configuration(.init()))
            let signed = SignedHTTPClient(client: http, identity: Fixtures.identity, domain: "a.example", clock: clock)
            let store: any MailStore = MemoryMailStore()
            let outbox = Outbox(
                store: store, files: nil, identity: Fixtures.identity, baseURL: Fixtures.baseURL,
                directory: DiscoveringPeerDirectory(peers: peers, fetcher: signed, clock: clock), sender: signed,
                clock: clock)
            let submission = try await Fixtures.submit("wire", to: ["bob@b.example"], store: store)
            await outbox.drain()
            try await http.shutdown()
            let delivered = inbox.notifications.withLock { $0 }
            #expect(delivered.map(\.recipient.text) == ["bob@b.example"])
            #expect(delivered.first?.envelope == Fixtures.blob("envelope wire"))
            let record = try await store.submission(submission.id)?.deliveries.first
            #expect(record?.state == .notified)
        }
    }
}
