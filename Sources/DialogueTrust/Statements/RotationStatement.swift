internal import DialogueCBOR
public import DialogueCrypto
internal import DialogueIdentifiers
public import DialogueMessages

/// A key rotation: the holder of an identity key names its successor, and both keys sign
/// (Spec: trust.md#trust-rotation).
///
/// ```
/// body = { 0: 1, 1: 0, 2: [+ address], 3: old key, 4: new key, 5: sequence,
///          6: previous statement hash (empty for sequence 1), 7: created, 8: expires }
/// statement = [ body, Ed25519(old, "dialogue-v1/rotation" || 0x00 || body),
///                     Ed25519(new, "dialogue-v1/rotation" || 0x00 || body) ]
/// ```
///
/// ```swift
/// let statement = try RotationStatement(addresses: alice.card.addresses, from: oldKey, to: newKey,
///                                       sequence: 1, previousHash: [], created: now, expires: now + 90 * 86_400)
/// let part = statement.messagePart  // travels in any message
/// ```
public struct RotationStatement: Hashable, Sendable {
    /// The addresses whose binding moves from the old key to the new key.
    public let addresses: [Address]
    /// The key being replaced.
    public let oldKey: Ed25519.VerifyingKey
    /// Its successor.
    public let newKey: Ed25519.VerifyingKey
    /// The position in the identity's chain of rotations: 1, 2, …
    public let sequence: UInt64
    /// The statement hash of the rotation that introduced ``oldKey``; empty when ``sequence`` is 1.
    public let previousHash: [UInt8]
    /// When it was made, seconds since 1970 (the sender's clock).
    public let created: UInt64
    /// After this time (seconds since 1970) the statement is no longer applied.
    public let expires: UInt64
    /// The statement exactly as encoded: `[body, old signature, new signature]`.
    public let encodedBytes: [UInt8]
    /// The statement hash (Spec: [trust-statement-hash]).
    public let hash: [UInt8]

    /// Makes and signs a rotation with both keys.
    public init(
        addresses: [Address],
        from oldKey: Ed25519.SigningKey,
        to newKey: Ed25519.SigningKey,
        sequence: UInt64,
        previousHash: [UInt8],
        created: UInt64,
        expires: UInt64
    ) throws(MessageError) {
        let sorted = Array(Set(addresses)).sorted()
        guard sorted.count == addresses.count, (1...StatementLimits.maximumAddresses).contains(sorted.count) else {
            throw .malformed("a rotation lists 1 to \(StatementLimits.maximumAddresses) distinct addresses")
        }
        try RotationStatement.checkFields(
            old: oldKey.publicKey, new: newKey.publicKey, sequence: sequence, previousHash: previousHash,
            created: created, expires: expires
        )
        let body = Schema.encode(
            .map([
                .init(key: 0, value: 1),
                .init(key: 1, value: 0),
                .init(key: 2, value: .array(sorted.map { .text($0.text) })),
                .init(key: 3, value: .bytes(oldKey.publicKey.rawRepresentation)),
                .init(key: 4, value: .bytes(newKey.publicKey.rawRepresentation)),
                .init(key: 5, value: .unsigned(sequence)),
                .init(key: 6, value: .bytes(previousHash)),
                .init(key: 7, value: .unsigned(created)),
                .init(key: 8, value: .unsigned(expires)),
            ])
        )
        let input = Schema.signatureInput(.rotation, body)
        let oldSignature = oldKey.signature(for: input)
        let newSignature = newKey.signature(for: input)
        self.addresses = sorted
        self.oldKey = oldKey.publicKey
        self.newKey = newKey.publicKey
        self.sequence = sequence
        self.previousHash = previousHash
        self.created = created
        self.expires = expires
        self.encodedBytes = Schema.encode(
            .array([.bytes(body), .bytes(oldSignature.rawRepresentation), .bytes(newSignature.rawRepresentation)])
        )
        self.hash = StatementWire.hash(body: body)
    }

