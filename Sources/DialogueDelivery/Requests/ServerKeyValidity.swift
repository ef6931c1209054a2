public import DialogueCrypto

/// A key of a server document with its validity (Spec: delivery.md#dlv-server-key-validity).
public struct ServerKeyValidity: Hashable, Sendable {
    /// The Ed25519 public key.
    public let key: Ed25519.VerifyingKey
    /// The first second the key may sign at.
    public let validFrom: UInt64
    /// The last second the key may sign at.
    public let validUntil: UInt64

    /// Creates a key with its validity.
    public init(key: Ed25519.VerifyingKey, validFrom: UInt64, validUntil: UInt64) {
        self.key = key
        self.validFrom = validFrom
        self.validUntil = validUntil
    }

    /// Whether a signature made at `time` may be verified with this key: `valid from ≤ time ≤
    /// valid until` ([dlv-server-key-validity]).
    public func isValid(at time: UInt64) -> Bool { validFrom <= time && time <= validUntil }
}
