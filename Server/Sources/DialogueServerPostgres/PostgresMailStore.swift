public import DialogueIdentifiers
public import DialogueServerStorage
internal import Foundation
public import Logging
internal import PostgresNIO

/// The ``DialogueServerStorage/MailStore`` on PostgreSQL (postgres-nio's `PostgresClient`, a pool of
/// connections): the same tables and guarantees as ``DialogueServerStorage/SQLiteMailStore``.
///
/// Every method is one transaction at `SERIALIZABLE` isolation, retried from the start when PostgreSQL
/// reports a serialization failure or a deadlock: the outcome is that of some order of one-at-a-time
/// transactions, as with SQLite's single writer. A few are `READ COMMITTED`, because one row orders
/// them and `SERIALIZABLE` would only turn waiting for it into failures and retries: adding an inbox
/// entry (it waits for the counter row's lock; a concurrent duplicate is a unique violation, retried
/// into a repeat), recording a nonce (one `INSERT … ON CONFLICT`), and the lease claims
/// (`FOR UPDATE SKIP LOCKED`). A method returns only after its `COMMIT` did, and
/// PostgreSQL's commit is durable with its default `synchronous_commit = on` (Spec: [dlv-durable]):
/// acknowledged means committed.
public final class PostgresMailStore: MailStore, InboxArrivalFeed, ListAppendFeed {
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger
    /// The `NOTIFY` channel of inbox arrivals: one per schema, so that stores in other schemas of the
    /// same database (tests) do not wake each other's polls.
    private let arrivalChannel: String
    /// The `NOTIFY` channel of list index appends, one per schema likewise.
    let listChannel: String
    private static let done = "('acknowledged', 'failed', 'expired')"
    /// Retries of a transaction that keeps conflicting before the store reports itself unavailable.
    private static let attempts = 50

