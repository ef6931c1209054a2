internal import DialogueCrypto
internal import DialogueIdentifiers
internal import DialogueMessages
internal import Foundation
internal import GRDB
internal import GRDBSQLite

/// A trust store in one SQLite file, shared safely by several processes (Spec: trust.md#trust-store).
///
/// - WAL journal; every read-modify-write is one `BEGIN IMMEDIATE` transaction, so writers
///   (threads or processes) queue behind each other instead of interleaving; a busy timeout makes
///   them wait rather than fail ([trust-store-atomic]).
/// - The schema is versioned with GRDB migrations; `PRAGMA application_id` marks the file.
/// - A random store identifier is created with the store, so that a replaced store is told apart
///   from the one that was in use ([trust-store-identity]).
/// - The event log is append-only (triggers refuse updates and deletes) and hash-chained; its head
///   is kept in the `meta` row, so truncation is detected when the store opens ([trust-store-log]).
/// - Opening runs `PRAGMA quick_check` (on stores up to 16 MiB; ``check()`` for larger ones) and reports
///   damage as ``TrustStoreError`` `trust-store-corrupted`.
/// - User decisions are written with `synchronous = FULL` (on disk when the call returns);
///   observations with `NORMAL` (consistent after a crash; the last ones may be lost on power loss).
public final class SQLiteTrustStore: TrustStore {
    /// How to open a store.
    public struct Options: Sendable {
        /// Create the file if it does not exist. Ignored when ``expectedStoreID`` is set: a store that
        /// is known to exist is never silently re-created.
        public var create: Bool
        /// The identifier the store must have (from a sentinel kept elsewhere).
        public var expectedStoreID: [UInt8]?
        /// How long a writer waits for another one, in seconds.
        public var busyTimeout: Double
        /// Which storage check runs when opening.
        public var check: OpenCheck

        /// Creates options.
        public init(
            create: Bool = true, expectedStoreID: [UInt8]? = nil, busyTimeout: Double = 30,
            check: OpenCheck = .automatic
        ) {
            self.create = create
            self.expectedStoreID = expectedStoreID
            self.busyTimeout = busyTimeout
            self.check = check
        }
    }

    /// The storage check run when opening. Whatever the choice, the file header, the application
    /// identifier, the `meta` record and the event log's head are always checked, and SQLite reports
    /// any damaged page it reads later, which surfaces as `trust-store-corrupted`.
    public enum OpenCheck: Sendable, Equatable {
        /// `PRAGMA quick_check` on stores up to ``SQLiteTrustStore/quickCheckLimit`` bytes; larger
        /// stores are checked by ``SQLiteTrustStore/check()`` (run it periodically, e.g. `dialogue trust check`).
        case automatic
        /// `PRAGMA quick_check`: every page and record, without cross-checking indexes.
        case quick
        /// `PRAGMA integrity_check`.
        case full
        /// No scan of the pages.
        case none
    }

    /// The largest store that ``OpenCheck/automatic`` scans when opening: 16 MiB, about 20,000
    /// bindings with their history, scanned in well under 100 ms.
    public static let quickCheckLimit = 16 << 20

    /// The page size of a new store's file, in bytes.
    static let newPageSize = 2048

    /// `PRAGMA application_id` of a Dialogue trust store: "DLTS".
    public static let applicationID: Int32 = 0x444c_5453

    /// The database file (with its `-wal` and `-shm` companions beside it).
    public let path: String
    /// The store's identifier.
    public let storeID: [UInt8]
    private let queue: DatabaseQueue
    /// The busy timeout, in milliseconds.
    private let busyMilliseconds: Int32
    /// Operations of this process waiting in (or running on) the connection's queue: while there is
    /// one, others queue behind it instead of trying the connection directly.
    private let queued = QueuedCount()

