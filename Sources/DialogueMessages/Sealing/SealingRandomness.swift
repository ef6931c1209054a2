public import DialogueCrypto

/// Every random input of sealing, made explicit so that test vectors can fix them
/// (Spec: messages.md#msg-seal).
///
/// In normal use, ``random(recipientCount:partCount:)`` draws them from libsodium's
/// secure generator.
public struct SealingRandomness: Sendable {
    /// The 32-byte message key `K`.
    public var messageKey: [UInt8]
    /// The 32-byte ephemeral X25519 secret `e`.
    public var ephemeralSecret: [UInt8]
    /// The stanza order: stanza `s` is for recipient `stanzaOrder[s]` (a permutation of the recipients).
    public var stanzaOrder: [Int]
    /// One 32-byte part key for each part that is encrypted (not for parts reused by reference).
    public var partKeys: [[UInt8]]

    /// Creates randomness from given values.
    public init(messageKey: [UInt8], ephemeralSecret: [UInt8], stanzaOrder: [Int], partKeys: [[UInt8]]) {
        self.messageKey = messageKey
        self.ephemeralSecret = ephemeralSecret
        self.stanzaOrder = stanzaOrder
        self.partKeys = partKeys
    }

    /// Draws everything from the secure generator, shuffling the stanzas (Spec: [msg-stanza-order]).
    public static func random(recipientCount: Int, partCount: Int) -> SealingRandomness {
        var order = Array(0..<recipientCount)
        // Fisher-Yates with unbiased draws.
        if order.count > 1 {
            for high in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(high, uniform(below: high + 1))
            }
        }
        return SealingRandomness(
            messageKey: SecureRandom.bytes(count: 32),
            ephemeralSecret: SecureRandom.bytes(count: 32),
            stanzaOrder: order,
            partKeys: (0..<partCount).map { _ in SecureRandom.bytes(count: 32) }
        )
    }

    private static func uniform(below bound: Int) -> Int {
        let bound = UInt64(bound)
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let value = SecureRandom.bytes(count: 8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if value < limit { return Int(value % bound) }
        }
    }
}
