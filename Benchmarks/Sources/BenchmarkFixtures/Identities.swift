internal import DialogueCrypto
public import DialogueMessages

/// Identities made from fixed seeds: identity `n` is the same in every run and every process.
public enum Identities {
    /// The date every fixture identity is created at.
    public static let created: UInt64 = 1_700_000_000
    /// The date every fixture message carries.
    public static let messageDate: UInt64 = 1_700_000_100

    /// Identity number `index`, with the single address `user<index>@example.org`.
    public static func make(_ index: Int) -> SecretIdentity {
        let seed = SeededBytes.make(count: 64, seed: 0x1D_E471_7E5, stream: UInt64(index))
        do {
            return try SecretIdentity(
                signingKey: Ed25519.SigningKey(seed: seed[0..<32]),
                encryptionKey: X25519.PrivateKey(rawRepresentation: seed[32..<64]),
                addresses: [Address(parsing: "user\(index)@example.org")],
                created: created,
                expires: created + 2 * 365 * 24 * 3600
            )
        } catch {
            fatalError("fixture identity \(index): \(error)")
        }
    }

    /// The sender of every fixture message.
    public static let sender = make(0)
    /// The recipient of every one-recipient fixture message.
    public static let recipient = make(1)
}

/// Sealing randomness from a fixed seed: a benchmark-only stand-in for ``SealingRandomness/random(recipientCount:partCount:blindCopyCount:)``.
/// Never seal real mail with it.
public enum FixedRandomness {
    /// Keys from `seed`; the stanza order is a seeded shuffle of the recipients.
    public static func make(recipientCount: Int, partCount: Int, seed: UInt64 = 42) -> SealingRandomness {
        let bytes = SeededBytes.make(count: 64 + 32 * partCount, seed: seed, stream: 1)
        var order = Array(0..<recipientCount)
        var generator = SplitMix64(seed: seed)
        order.shuffle(using: &generator)
        return SealingRandomness(
            messageKey: Array(bytes[0..<32]),
            ephemeralSecret: Array(bytes[32..<64]),
            stanzaOrder: order,
            partKeys: (0..<partCount).map { Array(bytes[(64 + 32 * $0)..<(96 + 32 * $0)]) }
        )
    }
}

/// A small, fast, seedable generator for shuffles (not for keys).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Starts the sequence at `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
