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

    init(maximumMessageSize: UInt64 = 1 << 30, nonceHistoryLost: Bool = false, sqlite: Bool = false) async throws {
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
        let serverKey = ServerIdentity.Key(
            signingKey: Ed25519.SigningKey(), validFrom: now - 100, validUntil: now + 10_000_000)
        service = MailService(
            store: store, files: files, clock: clock, configuration: configuration,
            identity: ServerIdentity(keys: [serverKey]), peers: FixedPeers(documents: ["example.net": peerDocument]),
            fetcher: fetcher, nonceHistoryLost: nonceHistoryLost)
        try await store.addAccount(alice.account)
        try await store.addAccount(erin.account)
    }

    var application: some ApplicationProtocol {
        makeApplication(service: service, configuration: ApplicationConfiguration())
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

    func user(_ user: TestUser, _ method: String, _ path: String, body: [UInt8] = []) throws -> HTTPFields {
        try signedHeaders(method, path, body: body, keyID: user.keyID, key: user.key)
    }

    func peer(_ method: String, _ path: String, body: [UInt8] = []) throws -> HTTPFields {
        try signedHeaders(method, path, body: body, keyID: try peerKeyID, key: peerKey)
    }

    /// A notification from `dave@example.net` to `recipient`, signed by the peer.
    func notification(to recipient: String, envelope: [UInt8], sender: String = "dave@example.net") throws
        -> DialogueDelivery.Notification
    {
        try Notification(
            sender: try Address(canonical: sender), recipient: try Address(canonical: recipient),
            envelope: ContentIdentifier.hashing(envelope, context: .blob), envelopeSize: UInt64(envelope.count),
            messageSize: UInt64(envelope.count), baseURL: try BaseURL("https://mail.example.net/dialogue/v1"),
            created: clock.now(), expires: clock.now() + 86_400, stanzaIndex: nil, signingKey: peerKey)
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
