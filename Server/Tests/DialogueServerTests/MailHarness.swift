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
import Logging
import Testing

/// The documents of other domains' servers, fixed for a test.
struct FixedPeers: PeerDirectory {
    let documents: [String: ServerDocument]

    func document(of domain: String) async throws -> ServerDocument {
        guard let document = documents[domain] else { throw DeliveryError(.unknownKey, "no document of \(domain)") }
        return document
    }

    func serverKey(of domain: String, fingerprint: ContentIdentifier, at time: UInt64) async -> ServerKeyValidity? {
        guard let key = documents[domain]?.keys.first(where: { $0.fingerprint == fingerprint && $0.isValid(at: time) })
        else { return nil }
        return ServerKeyValidity(key: key.publicKey, validFrom: key.validFrom, validUntil: key.validUntil)
    }
}

/// Serves blobs from memory as if another server held them, and counts the fetches.
final class MemoryBlobFetcher: BlobFetcher, @unchecked Sendable {
    private let lock = NSLock()
    private var blobs: [ContentIdentifier: [UInt8]] = [:]
    private(set) var fetches = 0

    func add(_ bytes: [UInt8]) { lock.withLock { blobs[ContentIdentifier.hashing(bytes, context: .blob)] = bytes } }

    func fetch(_ id: ContentIdentifier, from baseURL: BaseURL, into files: BlobFiles, limit: Int) async throws -> Int {
        let bytes = try lock.withLock { () throws -> [UInt8] in
            fetches += 1
            guard let bytes = blobs[id] else { throw BlobFiles.Failure.io("404") }
            return bytes
        }
        return try files.write(bytes, as: id, limit: limit)
    }
}

/// A user with its keys and card.
struct TestUser {
    let address: Address
    let key = Ed25519.SigningKey()
    let card: IdentityCard

    init(_ text: String, now: UInt64) throws {
        address = try Address(canonical: text)
        card = try IdentityCard(
            addresses: [address], signingKey: key, encryptionKey: X25519.PrivateKey().publicKey, created: now - 10,
            expires: now + 86_400 * 365)
    }

    var keyID: RequestKeyID { RequestKeyID(user: address, fingerprint: card.fingerprint) }

    var account: AccountRecord {
        AccountRecord(
            address: address.text, card: card.encodedBytes, identityKey: key.publicKey.rawRepresentation,
            fingerprint: card.fingerprint, created: 0)
    }
}

/// A server for `example.org` (base URL `https://mail.example.org/dialogue/v1`) on the memory store and a
/// manual clock, its users alice and erin, and the peer `example.net` whose server key signs server requests.
struct MailHarness {
    static let start: UInt64 = 1_760_000_000
    static let origin = "https://mail.example.org"
    static let base = "/dialogue/v1"

    let clock = ManualClock(MailHarness.start)
    /// The store the service runs on: the memory store, or a SQLite file.
    let store: any MailStore
    let files: BlobFiles
    let fetcher = MemoryBlobFetcher()
    let service: MailService
    let alice: TestUser
    let erin: TestUser
    /// A recipient at the peer, whose acknowledgements the peer relays.
    let bob: TestUser
    let peerKey = Ed25519.SigningKey()