    /// Opens (or creates) the store at `path`.
    ///
    /// - Throws: ``TrustStoreError``: `trust-store-lost` if the file is missing and may not be created,
    ///   `trust-store-replaced`, `trust-store-corrupted`, `trust-log-damaged`, `not-a-trust-store`,
    ///   `trust-store-newer`, `database`.
    public init(path: String, options: Options = Options()) throws(TrustStoreError) {
        self.path = path
        self.busyMilliseconds = Int32(clamping: Int((options.busyTimeout * 1000).rounded()))
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists && (options.expectedStoreID != nil || !options.create) {
            throw TrustStoreError(
                .storeLost,
                "the trust store \(path) is missing. It held the keys of your contacts; without it every sender "
                    + "would look new. Restore it from a backup, or start a new store explicitly."
            )
        }
        if exists { try SQLiteTrustStore.checkHeader(path) }
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(options.busyTimeout)
        configuration.label = "DialogueTrust"
        configuration.prepareDatabase { db in
            // A new store gets 2 KiB pages (a no-op for an existing file, whose page size only VACUUM could
            // change): a known sender's verdict writes three pages to the WAL (its binding, the end of
            // `seen_messages`, a leaf of its tag index), each checksummed, copied and later written back
            // whole, and 2 KiB pages make that about 15% cheaper than SQLite's default of 4 KiB.
            try db.execute(sql: "PRAGMA page_size = \(SQLiteTrustStore.newPageSize)")
            // 16 MiB of page cache per connection: lookups in a store of 100,000 bindings stay in memory.
            try db.execute(sql: "PRAGMA cache_size = -16384")
            // Checkpoint at 32 MiB of WAL rather than SQLite's 1,000 pages: each checkpoint syncs twice,
            // and copies every page written since the last one once, however often it was rewritten.
            let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \((32 << 20) / max(pageSize, 512))")
        }
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw SQLiteTrustStore.map(error, path)
        }
        self.queue = queue
        do {
            // Never touch another application's database: check before migrating.
            try queue.read { db in
                let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                let ours =
                    applicationID == SQLiteTrustStore.applicationID
                    || (applicationID == 0 && (tables.isEmpty || tables == ["grdb_migrations"]))
                guard ours else {
                    throw TrustStoreError(.notATrustStore, "\(path) is an SQLite database of another application")
                }
            }
            try SQLiteTrustStore.migrate(queue)
            storeID = try queue.read { db -> [UInt8] in
                let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                guard applicationID == SQLiteTrustStore.applicationID else {
                    throw TrustStoreError(.notATrustStore, "\(path) is an SQLite database of another application")
                }
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                let scan =
                    options.check == .quick || options.check == .full
                    || (options.check == .automatic && size <= SQLiteTrustStore.quickCheckLimit)
                if scan {
                    let pragma = options.check == .full ? "integrity_check" : "quick_check"
                    let results = try String.fetchAll(db, sql: "PRAGMA \(pragma)")
                    guard results == ["ok"] else {
                        throw TrustStoreError(
                            .corrupted, "\(path) is damaged: \(results.prefix(3).joined(separator: "; "))"
                        )
                    }
                }
                guard let meta = try Row.fetchOne(db, sql: "SELECT store_id, event_count, event_head FROM meta") else {
                    throw TrustStoreError(.corrupted, "\(path) has no meta record")
                }
                let id = [UInt8](meta["store_id"] as Data)
                let count: Int64 = meta["event_count"]
                let head = [UInt8](meta["event_head"] as Data)
                let last = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM events ORDER BY sequence DESC LIMIT 1")
                let lastSequence: Int64 = last?["sequence"] ?? 0
                let lastHash = last.map { [UInt8]($0["hash"] as Data) } ?? id
                guard lastSequence == count, lastHash == head else {
                    throw TrustStoreError(
                        .logDamaged,
                        "the event log of \(path) ends at entry \(lastSequence) but \(count) were written: "
                            + "entries were removed or altered"
                    )
                }
                return id
            }
        } catch {
            throw SQLiteTrustStore.map(error, path)
        }
        if let expected = options.expectedStoreID, expected != storeID {
            throw TrustStoreError(
                .storeReplaced,
                "\(path) is not the trust store that was in use (its identifier is \(hex(storeID)), "
                    + "expected \(hex(expected))). Restore the original store, or start over explicitly."
            )
        }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction.
    ///
    /// The transaction is first tried on the calling thread without waiting for a lock; this spares
    /// two thread switches per transaction. If another process holds the write lock (or a writer of
    /// this process is already queued), the transaction goes through the connection's queue instead,
    /// where it waits for the lock up to the busy timeout without blocking the caller's thread.
    public func write<T: Sendable>(durable: Bool, _ body: @Sendable (any TrustStoreTransaction) throws -> T)
        async throws -> T
    {
        let storeID = self.storeID
        let path = self.path
        do {
            if let result = try attempt({ db in
                try SQLiteTrustStore.perform(db, durable: durable, storeID: storeID, path: path, body)
            }) {
                return result
            }
            queued.increment()
            defer { queued.decrement() }
            return try await queue.writeWithoutTransaction { db in
                try SQLiteTrustStore.perform(db, durable: durable, storeID: storeID, path: path, body)
            }
        } catch let error as DatabaseError {
            throw SQLiteTrustStore.map(error, path)
        }
    }

