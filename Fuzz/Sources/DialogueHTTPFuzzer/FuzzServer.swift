internal import DialogueConformance
internal import DialogueCrypto
internal import DialogueDelivery
internal import DialogueFuzzSupport
internal import DialogueIdentifiers
internal import DialogueMessages
internal import DialogueServer
internal import DialogueServerStorage
internal import Foundation
internal import Synchronization

/// A mail server for `example.org` (base URL `https://mail.example.org/dialogue/v1`, the host of the
/// request vectors) on the memory store, built anew for every input from one context of the request
/// vectors: its clock is the context's `now`, its users the context's users, its peers' keys the
/// context's server keys. So a seed signed for that context passes [dlv-request-verify] and reaches the
/// route behind it, and no input sees what an earlier one stored.
struct FuzzServer {
    /// The blob files' directory, emptied before each input.
    static let root = NSTemporaryDirectory() + "dialogue-http-fuzz-\(getpid())"

    let service: MailService
    let fetcher: CountingFetcher

    init(context: JSONValue) throws {
        let now = try ContextField.unsigned(context, "now")
        try? FileManager.default.removeItem(atPath: Self.root)
        let files = try BlobFiles(root: Self.root)
        let store = MemoryMailStore()
        var servers: [String: [ServerKeyValidity]] = [:]
        for server in context["servers"]?.arrayValue ?? [] {
            let key = try Ed25519.VerifyingKey(rawRepresentation: try ContextField.hex(server, "key"))
            servers[try ContextField.string(server, "domain"), default: []].append(
                ServerKeyValidity(
                    key: key, validFrom: try ContextField.unsigned(server, "valid_from"),
                    validUntil: try ContextField.unsigned(server, "valid_until")))
        }
        let configuration = ServerConfiguration(
            domains: ["example.org"], baseURL: try BaseURL("https://mail.example.org/dialogue/v1"),
            dataDirectory: Self.root)
        let serverKey = ServerIdentity.Key(
            signingKey: try Ed25519.SigningKey(seed: [UInt8](repeating: 7, count: 32)),
            validFrom: now - 100, validUntil: now + 10_000_000)
        fetcher = CountingFetcher()
        service = MailService(
            store: store, files: files, clock: ManualClock(now), configuration: configuration,
            identity: ServerIdentity(keys: [serverKey]), peers: ContextPeers(servers: servers), fetcher: fetcher)
        for user in context["users"]?.arrayValue ?? [] {
            // A user's card, as `dialogued user add` registers it: signed by the fixture key behind the
            // context's identity key (a user without one would serve an unreadable card: 503).
            guard let signingKey = FixtureKeys.signingKey(for: try ContextField.hex(user, "identity_key")) else {
                continue
            }
            let card = try IdentityCard(
                addresses: [try Address(canonical: try ContextField.string(user, "address"))], signingKey: signingKey,
                encryptionKey: X25519.PrivateKey().publicKey, created: now - 100, expires: now + 86_400 * 365)
            let account = AccountRecord(
                address: card.addresses[0].text, card: card.encodedBytes,
                identityKey: signingKey.publicKey.rawRepresentation, fingerprint: card.fingerprint, created: now - 100)
            Blocking.run { try? await store.addAccount(account) }
        }
    }
}

extension FuzzServer {
    /// Puts `bytes` in the server's blob files and marks them live, as a blob just uploaded or served
    /// is: the next fetches of it on a kept-alive connection take ``LiveBlobFastPath``. Written
    /// without the `fsync` of an upload: the fuzz server's files need not survive a crash.
    func holdLive(_ bytes: [UInt8]) throws {
        let id = ContentIdentifier.hashing(bytes, context: .blob)
        let path = service.files.path(of: id)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)),
            let status = BlobFiles.status(ofPath: path)
        else { throw ContextField.Missing(description: "cannot write \(path)") }
        service.liveBlobs.recordLive(
            id, file: LiveBlobCache.FileIdentity(device: status.device, inode: status.inode), now: service.clock.now())
    }
}

/// The server keys of the context's peers; no peer has a document, so nothing is ever fetched.
struct ContextPeers: PeerDirectory {
    let servers: [String: [ServerKeyValidity]]

    func document(of domain: String) async throws -> ServerDocument {
        throw DeliveryError(.unknownKey, "no document of \(domain) in the fuzz context")
    }

    func serverKey(of domain: String, fingerprint: ContentIdentifier, at time: UInt64) async -> ServerKeyValidity? {
        servers[domain]?.first {
            ContentIdentifier.hashing($0.key.rawRepresentation, context: .serverKey) == fingerprint
                && $0.validFrom <= time && time < $0.validUntil
        }
    }
}

/// A fetcher that reaches no one, and says whether it was asked: only then may the server answer
/// `503` (it could not get what a keep names from the sender's server).
final class CountingFetcher: BlobFetcher {
    private let asked = Atomic<Int>(0)

    var wasAsked: Bool { asked.load(ordering: .relaxed) > 0 }

    func fetch(_ id: ContentIdentifier, from baseURL: BaseURL, into files: BlobFiles, limit: Int) async throws -> Int {
        asked.add(1, ordering: .relaxed)
        throw BlobFiles.Failure.io("the fuzz server reaches no other server")
    }
}

/// The members of a context object; a context that lacks one is a broken corpus, not a finding.
enum ContextField {
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    static func string(_ object: JSONValue, _ key: String) throws -> String {
        guard let value = object[key]?.stringValue else { throw Missing(description: "context lacks \(key)") }
        return value
    }

    static func unsigned(_ object: JSONValue, _ key: String) throws -> UInt64 {
        guard let value = object[key]?.unsignedValue else { throw Missing(description: "context lacks \(key)") }
        return value
    }

    static func hex(_ object: JSONValue, _ key: String) throws -> [UInt8] {
        guard let value = Hex.decode(try string(object, key)) else { throw Missing(description: "\(key) is not hex") }
        return value
    }
}
