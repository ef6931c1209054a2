public import DialogueCrypto
public import DialogueMessages
public import Foundation

// `Date` overloads of the trust layer's time fields, which the protocol keeps as whole seconds
// since 1970: dates given as `Date` are rounded down to the second. Where a date says "now",
// it defaults to now.

extension RotationStatement {
    /// When the statement was made (the sender's clock).
    public var creationDate: Date { ProtocolTime.date(created) }
    /// After this date the statement is no longer applied.
    public var expirationDate: Date { ProtocolTime.date(expires) }

    /// Makes and signs a rotation with both keys, made `created` (now, by default).
    ///
    /// - Parameters:
    ///   - addresses: The addresses whose binding moves, 1 to 16, distinct.
    ///   - oldKey: The key being replaced; it signs.
    ///   - newKey: Its successor; it signs too.
    ///   - sequence: The position in the identity's chain of rotations: 1, 2, …
    ///   - previousHash: The hash of the rotation that introduced `oldKey`; empty for sequence 1.
    ///   - created: When the statement is made; now by default.
    ///   - expires: After this date it is no longer applied; after `created`.
    /// - Throws: `MessageError` as the initializer that takes seconds does.
    public init(
        addresses: [Address], from oldKey: Ed25519.SigningKey, to newKey: Ed25519.SigningKey, sequence: UInt64,
        previousHash: [UInt8], created: Date = Date(), expires: Date
    ) throws(MessageError) {
        try self.init(
            addresses: addresses, from: oldKey, to: newKey, sequence: sequence, previousHash: previousHash,
            created: ProtocolTime.seconds(created), expires: ProtocolTime.seconds(expires))
    }
}

extension RevocationStatement {
    /// When the revocation was made (the sender's clock).
    public var creationDate: Date { ProtocolTime.date(created) }

    /// Makes and signs a revocation of `key`, made `created` (now, by default).
    ///
    /// - Parameters:
    ///   - key: The key revoked; it signs.
    ///   - created: When the revocation is made; now by default.
    ///   - reason: Why, in the holder's words (at most 1,024 bytes; may be empty).
    /// - Throws: `MessageError` as the initializer that takes seconds does.
    public init(revoking key: Ed25519.SigningKey, created: Date = Date(), reason: String) throws(MessageError) {
        try self.init(revoking: key, created: ProtocolTime.seconds(created), reason: reason)
    }
}

extension TrustAssessment {
    /// When the message was (first) received, on the receiver's clock.
    public var receivedDate: Date { ProtocolTime.date(receivedAt) }
}

extension TrustBinding {
    /// When the first message from the address was received.
    public var firstSeenDate: Date { ProtocolTime.date(firstSeen) }
    /// When the latest message from the address was received.
    public var lastSeenDate: Date { ProtocolTime.date(lastSeen) }
}

extension ManualTrustClock {
    /// Creates a clock showing `date`, rounded down to the second.
    public convenience init(_ date: Date) { self.init(ProtocolTime.seconds(date)) }

    /// Sets the clock to `date`, rounded down to the second.
    public func set(_ date: Date) { set(ProtocolTime.seconds(date)) }
}