    /// Decodes a rotation and verifies both signatures (Spec: [trust-statement-decode]).
    public init(decoding bytes: [UInt8]) throws(MessageError) {
        switch try KeyStatement(decoding: bytes) {
        case .rotation(let rotation): self = rotation
        case .revocation: throw .malformed("this is a revocation, not a rotation")
        }
    }

    init(body: ArraySlice<UInt8>, node: CBORNode, signatures: [ArraySlice<UInt8>], encoded: [UInt8])
        throws(MessageError)
    {
        guard signatures.count == 2 else {
            throw .malformed(
                "a rotation is [body, old-key signature, new-key signature]; found \(signatures.count + 1) elements")
        }
        var addresses: [Address] = []
        var oldKey: Ed25519.VerifyingKey?
        var newKey: Ed25519.VerifyingKey?
        var sequence: UInt64 = 0
        var previous: [UInt8] = []
        var created: UInt64 = 0
        var expires: UInt64 = 0
        try Schema.map(node, "rotation body") { (reader: inout CBORMapReader) throws(MessageError) in
            _ = try Schema.required(&reader, 0, "version")
            _ = try Schema.required(&reader, 1, "kind")
            addresses = try StatementWire.addresses(
                Schema.required(&reader, 2, "addresses"), "rotation addresses")
            oldKey = try StatementWire.key(Schema.required(&reader, 3, "old key"), "old key")
            newKey = try StatementWire.key(Schema.required(&reader, 4, "new key"), "new key")
            sequence = try Schema.unsigned(Schema.required(&reader, 5, "sequence"), "sequence")
            previous = Array(
                try Schema.bytes(Schema.required(&reader, 6, "previous hash"), "previous hash"))
            created = try Schema.unsigned(Schema.required(&reader, 7, "created"), "created")
            expires = try Schema.unsigned(Schema.required(&reader, 8, "expires"), "expires")
        }
        guard let oldKey, let newKey else { throw .malformed("a rotation names two keys") }
        try RotationStatement.checkFields(
            old: oldKey, new: newKey, sequence: sequence, previousHash: previous, created: created, expires: expires
        )
        let input = Schema.signatureInput(.rotation, body)
        guard oldKey.isValidSignature(signatures[0], for: input) else {
            throw MessageError(.badSignature, "the old key's signature on the rotation does not verify")
        }
        guard newKey.isValidSignature(signatures[1], for: input) else {
            throw MessageError(.badSignature, "the new key's signature on the rotation does not verify")
        }
        self.addresses = addresses
        self.oldKey = oldKey
        self.newKey = newKey
        self.sequence = sequence
        self.previousHash = previous
        self.created = created
        self.expires = expires
        self.encodedBytes = encoded
        self.hash = StatementWire.hash(body: body)
    }

    private static func checkFields(
        old: Ed25519.VerifyingKey, new: Ed25519.VerifyingKey, sequence: UInt64, previousHash: [UInt8],
        created: UInt64, expires: UInt64
    ) throws(MessageError) {
        guard old != new else { throw .malformed("a rotation's old and new keys must differ") }
        guard sequence >= 1 else { throw .malformed("a rotation's sequence number starts at 1") }
        if sequence == 1 {
            guard previousHash.isEmpty else {
                throw .malformed("the first rotation (sequence 1) has an empty previous hash")
            }
        } else {
            guard previousHash.count == 32 else {
                throw .malformed("rotation \(sequence) needs the 32-byte hash of rotation \(sequence - 1)")
            }
        }
        guard expires > created else { throw .malformed("a rotation must expire after it is created") }
    }

    /// Whether the rotation moves `address`.
    public func lists(_ address: Address) -> Bool { addresses.contains(address) }

    /// The part that carries this statement in a message (Spec: [trust-statement-transport]).
    public var messagePart: MessageDraft.Part {
        MessageDraft.Part(mediaType: KeyStatement.mediaType, content: .bytes(encodedBytes))
    }

    /// Compares bytes.
    public static func == (lhs: RotationStatement, rhs: RotationStatement) -> Bool {
        lhs.encodedBytes == rhs.encodedBytes
    }

    /// Hashes bytes.
    public func hash(into hasher: inout Hasher) { hasher.combine(encodedBytes) }
}
