internal import DialogueCBOR
public import DialogueCrypto
public import DialogueIdentifiers

/// A signed statement binding addresses to an identity key and an encryption key
/// (Spec: identities.md#card).
///
/// A card keeps the exact bytes it was decoded from or issued as: those are what travels
/// in a manifest and what its signature covers.
public struct IdentityCard: Hashable, Sendable {
    /// The card's addresses: canonical, distinct, in bytewise order.
    public let addresses: [Address]
    /// The Ed25519 identity key that signs the card and the owner's manifests.
    public let identityKey: Ed25519.VerifyingKey
    /// The X25519 key that messages to this identity are sealed to.
    public let encryptionKey: X25519.PublicKey
    /// When the card was issued, in seconds since 1970.
    public let created: UInt64
    /// When the card stops being current, in seconds since 1970.
    public let expires: UInt64
    /// The card exactly as encoded: `[body, signature]`.
    public let encodedBytes: [UInt8]

    /// The identity's fingerprint: the identifier of its identity key (Spec: identities.md#keys).
    public var fingerprint: ContentIdentifier {
        ContentIdentifier.hashing(identityKey.rawRepresentation, context: .identityKey)
    }

    /// Issues and signs a card.
    public init(
        addresses: [Address],
        signingKey: Ed25519.SigningKey,
        encryptionKey: X25519.PublicKey,
        created: UInt64,
        expires: UInt64
    ) throws(MessageError) {
        let sorted = Array(Set(addresses)).sorted()
        guard sorted.count == addresses.count, !sorted.isEmpty else {
            throw .malformed("a card needs 1 to \(MessageLimits.maximumCardAddresses) distinct addresses")
        }
        guard sorted.count <= MessageLimits.maximumCardAddresses else {
            throw .limits("a card has at most \(MessageLimits.maximumCardAddresses) addresses")
        }
        guard expires > created else { throw .malformed("a card must expire after it is created") }
        guard !encryptionKey.isLowOrder else {
            throw MessageError(.weakKey, "the card's encryption key is a low-order point")
        }
        let body = Schema.encode(
            .map([
                .init(key: 0, value: 1),
                .init(key: 1, value: .array(sorted.map { .text($0.text) })),
                .init(key: 2, value: .bytes(signingKey.publicKey.rawRepresentation)),
                .init(key: 3, value: .bytes(encryptionKey.rawRepresentation)),
                .init(key: 4, value: .unsigned(created)),
                .init(key: 5, value: .unsigned(expires)),
            ])
        )
        let signature = signingKey.signature(for: Schema.signatureInput(.card, body))
        self.addresses = sorted
        self.identityKey = signingKey.publicKey
        self.encryptionKey = encryptionKey
        self.created = created
        self.expires = expires
        self.encodedBytes = Schema.encodeSigned(payload: body, signature: signature.rawRepresentation)
    }

    /// Decodes a card and verifies its signature (Spec: [card-decode], [card-version],
    /// [card-signature], [card-fields]).
    public init(decoding bytes: some Collection<UInt8>) throws(MessageError) {
        let encoded = Array(bytes)
        let outer = try Schema.decode(encoded[...], "card")
        let (body, signature) = try Schema.signed(outer, "card")
        let node = try Schema.decode(body, "card body")
        try Schema.requireVersion(node, "card body")
        var addresses: [Address] = []
        var identityBytes: [UInt8] = []
        var encryptionBytes: [UInt8] = []
        var created: UInt64 = 0
        var expires: UInt64 = 0
        try Schema.map(node, "card body") { (reader: inout CBORMapReader) throws(MessageError) in
            _ = try Schema.required(&reader, 0, "card version")
            let list = try Schema.array(
                Schema.required(&reader, 1, "card addresses"), "card addresses",
                maximumCount: MessageLimits.maximumCardAddresses
            )
            for element in list { addresses.append(try Schema.address(element, "card address")) }
            identityBytes = try Schema.bytes(
                Schema.required(&reader, 2, "card identity key"), count: 32, "card identity key")
            encryptionBytes = try Schema.bytes(
                Schema.required(&reader, 3, "card encryption key"), count: 32, "card encryption key"
            )
            created = try Schema.unsigned(Schema.required(&reader, 4, "card created"), "card created")
            expires = try Schema.unsigned(Schema.required(&reader, 5, "card expires"), "card expires")
        }
        guard !addresses.isEmpty else { throw .malformed("a card lists at least one address") }
        guard let identityKey = try? Ed25519.VerifyingKey(rawRepresentation: identityBytes),
            let encryptionKey = try? X25519.PublicKey(rawRepresentation: encryptionBytes)
        else { throw .malformed("card keys must be 32 bytes") }
        guard identityKey.isValidSignature(signature, for: Schema.signatureInput(.card, body)) else {
            throw MessageError(.badSignature, "the card's signature does not verify under its identity key")
        }
        guard zip(addresses, addresses.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw .malformed("card addresses must be distinct and in bytewise order")
        }
        guard expires > created else {
            throw .malformed("the card expires (\(expires)) before it is created (\(created))")
        }
        guard !encryptionKey.isLowOrder else {
            throw MessageError(.weakKey, "the card's encryption key is a low-order point")
        }
        self.addresses = addresses
        self.identityKey = identityKey
        self.encryptionKey = encryptionKey
        self.created = created
        self.expires = expires
        self.encodedBytes = encoded
    }

    /// Whether `address` is one of the card's addresses.
    public func lists(_ address: Address) -> Bool { addresses.contains(address) }

    /// Cards are equal when their bytes are.
    public static func == (lhs: IdentityCard, rhs: IdentityCard) -> Bool { lhs.encodedBytes == rhs.encodedBytes }

    /// Hashes the card's bytes.
    public func hash(into hasher: inout Hasher) { hasher.combine(encodedBytes) }
}