    init(
        maximumMessageSize: UInt64 = 1 << 30, nonceHistoryLost: Bool = false, sqlite: Bool = false,
        configure: (inout ServerConfiguration) -> Void = { _ in }, envelopeChecker: (any EnvelopeChecking)? = nil,
        peerHeard: @escaping @Sendable (String) -> Void = { _ in }, metrics: ServerMetrics = ServerMetrics()
    ) async throws {
        let now = MailHarness.start
        files = try BlobFiles(root: NSTemporaryDirectory() + "dialogue-server-tests-" + UUID().uuidString)
        store = sqlite ? try SQLiteMailStore(path: files.root + "/mail.sqlite") : MemoryMailStore()
        alice = try TestUser("alice@example.org", now: now)
        erin = try TestUser("erin@example.org", now: now)
        bob = try TestUser("bob@example.net", now: now)
        let peerDocument = try ServerDocument(
            domain: "example.net", baseURL: try BaseURL("https://mail.example.net/dialogue/v1"),
            keys: [try ServerKey(publicKey: peerKey.publicKey, validFrom: now - 100, validUntil: now + 10_000_000)],
            signingKeys: [peerKey], created: now - 10, expires: now + 86_400, maximumMessageSize: 1 << 30,
            maximumRecipients: 100)
        var configuration = ServerConfiguration(
            domains: ["example.org"], baseURL: try BaseURL(MailHarness.origin + MailHarness.base),
            dataDirectory: files.root)
        configuration.maximumMessageSize = maximumMessageSize
        configure(&configuration)
        let serverKey = ServerIdentity.Key(
            signingKey: Ed25519.SigningKey(), validFrom: now - 100, validUntil: now + 10_000_000)
        service = MailService(
            store: store, files: files, clock: clock, configuration: configuration,
            identity: ServerIdentity(keys: [serverKey]), peers: FixedPeers(documents: ["example.net": peerDocument]),
            fetcher: fetcher, peerHeard: peerHeard, envelopeChecker: envelopeChecker, metrics: metrics,
            nonceHistoryLost: nonceHistoryLost)
        try await store.addAccount(alice.account)
        try await store.addAccount(erin.account)
    }

    var application: some ApplicationProtocol {
        makeApplication(service: service, configuration: ApplicationConfiguration())
    }

    /// The application counting into `metrics`, admitting through `gate`.
    func application(
        metrics: ServerMetrics, gate: ShutdownGate = ShutdownGate(), logger: Logger = Logger(label: "dialogued")
    ) -> some ApplicationProtocol {
        makeApplication(
            service: service, configuration: ApplicationConfiguration(), metrics: metrics, gate: gate, logger: logger)
    }

    var peerKeyID: RequestKeyID {
        get throws {
            try RequestKeyID(
                server: "example.net",
                fingerprint: ContentIdentifier.hashing(peerKey.publicKey.rawRepresentation, context: .serverKey))
        }
    }

    /// The signature fields of a request to `path` (under the base path), as a client following the
    /// profile sends them ([dlv-request-sign]).
    func signedHeaders(
        _ method: String, _ path: String, body: [UInt8] = [], keyID: RequestKeyID, key: Ed25519.SigningKey,
        created: UInt64? = nil, nonce: String = RequestSigner.randomNonce()
    ) throws -> HTTPFields {
        let created = created ?? clock.now()
        let signature = try RequestSigner(keyID: keyID, signingKey: key).sign(
            method: method, targetURI: MailHarness.origin + MailHarness.base + path, body: body, created: created,
            expires: created + 300, nonce: nonce)
        var fields = HTTPFields()
        for field in signature.fields {
            fields.append(HTTPField(name: HTTPField.Name(field.name)!, value: field.value))
        }
        return fields
    }

    /// The fields of a request in `keyID`'s name whose signature is another key's: it never verifies.
    func forgedHeaders(_ method: String, _ path: String, keyID: RequestKeyID, key: Ed25519.SigningKey) throws
        -> HTTPFields
    {
        let genuine = try RequestSigner(keyID: keyID, signingKey: key).sign(
            method: method, targetURI: MailHarness.origin + MailHarness.base + path, body: [], created: clock.now(),
            expires: clock.now() + 300, nonce: RequestSigner.randomNonce())
        let other = Ed25519.SigningKey().signature(for: genuine.signatureBase.bytes).rawRepresentation
        return [
            .init("Content-Digest")!: genuine.contentDigest, .init("Signature-Input")!: genuine.signatureInput,
            .init("Signature")!: "dlg=:" + Data(other).base64EncodedString() + ":",
        ]
    }

    func user(_ user: TestUser, _ method: String, _ path: String, body: [UInt8] = []) throws -> HTTPFields {
        try signedHeaders(method, path, body: body, keyID: user.keyID, key: user.key)
    }

    func peer(_ method: String, _ path: String, body: [UInt8] = []) throws -> HTTPFields {
        try signedHeaders(method, path, body: body, keyID: try peerKeyID, key: peerKey)
    }

