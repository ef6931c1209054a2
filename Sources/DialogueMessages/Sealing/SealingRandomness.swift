internal import DialogueCrypto

/// Every random input of sealing, made explicit so that test vectors can fix them
/// (Spec: messages.md#msg-seal, messages.md#msg-bcc).
///
/// In normal use, ``random(recipientCount:partCount:blindCopyCount:)`` draws them from
/// libsodium's secure generator.
public struct SealingRandomness: Sendable {
    /// The random inputs of one blind copy (Spec: [msg-bcc-randomness]).
    ///
    /// A blind copy has one stanza, for its one blind recipient, so it has no stanza order;
    /// its parts are the message's, so it has no part keys of its own.
    public struct BlindCopy: Sendable, Equatable {
        /// The copy's own 32-byte message key `K`.
        public var messageKey: [UInt8]
        /// The copy's own 32-byte ephemeral X25519 secret `e`.
        public var ephemeralSecret: [UInt8]

        /// Creates a blind copy's randomness from given values.
        public init(messageKey: [UInt8], ephemeralSecret: [UInt8]) {
            self.messageKey = messageKey
            self.ephemeralSecret = ephemeralSecret
        }

        /// Draws a fresh message key and ephemeral secret from the secure generator.
        public static func random() -> BlindCopy {
            BlindCopy(messageKey: SecureRandom.bytes(count: 32), ephemeralSecret: SecureRandom.bytes(count: 32))
        }
    }

    /// The 32-byte message key `K` of the primary envelope.
    public var messageKey: [UInt8]
    /// The 32-byte ephemeral X25519 secret `e` of the primary envelope.
    public var ephemeralSecret: [UInt8]
    /// The stanza order of the primary envelope: stanza `s` is for the visible recipient
    /// `stanzaOrder[s]` (a permutation of the `to` and `cc` recipients, indexed in draft order
    /// among them).
    public var stanzaOrder: [Int]
    /// One 32-byte part key for each part that is encrypted (not for parts reused by reference).
    public var partKeys: [[UInt8]]
    /// One entry for each blind-copy (`bcc`) recipient, in the order of the draft's `bcc`
    /// recipients (Spec: [msg-bcc-randomness]); empty when the draft has none.
    public var blindCopies: [BlindCopy]

    /// Creates randomness from given values.
    public init(
        messageKey: [UInt8], ephemeralSecret: [UInt8], stanzaOrder: [Int], partKeys: [[UInt8]],
        blindCopies: [BlindCopy] = []
    ) {
        self.messageKey = messageKey
        self.ephemeralSecret = ephemeralSecret
        self.stanzaOrder = stanzaOrder
        self.partKeys = partKeys
        self.blindCopies = blindCopies
    }

    /// Draws everything from the secure generator, shuffling the stanzas (Spec: [msg-stanza-order]).
    ///
    /// - Parameters:
    ///   - recipientCount: The number of visible (`to` and `cc`) recipients.
    ///   - partCount: The number of parts to encrypt.
    ///   - blindCopyCount: The number of blind-copy (`bcc`) recipients.
    /// - Returns: Fresh random inputs, from the operating system's secure generator.
    public static func random(recipientCount: Int, partCount: Int, blindCopyCount: Int = 0) -> SealingRandomness {
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
            partKeys: (0..<partCount).map { _ in SecureRandom.bytes(count: 32) },
            blindCopies: (0..<blindCopyCount).map { _ in BlindCopy.random() }
        )
    }

    /// The randomness of the envelope of one blind copy whose manifest lists `visibleCount`
    /// recipients before its blind one: that copy's key and secret, and one stanza, for the
    /// blind recipient (the last one listed).
    static func envelope(of copy: BlindCopy, visibleCount: Int) -> SealingRandomness {
        SealingRandomness(
            messageKey: copy.messageKey, ephemeralSecret: copy.ephemeralSecret, stanzaOrder: [visibleCount],
            partKeys: [])
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