    /// Runs `operation` on the calling thread if the connection is free and SQLite's locks can be
    /// taken at once; `nil` when it could not (nothing was changed then).
    private func attempt<T>(_ operation: (Database) throws -> T) throws -> T? {
        guard queued.isZero else { return nil }
        let busyMilliseconds = self.busyMilliseconds
        return try queue.inDatabase { db -> T? in
            sqlite3_busy_timeout(db.sqliteConnection, 0)
            defer { sqlite3_busy_timeout(db.sqliteConnection, busyMilliseconds) }
            do {
                return try operation(db)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
                // The transaction was rolled back: try again in the queue, waiting for the lock.
                return nil
            }
        }
    }

    /// One write transaction on the connection: `BEGIN IMMEDIATE`, the body, `COMMIT`.
    private static func perform<T>(
        _ db: Database, durable: Bool, storeID: [UInt8], path: String,
        _ body: (any TrustStoreTransaction) throws -> T
    ) throws -> T {
        if durable { try db.execute(sql: "PRAGMA synchronous = FULL") }
        defer { if durable { try? db.execute(sql: "PRAGMA synchronous = NORMAL") } }
        // Cached statements rather than `Database.inTransaction`, which prepares both anew each time.
        try db.cachedStatement(sql: "BEGIN IMMEDIATE").execute()
        do {
            let result = try body(SQLiteTrustTransaction(db: db, storeID: storeID, path: path))
            try db.cachedStatement(sql: "COMMIT").execute()
            return result
        } catch {
            if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK") }
            throw error
        }
    }

    /// Runs `body` in a read transaction (a consistent snapshot).
    public func read<T: Sendable>(_ body: @Sendable (any TrustStoreTransaction) throws -> T) async throws -> T {
        let storeID = self.storeID
        let path = self.path
        do {
            if let result = try attempt({ db in
                try db.readOnly {
                    var result: T?
                    try db.inTransaction(.deferred) {
                        result = try body(SQLiteTrustTransaction(db: db, storeID: storeID, path: path, readOnly: true))
                        return .commit
                    }
                    return result!
                }
            }) {
                return result
            }
            queued.increment()
            defer { queued.decrement() }
            return try await queue.read { db in
                try body(SQLiteTrustTransaction(db: db, storeID: storeID, path: path, readOnly: true))
            }
        } catch let error as DatabaseError {
            throw SQLiteTrustStore.map(error, path)
        }
    }

