public import DialogueCrypto
internal import DialogueIdentifiers
internal import DialogueMessages

/// A trust store in memory: for tests, test vectors and short-lived tools
/// (Spec: trust.md#trust-store).
///
/// Transactions run one at a time on the actor; a body that throws leaves no trace (an undo
/// log restores every record it touched).
public actor MemoryTrustStore: TrustStore {
    /// The store's identifier.
    public nonisolated let storeID: [UInt8]
    private let state = MemoryTrustState()

    /// Creates an empty store.
    public init(storeID: [UInt8] = SecureRandom.bytes(count: 32)) {
        self.storeID = storeID
    }

    /// Runs `body` as one transaction; undoes everything if it throws.
    public func write<T: Sendable>(durable: Bool, _ body: @Sendable (any TrustStoreTransaction) throws -> T) throws -> T
    {
        let transaction = MemoryTrustTransaction(state: state, storeID: storeID, readOnly: false)
        do {
            return try body(transaction)
        } catch {
            transaction.rollBack()
            throw error
        }
    }

    /// Runs `body` without allowing writes.
    public func read<T: Sendable>(_ body: @Sendable (any TrustStoreTransaction) throws -> T) throws -> T {
        try body(MemoryTrustTransaction(state: state, storeID: storeID, readOnly: true))
    }

    /// Checks the event chain and the invariants.
    public func check() -> TrustStoreReport {
        let bindings = state.bindings.values.sorted { $0.address < $1.address }
        return TrustStoreReport(
            bindingCount: bindings.count, eventCount: state.events.count,
            problems: TrustInvariants.problems(in: bindings, events: state.events, genesis: storeID)
        )
    }
}

/// The records of a ``MemoryTrustStore``, with the indexes the engine looks things up by.
final class MemoryTrustState {
    var bindings: [Address: TrustBinding] = [:]
    var bindingsByKey: [[UInt8]: Set<Address>] = [:]
    var bindingsBySkeleton: [String: Set<Address>] = [:]
    var keys: [[UInt8]: KeyRecord] = [:]
    var statements: [[UInt8]: StatementRecord] = [:]
    var seen: [ContentIdentifier: SeenMessage] = [:]
    var blocked: [Address: UInt64] = [:]
    var events: [TrustEvent] = []

    func setBinding(_ address: Address, _ binding: TrustBinding?) {
        let old = bindings[address]
        bindings[address] = binding
        if old?.key != binding?.key {
            if let old { bindingsByKey[old.key.rawRepresentation]?.remove(address) }
            if let binding { bindingsByKey[binding.key.rawRepresentation, default: []].insert(address) }
        }
        if (old == nil) != (binding == nil) {
            let skeleton = AddressSkeleton.skeleton(of: address)
            if binding == nil {
                bindingsBySkeleton[skeleton]?.remove(address)
            } else {
                bindingsBySkeleton[skeleton, default: []].insert(address)
            }
        }
    }
}

/// One transaction on a ``MemoryTrustState``.
final class MemoryTrustTransaction: TrustStoreTransaction {
    private let state: MemoryTrustState
    private let storeID: [UInt8]
    private let readOnly: Bool
    private var undo: [() -> Void] = []

    init(state: MemoryTrustState, storeID: [UInt8], readOnly: Bool) {
        self.state = state
        self.storeID = storeID
        self.readOnly = readOnly
    }

    func rollBack() {
        for step in undo.reversed() { step() }
        undo.removeAll()
    }

    private func writable() throws {
        if readOnly { throw TrustStoreError(.readOnly, "a read transaction cannot write") }
    }

    func binding(for address: Address) -> TrustBinding? { state.bindings[address] }

    func bindings(withKey key: Ed25519.VerifyingKey) -> [TrustBinding] {
        (state.bindingsByKey[key.rawRepresentation] ?? []).sorted().compactMap { state.bindings[$0] }
    }

    func bindings(withSkeleton skeleton: String) -> [TrustBinding] {
        (state.bindingsBySkeleton[skeleton] ?? []).sorted().compactMap { state.bindings[$0] }
    }

    func allBindings() -> [TrustBinding] { state.bindings.values.sorted { $0.address < $1.address } }

    func save(_ binding: TrustBinding) throws {
        try writable()
        let old = state.bindings[binding.address]
        let state = self.state
        undo.append { state.setBinding(binding.address, old) }
        state.setBinding(binding.address, binding)
    }

    func keyRecord(for key: Ed25519.VerifyingKey) -> KeyRecord? { state.keys[key.rawRepresentation] }

    func save(_ record: KeyRecord) throws {
        try writable()
        let old = state.keys[record.key.rawRepresentation]
        let state = self.state
        undo.append { state.keys[record.key.rawRepresentation] = old }
        state.keys[record.key.rawRepresentation] = record
    }

    func statement(hash: [UInt8]) -> StatementRecord? { state.statements[hash] }

    func heldStatements(subjectKey key: Ed25519.VerifyingKey) -> [StatementRecord] {
        state.statements.values.filter { $0.status == .held && $0.subjectKey == key }.sorted {
            $0.receivedAt != $1.receivedAt ? $0.receivedAt < $1.receivedAt : $0.hash.lexicographicallyPrecedes($1.hash)
        }
    }

    func save(_ statement: StatementRecord) throws {
        try writable()
        let old = state.statements[statement.hash]
        let state = self.state
        undo.append { state.statements[statement.hash] = old }
        state.statements[statement.hash] = statement
    }

    func seenMessage(_ id: ContentIdentifier) -> SeenMessage? { state.seen[id] }

    func save(_ seen: SeenMessage) throws {
        try writable()
        let old = state.seen[seen.id]
        let state = self.state
        undo.append { state.seen[seen.id] = old }
        state.seen[seen.id] = seen
    }

    func isBlocked(_ address: Address) -> Bool { state.blocked[address] != nil }

    func setBlocked(_ address: Address, _ blocked: Bool, at time: UInt64) throws {
        try writable()
        let old = state.blocked[address]
        let state = self.state
        undo.append { state.blocked[address] = old }
        state.blocked[address] = blocked ? (old ?? time) : nil
    }

    func appendEvent(time: UInt64, address: String, kind: String, detail: String) throws {
        try writable()
        let event = TrustEventChain.make(
            sequence: UInt64(state.events.count + 1), time: time, address: address, kind: kind, detail: detail,
            previous: state.events.last?.hash ?? storeID
        )
        let state = self.state
        undo.append { state.events.removeLast() }
        state.events.append(event)
    }

    func events(address: Address?) -> [TrustEvent] {
        guard let address else { return state.events }
        return state.events.filter { $0.address == address.text }
    }
}
