import DialogueCBOR
import DialogueCrypto
import DialogueIdentifiers
import DialogueMessages
import Foundation
import Testing

/// `MessageLimits.chunkSize`: 1 MiB.
let chunk = MessageLimits.chunkSize

/// Deterministic identities, keys and randomness: every test sees the same bytes.
enum Fixture {
    static let created: UInt64 = 1_700_000_000
    static let expires: UInt64 = created + 2 * 365 * 24 * 3600
    static let date: UInt64 = 1_700_000_100

    /// An Ed25519 key from a fixed seed: 32 bytes derived from `tag` and `index`.
    static func signingKey(_ tag: UInt8, _ index: Int = 0) -> Ed25519.SigningKey {
        try! Ed25519.SigningKey(seed: seed(tag, index, domain: 0x5e))
    }

    /// An X25519 key from fixed bytes.
    static func encryptionKey(_ tag: UInt8, _ index: Int = 0) -> X25519.PrivateKey {
        try! X25519.PrivateKey(rawRepresentation: seed(tag, index, domain: 0xec))
    }

    static func seed(_ tag: UInt8, _ index: Int, domain: UInt8) -> [UInt8] {
        var bytes = [UInt8](repeating: tag, count: 32)
        bytes[0] = domain
        bytes[1] = UInt8(truncatingIfNeeded: index >> 8)
        bytes[2] = UInt8(truncatingIfNeeded: index)
        return bytes
    }

    static func identity(_ addresses: [String], tag: UInt8, index: Int = 0) -> SecretIdentity {
        try! SecretIdentity(
            signingKey: signingKey(tag, index), encryptionKey: encryptionKey(tag, index),
            addresses: addresses.map { try! Address(canonical: $0) }, created: created, expires: expires
        )
    }

    static let alice = identity(["alice@example.org"], tag: 0xa1)
    static let bob = identity(["bob@example.net", "robert@example.net"], tag: 0xb0)
    static let carol = identity(["carol@example.com"], tag: 0xca)
    static let dave = identity(["dave@localhost"], tag: 0xda)
    static let mallory = identity(["mallory@example.org"], tag: 0x3a)

    /// Recipient number `index` of a large message.
    static func member(_ index: Int) -> SecretIdentity {
        identity(["member\(index)@lists.example.org"], tag: 0x77, index: index)
    }

    /// Fixed random inputs: `K`, `e`, a stanza order and part keys, all given.
    static func randomness(recipients: Int, parts: Int, tag: UInt8 = 0x01) -> SealingRandomness {
        SealingRandomness(
            messageKey: [UInt8](repeating: tag, count: 32),
            ephemeralSecret: [UInt8](repeating: tag &+ 1, count: 32),
            stanzaOrder: Array((0..<recipients).reversed()),
            partKeys: (0..<parts).map { [UInt8](repeating: tag &+ 2 &+ UInt8(truncatingIfNeeded: $0), count: 32) }
        )
    }

    /// `count` bytes of a fixed pattern that differs from chunk to chunk.
    static func content(_ count: Int, salt: UInt8 = 0) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 20 &+ Int(salt)) }
    }
}

/// Seals `draft` from `sender` into `store` (a fresh `MemoryBlobStore` unless given).
func seal(
    _ draft: MessageDraft, from sender: SecretIdentity = Fixture.alice, into store: MemoryBlobStore = MemoryBlobStore(),
    randomness: SealingRandomness? = nil
) async throws -> (sealed: MessageSealer.SealedMessage, store: MemoryBlobStore) {
    let sealer = MessageSealer(sender: sender, store: store)
    if let randomness { return (try await sealer.seal(draft, randomness: randomness), store) }
    return (try await sealer.seal(draft), store)
}

/// A draft from Alice to `recipients` with the given parts.
func draft(to recipients: [SecretIdentity], subject: String = "Hello", parts: [MessageDraft.Part]) -> MessageDraft {
    MessageDraft(
        recipients: recipients.map { .init(card: $0.card) }, date: Fixture.date, subject: subject, parts: parts)
}

/// Expects `body` to throw a `MessageError` of class `code` (equality compares classes only).
func expectError(
    _ code: MessageError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
    #expect(throws: MessageError(code, ""), sourceLocation: sourceLocation) { try body() }
}

