public import DialogueIdentifiers
internal import Foundation
internal import GRDB

/// The embedded ``MailStore``: one SQLite database (GRDB) in WAL mode with `synchronous = FULL`, so
/// that everything a method has returned from is on disk (Spec: [dlv-durable]): a server acknowledges
/// a submission or a notification only after the commit that holds it.
///
/// Each method that writes is one savepoint of a `BEGIN IMMEDIATE` transaction that it shares with the
/// writes that arrived while the commit before was being synchronized (``GroupCommitWriter``: one
/// `fsync` for many requests); readers run beside the writer.
public final class SQLiteMailStore: MailStore {
    private let pool: DatabasePool
    private let writer: GroupCommitWriter
    private static let done = "('acknowledged', 'failed', 'expired')"

    /// Opens (creating and migrating if needed) the database at `path`.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(10)
        configuration.label = "DialogueServer"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // Acknowledged means committed to disk, not only to the WAL in the page cache: every commit
            // synchronizes the WAL. Set on the writer after the pool is open, because GRDB's WAL set-up
            // runs after `prepareDatabase` and sets `synchronous = NORMAL` (commits not synchronized).
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try Self.migrator.migrate(pool)
        } catch {
            throw StoreError.unavailable("cannot open \(path): \(error)")
        }
        writer = GroupCommitWriter(pool: pool)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE accounts (
                        address TEXT PRIMARY KEY, card BLOB NOT NULL, identity_key BLOB NOT NULL,
                        fingerprint BLOB NOT NULL, created INTEGER NOT NULL);
                    CREATE TABLE uploads (
                        blob BLOB NOT NULL, user TEXT NOT NULL, size INTEGER NOT NULL, at INTEGER NOT NULL,
                        PRIMARY KEY (blob, user));
                    CREATE TABLE blobs (
                        blob BLOB PRIMARY KEY, size INTEGER NOT NULL, deleted INTEGER);
                    CREATE TABLE submissions (
                        id BLOB PRIMARY KEY, position INTEGER NOT NULL UNIQUE, sender TEXT NOT NULL, bytes BLOB NOT NULL,
                        created INTEGER NOT NULL, expires INTEGER NOT NULL, accepted INTEGER NOT NULL, deleted INTEGER);
                    CREATE INDEX submissions_live_expiry ON submissions (expires) WHERE deleted IS NULL;
                    CREATE TABLE submission_chunks (
                        submission BLOB NOT NULL REFERENCES submissions (id), chunk BLOB NOT NULL,
                        PRIMARY KEY (submission, chunk));
                    CREATE INDEX submission_chunks_chunk ON submission_chunks (chunk);
                    CREATE TABLE deliveries (
                        submission BLOB NOT NULL REFERENCES submissions (id), position INTEGER NOT NULL,
                        recipient TEXT NOT NULL, envelope BLOB NOT NULL, fingerprint BLOB NOT NULL, stanza INTEGER,
                        state TEXT NOT NULL, attempts INTEGER NOT NULL, last_attempt INTEGER, next_attempt INTEGER,
                        last_error TEXT, notified INTEGER, acknowledged INTEGER, ended INTEGER,
                        PRIMARY KEY (submission, recipient));
                    CREATE INDEX deliveries_envelope ON deliveries (envelope, recipient);
                    CREATE INDEX deliveries_due ON deliveries (next_attempt) WHERE state IN ('pending', 'retrying');
                    CREATE TABLE inbox (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT, recipient TEXT NOT NULL, sender TEXT NOT NULL,
                        envelope BLOB NOT NULL, base_url TEXT NOT NULL, notification BLOB NOT NULL,
                        received INTEGER NOT NULL, expires INTEGER NOT NULL, acknowledgement BLOB,
                        acknowledgement_state TEXT NOT NULL, relay_attempts INTEGER NOT NULL, next_relay INTEGER,
                        last_relay_error TEXT, UNIQUE (recipient, sender, envelope));
                    CREATE INDEX inbox_recipient ON inbox (recipient, sequence);
                    CREATE INDEX inbox_relays ON inbox (next_relay) WHERE acknowledgement_state = 'relaying';
                    CREATE TABLE kept (
                        sequence INTEGER NOT NULL REFERENCES inbox (sequence) ON DELETE CASCADE, blob BLOB NOT NULL,
                        position INTEGER NOT NULL, PRIMARY KEY (sequence, blob));
                    CREATE INDEX kept_blob ON kept (blob);
                    CREATE TABLE nonces (key TEXT PRIMARY KEY, until INTEGER NOT NULL);
                    """)
        }
        registerListMigration(&migrator)
        return migrator
    }

    /// The writer connection's `PRAGMA synchronous` level: 2 (`FULL`) once the store is open.
    public func synchronousLevel() async throws -> Int {
        try await pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// The write transactions committed since the store was opened: fewer than the writes when group
    /// commit put several in one.
    public var transactionCount: Int { writer.transactions }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.unavailable("\(error)")
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.unavailable("\(error)")
        }
    }

    // MARK: Accounts

    public func addAccount(_ account: AccountRecord) async throws {
        try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM accounts WHERE address = ?", arguments: [account.address])
                ?? false
            {
                throw StoreError.alreadyExists(account.address)
            }
            try db.execute(
                sql: "INSERT INTO accounts VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    account.address, Data(account.card), Data(account.identityKey),
                    Data(account.fingerprint.binaryRepresentation), account.created,
                ])
        }
    }

    public func removeAccount(_ address: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM accounts WHERE address = ?", arguments: [address])
            if db.changesCount == 0 { throw StoreError.notFound(address) }
        }
    }

    public func account(_ address: String) async throws -> AccountRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM accounts WHERE address = ?", arguments: [address]).map(
                Self.account)
        }
    }

    public func accounts() async throws -> [AccountRecord] {
        try await read { db in try Row.fetchAll(db, sql: "SELECT * FROM accounts ORDER BY address").map(Self.account) }
    }

    private static func account(_ row: Row) throws -> AccountRecord {
        AccountRecord(
            address: row["address"], card: bytes(row["card"]), identityKey: bytes(row["identity_key"]),
            fingerprint: try identifier(row["fingerprint"], .identityKey), created: row["created"])
    }

    // MARK: Blobs and submissions

    /// Whether an undone delivery, a live submission or a kept entry names the blob (Spec: [dlv-delete]).
    static func isNeeded(_ db: Database, _ id: Data) throws -> Bool {
        // Cached statements: serving a blob asks this on every GET, and parsing the SQL each time cost
        // more than running it.
        try Bool.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT EXISTS (SELECT 1 FROM deliveries d JOIN submissions s ON s.id = d.submission
                                   WHERE d.envelope = ?1 AND s.deleted IS NULL AND d.state NOT IN \(done))
                        OR EXISTS (SELECT 1 FROM submission_chunks c JOIN submissions s ON s.id = c.submission
                                   WHERE c.chunk = ?1 AND s.deleted IS NULL)
                        OR EXISTS (SELECT 1 FROM kept WHERE blob = ?1)
                        OR EXISTS (SELECT 1 FROM list_blobs WHERE blob = ?1)
                    """), arguments: [id]) ?? false
    }

    static func blobState(_ db: Database, _ id: ContentIdentifier) throws -> BlobState {
        let key = Data(id.binaryRepresentation)
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT size, deleted FROM blobs WHERE blob = ?"), arguments: [key])
        if let row, row["deleted"] as Int64? == nil, try isNeeded(db, key) { return .live(size: row["size"]) }
        if let upload = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT user, at FROM uploads WHERE blob = ? ORDER BY user LIMIT 1"),
            arguments: [key])
        {
            return .uploaded(by: upload["user"], at: upload["at"])
        }
        if let row, let deleted = row["deleted"] as UInt64? { return .deleted(at: deleted) }
        return .unknown
    }

    /// Always through GRDB's asynchronous read, never its synchronous one on a task's thread: an
    /// asynchronous read gives its connection back only once its task resumes, so tasks that block their
    /// threads waiting for a connection can starve the very tasks that would give one back (measured:
    /// uploads at 32 in flight hung).
    public func blobState(_ id: ContentIdentifier) async throws -> BlobState {
        try await read { db in try Self.blobState(db, id) }
    }

    public func recordUpload(_ id: ContentIdentifier, size: Int, by user: String, at time: UInt64) async throws {
        try await write { db in
            if case .live = try Self.blobState(db, id) { return }
            try db.execute(
                sql: "INSERT OR REPLACE INTO uploads VALUES (?, ?, ?, ?)",
                arguments: [Data(id.binaryRepresentation), user, size, time])
        }
    }

    public func acceptSubmission(_ submission: SubmissionRecord) async throws -> SubmissionAcceptance {
        try await write { db in
            let id = Data(submission.id.binaryRepresentation)
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM submissions WHERE id = ?", arguments: [id]) ?? false {
                return .repeated
            }
            var sizes: [(Data, Int)] = []
            var missing: [ContentIdentifier] = []
            var seen = Set<ContentIdentifier>()
            for blob in submission.envelopes + submission.chunks where seen.insert(blob).inserted {
                let key = Data(blob.binaryRepresentation)
                if case .live(let size) = try Self.blobState(db, blob) {
                    sizes.append((key, size))
                } else if let size = try Int.fetchOne(
                    db, sql: "SELECT size FROM uploads WHERE blob = ? AND user = ?",
                    arguments: [key, submission.sender])
                {
                    sizes.append((key, size))
                } else {
                    missing.append(blob)
                }
            }
            guard missing.isEmpty else { throw StoreError.missingBlobs(missing) }
            let position = (try Int64.fetchOne(db, sql: "SELECT MAX(position) FROM submissions") ?? 0) + 1
            try db.execute(
                sql: "INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
                arguments: [
                    id, position, submission.sender, Data(submission.bytes), submission.created, submission.expires,
                    submission.accepted,
                ])
            for chunk in Set(submission.chunks) {
                try db.execute(
                    sql: "INSERT INTO submission_chunks VALUES (?, ?)",
                    arguments: [id, Data(chunk.binaryRepresentation)])
            }
            for (index, delivery) in submission.deliveries.enumerated() {
                try Self.insert(db, delivery, submission: id, position: index)
            }
            for (key, size) in sizes {
                try db.execute(sql: "INSERT OR REPLACE INTO blobs VALUES (?, ?, NULL)", arguments: [key, size])
                try db.execute(sql: "DELETE FROM uploads WHERE blob = ?", arguments: [key])
            }
            return .accepted
        }
    }

    private static func insert(_ db: Database, _ delivery: DeliveryRecord, submission: Data, position: Int) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO deliveries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                submission, position, delivery.recipient, Data(delivery.envelope.binaryRepresentation),
                Data(delivery.fingerprint.binaryRepresentation), delivery.stanzaIndex, delivery.state.rawValue,
                delivery.attempts, delivery.lastAttempt, delivery.nextAttempt, delivery.lastError, delivery.notified,
                delivery.acknowledged, delivery.ended,
            ])
    }

    private static func submission(_ db: Database, _ id: Data) throws -> SubmissionRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM submissions WHERE id = ?", arguments: [id]) else {
            return nil
        }
        let chunks = try Data.fetchAll(
            db, sql: "SELECT chunk FROM submission_chunks WHERE submission = ? ORDER BY chunk", arguments: [id]
        ).map { try identifier($0, .blob) }
        let deliveries = try Row.fetchAll(
            db, sql: "SELECT * FROM deliveries WHERE submission = ? ORDER BY position", arguments: [id]
        ).map(delivery)
        var record = SubmissionRecord(
            id: try identifier(row["id"], .submission), sender: row["sender"], bytes: bytes(row["bytes"]),
            created: row["created"], expires: row["expires"], accepted: row["accepted"], chunks: chunks,
            deliveries: deliveries)
        record.deleted = row["deleted"]
        return record
    }

    private static func delivery(_ row: Row) throws -> DeliveryRecord {
        var delivery = DeliveryRecord(
            recipient: row["recipient"], envelope: try identifier(row["envelope"], .blob),
            fingerprint: try identifier(row["fingerprint"], .identityKey), stanzaIndex: row["stanza"])
        delivery.state = DeliveryRecord.State(rawValue: row["state"]) ?? .failed
        delivery.attempts = row["attempts"]
        delivery.lastAttempt = row["last_attempt"]
        delivery.nextAttempt = row["next_attempt"]
        delivery.lastError = row["last_error"]
        delivery.notified = row["notified"]
        delivery.acknowledged = row["acknowledged"]
        delivery.ended = row["ended"]
        return delivery
    }

    public func submission(_ id: ContentIdentifier) async throws -> SubmissionRecord? {
        try await read { db in try Self.submission(db, Data(id.binaryRepresentation)) }
    }

    public func delivery(envelope: ContentIdentifier, recipient: String) async throws -> (
        SubmissionRecord, DeliveryRecord
    )? {
        try await read { db in try Self.delivery(db, envelope: envelope, recipient: recipient) }
    }

    private static func delivery(_ db: Database, envelope: ContentIdentifier, recipient: String) throws -> (
        SubmissionRecord, DeliveryRecord
    )? {
        guard
            let id = try Data.fetchOne(
                db,
                sql: """
                    SELECT d.submission FROM deliveries d JOIN submissions s ON s.id = d.submission
                    WHERE d.envelope = ? AND d.recipient = ? ORDER BY s.position DESC LIMIT 1
                    """, arguments: [Data(envelope.binaryRepresentation), recipient]),
            let submission = try submission(db, id),
            let delivery = submission.deliveries.first(where: { $0.recipient == recipient })
        else { return nil }
        return (submission, delivery)
    }

    public func dueNotifications(now: UInt64, limit: Int, excludingPeers: Set<String>) async throws
        -> [DueNotification]
    {
        let excluded = excludingPeers.sorted()
        return try await read { db in
            let placeholders = excluded.map { _ in "?" }.joined(separator: ", ")
            var arguments: [any DatabaseValueConvertible] = [now]
            arguments += excluded
            arguments.append(limit)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.submission, d.recipient FROM deliveries d JOIN submissions s ON s.id = d.submission
                    WHERE s.deleted IS NULL AND (d.state = 'pending' OR (d.state = 'retrying' AND d.next_attempt <= ?))
                      AND substr(d.recipient, instr(d.recipient, '@') + 1) NOT IN (\(placeholders))
                    ORDER BY s.position, d.position LIMIT ?
                    """, arguments: StatementArguments(arguments))
            var due: [DueNotification] = []
            var cache: [Data: SubmissionRecord] = [:]
            for row in rows {
                let id: Data = row["submission"]
                if cache[id] == nil { cache[id] = try Self.submission(db, id) }
                guard let submission = cache[id],
                    let delivery = submission.deliveries.first(where: { $0.recipient == row["recipient"] })
                else { continue }
                due.append(DueNotification(submission: submission, delivery: delivery))
            }
            return due
        }
    }

    public func recordAttempt(
        _ attempt: NotificationAttempt, submission id: ContentIdentifier, recipient: String, at time: UInt64
    ) async throws -> [ContentIdentifier] {
        try await write { db in
            let key = Data(id.binaryRepresentation)
            guard let submission = try Self.submission(db, key) else {
                throw StoreError.notFound(id.text(kind: .submission))
            }
            guard let index = submission.deliveries.firstIndex(where: { $0.recipient == recipient }) else {
                throw StoreError.notFound(recipient)
            }
            var delivery = submission.deliveries[index]
            guard delivery.record(attempt, at: time) else { return [] }
            try Self.insert(db, delivery, submission: key, position: index)
            return try Self.settle(db, key, changed: delivery.envelope, at: time)
        }
    }

    public func acknowledge(envelope: ContentIdentifier, recipient: String, at time: UInt64) async throws -> (
        AcknowledgementOutcome, deleted: [ContentIdentifier]
    ) {
        try await write { db in
            guard let (submission, delivery) = try Self.delivery(db, envelope: envelope, recipient: recipient),
                let index = submission.deliveries.firstIndex(where: { $0.recipient == recipient })
            else { return (.gone, []) }
            switch delivery.state {
            case .acknowledged: return (.repeated, [])
            case .failed, .expired: return (.gone, [])
            case .pending, .retrying, .notified: break
            }
            var updated = delivery
            updated.recordAcknowledgement(at: time)
            let key = Data(submission.id.binaryRepresentation)
            try Self.insert(db, updated, submission: key, position: index)
            return (.recorded, try Self.settle(db, key, changed: envelope, at: time))
        }
    }

    public func expire(now: UInt64, uploadGrace: UInt64) async throws -> [ContentIdentifier] {
        try await write { db in
            var deleted: [ContentIdentifier] = []
            let expired = try Data.fetchAll(
                db, sql: "SELECT id FROM submissions WHERE deleted IS NULL AND expires <= ? ORDER BY position",
                arguments: [now])
            for id in expired {
                try db.execute(
                    sql: """
                        UPDATE deliveries SET state = 'expired', ended = ?, next_attempt = NULL
                        WHERE submission = ? AND state NOT IN \(Self.done)
                        """, arguments: [now, id])
                deleted += try Self.settle(db, id, changed: nil, at: now)
            }
            let stale = try Data.fetchAll(
                db, sql: "SELECT DISTINCT blob FROM uploads WHERE at + ? <= ?", arguments: [uploadGrace, now])
            for blob in stale {
                try db.execute(sql: "DELETE FROM uploads WHERE blob = ?", arguments: [blob])
                if !(try Self.isNeeded(db, blob)) { deleted.append(try Self.identifier(blob, .blob)) }
            }
            try db.execute(sql: "DELETE FROM nonces WHERE until <= ?", arguments: [now])
            return deleted
        }
    }

    /// Deletes what the submission no longer needs, and the submission itself once no delivery is left
    /// (Spec: [dlv-delete], [dlv-tombstones]); in the caller's transaction.
    private static func settle(_ db: Database, _ id: Data, changed envelope: ContentIdentifier?, at time: UInt64)
        throws -> [ContentIdentifier]
    {
        // While the submission lives, only the envelope of the delivery that just ended can have become
        // unneeded: one query, instead of reading every delivery and chunk on each acknowledgement.
        let live =
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM deliveries WHERE submission = ? AND state NOT IN \(done))",
                arguments: [id]) ?? false
        if live { return try release(db, envelope.map { [$0] } ?? [], at: time) }
        guard let submission = try submission(db, id) else { return [] }
        if submission.deleted == nil {
            try db.execute(sql: "UPDATE submissions SET deleted = ? WHERE id = ?", arguments: [time, id])
        }
        return try release(db, submission.envelopes + submission.chunks, at: time)
    }

    /// Records as deleted each candidate that nothing names any more.
    static func release(_ db: Database, _ candidates: [ContentIdentifier], at time: UInt64) throws
        -> [ContentIdentifier]
    {
        var deleted: [ContentIdentifier] = []
        var seen = Set<ContentIdentifier>()
        for id in candidates where seen.insert(id).inserted {
            let key = Data(id.binaryRepresentation)
            guard
                try Bool.fetchOne(db, sql: "SELECT 1 FROM blobs WHERE blob = ? AND deleted IS NULL", arguments: [key])
                    ?? false, !(try isNeeded(db, key))
            else { continue }
            try db.execute(sql: "UPDATE blobs SET deleted = ? WHERE blob = ?", arguments: [time, key])
            deleted.append(id)
        }
        return deleted
    }

    // MARK: Inboxes

    private static func entry(_ db: Database, _ row: Row) throws -> InboxEntryRecord {
        var entry = InboxEntryRecord(
            sequence: row["sequence"], recipient: row["recipient"], sender: row["sender"],
            envelope: try identifier(row["envelope"], .blob), baseURL: row["base_url"],
            notification: bytes(row["notification"]), received: row["received"], expires: row["expires"])
        entry.kept = try Data.fetchAll(
            db, sql: "SELECT blob FROM kept WHERE sequence = ? ORDER BY position", arguments: [entry.sequence]
        ).map { try identifier($0, .blob) }
        entry.acknowledgement = (row["acknowledgement"] as Data?).map(Array.init)
        entry.acknowledgementState =
            InboxEntryRecord.AcknowledgementState(rawValue: row["acknowledgement_state"]) ?? .none
        entry.relayAttempts = row["relay_attempts"]
        entry.nextRelay = row["next_relay"]
        entry.lastRelayError = row["last_relay_error"]
        return entry
    }

    public func addInboxEntry(
        recipient: String, sender: String, envelope: ContentIdentifier, baseURL: String, notification: [UInt8],
        received: UInt64, expires: UInt64
    ) async throws -> InboxAddition {
        try await write { db in
            let key = Data(envelope.binaryRepresentation)
            if let row = try Row.fetchOne(
                db, sql: "SELECT * FROM inbox WHERE recipient = ? AND sender = ? AND envelope = ?",
                arguments: [recipient, sender, key])
            {
                return .repeated(try Self.entry(db, row))
            }
            try db.execute(
                sql: """
                    INSERT INTO inbox (recipient, sender, envelope, base_url, notification, received, expires,
                                       acknowledgement_state, relay_attempts)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'none', 0)
                    """, arguments: [recipient, sender, key, baseURL, Data(notification), received, expires])
            let row = try Row.fetchOne(
                db, sql: "SELECT * FROM inbox WHERE sequence = ?", arguments: [db.lastInsertedRowID])
            return .added(try Self.entry(db, row!))
        }
    }

    public func inbox(recipient: String, after: UInt64?, limit: Int) async throws -> [InboxEntryRecord] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM inbox WHERE recipient = ? AND sequence > ? ORDER BY sequence LIMIT ?",
                arguments: [recipient, after ?? 0, limit]
            ).map { try Self.entry(db, $0) }
        }
    }

    public func inboxEntry(recipient: String, sequence: UInt64) async throws -> InboxEntryRecord? {
        try await read { db in try Self.entry(db, recipient: recipient, sequence: sequence) }
    }

    private static func entry(_ db: Database, recipient: String, sequence: UInt64) throws -> InboxEntryRecord? {
        try Row.fetchOne(
            db, sql: "SELECT * FROM inbox WHERE recipient = ? AND sequence = ?", arguments: [recipient, sequence]
        ).map { try entry(db, $0) }
    }

    public func lastSequence() async throws -> UInt64 {
        try await read { db in
            try UInt64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'inbox'") ?? 0
        }
    }

    public func keep(recipient: String, sequence: UInt64, blobs: [(id: ContentIdentifier, size: Int)], at time: UInt64)
        async throws
    {
        let kept = blobs.map { (Data($0.id.binaryRepresentation), $0.size) }
        try await write { db in
            guard let entry = try Self.entry(db, recipient: recipient, sequence: sequence) else {
                throw StoreError.notFound("inbox entry")
            }
            var position = entry.kept.count
            for (key, size) in kept {
                try db.execute(sql: "INSERT OR REPLACE INTO blobs VALUES (?, ?, NULL)", arguments: [key, size])
                if try
                    !(Bool.fetchOne(
                        db, sql: "SELECT 1 FROM kept WHERE sequence = ? AND blob = ?", arguments: [sequence, key])
                    ?? false)
                {
                    try db.execute(sql: "INSERT INTO kept VALUES (?, ?, ?)", arguments: [sequence, key, position])
                    position += 1
                }
            }
        }
    }

    public func setAcknowledgement(recipient: String, sequence: UInt64, acknowledgement: [UInt8], at time: UInt64)
        async throws -> Bool
    {
        try await write { db in
            guard let entry = try Self.entry(db, recipient: recipient, sequence: sequence) else {
                throw StoreError.notFound("inbox entry")
            }
            guard entry.acknowledgement == nil else { return false }
            try db.execute(
                sql: """
                    UPDATE inbox SET acknowledgement = ?, acknowledgement_state = 'relaying', next_relay = ?
                    WHERE sequence = ?
                    """, arguments: [Data(acknowledgement), time, sequence])
            return true
        }
    }

    public func dueRelays(now: UInt64, limit: Int) async throws -> [InboxEntryRecord] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM inbox WHERE acknowledgement_state = 'relaying' AND next_relay <= ?
                    ORDER BY sequence LIMIT ?
                    """, arguments: [now, limit]
            ).map { try Self.entry(db, $0) }
        }
    }

    public func recordRelay(_ attempt: NotificationAttempt, recipient: String, sequence: UInt64, at time: UInt64)
        async throws
    {
        try await write { db in
            guard try Self.entry(db, recipient: recipient, sequence: sequence) != nil else {
                throw StoreError.notFound("inbox entry")
            }
            switch attempt {
            case .confirmed:
                try db.execute(
                    sql: """
                        UPDATE inbox SET acknowledgement_state = 'relayed', next_relay = NULL,
                        relay_attempts = relay_attempts + 1 WHERE sequence = ?
                        """, arguments: [sequence])
            case .retry(let error, let next):
                try db.execute(
                    sql: """
                        UPDATE inbox SET last_relay_error = ?, next_relay = ?, relay_attempts = relay_attempts + 1
                        WHERE sequence = ?
                        """, arguments: [error, next, sequence])
            case .failed(let error):
                try db.execute(
                    sql: """
                        UPDATE inbox SET acknowledgement_state = 'failed', last_relay_error = ?, next_relay = NULL,
                        relay_attempts = relay_attempts + 1 WHERE sequence = ?
                        """, arguments: [error, sequence])
            }
        }
    }

    public func removeInboxEntry(recipient: String, sequence: UInt64, at time: UInt64) async throws
        -> [ContentIdentifier]
    {
        try await write { db in
            guard let entry = try Self.entry(db, recipient: recipient, sequence: sequence) else {
                throw StoreError.notFound("inbox entry")
            }
            try db.execute(sql: "DELETE FROM kept WHERE sequence = ?", arguments: [sequence])
            try db.execute(sql: "DELETE FROM inbox WHERE sequence = ?", arguments: [sequence])
            return try Self.release(db, entry.kept, at: time)
        }
    }

    // MARK: Nonces

    public func recordNonce(keyID: String, nonce: String, until: UInt64, now: UInt64) async throws -> Bool {
        try await write { db in
            // A space, not a NUL: SQLite would end the text at a NUL, and every nonce of a key would collide.
            // Neither a keyid nor a nonce holds a space ([dlv-request-keyid]).
            let key = keyID + " " + nonce
            if let existing = try UInt64.fetchOne(db, sql: "SELECT until FROM nonces WHERE key = ?", arguments: [key]),
                existing > now
            {
                return false
            }
            try db.execute(sql: "INSERT OR REPLACE INTO nonces VALUES (?, ?)", arguments: [key, until])
            return true
        }
    }

    // MARK: Leases

    /// One process owns a SQLite file (its writer is in this process): every claim is granted, and the
    /// outbox of that process works each item once.
    public func claim(_ work: [OutboxWork], lease: Lease, now: UInt64) async throws -> Set<OutboxWork> { Set(work) }

    /// One process owns a SQLite file: every job is granted.
    public func claimJob(_ name: String, lease: Lease, now: UInt64) async throws -> Bool { true }

    // MARK: Statistics

    public func statistics() async throws -> StoreStatistics {
        try await read { db in
            let notifications =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM deliveries WHERE state IN ('pending', 'retrying')") ?? 0
            let relays =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox WHERE acknowledgement_state = 'relaying'") ?? 0
            // A blob is counted once, whether it is live, uploaded, or both: live blobs, then the uploads
            // of blobs that are not live. Two aggregates instead of one UNION, which sorts every blob
            // (measured on 1,000,000 blobs and 10,000 uploads: 0.17 s + 0.05 s, against 6.9 s).
            let live = try Row.fetchOne(
                db, sql: "SELECT COUNT(*) AS count, COALESCE(SUM(size), 0) AS bytes FROM blobs WHERE deleted IS NULL")
            let uploaded = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) AS count, COALESCE(SUM(size), 0) AS bytes
                    FROM (SELECT blob AS id, MAX(size) AS size FROM uploads GROUP BY blob) AS held
                    WHERE NOT EXISTS (SELECT 1 FROM blobs WHERE blobs.blob = held.id AND blobs.deleted IS NULL)
                    """)
            let count: Int = (live?["count"] ?? 0) + (uploaded?["count"] ?? 0)
            let bytes: Int64 = (live?["bytes"] ?? 0) + (uploaded?["bytes"] ?? 0)
            return StoreStatistics(
                waitingNotifications: notifications, waitingRelays: relays, blobs: count, bytes: UInt64(max(0, bytes)))
        }
    }

    // MARK: Columns

    static func bytes(_ data: Data) -> [UInt8] { Array(data) }

    static func identifier(_ data: Data, _ kind: IdentifierKind) throws -> ContentIdentifier {
        do {
            return try ContentIdentifier(binaryRepresentation: data)
        } catch {
            throw StoreError.unavailable("a stored \(kind) identifier does not decode: \(error)")
        }
    }
}
