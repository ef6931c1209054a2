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

    /// How long a server document is valid after it is made, in seconds; it is made again at half that.
    public static let documentLifetime: UInt64 = 86_400

    /// The server document of `configuration`'s first domain, signed now with every key
    /// (Spec: [dlv-server-document]).
    public func document(for configuration: ServerConfiguration, now: UInt64) throws -> ServerDocument {
        let listed = try keys.map { (key) throws(DeliveryError) in
            try ServerKey(publicKey: key.signingKey.publicKey, validFrom: key.validFrom, validUntil: key.validUntil)
        }
        return try ServerDocument(
            domain: configuration.domains[0], baseURL: configuration.baseURL, keys: listed,
            signingKeys: keys.map(\.signingKey), created: now, expires: now + Self.documentLifetime,
            maximumMessageSize: configuration.maximumMessageSize,
            maximumRecipients: min(configuration.maximumRecipients, 4096))
    }

    /// The key that signs requests and notifications at `time`: the first valid one.
    public func signingKey(at time: UInt64) -> Key? {
        keys.first { $0.validFrom <= time && time <= $0.validUntil }
    }
}
