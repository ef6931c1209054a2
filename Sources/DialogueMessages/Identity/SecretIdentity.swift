internal import DialogueCBOR
public import DialogueCrypto
public import DialogueIdentifiers

/// An identity's secret keys and its current card: what is needed to sign and to receive
/// (Spec: identities.md#secret).
public struct SecretIdentity: Sendable {
    /// The Ed25519 identity key.
    public let signingKey: Ed25519.SigningKey
    /// The X25519 encryption key.
    public let encryptionKey: X25519.PrivateKey
    /// The identity's current card, which matches both keys.
    public let card: IdentityCard

    /// Generates fresh keys and issues a card valid from `created` for `validity` seconds.
    public static func generate(
        addresses: [Address],
        created: UInt64,
        validity: UInt64 = 2 * 365 * 24 * 3600
    ) throws(MessageError) -> SecretIdentity {
        try SecretIdentity(
            signingKey: Ed25519.SigningKey(),
            encryptionKey: X25519.PrivateKey(),
            addresses: addresses,
            created: created,
            expires: created + validity
        )
    }

    /// Builds an identity from given keys (test vectors inject them) and issues its card.
    public init(
        signingKey: Ed25519.SigningKey,
        encryptionKey: X25519.PrivateKey,
        addresses: [Address],
        created: UInt64,
        expires: UInt64
    ) throws(MessageError) {
        let card = try IdentityCard(
            addresses: addresses,
            signingKey: signingKey,
            encryptionKey: encryptionKey.publicKey,
            created: created,
            expires: expires
        )
        try self.init(signingKey: signingKey, encryptionKey: encryptionKey, card: card)
    }

    /// Combines keys with an existing card, checking that they match (Spec: [secret-consistency]).
    public init(signingKey: Ed25519.SigningKey, encryptionKey: X25519.PrivateKey, card: IdentityCard)
        throws(MessageError)
    {
        guard card.identityKey == signingKey.publicKey, card.encryptionKey == encryptionKey.publicKey else {
            throw .malformed("the secret keys do not match the card")
        }
        self.signingKey = signingKey
        self.encryptionKey = encryptionKey
        self.card = card
    }

    /// The identity's fingerprint.
    public var fingerprint: ContentIdentifier { card.fingerprint }
}
