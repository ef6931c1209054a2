public import DialogueCrypto
public import DialogueIdentifiers

/// One Ed25519 key of a server, with the period in which it signs (Spec: delivery.md#dlv-server-keys).
///
/// A server key is never an identity key: its fingerprint is computed under its own context and
/// written with its own kind, `srv-…`.
public struct ServerKey: Hashable, Sendable {
    /// The Ed25519 public key.
    public let publicKey: Ed25519.VerifyingKey
    /// The first second at which the key signs.
    public let validFrom: UInt64
    /// The last second at which the key signs; greater than ``validFrom``.
    public let validUntil: UInt64

    /// A key valid from `validFrom` to `validUntil`, both included; `validUntil ≤ validFrom` is
    /// `malformed` (Spec: [dlv-server-document-verify] step 4).
    public init(publicKey: Ed25519.VerifyingKey, validFrom: UInt64, validUntil: UInt64) throws(DeliveryError) {
        guard validUntil > validFrom else {
            throw .malformed("a server key's valid until (\(validUntil)) must be after its valid from (\(validFrom))")
        }
        self.publicKey = publicKey
        self.validFrom = validFrom
        self.validUntil = validUntil
    }

    /// The key's fingerprint: `0x01 || BLAKE2b-256("dialogue-v1/server-key" || 0x00 || key)`, written
    /// with the kind ``IdentifierKind/serverKey`` (Spec: delivery.md#dlv-server-keys).
    public var fingerprint: ContentIdentifier {
        ContentIdentifier.hashing(publicKey.rawRepresentation, context: .serverKey)
    }

    /// Whether the key may verify a signature made at `time`: `valid from ≤ time ≤ valid until`
    /// (Spec: [dlv-server-key-validity]).
    public func isValid(at time: UInt64) -> Bool { validFrom <= time && time <= validUntil }

    /// The key of `keys` whose fingerprint is `fingerprint` and that is valid at `time`; `unknown-key`
    /// when there is none (Spec: [dlv-server-key-validity]).
    public static func find(
        _ fingerprint: ContentIdentifier, in keys: some Sequence<ServerKey>, at time: UInt64
    ) throws(DeliveryError) -> ServerKey {
        let named = keys.filter { $0.fingerprint == fingerprint }
        guard !named.isEmpty else {
            throw DeliveryError(.unknownKey, "no server key has the fingerprint \(fingerprint.text(kind: .serverKey))")
        }
        guard let key = named.first(where: { $0.isValid(at: time) }) else {
            throw DeliveryError(
                .unknownKey,
                "the server key \(fingerprint.text(kind: .serverKey)) is not valid at \(time) "
                    + "(valid \(named[0].validFrom) to \(named[0].validUntil))")
        }
        return key
    }
}