    /// A notification from `dave@example.net` to `recipient`, signed by the peer.
    func notification(
        to recipient: String, envelope: [UInt8], sender: String = "dave@example.net",
        baseURL: String = "https://mail.example.net/dialogue/v1"
    ) throws -> DialogueDelivery.Notification {
        try Notification(
            sender: try Address(canonical: sender), recipient: try Address(canonical: recipient),
            envelope: ContentIdentifier.hashing(envelope, context: .blob), envelopeSize: UInt64(envelope.count),
            messageSize: UInt64(envelope.count), baseURL: try BaseURL(baseURL),
            created: clock.now(), expires: clock.now() + 86_400, stanzaIndex: nil, signingKey: peerKey)
    }
}

extension MailHarness {
    /// A message of alice's (or of `sender`) to bob: this envelope and these chunks, valid for a day.
    func submission(envelope: ContentIdentifier, chunks: [ContentIdentifier], from sender: TestUser? = nil) throws
        -> Submission
    {
        let sender = sender ?? alice
        return try Submission(
            sender: sender.address,
            deliveries: [try Delivery(recipient: bob.address, envelope: envelope, fingerprint: bob.card.fingerprint)],
            chunks: chunks, created: clock.now(), expires: clock.now() + 86_400, signingKey: sender.key)
    }

    /// Posts `notification` as the peer `example.net`.
    func notify(_ client: some TestClientProtocol, _ notification: DialogueDelivery.Notification) async throws
        -> TestResponse
    {
        try await client.execute(
            uri: MailHarness.base + "/notifications", method: .post,
            headers: try peer("POST", "/notifications", body: notification.encodedBytes),
            body: ByteBuffer(bytes: notification.encodedBytes))
    }

    /// Lists `user`'s inbox (alice's by default) with `query`.
    func list(_ client: some TestClientProtocol, _ query: String = "", as user: TestUser? = nil) async throws
        -> TestResponse
    {
        let path = "/inbox" + query
        return try await client.execute(
            uri: MailHarness.base + path, method: .get, headers: try self.user(user ?? alice, "GET", path))
    }
}

extension TestResponse {
    /// The body as JSON.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }

    /// The problem type's name, from a problem document.
    var problem: String? {
        guard headers[.contentType] == "application/problem+json", let type = json["type"] as? String else {
            return nil
        }
        return String(type.dropFirst("urn:dialogue:problem:".count))
    }

    var bytes: [UInt8] { Array(body.readableBytesView) }
}

func blobID(_ bytes: [UInt8]) -> ContentIdentifier { ContentIdentifier.hashing(bytes, context: .blob) }

let base = MailHarness.base

extension MailHarness {
    /// Over `client`: alice uploads the envelope and the chunks and submits a message to bob naming them,
    /// so that the server serves them (it serves only blobs that a live message names).
    func publish(envelope: [UInt8], chunks: [[UInt8]], with client: some TestClientProtocol) async throws {
        for bytes in [envelope] + chunks {
            let path = "/blobs/" + blobID(bytes).text(kind: .blob)
            let stored = try await client.execute(
                uri: MailHarness.base + path, method: .put, headers: try user(alice, "PUT", path, body: bytes),
                body: ByteBuffer(bytes: bytes))
            #expect(stored.status == .created)
        }
        let submission = try Submission(
            sender: alice.address,
            deliveries: [
                try Delivery(recipient: bob.address, envelope: blobID(envelope), fingerprint: bob.card.fingerprint)
            ],
            chunks: chunks.map(blobID), created: clock.now(), expires: clock.now() + 86_400, signingKey: alice.key
        ).encodedBytes
        let submitted = try await client.execute(
            uri: MailHarness.base + "/submissions", method: .post,
            headers: try user(alice, "POST", "/submissions", body: submission),
            body: ByteBuffer(bytes: submission))
        #expect(submitted.status == .created)
    }

    /// Over `client`: bob's server passes on an acknowledgement of the message with `envelope` to alice,
    /// signed by `user` (bob, for one that counts).
    func acknowledge(envelope: [UInt8], by user: TestUser, with client: some TestClientProtocol) async throws
        -> TestResponse
    {
        let ack = try Acknowledgement(
            recipient: bob.address, envelope: blobID(envelope), sender: alice.address, created: clock.now(),
            signingKey: user.key)
        return try await client.execute(
            uri: MailHarness.base + "/acknowledgements", method: .post,
            headers: try peer("POST", "/acknowledgements", body: ack.encodedBytes),
            body: ByteBuffer(bytes: ack.encodedBytes))
    }
}
