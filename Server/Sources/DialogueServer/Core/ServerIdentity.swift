public import DialogueCrypto
public import DialogueDelivery
public import DialogueIdentifiers

/// The server's own signing keys, and the signed server document it publishes
/// (Spec: delivery.md#dlv-server-document, delivery.md#dlv-server-keys).
public struct ServerIdentity: Sendable {
    /// One signing key with its validity.
    public struct Key: Sendable {
        /// The Ed25519 key.
        public var signingKey: Ed25519.SigningKey
        /// Valid from, seconds.
        public var validFrom: UInt64
        /// Valid until, seconds.
        public var validUntil: UInt64

        /// The fingerprint (kind `srv`).
        public var fingerprint: ContentIdentifier {
            ContentIdentifier.hashing(signingKey.publicKey.rawRepresentation, context: .serverKey)
        }

        /// Creates a key entry.
        public init(signingKey: Ed25519.SigningKey, validFrom: UInt64, validUntil: UInt64) {
            self.signingKey = signingKey
            self.validFrom = validFrom
            self.validUntil = validUntil
        }
    }

    /// Every key the document lists, the current signing key first.
    public var keys: [Key]

    /// Creates an identity; `keys` must not be empty.
    public init(keys: [Key]) {
        precondition(!keys.isEmpty, "a server needs at least one key")
        self.keys = keys
    }

    /// The key that signs requests and notifications at `time`: the first valid one.
    public func signingKey(at time: UInt64) -> Key? {
        keys.first { $0.validFrom <= time && time <= $0.validUntil }
    }
}