    /// `PRAGMA integrity_check`, the event chain, and the invariants.
    public func check() async throws -> TrustStoreReport {
        let storeID = self.storeID
        let path = self.path
        do {
            return try await queue.read { db in
                var problems: [String] = []
                let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                if integrity != ["ok"] { problems.append(contentsOf: integrity.prefix(10).map { "storage: \($0)" }) }
                let transaction = SQLiteTrustTransaction(db: db, storeID: storeID, path: path, readOnly: true)
                let bindings = try transaction.allBindings()
                let events = try transaction.events(address: nil)
                problems += TrustInvariants.problems(in: bindings, events: events, genesis: storeID)
                if let meta = try Row.fetchOne(db, sql: "SELECT event_count, event_head FROM meta") {
                    let count: Int64 = meta["event_count"]
                    if count != events.count || [UInt8](meta["event_head"] as Data) != (events.last?.hash ?? storeID) {
                        problems.append("event log: the recorded head does not match the last entry")
                    }
                }
                return TrustStoreReport(bindingCount: bindings.count, eventCount: events.count, problems: problems)
            }
        } catch let error as DatabaseError {
            throw SQLiteTrustStore.map(error, path)
        }
    }

    // MARK: - Schema (Spec: [trust-store-schema])

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    PRAGMA application_id = \(SQLiteTrustStore.applicationID);
                    CREATE TABLE meta (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        store_id BLOB NOT NULL CHECK (length(store_id) = 32),
                        created INTEGER NOT NULL,
                        event_count INTEGER NOT NULL,
                        event_head BLOB NOT NULL
                    );
                    CREATE TABLE bindings (
                        address TEXT PRIMARY KEY NOT NULL,
                        key BLOB NOT NULL CHECK (length(key) = 32),
                        state TEXT NOT NULL
                            CHECK (state IN ('pinned', 'verified', 'key-change-alarm', 'frozen', 'revoked')),
                        verified_key BLOB,
                        pending_key BLOB,
                        look_alike_of TEXT,
                        first_seen INTEGER NOT NULL,
                        last_seen INTEGER NOT NULL,
                        message_count INTEGER NOT NULL,
                        unsigned_count INTEGER NOT NULL,
                        skeleton TEXT NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX bindings_by_key ON bindings (key);
                    CREATE INDEX bindings_by_skeleton ON bindings (skeleton);
                    CREATE TABLE keys (
                        key BLOB PRIMARY KEY NOT NULL CHECK (length(key) = 32),
                        introduced_by BLOB,
                        introduced_sequence INTEGER,
                        rotated_by BLOB,
                        rotated_sequence INTEGER,
                        rotated_previous BLOB,
                        successor BLOB,
                        rotated_addresses TEXT NOT NULL,
                        revoked_by BLOB,
                        revocation_reason TEXT,
                        revoked_at INTEGER
                    ) WITHOUT ROWID;
                    CREATE TABLE statements (
                        hash BLOB PRIMARY KEY NOT NULL,
                        bytes BLOB NOT NULL,
                        received_at INTEGER NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('applied', 'rejected', 'held')),
                        note TEXT NOT NULL,
                        subject_key BLOB
                    ) WITHOUT ROWID;
                    CREATE INDEX statements_held ON statements (subject_key) WHERE status = 'held';
                    CREATE TABLE seen_messages (
                        id BLOB PRIMARY KEY NOT NULL,
                        address TEXT NOT NULL,
                        received_at INTEGER NOT NULL,
                        verdict BLOB NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE blocked (
                        address TEXT PRIMARY KEY NOT NULL,
                        since INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE events (
                        sequence INTEGER PRIMARY KEY,
                        time INTEGER NOT NULL,
                        address TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        detail TEXT NOT NULL,
                        previous_hash BLOB NOT NULL,
                        hash BLOB NOT NULL
                    );
                    CREATE INDEX events_by_address ON events (address);
                    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
                        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
                    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
                        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
                    """
            )
            let id = Data(SecureRandom.bytes(count: 32))
            try db.execute(
                sql: "INSERT INTO meta (id, store_id, created, event_count, event_head) VALUES (1, ?, ?, 0, ?)",
                arguments: [id, Int64(Date().timeIntervalSince1970), id]
            )
        }
        // Judged messages in the order they were recorded, found through a small index of the last
        // 8 bytes of their identifiers: recording one appends to the table and adds 16 bytes to the
        // index, where a table keyed by the random 33-byte identifier inserted 150-byte rows at
        // random places (a random leaf read and written per message, frequent page splits).
        migrator.registerMigration("v2: seen messages in arrival order") { db in
            try db.execute(
                sql: """
                    CREATE TABLE seen_messages_v2 (
                        arrival INTEGER PRIMARY KEY,
                        id BLOB NOT NULL,
                        address TEXT NOT NULL,
                        received_at INTEGER NOT NULL,
                        verdict BLOB NOT NULL
                    );
                    INSERT INTO seen_messages_v2 (id, address, received_at, verdict)
                        SELECT id, address, received_at, verdict FROM seen_messages ORDER BY received_at;
                    DROP TABLE seen_messages;
                    ALTER TABLE seen_messages_v2 RENAME TO seen_messages;
                    CREATE INDEX seen_messages_by_tag ON seen_messages (substr(id, -8));
                    """
            )
        }
        return migrator
    }

    /// Runs the migrations. Two processes creating the same store at once both try the first
    /// migration; each migration is one immediate transaction, so the loser fails cleanly and
    /// finds the migration applied when it retries.
    private static func migrate(_ queue: DatabaseQueue) throws {
        let migrator = migrator()
        var attempt = 0
        while true {
            do {
                if try queue.read({ try migrator.hasBeenSuperseded($0) }) {
                    throw TrustStoreError(.newerVersion, "the store was written by a newer version of Dialogue")
                }
                try migrator.migrate(queue)
                return
            } catch let error as TrustStoreError {
                throw error
            } catch {
                attempt += 1
                if attempt >= 5 { throw error }
                usleep(UInt32(20_000 * attempt))
            }
        }
    }

    private static func checkHeader(_ path: String) throws(TrustStoreError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TrustStoreError(.database, "cannot read \(path)")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        if header.isEmpty { return }
        guard header == Data("SQLite format 3\0".utf8) else {
            throw TrustStoreError(.corrupted, "\(path) is not an SQLite database (its header is damaged)")
        }
    }

    static func map(_ error: any Error, _ path: String) -> TrustStoreError {
        if let error = error as? TrustStoreError { return error }
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_CORRUPT, .SQLITE_NOTADB:
                return TrustStoreError(.corrupted, "\(path) is damaged: \(error.message ?? "\(error)")")
            default:
                return TrustStoreError(.database, "\(path): \(error.message ?? "\(error)")")
            }
        }
        return TrustStoreError(.database, "\(path): \(error)")
    }
}

/// One transaction on a ``SQLiteTrustStore``: prepared statements, cached per connection.
final class SQLiteTrustTransaction: TrustStoreTransaction {
    let db: Database
    let storeID: [UInt8]
    let path: String
    let readOnly: Bool

    init(db: Database, storeID: [UInt8], path: String, readOnly: Bool = false) {
        self.db = db
        self.storeID = storeID
        self.path = path
        self.readOnly = readOnly
    }

    private func damaged(_ what: String) -> TrustStoreError {
        TrustStoreError(.corrupted, "\(path): \(what)")
    }

    private func key(_ value: DatabaseValue) throws -> Ed25519.VerifyingKey? {
        try key(Data.fromDatabaseValue(value).map { [UInt8]($0) })
    }

    private func key(_ bytes: [UInt8]?) throws -> Ed25519.VerifyingKey? {
        guard let bytes else { return nil }
        guard let key = try? Ed25519.VerifyingKey(rawRepresentation: bytes) else {
            throw damaged("a stored key is not 32 bytes")
        }
        return key
    }

    private func address(_ text: String) throws -> Address {
        guard let address = try? Address(canonical: text) else { throw damaged("'\(text)' is not a canonical address") }
        return address
    }

    private static let bindingAndBlockedQuery = """
        SELECT b.address, b.key, b.state, b.verified_key, b.pending_key, b.look_alike_of, b.first_seen, b.last_seen,
            b.message_count, b.unsigned_count, EXISTS (SELECT 1 FROM blocked WHERE address = ?1)
        FROM (SELECT 1) LEFT JOIN bindings AS b ON b.address = ?1
        """

    private static let bindingColumns = """
        address, key, state, verified_key, pending_key, look_alike_of, first_seen, last_seen, message_count, \
        unsigned_count
        """

    private func binding(_ row: Row, address known: Address? = nil) throws -> TrustBinding {
        guard let key = try key(row[1]), let state = BindingState(rawValue: row[2]) else {
            throw damaged("a binding has no key or an unknown state")
        }
        let lookAlike: String? = row[5]
        return TrustBinding(
            address: try known ?? address(row[0]), key: key, state: state, verifiedKey: try self.key(row[3]),
            pendingKey: try self.key(row[4]), lookAlikeOf: try lookAlike.map { try address($0) },
            firstSeen: UInt64(row[6] as Int64), lastSeen: UInt64(row[7] as Int64),
            messageCount: UInt64(row[8] as Int64), unsignedCount: UInt64(row[9] as Int64)
        )
    }

    private func bindings(_ sql: String, _ arguments: StatementArguments) throws -> [TrustBinding] {
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { try binding($0) }
    }

    /// Bindings as read in this transaction, so that saving one whose key and state did not change
    /// updates only its counters (no index is touched).
    private var loaded: [Address: TrustBinding] = [:]

    /// Whether addresses are blocked, as read with their binding in this transaction.
    private var blockedCache: [Address: Bool] = [:]

    func binding(for address: Address) throws -> TrustBinding? {
        // One query answers both "which binding" and "is it blocked", the two questions of every verdict.
        let query = try SQLiteRawStatement(db, Self.bindingAndBlockedQuery)
        defer { query.reset() }
        query.bind(1, address.text)
        guard try query.step() else { throw damaged("the binding query returned no row") }
        blockedCache[address] = query.int64(10) != 0
        guard !query.isNull(0) else {
            loaded[address] = nil
            return nil
        }
        guard let key = try key(query.bytes(1)), let state = query.text(2).flatMap(BindingState.init(rawValue:)) else {
            throw damaged("a binding has no key or an unknown state")
        }
        let binding = TrustBinding(
            address: address, key: key, state: state, verifiedKey: try self.key(query.bytes(3)),
            pendingKey: try self.key(query.bytes(4)), lookAlikeOf: try query.text(5).map { try self.address($0) },
            firstSeen: UInt64(query.int64(6)), lastSeen: UInt64(query.int64(7)),
            messageCount: UInt64(query.int64(8)), unsignedCount: UInt64(query.int64(9))
        )
        loaded[address] = binding
        return binding
    }

    func bindings(withKey key: Ed25519.VerifyingKey) throws -> [TrustBinding] {
        try bindings(
            "SELECT \(Self.bindingColumns) FROM bindings WHERE key = ? ORDER BY address", [Data(key.rawRepresentation)]
        )
    }

    func bindings(withSkeleton skeleton: String) throws -> [TrustBinding] {
        try bindings("SELECT \(Self.bindingColumns) FROM bindings WHERE skeleton = ? ORDER BY address", [skeleton])
    }

    func allBindings() throws -> [TrustBinding] {
        try bindings("SELECT \(Self.bindingColumns) FROM bindings ORDER BY address", [])
    }

    func save(_ binding: TrustBinding) throws {
        defer { loaded[binding.address] = binding }
        if var original = loaded[binding.address] {
            original.lastSeen = binding.lastSeen
            original.messageCount = binding.messageCount
            original.unsignedCount = binding.unsignedCount
            if original == binding {
                let update = try SQLiteRawStatement(
                    db, "UPDATE bindings SET last_seen = ?1, message_count = ?2, unsigned_count = ?3 WHERE address = ?4"
                )
                update.bind(1, Int64(binding.lastSeen))
                update.bind(2, Int64(binding.messageCount))
                update.bind(3, Int64(binding.unsignedCount))
                update.bind(4, binding.address.text)
                try update.run()
                return
            }
        }
        try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO bindings (\(Self.bindingColumns), skeleton)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            binding.address.text, Data(binding.key.rawRepresentation), binding.state.rawValue,
            binding.verifiedKey.map { Data($0.rawRepresentation) },
            binding.pendingKey.map { Data($0.rawRepresentation) },
            binding.lookAlikeOf?.text, Int64(binding.firstSeen), Int64(binding.lastSeen), Int64(binding.messageCount),
            Int64(binding.unsignedCount), binding.skeleton,
        ])
    }

    func keyRecord(for key: Ed25519.VerifyingKey) throws -> KeyRecord? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT introduced_by, introduced_sequence, rotated_by, rotated_sequence, rotated_previous,
                            successor, rotated_addresses, revoked_by, revocation_reason, revoked_at
                        FROM keys WHERE key = ?
                        """
                ),
                arguments: [Data(key.rawRepresentation)]
            )
        else { return nil }
        var record = KeyRecord(key: key)
        record.introducedBy = (row[0] as Data?).map { [UInt8]($0) }
        record.introducedSequence = (row[1] as Int64?).map { UInt64($0) }
        record.rotatedBy = (row[2] as Data?).map { [UInt8]($0) }
        record.rotatedSequence = (row[3] as Int64?).map { UInt64($0) }
        record.rotatedPrevious = (row[4] as Data?).map { [UInt8]($0) }
        record.successor = try self.key(row[5])
        record.rotatedAddresses = try (row[6] as String).split(separator: " ").map { try address(String($0)) }
        record.revokedBy = (row[7] as Data?).map { [UInt8]($0) }
        record.revocationReason = row[8]
        record.revokedAt = (row[9] as Int64?).map { UInt64($0) }
        return record
    }

    func save(_ record: KeyRecord) throws {
        try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO keys (key, introduced_by, introduced_sequence, rotated_by, rotated_sequence,
                    rotated_previous, successor, rotated_addresses, revoked_by, revocation_reason, revoked_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            Data(record.key.rawRepresentation), record.introducedBy.map { Data($0) },
            record.introducedSequence.map { Int64($0) }, record.rotatedBy.map { Data($0) },
            record.rotatedSequence.map { Int64($0) }, record.rotatedPrevious.map { Data($0) },
            record.successor.map { Data($0.rawRepresentation) },
            record.rotatedAddresses.map(\.text).joined(separator: " "), record.revokedBy.map { Data($0) },
            record.revocationReason, record.revokedAt.map { Int64($0) },
        ])
    }

    private func statement(_ row: Row) throws -> StatementRecord {
        guard let status = StatementStatus(rawValue: row[3]) else { throw damaged("unknown statement status") }
        return StatementRecord(
            hash: [UInt8](row[0] as Data), bytes: [UInt8](row[1] as Data), receivedAt: UInt64(row[2] as Int64),
            status: status, note: row[4], subjectKey: try key(row[5])
        )
    }

    func statement(hash: [UInt8]) throws -> StatementRecord? {
        try Row.fetchOne(
            db.cachedStatement(
                sql: "SELECT hash, bytes, received_at, status, note, subject_key FROM statements WHERE hash = ?"
            ),
            arguments: [Data(hash)]
        ).map { try statement($0) }
    }

    func heldStatements(subjectKey key: Ed25519.VerifyingKey) throws -> [StatementRecord] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT hash, bytes, received_at, status, note, subject_key FROM statements
                    WHERE status = 'held' AND subject_key = ? ORDER BY received_at, hash
                    """
            ),
            arguments: [Data(key.rawRepresentation)]
        ).map { try statement($0) }
    }

    func save(_ statement: StatementRecord) throws {
        try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO statements (hash, bytes, received_at, status, note, subject_key)
                VALUES (?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            Data(statement.hash), Data(statement.bytes), Int64(statement.receivedAt), statement.status.rawValue,
            statement.note, statement.subjectKey.map { Data($0.rawRepresentation) },
        ])
    }

    /// The last identifier looked up and not found in this transaction: recording it needs no check
    /// for an older record.
    private var absentMessage: ContentIdentifier?

    func seenMessage(_ id: ContentIdentifier) throws -> SeenMessage? {
        // The condition on the tag is what the index `seen_messages_by_tag` answers.
        let query = try SQLiteRawStatement(
            db,
            "SELECT address, received_at, verdict FROM seen_messages WHERE substr(id, -8) = substr(?1, -8) AND id = ?1"
        )
        defer { query.reset() }
        query.bind(1, id.binaryRepresentation)
        guard try query.step() else {
            absentMessage = id
            return nil
        }
        guard let text = query.text(0), let encoded = query.bytes(2), let verdict = TrustVerdict(encoded: encoded)
        else {
            throw damaged("a stored verdict does not decode")
        }
        return SeenMessage(id: id, address: try address(text), receivedAt: UInt64(query.int64(1)), verdict: verdict)
    }

    func save(_ seen: SeenMessage) throws {
        let id = seen.id.binaryRepresentation
        if absentMessage != seen.id {
            let delete = try SQLiteRawStatement(
                db, "DELETE FROM seen_messages WHERE substr(id, -8) = substr(?1, -8) AND id = ?1"
            )
            delete.bind(1, id)
            try delete.run()
        }
        absentMessage = nil
        let insert = try SQLiteRawStatement(
            db, "INSERT INTO seen_messages (id, address, received_at, verdict) VALUES (?1, ?2, ?3, ?4)"
        )
        insert.bind(1, id)
        insert.bind(2, seen.address.text)
        insert.bind(3, Int64(seen.receivedAt))
        insert.bind(4, seen.verdict.encoded())
        try insert.run()
    }

    func isBlocked(_ address: Address) throws -> Bool {
        if let blocked = blockedCache[address] { return blocked }
        return try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT 1 FROM blocked WHERE address = ?"), arguments: [address.text])
            != nil
    }

    func setBlocked(_ address: Address, _ blocked: Bool, at time: UInt64) throws {
        blockedCache[address] = blocked
        if blocked {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO blocked (address, since) VALUES (?, ?)")
                .execute(arguments: [address.text, Int64(time)])
        } else {
            try db.cachedStatement(sql: "DELETE FROM blocked WHERE address = ?").execute(arguments: [address.text])
        }
    }

    func appendEvent(time: UInt64, address: String, kind: String, detail: String) throws {
        guard let meta = try Row.fetchOne(db.cachedStatement(sql: "SELECT event_count, event_head FROM meta")) else {
            throw damaged("no meta record")
        }
        let count = UInt64(meta[0] as Int64)
        let event = TrustEventChain.make(
            sequence: count + 1, time: time, address: address, kind: kind, detail: detail,
            previous: [UInt8](meta[1] as Data)
        )
        try db.cachedStatement(
            sql: """
                INSERT INTO events (sequence, time, address, kind, detail, previous_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            Int64(event.sequence), Int64(event.time), event.address, event.kind, event.detail,
            Data(event.previousHash), Data(event.hash),
        ])
        try db.cachedStatement(sql: "UPDATE meta SET event_count = ?, event_head = ?")
            .execute(arguments: [Int64(event.sequence), Data(event.hash)])
    }

    func events(address: Address?) throws -> [TrustEvent] {
        let columns = "sequence, time, address, kind, detail, previous_hash, hash"
        let rows: [Row]
        if let address {
            rows = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT \(columns) FROM events WHERE address = ? ORDER BY sequence"),
                arguments: [address.text]
            )
        } else {
            rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT \(columns) FROM events ORDER BY sequence"))
        }
        return rows.map {
            TrustEvent(
                sequence: UInt64($0[0] as Int64), time: UInt64($0[1] as Int64), address: $0[2], kind: $0[3],
                detail: $0[4], previousHash: [UInt8]($0[5] as Data), hash: [UInt8]($0[6] as Data)
            )
        }
    }
}

/// A counter shared by the threads of one process.
private final class QueuedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    var isZero: Bool { lock.withLock { count == 0 } }
    func increment() { lock.withLock { count += 1 } }
    func decrement() { lock.withLock { count -= 1 } }
}
