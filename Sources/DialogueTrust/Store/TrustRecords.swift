public import DialogueCrypto
public import DialogueIdentifiers
public import DialogueMessages

/// Where a binding stands (Spec: trust.md#trust-states).
public enum BindingState: String, Hashable, Sendable, CaseIterable {
    /// Pinned on first contact, not verified.
    case pinned = "pinned"
    /// The user verified the pinned key.
    case verified = "verified"
    /// A verified contact's key changed without a rotation: the alarm is latched.
    case keyChangeAlarm = "key-change-alarm"
    /// Conflicting rotations were seen: the pin does not move until the user acts.
    case frozen = "frozen"
    /// The pinned key was revoked by its holder.
    case revoked = "revoked"
}

/// What the store knows about one address: the key pinned for it and its state
/// (Spec: trust.md#trust-states).
public struct TrustBinding: Hashable, Sendable {
    /// The address, canonical.
    public var address: Address
    /// The pinned identity key.
    public var key: Ed25519.VerifyingKey
    /// The state.
    public var state: BindingState
    /// The key the user verified, if the state is `verified` or `key-change-alarm`.
    public var verifiedKey: Ed25519.VerifyingKey?
    /// The latest key seen for this address that is not the pinned one and was not explained by a
    /// rotation: what ``TrustEngine/acceptKeyChange(_:)`` would pin.
    public var pendingKey: Ed25519.VerifyingKey?
    /// A known contact's address this one resembles, noted at first contact until verified.
    public var lookAlikeOf: Address?
    /// When the first message was received (receiver's clock).
    public var firstSeen: UInt64
    /// When the latest message was received.
    public var lastSeen: UInt64
    /// How many distinct signed messages were received.
    public var messageCount: UInt64
    /// How many distinct unsigned messages claimed this address.
    public var unsignedCount: UInt64

    /// Creates a binding.
    public init(
        address: Address, key: Ed25519.VerifyingKey, state: BindingState, verifiedKey: Ed25519.VerifyingKey? = nil,
        pendingKey: Ed25519.VerifyingKey? = nil, lookAlikeOf: Address? = nil, firstSeen: UInt64, lastSeen: UInt64,
        messageCount: UInt64, unsignedCount: UInt64 = 0
    ) {
        self.address = address
        self.key = key
        self.state = state
        self.verifiedKey = verifiedKey
        self.pendingKey = pendingKey
        self.lookAlikeOf = lookAlikeOf
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.messageCount = messageCount
        self.unsignedCount = unsignedCount
    }

    /// The pinned key's fingerprint.
    public var fingerprint: ContentIdentifier { key.fingerprint }

    /// The address's look-alike skeleton (Spec: [trust-look-alike]).
    public var skeleton: String { AddressSkeleton.skeleton(of: address) }
}

/// What the store knows about one identity key from statements (Spec: trust.md#trust-chain).
public struct KeyRecord: Hashable, Sendable {
    /// The key.
    public var key: Ed25519.VerifyingKey
    /// The hash of the rotation that introduced this key, if one was applied.
    public var introducedBy: [UInt8]?
    /// That rotation's sequence number.
    public var introducedSequence: UInt64?
    /// The hash of the rotation this key signed as the old key, if one was applied.
    public var rotatedBy: [UInt8]?
    /// That rotation's sequence number.
    public var rotatedSequence: UInt64?
    /// That rotation's previous-statement hash.
    public var rotatedPrevious: [UInt8]?
    /// That rotation's new key.
    public var successor: Ed25519.VerifyingKey?
    /// That rotation's addresses: for them this key is superseded.
    public var rotatedAddresses: [Address]
    /// The hash of the revocation of this key, if one was applied.
    public var revokedBy: [UInt8]?
    /// The revocation's reason.
    public var revocationReason: String?
    /// When the revocation was received.
    public var revokedAt: UInt64?

    /// A record that knows nothing yet.
    public init(key: Ed25519.VerifyingKey) {
        self.key = key
        self.rotatedAddresses = []
    }

    /// Whether the key was revoked.
    public var isRevoked: Bool { revokedBy != nil }

    /// Whether a rotation replaced this key for `address`.
    public func isSuperseded(for address: Address) -> Bool { rotatedBy != nil && rotatedAddresses.contains(address) }
}

/// What became of a statement the store has seen.
public enum StatementStatus: String, Hashable, Sendable, CaseIterable {
    /// Applied to the chain of keys.
    case applied = "applied"
    /// Judged and not applied.
    case rejected = "rejected"
    /// Future-dated: held until its time comes.
    case held = "held"
}

/// A statement the store has seen, by its hash.
public struct StatementRecord: Hashable, Sendable {
    /// The statement hash.
    public var hash: [UInt8]
    /// The statement's bytes.
    public var bytes: [UInt8]
    /// When it was first received.
    public var receivedAt: UInt64
    /// Applied, rejected or held.
    public var status: StatementStatus
    /// Why, for people.
    public var note: String
    /// A rotation's new key or a revocation's key: held statements are looked up by it.
    public var subjectKey: Ed25519.VerifyingKey?

    /// Creates a record.
    public init(
        hash: [UInt8], bytes: [UInt8], receivedAt: UInt64, status: StatementStatus, note: String,
        subjectKey: Ed25519.VerifyingKey?
    ) {
        self.hash = hash
        self.bytes = bytes
        self.receivedAt = receivedAt
        self.status = status
        self.note = note
        self.subjectKey = subjectKey
    }
}

/// A message already judged, by its identifier (Spec: [trust-duplicate]).
public struct SeenMessage: Hashable, Sendable {
    /// The message identifier.
    public var id: ContentIdentifier
    /// The address it claimed.
    public var address: Address
    /// When it was first received.
    public var receivedAt: UInt64
    /// The verdict it got.
    public var verdict: TrustVerdict

    /// Creates a record.
    public init(id: ContentIdentifier, address: Address, receivedAt: UInt64, verdict: TrustVerdict) {
        self.id = id
        self.address = address
        self.receivedAt = receivedAt
        self.verdict = verdict
    }
}

/// One entry of the append-only event log (Spec: [trust-store-log]).
public struct TrustEvent: Hashable, Sendable {
    /// 1, 2, 3, … without gaps.
    public var sequence: UInt64
    /// When (receiver's clock).
    public var time: UInt64
    /// The address concerned, or empty.
    public var address: String
    /// What happened: `pinned`, `verified`, `key-change`, `rotated`, …
    public var kind: String
    /// Details for people.
    public var detail: String
    /// The previous entry's hash (the store identifier for the first entry).
    public var previousHash: [UInt8]
    /// This entry's hash.
    public var hash: [UInt8]
}

extension Ed25519.VerifyingKey {
    /// The fingerprint: the identifier of the key under `dialogue-v1/identity-key` (Spec: identities.md#keys).
    public var fingerprint: ContentIdentifier {
        ContentIdentifier.hashing(rawRepresentation, context: .identityKey)
    }
}
