public import DialogueIdentifiers

/// A user of this server: its address, its current card and the identity key that signs its requests
/// (Spec: delivery.md#dlv-request-keyid). A server never holds a user's secret ([dlv-server-no-secrets]).
public struct AccountRecord: Hashable, Sendable {
    /// The canonical address.
    public var address: String
    /// The user's current card, exactly as registered.
    public var card: [UInt8]
    /// The card's Ed25519 identity public key.
    public var identityKey: [UInt8]
    /// The fingerprint of ``identityKey`` (kind `key`).
    public var fingerprint: ContentIdentifier
    /// When the account was created, in seconds.
    public var created: UInt64

    /// Creates an account record.
    public init(address: String, card: [UInt8], identityKey: [UInt8], fingerprint: ContentIdentifier, created: UInt64) {
        self.address = address
        self.card = card
        self.identityKey = identityKey
        self.fingerprint = fingerprint
        self.created = created
    }
}
