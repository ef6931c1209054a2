public import DialogueCrypto
public import DialogueIdentifiers
public import DialogueMessages

/// Durable storage for trust: a narrow set of record operations, always used inside one
/// transaction (Spec: trust.md#trust-store).
///
/// The rules live in ``TrustEngine``; a store only keeps records and guarantees that a
/// ``write(durable:_:)`` body runs as one atomic, isolated read-modify-write: either all of its
/// changes are kept or none, and no other writer (thread or process) interleaves.
///
/// Two implementations: ``MemoryTrustStore`` (an actor, for tests and tools) and
/// ``SQLiteTrustStore`` (a file, safe to share between processes).
public protocol TrustStore: Sendable {
    /// The store's random identifier, fixed when it was created (Spec: [trust-store-identity]).
    var storeID: [UInt8] { get }

    /// Runs `body` as one write transaction. If `body` throws, nothing it did is kept.
    ///
    /// - Parameters:
    ///   - durable: Whether the change must be on stable storage before this returns
    ///     (user decisions); routine observations may be flushed a little later.
    ///   - body: The reads and writes, given the transaction.
    /// - Returns: What `body` returns.
    /// - Throws: ``TrustStoreError``, or what `body` throws.
    func write<T: Sendable>(durable: Bool, _ body: @Sendable (any TrustStoreTransaction) throws -> T) async throws -> T

    /// Runs `body` as one read-only snapshot.
    func read<T: Sendable>(_ body: @Sendable (any TrustStoreTransaction) throws -> T) async throws -> T

    /// Checks the whole store: storage integrity, the event log's hash chain, and the invariants
    /// between records (Spec: [trust-store-check]).
    func check() async throws -> TrustStoreReport
}

/// The records a transaction reads and writes.
public protocol TrustStoreTransaction {
    /// The binding of `address`, if any.
    func binding(for address: Address) throws -> TrustBinding?
    /// Every binding that pins `key`.
    func bindings(withKey key: Ed25519.VerifyingKey) throws -> [TrustBinding]
    /// Every binding whose address has this look-alike skeleton.
    func bindings(withSkeleton skeleton: String) throws -> [TrustBinding]
    /// Every binding, in address order.
    func allBindings() throws -> [TrustBinding]
    /// Inserts or replaces a binding.
    func save(_ binding: TrustBinding) throws

    /// The record of `key`, if any.
    func keyRecord(for key: Ed25519.VerifyingKey) throws -> KeyRecord?
    /// Inserts or replaces a key record.
    func save(_ record: KeyRecord) throws

    /// The statement with this hash, if seen.
    func statement(hash: [UInt8]) throws -> StatementRecord?
    /// Held statements whose subject key is `key`.
    func heldStatements(subjectKey key: Ed25519.VerifyingKey) throws -> [StatementRecord]
    /// Inserts or replaces a statement record.
    func save(_ statement: StatementRecord) throws

    /// The message with this identifier, if already judged.
    func seenMessage(_ id: ContentIdentifier) throws -> SeenMessage?
    /// Records a judged message.
    func save(_ seen: SeenMessage) throws

    /// Whether `address` is blocked.
    func isBlocked(_ address: Address) throws -> Bool
    /// Blocks or unblocks `address`.
    func setBlocked(_ address: Address, _ blocked: Bool, at time: UInt64) throws

    /// Appends an entry to the event log, chaining its hash to the previous entry's.
    func appendEvent(time: UInt64, address: String, kind: String, detail: String) throws
    /// The event log, oldest first; only the entries about `address` when one is given.
    func events(address: Address?) throws -> [TrustEvent]
}

/// The result of a full check of a store.
public struct TrustStoreReport: Hashable, Sendable {
    /// The number of bindings.
    public var bindingCount: Int
    /// The number of event log entries, all chained correctly.
    public var eventCount: Int
    /// Problems found; empty when the store is sound.
    public var problems: [String]

    /// Whether nothing is wrong.
    public var isSound: Bool { problems.isEmpty }
}

/// Checks of the relations between records that every store must keep (Spec: [trust-store-check]).
enum TrustInvariants {
    static func problems(in bindings: [TrustBinding], events: [TrustEvent], genesis: [UInt8]) -> [String] {
        var problems: [String] = []
        for binding in bindings {
            switch binding.state {
            case .verified, .keyChangeAlarm:
                if binding.verifiedKey != binding.key {
                    problems.append(
                        "\(binding.address): \(binding.state.rawValue) but the verified key is not the pinned key")
                }
            case .pinned, .frozen, .revoked:
                break
            }
            if binding.pendingKey == binding.key {
                problems.append("\(binding.address): the pending key is the pinned key")
            }
            if binding.lastSeen < binding.firstSeen {
                problems.append("\(binding.address): last seen before first seen")
            }
        }
        if let problem = TrustEventChain.verify(events, genesis: genesis) { problems.append(problem) }
        let pinned = Set(events.filter { $0.kind == TrustEventKind.pinned }.map(\.address))
        for binding in bindings where !pinned.contains(binding.address.text) {
            problems.append("\(binding.address): no 'pinned' event in the log")
        }
        return problems
    }
}
