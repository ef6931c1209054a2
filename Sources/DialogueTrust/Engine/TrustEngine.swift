public import DialogueCrypto
public import DialogueIdentifiers
public import DialogueMessages

/// Trust on first use: judges the sender of every opened message and records the user's
/// decisions (Spec: trust.md).
///
/// The engine never prompts, never blocks and never rejects a message ([trust-never-reject]): each observation returns
/// a ``TrustVerdict`` at once, and everything the user decides is an explicit call.
///
/// ```swift
/// let engine = TrustEngine(store: try SQLiteTrustStore(path: path), clock: SystemTrustClock())
/// let verdict = try await engine.observe(opened).verdict
/// try await engine.markVerified(alice, fingerprint: comparedFingerprint)
/// ```
public struct TrustEngine: Sendable {
    /// Where bindings, statements, seen messages and the event log are kept.
    public let store: any TrustStore
    /// The receiver's clock.
    public let clock: any TrustClock
    /// How far a sender's clock may run ahead of the receiver's, and how long past its expiry a
    /// statement is still applied: 600 seconds (Spec: [trust-skew]).
    public let clockSkew: UInt64

    /// The skew bound of the specification, in seconds.
    public static let defaultClockSkew: UInt64 = 600

    /// Creates an engine over `store`, reading time from `clock`.
    public init(store: any TrustStore, clock: any TrustClock = SystemTrustClock(), clockSkew: UInt64 = defaultClockSkew)
    {
        self.store = store
        self.clock = clock
        self.clockSkew = clockSkew
    }

    // MARK: Observations

    /// Judges one signed message (Spec: [trust-observe-order]).
    public func observe(_ observation: TrustObservation) async throws -> TrustAssessment {
        let now = clock.now()
        let skew = clockSkew
        return try await store.write(durable: false) { transaction in
            try TrustRules(transaction: transaction, now: now, skew: skew).observe(observation)
        }
    }

    /// Judges several messages in one store transaction, in order: for a client that receives a
    /// batch (a mailbox synchronization). The verdicts are those that observing them one by one
    /// would give; the batch is stored all or nothing.
    public func observe(_ observations: [TrustObservation]) async throws -> [TrustAssessment] {
        let now = clock.now()
        let skew = clockSkew
        return try await store.write(durable: false) { transaction in
            let rules = TrustRules(transaction: transaction, now: now, skew: skew)
            return try observations.map { try rules.observe($0) }
        }
    }

    /// Judges an opened message, with the statements read from its parts.
    public func observe(_ message: OpenedMessage, statements: [[UInt8]] = []) async throws -> TrustAssessment {
        try await observe(TrustObservation(message: message, statements: statements))
    }

    /// Reports an unsigned message claiming `address` (from a gateway or an import): a
    /// `downgrade` alarm if the address has a binding, since its sender always signs
    /// (Spec: [trust-downgrade]).
    public func observeUnsigned(claiming address: Address, messageID: ContentIdentifier? = nil) async throws
        -> TrustVerdict
    {
        let now = clock.now()
        let skew = clockSkew
        return try await store.write(durable: false) { transaction in
            try TrustRules(transaction: transaction, now: now, skew: skew).observeUnsigned(
                claiming: address, messageID: messageID
            )
        }
    }

    /// Applies a statement received outside a message (Spec: [trust-statement-rules]).
    public func apply(statement bytes: [UInt8]) async throws -> StatementOutcome {
        let now = clock.now()
        let skew = clockSkew
        return try await store.write(durable: true) { transaction in
            var moves: TrustRules.Moves = [:]
            return try TrustRules(transaction: transaction, now: now, skew: skew).process(bytes, moves: &moves)
        }
    }

    // MARK: Decisions (Spec: trust.md#trust-decisions)

    /// Marks the binding of `address` verified, naming the fingerprint the user compared.
    ///
    /// - Throws: ``TrustDecisionError`` `outdated-fingerprint` if `fingerprint` is not the pinned
    ///   key's; `unknown-address`; `revoked-key`.
    public func markVerified(_ address: Address, fingerprint: ContentIdentifier) async throws {
        try await decide { try $0.markVerified(address, fingerprint: fingerprint) }
    }

    /// Marks verified the contact named by a scanned `dialogue-verify:` payload, which must name
    /// `ownCard` (one of its addresses, with its key) and exactly one other party.
    ///
    /// - Returns: The contact's address.
    @discardableResult
    public func markVerified(scanning payload: VerificationPayload, ownCard: IdentityCard) async throws -> Address {
        guard
            payload.parties.contains(where: {
                ownCard.lists($0.address) && $0.fingerprint == ownCard.fingerprint
            }),
            let other = payload.otherParty(ownAddresses: ownCard.addresses)
        else {
            throw TrustDecisionError(
                .payloadMismatch,
                "the payload does not name this identity with its current key and one other party; "
                    + "the other device may have an old key for you"
            )
        }
        try await markVerified(other.address, fingerprint: other.fingerprint)
        return other.address
    }

    /// Pins the key `address` changed to, ending a key-change alarm (Spec: trust.md#trust-decisions).
    public func acceptKeyChange(_ address: Address) async throws {
        try await decide { try $0.acceptKeyChange(address) }
    }

    /// Withdraws the verification of `address`; a latched alarm becomes a plain one.
    public func withdrawVerification(_ address: Address) async throws {
        try await decide { try $0.withdrawVerification(address) }
    }

    /// Blocks `address`: its messages get the `blocked` verdict.
    public func block(_ address: Address) async throws {
        try await decide { try $0.setBlocked(address, true) }
    }

    /// Unblocks `address`.
    public func unblock(_ address: Address) async throws {
        try await decide { try $0.setBlocked(address, false) }
    }

    private func decide(_ body: @escaping @Sendable (TrustRules) throws -> Void) async throws {
        let now = clock.now()
        let skew = clockSkew
        try await store.write(durable: true) { transaction in
            try body(TrustRules(transaction: transaction, now: now, skew: skew))
        }
    }

    // MARK: Reading

    /// The binding of `address`, if any.
    public func binding(for address: Address) async throws -> TrustBinding? {
        try await store.read { try $0.binding(for: address) }
    }

    /// Every binding, in address order.
    public func bindings() async throws -> [TrustBinding] {
        try await store.read { try $0.allBindings() }
    }

    /// What statements say about `key`.
    public func keyRecord(for key: Ed25519.VerifyingKey) async throws -> KeyRecord? {
        try await store.read { try $0.keyRecord(for: key) }
    }

    /// Whether `address` is blocked.
    public func isBlocked(_ address: Address) async throws -> Bool {
        try await store.read { try $0.isBlocked(address) }
    }

    /// The event log, or the entries about `address`.
    public func events(for address: Address? = nil) async throws -> [TrustEvent] {
        try await store.read { try $0.events(address: address) }
    }

    /// The pair safety number of `own` (its address `ownAddress`, by default its first) and the
    /// key pinned for `contact` (Spec: [trust-safety-number]).
    public func safetyNumber(own: IdentityCard, ownAddress: Address? = nil, contact: Address) async throws
        -> PairSafetyNumber
    {
        guard let binding = try await binding(for: contact) else {
            throw TrustDecisionError(.unknownAddress, "no key is pinned for \(contact)")
        }
        let mine = SafetyNumber(address: ownAddress ?? own.addresses[0], identityKey: own.identityKey)
        return try PairSafetyNumber(mine, SafetyNumber(address: contact, identityKey: binding.key))
    }
}
