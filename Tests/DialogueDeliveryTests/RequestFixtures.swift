import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages

/// Keys, addresses and helpers shared by the request tests.
enum RequestFixtures {
    static let alice = try! Address(canonical: "alice@example.org")
    static let aliceKey = try! Ed25519.SigningKey(seed: [UInt8](repeating: 1, count: 32))
    static let mallory = try! Ed25519.SigningKey(seed: [UInt8](repeating: 2, count: 32))
    static let serverKey = try! Ed25519.SigningKey(seed: [UInt8](repeating: 3, count: 32))
    static let created: UInt64 = 1_760_000_000
    static let target = "https://mail.example.org/dialogue/v1/submissions"

    static func fingerprint(_ key: Ed25519.SigningKey, _ context: DomainContext) -> ContentIdentifier {
        ContentIdentifier.hashing(key.publicKey.rawRepresentation, context: context)
    }

    static let aliceKeyID = RequestKeyID(user: alice, fingerprint: fingerprint(aliceKey, .identityKey))
    static let serverKeyID = try! RequestKeyID(server: "example.net", fingerprint: fingerprint(serverKey, .serverKey))

    static let resolver = StaticKeyResolver(
        users: [alice: aliceKey.publicKey],
        servers: [
            "example.net": [
                ServerKeyValidity(key: serverKey.publicKey, validFrom: created - 1_000, validUntil: created + 1_000)
            ]
        ])

    /// A request signed by alice (or `signer`), with `nonce`.
    static func request(
        body: [UInt8] = Array("hello".utf8), nonce: String = "AAECAwQFBgcICQoLDA0ODw",
        signer: RequestSigner = try! RequestSigner(keyID: aliceKeyID, signingKey: aliceKey),
        created: UInt64 = RequestFixtures.created
    ) throws -> RequestHead {
        let signature = try signer.sign(
            method: "POST", targetURI: target, body: body, created: created, expires: created + 300, nonce: nonce)
        return RequestHead(method: "POST", targetURI: target, fields: signature.fields)
    }
}

/// A nonce cache that records what it was asked, to show when the verifier asks.
actor RecordingNonceCache: NonceCache {
    private(set) var admitted: [NonceCacheEntry] = []
    private let inner = MemoryNonceCache(startedAt: 0)

    func admit(_ entry: NonceCacheEntry, now: UInt64) async -> Bool {
        admitted.append(entry)
        return await inner.admit(entry, now: now)
    }
}