/// The async form of ``expectError(_:sourceLocation:_:)``.
func expectAsyncError(
    _ code: MessageError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async {
    await #expect(throws: MessageError(code, ""), sourceLocation: sourceLocation) { try await body() }
}

/// The constructions of messages.md#msg-seal, written out from the specification with the crypto
/// primitives alone, so that tests can build envelopes by hand and cross-check the module.
enum Construction {
    static let zeroNonce = try! XChaCha20Poly1305.Nonce(rawRepresentation: [UInt8](repeating: 0, count: 24))

    static func contextPrefixed(_ context: String, _ bytes: some Sequence<UInt8>) -> [UInt8] {
        Array(context.utf8) + [0] + Array(bytes)
    }

    /// `BLAKE2b-256("dialogue-v1/key-commitment" || 0x00 || K)`.
    static func commitment(_ messageKey: [UInt8]) -> [UInt8] {
        BLAKE2b256.hash(contextPrefixed("dialogue-v1/key-commitment", messageKey))
    }

    /// `HKDF-SHA-256(ikm = K, salt = empty, info = "dialogue-v1/header-key", 32 bytes)`.
    static func headerKey(_ messageKey: [UInt8]) -> XChaCha20Poly1305.Key {
        let raw = try! HKDFSHA256.deriveKey(
            ikm: messageKey, salt: [UInt8](), info: Array("dialogue-v1/header-key".utf8), outputByteCount: 32
        )
        return try! XChaCha20Poly1305.Key(rawRepresentation: raw)
    }

    /// `HKDF-SHA-256(ikm = X25519(e, R), salt = E || R, info = "dialogue-v1/stanza", 32 bytes)`.
    static func wrapKey(ephemeral: X25519.PrivateKey, recipient: X25519.PublicKey) -> XChaCha20Poly1305.Key {
        let shared = try! ephemeral.sharedSecret(with: recipient)
        let raw = try! HKDFSHA256.deriveKey(
            ikm: shared, salt: ephemeral.publicKey.rawRepresentation + recipient.rawRepresentation,
            info: Array("dialogue-v1/stanza".utf8), outputByteCount: 32
        )
        return try! XChaCha20Poly1305.Key(rawRepresentation: raw)
    }

    /// `[bstr payload, bstr signature]` with the signature over `context || 0x00 || payload`.
    static func signed(_ payload: [UInt8], context: String, with key: Ed25519.SigningKey) -> [UInt8] {
        let signature = key.signature(for: contextPrefixed(context, payload)).rawRepresentation
        return try! CBOREncoder().encode(.array([.bytes(payload), .bytes(signature)]))
    }

    /// A signed manifest: `manifest` signed by `key` under `dialogue-v1/manifest`.
    static func signedManifest(_ manifest: CBORValue, with key: Ed25519.SigningKey = Fixture.alice.signingKey)
        -> [UInt8]
    {
        signed(encode(manifest), context: "dialogue-v1/manifest", with: key)
    }

    /// An encrypted envelope around `signedManifest`, sealed with `K` and `e` to `recipients`
    /// in that stanza order. `E` and the commitment are those of `K` and `e` unless overridden.
    static func envelope(
        signedManifest: [UInt8], messageKey: [UInt8], ephemeralSecret: [UInt8], recipients: [X25519.PublicKey],
        version: UInt64 = 1, commitment: [UInt8]? = nil
    ) -> [UInt8] {
        let ephemeral = try! X25519.PrivateKey(rawRepresentation: ephemeralSecret)
        let stanzas = recipients.map {
            XChaCha20Poly1305.seal(messageKey, using: wrapKey(ephemeral: ephemeral, recipient: $0), nonce: zeroNonce)
        }
        let payload = XChaCha20Poly1305.seal(signedManifest, using: headerKey(messageKey), nonce: zeroNonce)
        return encode(
            .map([
                .init(key: 0, value: .unsigned(version)),
                .init(key: 1, value: 0),
                .init(key: 2, value: .bytes(payload)),
                .init(key: 3, value: .bytes(ephemeral.publicKey.rawRepresentation)),
                .init(key: 4, value: .array(stanzas.map { .bytes($0) })),
                .init(key: 5, value: .bytes(commitment ?? self.commitment(messageKey))),
            ])
        )
    }

    static func encode(_ value: CBORValue) -> [UInt8] { try! CBOREncoder().encode(value) }

    static func decode(_ bytes: [UInt8]) -> CBORValue { try! CBORDecoder().decode(bytes).value }

    /// The two byte strings of a signed structure `[payload, signature]`.
    static func split(_ signed: [UInt8]) -> (payload: [UInt8], signature: [UInt8]) {
        guard case .array(let items) = decode(signed), case .bytes(let payload) = items[0],
            case .bytes(let signature) = items[1]
        else { preconditionFailure("not a signed structure") }
        return (payload, signature)
    }
}

extension CBORValue {
    /// The value under integer `key` of a map.
    subscript(key: Int64) -> CBORValue? {
        guard case .map(let entries) = self else { return nil }
        return entries.first { $0.key == .integer(key) }?.value
    }

    /// A copy of a map with `key` set to `value` (added if absent, removed if `nil`).
    func setting(_ key: Int64, to value: CBORValue?) -> CBORValue {
        guard case .map(var entries) = self else { preconditionFailure("not a map") }
        entries.removeAll { $0.key == .integer(key) }
        if let value { entries.append(.init(key: .integer(key), value: value)) }
        return .map(entries)
    }

    /// A copy of a map with text key `key` set to `value`.
    func adding(_ key: String, _ value: CBORValue) -> CBORValue {
        guard case .map(var entries) = self else { preconditionFailure("not a map") }
        entries.removeAll { $0.key == .text(key) }
        entries.append(.init(key: .text(key), value: value))
        return .map(entries)
    }

    /// A copy of a map with the value under `key` transformed.
    func updating(_ key: Int64, _ transform: (CBORValue) -> CBORValue) -> CBORValue {
        setting(key, to: transform(self[key]!))
    }

    /// A copy of an array with element `index` transformed.
    func updatingElement(_ index: Int, _ transform: (CBORValue) -> CBORValue) -> CBORValue {
        guard case .array(var items) = self else { preconditionFailure("not an array") }
        items[index] = transform(items[index])
        return .array(items)
    }

    /// The elements of an array.
    var elements: [CBORValue] {
        guard case .array(let items) = self else { preconditionFailure("not an array") }
        return items
    }

    /// The bytes of a byte string.
    var byteValue: [UInt8] {
        guard case .bytes(let bytes) = self else { preconditionFailure("not a byte string") }
        return bytes
    }
}

extension Array where Element == UInt8 {
    /// A copy with the byte at `index` flipped (all its bits inverted).
    func flipping(at index: Int) -> [UInt8] {
        var copy = self
        copy[index] ^= 0xff
        return copy
    }

    /// The offset of `needle` in `self`.
    func offset(of needle: [UInt8]) -> Int? {
        guard needle.count <= count else { return nil }
        return (0...(count - needle.count)).first { self[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}

/// A blob store that delegates to `base` and fails every `get` after the first `allowedGets`:
/// a connection that drops in the middle of a download.
actor InterruptingStore: BlobStore {
    struct Interrupted: Error {}

    let base: any BlobStore
    private var remaining: Int

    init(base: any BlobStore, allowedGets: Int) {
        self.base = base
        self.remaining = allowedGets
    }

    func put(_ bytes: [UInt8], as id: ContentIdentifier) async throws { try await base.put(bytes, as: id) }

    func get(_ id: ContentIdentifier) async throws -> [UInt8]? {
        guard remaining > 0 else { throw Interrupted() }
        remaining -= 1
        return try await base.get(id)
    }

    func contains(_ id: ContentIdentifier) async throws -> Bool { try await base.contains(id) }
}

/// A client-side cache in front of a remote store: blobs already held locally are never fetched
/// again, and every fetched blob is kept (Spec: messages.md#msg-partial).
struct CachingStore: BlobStore {
    let local: MemoryBlobStore
    let remote: any BlobStore

    func put(_ bytes: [UInt8], as id: ContentIdentifier) async throws { await local.put(bytes, as: id) }

    func get(_ id: ContentIdentifier) async throws -> [UInt8]? {
        if let held = await local.get(id) { return held }
        guard let fetched = try await remote.get(id) else { return nil }
        await local.put(fetched, as: id)
        return fetched
    }

    func contains(_ id: ContentIdentifier) async throws -> Bool {
        if await local.contains(id) { return true }
        return try await remote.contains(id)
    }
}

/// A fresh empty directory under /tmp, removed when `body` ends.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = "/tmp/dialogue-msgtests-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// The names in a directory.
func directoryEntries(_ path: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
}

/// Writes `bytes` to a new file at `path`.
func writeFile(_ path: String, _ bytes: [UInt8]) {
    precondition(FileManager.default.createFile(atPath: path, contents: Data(bytes)), "cannot create \(path)")
}

/// The bytes of the file at `path`, or `nil` if there is none.
func readFile(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { [UInt8]($0) }
}

/// Whether a file exists at `path`.
func fileExists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
