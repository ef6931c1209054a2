import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import Testing

/// Keys, addresses and valid objects shared by the delivery tests: fixed seeds, a fixed clock.
enum Fixtures {
    static let now: UInt64 = 1_760_000_000

    static func key(_ label: String) -> Ed25519.SigningKey {
        try! Ed25519.SigningKey(seed: BLAKE2b256.hash(Array("dialogue-delivery-tests/\(label)".utf8)))
    }

    static func address(_ text: String) -> Address { try! Address(canonical: text) }

    static func blob(_ label: String) -> ContentIdentifier {
        ContentIdentifier.hashing(Array(label.utf8), context: .blob)
    }

    static func fingerprint(_ key: Ed25519.SigningKey) -> ContentIdentifier {
        ContentIdentifier.hashing(key.publicKey.rawRepresentation, context: .identityKey)
    }

    static let alice = key("alice")
    static let bob = key("bob")
    static let carol = key("carol")
    static let mallory = key("mallory")
    static let server = key("server/example.org/1")
    static let nextServer = key("server/example.org/2")
    static let envelope = blob("envelope")
    static let baseURL = try! BaseURL("https://mail.example.org/dialogue/v1")

    static let serverKey = try! ServerKey(
        publicKey: server.publicKey, validFrom: now - 86_400, validUntil: now + 86_400)
    static let nextServerKey = try! ServerKey(
        publicKey: nextServer.publicKey, validFrom: now - 3600, validUntil: now + 864_000)

    static func document(
        keys: [ServerKey] = [serverKey], signers: [Ed25519.SigningKey] = [server], baseURL: BaseURL = baseURL,
        created: UInt64 = now - 60, expires: UInt64 = now + 86_400
    ) throws -> ServerDocument {
        try ServerDocument(
            domain: "example.org", baseURL: baseURL, keys: keys, signingKeys: signers, created: created,
            expires: expires, maximumMessageSize: 1 << 26, maximumRecipients: 1000)
    }

    static func deliveries(_ count: Int = 2) throws -> [Delivery] {
        try (0..<count).map {
            try Delivery(
                recipient: address("r\($0)@example.net"), envelope: envelope, fingerprint: fingerprint(bob),
                stanzaIndex: $0 % 4096)
        }
    }

    static func submission(deliveries: [Delivery]? = nil, chunks: [ContentIdentifier]? = nil) throws -> Submission {
        try Submission(
            sender: address("alice@example.org"), deliveries: deliveries ?? self.deliveries(),
            chunks: chunks ?? [blob("chunk 2"), blob("chunk 1"), blob("chunk 2")], created: now - 60,
            expires: now + 86_400, signingKey: alice)
    }

    static func notification(created: UInt64 = now - 10, signingKey: Ed25519.SigningKey = server) throws
        -> DialogueDelivery.Notification
    {
        try DialogueDelivery.Notification(
            sender: address("alice@example.org"), recipient: address("bob@example.net"), envelope: envelope,
            envelopeSize: 3000, messageSize: 5000, baseURL: baseURL, created: created, expires: now + 86_400,
            stanzaIndex: 3, signingKey: signingKey)
    }

    static func acknowledgement(created: UInt64 = now - 5) throws -> Acknowledgement {
        try Acknowledgement(
            recipient: address("bob@example.net"), envelope: envelope, sender: address("alice@example.org"),
            created: created, signingKey: bob)
    }

    static var bobsDelivery: Delivery {
        try! Delivery(recipient: address("bob@example.net"), envelope: envelope, fingerprint: fingerprint(bob))
    }

    /// Every strict prefix of `bytes` must be rejected with `malformed`, none accepted, none crashing.
    static func expectEveryPrefixMalformed(_ bytes: [UInt8], _ decode: ([UInt8]) throws(DeliveryError) -> Void) {
        for length in 0..<bytes.count {
            do {
                try decode(Array(bytes.prefix(length)))
                Issue.record("the first \(length) of \(bytes.count) bytes were accepted")
            } catch {
                #expect(error.code == .malformed, "prefix \(length): \(error)")
            }
        }
    }

    /// The offset of the first occurrence of `pattern` in `bytes`.
    static func offset(of pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        return (0...(bytes.count - pattern.count)).first { Array(bytes[$0..<$0 + pattern.count]) == pattern }
    }

    /// The class of the error `body` throws, or `nil` when it succeeds.
    static func failure(_ body: () throws(DeliveryError) -> Void) -> DeliveryError.Code? {
        do {
            try body()
            return nil
        } catch {
            return error.code
        }
    }
}