    /// Connects to `url` and migrates the schema.
    ///
    /// - Parameters:
    ///   - url: The database.
    ///   - schema: A schema to hold the tables, created if missing (`nil`: the role's `search_path`,
    ///     normally `public`); letters, digits and `_` only.
    ///   - maximumConnections: The pool's size.
    ///   - logger: Where the pool logs.
    public init(
        url: PostgresDatabaseURL, schema: String? = nil, maximumConnections: Int = 16,
        logger: Logger = Logger(label: "DialogueServerPostgres")
    ) async throws {
        var configuration = url.clientConfiguration()
        configuration.options.maximumConnections = max(1, maximumConnections)
        if let schema {
            guard !schema.isEmpty, schema.utf8.count <= 63,
                schema.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
            else { throw StoreError.unavailable("the schema name '\(schema)' is not letters, digits and _") }
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        arrivalChannel = "dialogue_inbox" + (schema.map { "_" + $0.lowercased() } ?? "")
        listChannel = "dialogue_lists" + (schema.map { "_" + $0.lowercased() } ?? "")
        runner = Task { await client.run() }
        do {
            if let schema {
                try await client.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \"\(schema)\""))
            }
            // READ COMMITTED: each statement sees what a process that held the migration lock before committed.
            try await transaction(begin: "BEGIN ISOLATION LEVEL READ COMMITTED") {
                try await PostgresSchema.migrate($0)
            }
        } catch {
            runner.cancel()
            throw Self.storeError(error, context: "cannot open \(url)")
        }
    }

    deinit { runner.cancel() }

    /// Closes the pool's connections; the store is unusable after.
    public func close() async {
        runner.cancel()
        await runner.value
    }

    private static func storeError(_ error: any Error, context: String? = nil) -> StoreError {
        if let error = error as? StoreError { return error }
        let detail: String
        if let error = error as? PSQLError {
            let message = error.serverInfo?[.message] ?? "\(error.code)"
            detail = "PostgreSQL: \(message) (\(error.serverInfo?[.sqlState] ?? "no SQLSTATE"))"
        } else {
            detail = "\(error)"
        }
        return .unavailable(context.map { "\($0): \(detail)" } ?? detail)
    }

    private static func isRetryable(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] else { return false }
        // serialization_failure, deadlock_detected, and unique_violation: two transactions inserting the
        // same key (a nonce, an inbox entry) conflict as a unique violation, which a retry turns into the
        // "already there" answer.
        return state == "40001" || state == "40P01" || state == "23505"
    }

    /// Runs `body` in one transaction that `begin` opens, from the start again after a conflict.
    private func transaction<T: Sendable>(
        begin: PostgresQuery, _ body: @Sendable (PostgresTransaction) async throws -> T
    ) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.withConnection { connection in
                    let transaction = PostgresTransaction(connection: connection, logger: logger)
                    try await transaction.execute(begin)
                    do {
                        let result = try await body(transaction)
                        try await transaction.execute("COMMIT")
                        return result
                    } catch {
                        _ = try? await transaction.execute("ROLLBACK")
                        throw error
                    }
                }
            } catch {
                guard Self.isRetryable(error), attempt < Self.attempts else { throw Self.storeError(error) }
                // A short random pause, so that the transactions that conflicted do not meet again.
                try? await Task.sleep(for: .milliseconds(Int.random(in: 1...(2 * min(attempt, 10)))))
            }
        }
    }

    func read<T: Sendable>(_ body: @Sendable (PostgresTransaction) async throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY", body)
    }

    func write<T: Sendable>(_ body: @Sendable (PostgresTransaction) async throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN ISOLATION LEVEL SERIALIZABLE", body)
    }

    // MARK: Accounts

    public func addAccount(_ account: AccountRecord) async throws {
        let created = try PostgresColumns.bigint(account.created)
        try await write { db in
            let inserted = try await db.execute(
                """
                INSERT INTO accounts VALUES (\(account.address), \(Data(account.card)), \(Data(account.identityKey)),
                    \(Data(account.fingerprint.binaryRepresentation)), \(created))
                ON CONFLICT (address) DO NOTHING RETURNING address
                """)
            if inserted == 0 { throw StoreError.alreadyExists(account.address) }
        }
    }

    public func removeAccount(_ address: String) async throws {
        try await write { db in
            if try await db.execute("DELETE FROM accounts WHERE address = \(address) RETURNING address") == 0 {
                throw StoreError.notFound(address)
            }
        }
    }

    public func account(_ address: String) async throws -> AccountRecord? {
        try await read { db in
            try await db.row("SELECT * FROM accounts WHERE address = \(address)").map(Self.account)
        }
    }

    public func accounts() async throws -> [AccountRecord] {
        try await read { db in try await db.rows("SELECT * FROM accounts ORDER BY address").map(Self.account) }
    }

    private static func account(_ row: PostgresRandomAccessRow) throws -> AccountRecord {
        AccountRecord(
            address: try row["address"].decode(String.self), card: try bytes(row["card"]),
            identityKey: try bytes(row["identity_key"]),
            fingerprint: try identifier(row["fingerprint"], .identityKey),
            created: try PostgresColumns.time(row["created"].decode(Int64.self)))
    }

    // MARK: Blobs and submissions

    /// Whether an undone delivery, a live submission or a kept entry names the blob (Spec: [dlv-delete]).
    static func isNeeded(_ db: PostgresTransaction, _ id: Data) async throws -> Bool {
        try await db.value(
            """
            SELECT EXISTS (SELECT 1 FROM deliveries d JOIN submissions s ON s.id = d.submission
                           WHERE d.envelope = \(id) AND s.deleted IS NULL AND d.state NOT IN \(unescaped: done))
                OR EXISTS (SELECT 1 FROM submission_chunks c JOIN submissions s ON s.id = c.submission
                           WHERE c.chunk = \(id) AND s.deleted IS NULL)
                OR EXISTS (SELECT 1 FROM kept WHERE blob = \(id))
                OR EXISTS (SELECT 1 FROM list_blobs WHERE blob = \(id))
            """, as: Bool.self) ?? false
    }

    static func blobState(_ db: PostgresTransaction, _ id: ContentIdentifier) async throws -> BlobState {
        let key = Data(id.binaryRepresentation)
        let row = try await db.row("SELECT size, deleted FROM blobs WHERE blob = \(key)")
        let deleted = try row.flatMap { try PostgresColumns.time($0["deleted"].decode(Int64?.self)) }
        if let row, deleted == nil, try await isNeeded(db, key) {
            return .live(size: try row["size"].decode(Int.self))
        }
        if let upload = try await db.row(
            "SELECT uploader, at FROM uploads WHERE blob = \(key) ORDER BY uploader LIMIT 1")
        {
            return .uploaded(
                by: try upload["uploader"].decode(String.self),
                at: try PostgresColumns.time(upload["at"].decode(Int64.self)))
        }
        if let deleted { return .deleted(at: deleted) }
        return .unknown
    }

    public func blobState(_ id: ContentIdentifier) async throws -> BlobState {
        try await read { db in try await Self.blobState(db, id) }
    }

    public func recordUpload(_ id: ContentIdentifier, size: Int, by user: String, at time: UInt64) async throws {
        let at = try PostgresColumns.bigint(time)
        try await write { db in
            if case .live = try await Self.blobState(db, id) { return }
            try await db.execute(
                """
                INSERT INTO uploads VALUES (\(Data(id.binaryRepresentation)), \(user), \(size), \(at))
                ON CONFLICT (blob, uploader) DO UPDATE SET size = EXCLUDED.size, at = EXCLUDED.at
                """)
        }
    }

    public func acceptSubmission(_ submission: SubmissionRecord) async throws -> SubmissionAcceptance {
        let (created, expires, accepted) = (
            try PostgresColumns.bigint(submission.created), try PostgresColumns.bigint(submission.expires),
            try PostgresColumns.bigint(submission.accepted)
        )
        for delivery in submission.deliveries { _ = try Self.columns(delivery) }
        return try await write { db in
            let id = Data(submission.id.binaryRepresentation)
            if try await db.row("SELECT 1 FROM submissions WHERE id = \(id)") != nil { return .repeated }
            var sizes: [(Data, Int)] = []
            var missing: [ContentIdentifier] = []
            var seen = Set<ContentIdentifier>()
            for blob in submission.envelopes + submission.chunks where seen.insert(blob).inserted {
                let key = Data(blob.binaryRepresentation)
                if case .live(let size) = try await Self.blobState(db, blob) {
                    sizes.append((key, size))
                } else if let size = try await db.value(
                    "SELECT size FROM uploads WHERE blob = \(key) AND uploader = \(submission.sender)", as: Int.self)
                {
                    sizes.append((key, size))
                } else {
                    missing.append(blob)
                }
            }
            guard missing.isEmpty else { throw StoreError.missingBlobs(missing) }
            guard let position = try await db.value("SELECT nextval('submission_positions')", as: Int64.self) else {
                throw StoreError.unavailable("the submission positions sequence is missing")
            }
            try await db.execute(
                """
                INSERT INTO submissions VALUES (\(id), \(position), \(submission.sender), \(Data(submission.bytes)),
                    \(created), \(expires), \(accepted), NULL)
                """)
            for chunk in Set(submission.chunks) {
                try await db.execute(
                    "INSERT INTO submission_chunks VALUES (\(id), \(Data(chunk.binaryRepresentation)))")
            }
            for (index, delivery) in submission.deliveries.enumerated() {
                try await Self.store(db, delivery, submission: id, position: index)
            }
            for (key, size) in sizes {
                try await db.execute(
                    """
                    INSERT INTO blobs VALUES (\(key), \(size), NULL)
                    ON CONFLICT (blob) DO UPDATE SET size = EXCLUDED.size, deleted = NULL
                    """)
                try await db.execute("DELETE FROM uploads WHERE blob = \(key)")
            }
            return .accepted
        }
    }

    /// A delivery's times as `BIGINT`s, checked before a transaction starts.
    private static func columns(_ delivery: DeliveryRecord) throws -> [Int64?] {
        try [delivery.lastAttempt, delivery.nextAttempt, delivery.notified, delivery.acknowledged, delivery.ended]
            .map { try PostgresColumns.bigint($0) }
    }

    /// Inserts or replaces a delivery's row.
    private static func store(_ db: PostgresTransaction, _ delivery: DeliveryRecord, submission: Data, position: Int)
        async throws
    {
        let times = try columns(delivery)
        try await db.execute(
            """
            INSERT INTO deliveries VALUES (\(submission), \(position), \(delivery.recipient),
                \(Data(delivery.envelope.binaryRepresentation)), \(Data(delivery.fingerprint.binaryRepresentation)),
                \(delivery.stanzaIndex), \(delivery.state.rawValue), \(delivery.attempts), \(times[0]), \(times[1]),
                \(delivery.lastError), \(times[2]), \(times[3]), \(times[4]))
            ON CONFLICT (submission, recipient) DO UPDATE SET
                position = EXCLUDED.position, envelope = EXCLUDED.envelope, fingerprint = EXCLUDED.fingerprint,
                stanza = EXCLUDED.stanza, state = EXCLUDED.state, attempts = EXCLUDED.attempts,
                last_attempt = EXCLUDED.last_attempt, next_attempt = EXCLUDED.next_attempt,
                last_error = EXCLUDED.last_error, notified = EXCLUDED.notified,
                acknowledged = EXCLUDED.acknowledged, ended = EXCLUDED.ended, lease_until = NULL
            """)
    }

    private static func submission(_ db: PostgresTransaction, _ id: Data) async throws -> SubmissionRecord? {
        guard let row = try await db.row("SELECT * FROM submissions WHERE id = \(id)") else { return nil }
        let chunks = try await db.rows("SELECT chunk FROM submission_chunks WHERE submission = \(id) ORDER BY chunk")
            .map { try identifier($0[0], .blob) }
        let deliveries = try await db.rows("SELECT * FROM deliveries WHERE submission = \(id) ORDER BY position")
            .map(delivery)
        var record = SubmissionRecord(
            id: try identifier(row["id"], .submission), sender: try row["sender"].decode(String.self),
            bytes: try bytes(row["bytes"]), created: try time(row["created"]), expires: try time(row["expires"]),
            accepted: try time(row["accepted"]), chunks: chunks, deliveries: deliveries)
        record.deleted = try optionalTime(row["deleted"])
        return record
    }

    private static func delivery(_ row: PostgresRandomAccessRow) throws -> DeliveryRecord {
        var delivery = DeliveryRecord(
            recipient: try row["recipient"].decode(String.self), envelope: try identifier(row["envelope"], .blob),
            fingerprint: try identifier(row["fingerprint"], .identityKey),
            stanzaIndex: try row["stanza"].decode(Int?.self))
        delivery.state = DeliveryRecord.State(rawValue: try row["state"].decode(String.self)) ?? .failed
        delivery.attempts = try row["attempts"].decode(Int.self)
        delivery.lastAttempt = try optionalTime(row["last_attempt"])
        delivery.nextAttempt = try optionalTime(row["next_attempt"])
        delivery.lastError = try row["last_error"].decode(String?.self)
        delivery.notified = try optionalTime(row["notified"])
        delivery.acknowledged = try optionalTime(row["acknowledged"])
        delivery.ended = try optionalTime(row["ended"])
        return delivery
    }

    public func submission(_ id: ContentIdentifier) async throws -> SubmissionRecord? {
        try await read { db in try await Self.submission(db, Data(id.binaryRepresentation)) }
    }

    public func delivery(envelope: ContentIdentifier, recipient: String) async throws -> (
        SubmissionRecord, DeliveryRecord
    )? {
        try await read { db in try await Self.delivery(db, envelope: envelope, recipient: recipient) }
    }

    private static func delivery(_ db: PostgresTransaction, envelope: ContentIdentifier, recipient: String)
        async throws -> (SubmissionRecord, DeliveryRecord)?
    {
        guard
            let id = try await db.value(
                """
                SELECT d.submission FROM deliveries d JOIN submissions s ON s.id = d.submission
                WHERE d.envelope = \(Data(envelope.binaryRepresentation)) AND d.recipient = \(recipient)
                ORDER BY s.position DESC LIMIT 1
                """, as: Data.self),
            let submission = try await submission(db, id),
            let delivery = submission.deliveries.first(where: { $0.recipient == recipient })
        else { return nil }
        return (submission, delivery)
    }

    public func dueNotifications(now: UInt64, limit: Int, excludingPeers: Set<String>) async throws
        -> [DueNotification]
    {
        let excluded = excludingPeers.sorted()
        let now = try PostgresColumns.bigint(now)
        return try await read { db in
            let rows = try await db.rows(
                """
                SELECT d.submission, d.recipient FROM deliveries d JOIN submissions s ON s.id = d.submission
                WHERE s.deleted IS NULL
                  AND (d.state = 'pending' OR (d.state = 'retrying' AND d.next_attempt <= \(now)))
                  AND (d.lease_until IS NULL OR d.lease_until <= \(now))
                  AND NOT (substr(d.recipient, strpos(d.recipient, '@') + 1) = ANY(\(excluded)))
                ORDER BY s.position, d.position LIMIT \(limit)
                """)
            var due: [DueNotification] = []
            var cache: [Data: SubmissionRecord] = [:]
            for row in rows {
                let id = try row["submission"].decode(Data.self)
                let recipient = try row["recipient"].decode(String.self)
                if cache[id] == nil { cache[id] = try await Self.submission(db, id) }
                guard let submission = cache[id],
                    let delivery = submission.deliveries.first(where: { $0.recipient == recipient })
                else { continue }
                due.append(DueNotification(submission: submission, delivery: delivery))
            }
            return due
        }
    }

    public func recordAttempt(
        _ attempt: NotificationAttempt, submission id: ContentIdentifier, recipient: String, at time: UInt64
    ) async throws -> [ContentIdentifier] {
        let at = try PostgresColumns.bigint(time)
        if case .retry(_, let next) = attempt { _ = try PostgresColumns.bigint(next) }
        return try await write { db in
            let key = Data(id.binaryRepresentation)
            guard let submission = try await Self.submission(db, key) else {
                throw StoreError.notFound(id.text(kind: .submission))
            }
            guard let index = submission.deliveries.firstIndex(where: { $0.recipient == recipient }) else {
                throw StoreError.notFound(recipient)
            }
            var delivery = submission.deliveries[index]
            guard delivery.record(attempt, at: time) else { return [] }
            try await Self.store(db, delivery, submission: key, position: index)
            return try await Self.settle(db, key, changed: delivery.envelope, at: at)
        }
    }

    public func acknowledge(envelope: ContentIdentifier, recipient: String, at time: UInt64) async throws -> (
        AcknowledgementOutcome, deleted: [ContentIdentifier]
    ) {
        let at = try PostgresColumns.bigint(time)
        return try await write { db in
            guard let (submission, delivery) = try await Self.delivery(db, envelope: envelope, recipient: recipient),
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
            try await Self.store(db, updated, submission: key, position: index)
            return (.recorded, try await Self.settle(db, key, changed: envelope, at: at))
        }
    }

    public func expire(now: UInt64, uploadGrace: UInt64) async throws -> [ContentIdentifier] {
        let now = try PostgresColumns.bigint(now)
        let grace = try PostgresColumns.bigint(uploadGrace)
        return try await write { db in
            var deleted: [ContentIdentifier] = []
            let expired = try await db.rows(
                "SELECT id FROM submissions WHERE deleted IS NULL AND expires <= \(now) ORDER BY position"
            ).map { try $0[0].decode(Data.self) }
            for id in expired {
                try await db.execute(
                    """
                    UPDATE deliveries SET state = 'expired', ended = \(now), next_attempt = NULL
                    WHERE submission = \(id) AND state NOT IN \(unescaped: Self.done)
                    """)
                deleted += try await Self.settle(db, id, changed: nil, at: now)
            }
            let stale = try await db.rows("SELECT DISTINCT blob FROM uploads WHERE at + \(grace) <= \(now)")
                .map { try $0[0].decode(Data.self) }
            for blob in stale {
                try await db.execute("DELETE FROM uploads WHERE blob = \(blob)")
                if !(try await Self.isNeeded(db, blob)) { deleted.append(try Self.identifier(blob, .blob)) }
            }
            try await db.execute("DELETE FROM nonces WHERE until <= \(now)")
            return deleted
        }
    }

    /// Deletes what the submission no longer needs, and the submission itself once no delivery is left
    /// (Spec: [dlv-delete], [dlv-tombstones]); in the caller's transaction.
    private static func settle(
        _ db: PostgresTransaction, _ id: Data, changed envelope: ContentIdentifier?, at time: Int64
    )
        async throws -> [ContentIdentifier]
    {
        // While the submission lives, only the envelope of the delivery that just ended can have become unneeded.
        let live =
            try await db.value(
                "SELECT EXISTS (SELECT 1 FROM deliveries WHERE submission = \(id) AND state NOT IN \(unescaped: done))",
                as: Bool.self) ?? false
        if live { return try await release(db, envelope.map { [$0] } ?? [], at: time) }
        guard let submission = try await submission(db, id) else { return [] }
        if submission.deleted == nil {
            try await db.execute("UPDATE submissions SET deleted = \(time) WHERE id = \(id)")
        }
        return try await release(db, submission.envelopes + submission.chunks, at: time)
    }

    /// Records as deleted each candidate that nothing names any more.
    static func release(_ db: PostgresTransaction, _ candidates: [ContentIdentifier], at time: Int64)
        async throws -> [ContentIdentifier]
    {
        var deleted: [ContentIdentifier] = []
        var seen = Set<ContentIdentifier>()
        for id in candidates where seen.insert(id).inserted {
            let key = Data(id.binaryRepresentation)
            guard try await db.row("SELECT 1 FROM blobs WHERE blob = \(key) AND deleted IS NULL") != nil,
                !(try await isNeeded(db, key))
            else { continue }
            try await db.execute("UPDATE blobs SET deleted = \(time) WHERE blob = \(key)")
            deleted.append(id)
        }
        return deleted
    }

    // MARK: Inboxes

    private static func entry(_ db: PostgresTransaction, _ row: PostgresRandomAccessRow) async throws
        -> InboxEntryRecord
    {
        let sequence = try row["sequence"].decode(Int64.self)
        var entry = InboxEntryRecord(
            sequence: try PostgresColumns.time(sequence), recipient: try row["recipient"].decode(String.self),
            sender: try row["sender"].decode(String.self), envelope: try identifier(row["envelope"], .blob),
            baseURL: try row["base_url"].decode(String.self), notification: try bytes(row["notification"]),
            received: try time(row["received"]), expires: try time(row["expires"]))
        entry.kept = try await db.rows("SELECT blob FROM kept WHERE sequence = \(sequence) ORDER BY position")
            .map { try identifier($0[0], .blob) }
        entry.acknowledgement = try row["acknowledgement"].decode(Data?.self).map(Array.init)
        entry.acknowledgementState =
            InboxEntryRecord.AcknowledgementState(rawValue: try row["acknowledgement_state"].decode(String.self))
            ?? .none
        entry.relayAttempts = try row["relay_attempts"].decode(Int.self)
        entry.nextRelay = try optionalTime(row["next_relay"])
        entry.lastRelayError = try row["last_relay_error"].decode(String?.self)
        return entry
    }

    private static func entries(_ db: PostgresTransaction, _ rows: [PostgresRandomAccessRow]) async throws
        -> [InboxEntryRecord]
    {
        var entries: [InboxEntryRecord] = []
        for row in rows { entries.append(try await entry(db, row)) }
        return entries
    }

    public func addInboxEntry(
        recipient: String, sender: String, envelope: ContentIdentifier, baseURL: String, notification: [UInt8],
        received: UInt64, expires: UInt64
    ) async throws -> InboxAddition {
        let (received, expires) = (try PostgresColumns.bigint(received), try PostgresColumns.bigint(expires))
        let arrivalChannel = arrivalChannel
        // READ COMMITTED: concurrent additions queue on the counter row's lock instead of failing and retrying.
        return try await transaction(begin: "BEGIN ISOLATION LEVEL READ COMMITTED") { db in
            let key = Data(envelope.binaryRepresentation)
            if let row = try await db.row(
                "SELECT * FROM inbox WHERE recipient = \(recipient) AND sender = \(sender) AND envelope = \(key)")
            {
                return .repeated(try await Self.entry(db, row))
            }
            guard
                let sequence = try await db.value(
                    "UPDATE counters SET value = value + 1 WHERE name = 'inbox' RETURNING value", as: Int64.self)
            else { throw StoreError.unavailable("the inbox counter is missing") }
            let inserted = try await db.row(
                """
                INSERT INTO inbox (sequence, recipient, sender, envelope, base_url, notification, received, expires,
                                   acknowledgement_state, relay_attempts)
                VALUES (\(sequence), \(recipient), \(sender), \(key), \(baseURL), \(Data(notification)), \(received),
                        \(expires), 'none', 0)
                RETURNING *
                """)
            guard let inserted else { throw StoreError.unavailable("the inbox entry was not inserted") }
            // Delivered to every listening process when, and only if, the transaction commits.
            try await db.execute("SELECT pg_notify(\(arrivalChannel), \(recipient))")
            return .added(try await Self.entry(db, inserted))
        }
    }

    public func inbox(recipient: String, after: UInt64?, limit: Int) async throws -> [InboxEntryRecord] {
        let after = try PostgresColumns.bigint(after ?? 0)
        return try await read { db in
            try await Self.entries(
                db,
                db.rows(
                    """
                    SELECT * FROM inbox WHERE recipient = \(recipient) AND sequence > \(after)
                    ORDER BY sequence LIMIT \(limit)
                    """))
        }
    }

    public func inboxEntry(recipient: String, sequence: UInt64) async throws -> InboxEntryRecord? {
        guard let sequence = Int64(exactly: sequence) else { return nil }
        return try await read { db in try await Self.entry(db, recipient: recipient, sequence: sequence) }
    }

    private static func entry(_ db: PostgresTransaction, recipient: String, sequence: Int64) async throws
        -> InboxEntryRecord?
    {
        guard
            let row = try await db.row("SELECT * FROM inbox WHERE recipient = \(recipient) AND sequence = \(sequence)")
        else { return nil }
        return try await entry(db, row)
    }

    /// An entry that must exist, or ``DialogueServerStorage/StoreError/notFound(_:)``.
    private static func existingEntry(_ db: PostgresTransaction, recipient: String, sequence: UInt64) async throws
        -> InboxEntryRecord
    {
        guard let sequence = Int64(exactly: sequence),
            let found = try await Self.entry(db, recipient: recipient, sequence: sequence)
        else { throw StoreError.notFound("inbox entry") }
        return found
    }

    public func lastSequence() async throws -> UInt64 {
        try await read { db in
            try await PostgresColumns.time(
                db.value("SELECT value FROM counters WHERE name = 'inbox'", as: Int64.self) ?? 0)
        }
    }

    public func keep(recipient: String, sequence: UInt64, blobs: [(id: ContentIdentifier, size: Int)], at time: UInt64)
        async throws
    {
        let kept = blobs.map { (Data($0.id.binaryRepresentation), $0.size) }
        try await write { db in
            let entry = try await Self.existingEntry(db, recipient: recipient, sequence: sequence)
            let row = Int64(entry.sequence)
            var position = entry.kept.count
            for (key, size) in kept {
                try await db.execute(
                    """
                    INSERT INTO blobs VALUES (\(key), \(size), NULL)
                    ON CONFLICT (blob) DO UPDATE SET size = EXCLUDED.size, deleted = NULL
                    """)
                let added = try await db.execute(
                    """
                    INSERT INTO kept VALUES (\(row), \(key), \(position))
                    ON CONFLICT (sequence, blob) DO NOTHING RETURNING blob
                    """)
                position += added
            }
        }
    }

    public func setAcknowledgement(recipient: String, sequence: UInt64, acknowledgement: [UInt8], at time: UInt64)
        async throws -> Bool
    {
        let at = try PostgresColumns.bigint(time)
        return try await write { db in
            let entry = try await Self.existingEntry(db, recipient: recipient, sequence: sequence)
            guard entry.acknowledgement == nil else { return false }
            try await db.execute(
                """
                UPDATE inbox SET acknowledgement = \(Data(acknowledgement)), acknowledgement_state = 'relaying',
                    next_relay = \(at)
                WHERE sequence = \(Int64(entry.sequence))
                """)
            return true
        }
    }

    public func dueRelays(now: UInt64, limit: Int) async throws -> [InboxEntryRecord] {
        let now = try PostgresColumns.bigint(now)
        return try await read { db in
            try await Self.entries(
                db,
                db.rows(
                    """
                    SELECT * FROM inbox WHERE acknowledgement_state = 'relaying' AND next_relay <= \(now)
                      AND (relay_lease_until IS NULL OR relay_lease_until <= \(now))
                    ORDER BY sequence LIMIT \(limit)
                    """))
        }
    }

    public func recordRelay(_ attempt: NotificationAttempt, recipient: String, sequence: UInt64, at time: UInt64)
        async throws
    {
        if case .retry(_, let next) = attempt { _ = try PostgresColumns.bigint(next) }
        try await write { db in
            let entry = try await Self.existingEntry(db, recipient: recipient, sequence: sequence)
            let row = Int64(entry.sequence)
            switch attempt {
            case .confirmed:
                try await db.execute(
                    """
                    UPDATE inbox SET acknowledgement_state = 'relayed', next_relay = NULL,
                    relay_attempts = relay_attempts + 1, relay_lease_until = NULL WHERE sequence = \(row)
                    """)
            case .retry(let error, let next):
                let next = try PostgresColumns.bigint(next)
                try await db.execute(
                    """
                    UPDATE inbox SET last_relay_error = \(error), next_relay = \(next),
                    relay_attempts = relay_attempts + 1, relay_lease_until = NULL WHERE sequence = \(row)
                    """)
            case .failed(let error):
                try await db.execute(
                    """
                    UPDATE inbox SET acknowledgement_state = 'failed', last_relay_error = \(error), next_relay = NULL,
                    relay_attempts = relay_attempts + 1, relay_lease_until = NULL WHERE sequence = \(row)
                    """)
            }
        }
    }

    public func removeInboxEntry(recipient: String, sequence: UInt64, at time: UInt64) async throws
        -> [ContentIdentifier]
    {
        let at = try PostgresColumns.bigint(time)
        return try await write { db in
            let entry = try await Self.existingEntry(db, recipient: recipient, sequence: sequence)
            let row = Int64(entry.sequence)
            try await db.execute("DELETE FROM kept WHERE sequence = \(row)")
            try await db.execute("DELETE FROM inbox WHERE sequence = \(row)")
            return try await Self.release(db, entry.kept, at: at)
        }
    }

    /// `LISTEN` on one connection of the pool for as long as the task runs; `addInboxEntry` of every
    /// process sends `NOTIFY` in its transaction, so the arrival is heard once it is committed.
    public func followInboxArrivals(_ arrived: @escaping @Sendable (String) async -> Void) async throws {
        try await follow(arrivalChannel, "inbox arrivals", arrived)
    }

    /// `LISTEN` for list appends, as ``followInboxArrivals(_:)`` does for the inbox: `appendListEntry`
    /// of every process sends `NOTIFY` with the list's address in its transaction.
    public func followListAppends(_ appended: @escaping @Sendable (String) async -> Void) async throws {
        try await follow(listChannel, "list appends", appended)
    }

    /// Listens on `channel` until cancelled, reconnecting a second after a failure.
    private func follow(_ channel: String, _ what: String, _ heard: @escaping @Sendable (String) async -> Void)
        async throws
    {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: channel) { notifications in
                        for try await notification in notifications { await heard(notification.payload) }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("listening for \(what) failed; again in a second", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    // MARK: Nonces

    public func recordNonce(keyID: String, nonce: String, until: UInt64, now: UInt64) async throws -> Bool {
        let (until, now) = (try PostgresColumns.bigint(until), try PostgresColumns.bigint(now))
        // A space, as in the SQLite store: PostgreSQL's text holds no NUL, and neither a keyid nor a
        // nonce holds a space ([dlv-request-keyid]).
        let key = keyID + " " + nonce
        // One statement, atomic at any isolation: a new pair is inserted, an expired one replaced, and a
        // live one left as it is, returning no row: a replay, whichever process recorded it.
        return try await transaction(begin: "BEGIN ISOLATION LEVEL READ COMMITTED") { db in
            try await db.execute(
                """
                INSERT INTO nonces VALUES (\(key), \(until))
                ON CONFLICT (key) DO UPDATE SET until = EXCLUDED.until WHERE nonces.until <= \(now)
                RETURNING key
                """) == 1
        }
    }

    // MARK: Leases

    /// Claims with `SELECT … FOR UPDATE SKIP LOCKED` at `READ COMMITTED`: a row another claim is locking
    /// is skipped rather than waited for, and a row whose lease another process took since the read is
    /// checked again against its newest version, so two processes never hold one item at once.
    public func claim(_ work: [OutboxWork], lease: Lease, now: UInt64) async throws -> Set<OutboxWork> {
        let (until, now) = (try PostgresColumns.bigint(lease.until), try PostgresColumns.bigint(now))
        // Identifiers travel as hex text: postgres-nio encodes text arrays, and `decode` turns them back.
        var submissions: [String] = []
        var recipients: [String] = []
        var sequences: [Int64] = []
        for item in work {
            switch item {
            case .notification(let submission, let recipient):
                submissions.append(submission.binaryRepresentation.map { String(format: "%02x", $0) }.joined())
                recipients.append(recipient)
            case .relay(let sequence):
                if let sequence = Int64(exactly: sequence) { sequences.append(sequence) }
            }
        }
        guard !submissions.isEmpty || !sequences.isEmpty else { return [] }
        let (owner, submissionKeys, recipientKeys, sequenceKeys) = (lease.owner, submissions, recipients, sequences)
        return try await transaction(begin: "BEGIN ISOLATION LEVEL READ COMMITTED") { db in
            var taken = Set<OutboxWork>()
            if !submissionKeys.isEmpty {
                for row in try await db.rows(
                    """
                    WITH free AS (
                        SELECT d.submission, d.recipient FROM deliveries d
                        JOIN unnest(\(submissionKeys)::text[], \(recipientKeys)::text[]) AS w (submission, recipient)
                          ON d.submission = decode(w.submission, 'hex') AND d.recipient = w.recipient
                        WHERE (d.state = 'pending' OR (d.state = 'retrying' AND d.next_attempt <= \(now)))
                          AND (d.lease_until IS NULL OR d.lease_until <= \(now) OR d.lease_owner = \(owner))
                        FOR UPDATE OF d SKIP LOCKED)
                    UPDATE deliveries d SET lease_owner = \(owner), lease_until = \(until)
                    FROM free WHERE d.submission = free.submission AND d.recipient = free.recipient
                    RETURNING d.submission, d.recipient
                    """)
                {
                    taken.insert(
                        .notification(
                            submission: try Self.identifier(row["submission"], .submission),
                            recipient: try row["recipient"].decode(String.self)))
                }
            }
            if !sequenceKeys.isEmpty {
                for row in try await db.rows(
                    """
                    WITH free AS (
                        SELECT sequence FROM inbox
                        WHERE sequence = ANY(\(sequenceKeys)) AND acknowledgement_state = 'relaying'
                          AND next_relay <= \(now)
                          AND (relay_lease_until IS NULL OR relay_lease_until <= \(now) OR relay_lease_owner = \(owner))
                        FOR UPDATE SKIP LOCKED)
                    UPDATE inbox i SET relay_lease_owner = \(owner), relay_lease_until = \(until)
                    FROM free WHERE i.sequence = free.sequence
                    RETURNING i.sequence
                    """)
                {
                    taken.insert(.relay(sequence: try PostgresColumns.time(row["sequence"].decode(Int64.self))))
                }
            }
            return taken
        }
    }

    /// One row a job in `jobs`: taken when it is missing, ended, or this owner's already.
    public func claimJob(_ name: String, lease: Lease, now: UInt64) async throws -> Bool {
        let (until, now, owner) = (
            try PostgresColumns.bigint(lease.until), try PostgresColumns.bigint(now), lease.owner
        )
        return try await transaction(begin: "BEGIN ISOLATION LEVEL READ COMMITTED") { db in
            try await db.execute(
                """
                INSERT INTO jobs VALUES (\(name), \(owner), \(until))
                ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, until = EXCLUDED.until
                WHERE jobs.until <= \(now) OR jobs.owner = EXCLUDED.owner
                RETURNING owner
                """) == 1
        }
    }

    // MARK: Statistics

    public func statistics() async throws -> StoreStatistics {
        try await read { db in
            let notifications =
                try await db.value(
                    "SELECT COUNT(*) FROM deliveries WHERE state IN ('pending', 'retrying')", as: Int.self) ?? 0
            let relays =
                try await db.value(
                    "SELECT COUNT(*) FROM inbox WHERE acknowledgement_state = 'relaying'", as: Int.self) ?? 0
            // A blob is counted once, whether it is live, uploaded, or both: live blobs, then the uploads of
            // blobs that are not live (the SQLite store's two aggregates).
            let live = try await db.row(
                "SELECT COUNT(*), COALESCE(SUM(size), 0)::bigint FROM blobs WHERE deleted IS NULL")
            let uploaded = try await db.row(
                """
                SELECT COUNT(*), COALESCE(SUM(size), 0)::bigint
                FROM (SELECT blob AS id, MAX(size) AS size FROM uploads GROUP BY blob) AS held
                WHERE NOT EXISTS (SELECT 1 FROM blobs WHERE blobs.blob = held.id AND blobs.deleted IS NULL)
                """)
            let count = try (live?[0].decode(Int.self) ?? 0) + (uploaded?[0].decode(Int.self) ?? 0)
            let bytes = try (live?[1].decode(Int64.self) ?? 0) + (uploaded?[1].decode(Int64.self) ?? 0)
            return StoreStatistics(
                waitingNotifications: notifications, waitingRelays: relays, blobs: count, bytes: UInt64(max(0, bytes)))
        }
    }

    // MARK: Columns

    static func bytes(_ cell: PostgresCell) throws -> [UInt8] { Array(try cell.decode(Data.self)) }

    static func time(_ cell: PostgresCell) throws -> UInt64 {
        try PostgresColumns.time(cell.decode(Int64.self))
    }

    private static func optionalTime(_ cell: PostgresCell) throws -> UInt64? {
        try PostgresColumns.time(cell.decode(Int64?.self))
    }

    static func identifier(_ cell: PostgresCell, _ kind: IdentifierKind) throws -> ContentIdentifier {
        do {
            return try ContentIdentifier(binaryRepresentation: try cell.decode(Data.self))
        } catch {
            throw StoreError.unavailable("a stored \(kind) identifier does not decode: \(error)")
        }
    }

    static func identifier(_ data: Data, _ kind: IdentifierKind) throws -> ContentIdentifier {
        do {
            return try ContentIdentifier(binaryRepresentation: data)
        } catch {
            throw StoreError.unavailable("a stored \(kind) identifier does not decode: \(error)")
        }
    }
}
