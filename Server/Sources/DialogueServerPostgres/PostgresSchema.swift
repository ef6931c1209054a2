internal import Logging
internal import PostgresNIO

/// The PostgreSQL schema and its migrations: the same tables and meaning as the SQLite store's, with a
/// version table, `dialogue_migrations`, that lists the applied migrations by identifier (as GRDB's
/// `grdb_migrations` does for SQLite): a migration runs once, in one transaction with its row.
enum PostgresSchema {
    /// The migrations in order: an identifier and its statements. Never edit one that has shipped;
    /// append a new one.
    static let migrations: [(identifier: String, statements: [String])] = [
        (
            "v1",
            [
                """
                CREATE TABLE accounts (
                    address TEXT PRIMARY KEY, card BYTEA NOT NULL, identity_key BYTEA NOT NULL,
                    fingerprint BYTEA NOT NULL, created BIGINT NOT NULL)
                """,
                """
                CREATE TABLE uploads (
                    blob BYTEA NOT NULL, uploader TEXT NOT NULL, size BIGINT NOT NULL, at BIGINT NOT NULL,
                    PRIMARY KEY (blob, uploader))
                """,
                "CREATE TABLE blobs (blob BYTEA PRIMARY KEY, size BIGINT NOT NULL, deleted BIGINT)",
                """
                CREATE TABLE submissions (
                    id BYTEA PRIMARY KEY, position BIGINT NOT NULL UNIQUE, sender TEXT NOT NULL, bytes BYTEA NOT NULL,
                    created BIGINT NOT NULL, expires BIGINT NOT NULL, accepted BIGINT NOT NULL, deleted BIGINT)
                """,
                "CREATE INDEX submissions_live_expiry ON submissions (expires) WHERE deleted IS NULL",
                """
                CREATE TABLE submission_chunks (
                    submission BYTEA NOT NULL REFERENCES submissions (id), chunk BYTEA NOT NULL,
                    PRIMARY KEY (submission, chunk))
                """,
                "CREATE INDEX submission_chunks_chunk ON submission_chunks (chunk)",
                """
                CREATE TABLE deliveries (
                    submission BYTEA NOT NULL REFERENCES submissions (id), position BIGINT NOT NULL,
                    recipient TEXT NOT NULL, envelope BYTEA NOT NULL, fingerprint BYTEA NOT NULL, stanza BIGINT,
                    state TEXT NOT NULL, attempts BIGINT NOT NULL, last_attempt BIGINT, next_attempt BIGINT,
                    last_error TEXT, notified BIGINT, acknowledged BIGINT, ended BIGINT,
                    PRIMARY KEY (submission, recipient))
                """,
                "CREATE INDEX deliveries_envelope ON deliveries (envelope, recipient)",
                "CREATE INDEX deliveries_due ON deliveries (next_attempt) WHERE state IN ('pending', 'retrying')",
                // The inbox's sequence comes from a counter row, not a SEQUENCE: a sequence hands out numbers
                // outside transactions, so a later number could commit first and a reader whose cursor passed
                // it would never see the earlier one ([dlv-inbox-cursor]). The row lock orders commits.
                "CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
                "INSERT INTO counters VALUES ('inbox', 0)",
                """
                CREATE TABLE inbox (
                    sequence BIGINT PRIMARY KEY, recipient TEXT NOT NULL, sender TEXT NOT NULL,
                    envelope BYTEA NOT NULL, base_url TEXT NOT NULL, notification BYTEA NOT NULL,
                    received BIGINT NOT NULL, expires BIGINT NOT NULL, acknowledgement BYTEA,
                    acknowledgement_state TEXT NOT NULL, relay_attempts BIGINT NOT NULL, next_relay BIGINT,
                    last_relay_error TEXT, UNIQUE (recipient, sender, envelope))
                """,
                "CREATE INDEX inbox_recipient ON inbox (recipient, sequence)",
                "CREATE INDEX inbox_relays ON inbox (next_relay) WHERE acknowledgement_state = 'relaying'",
                """
                CREATE TABLE kept (
                    sequence BIGINT NOT NULL REFERENCES inbox (sequence) ON DELETE CASCADE, blob BYTEA NOT NULL,
                    position BIGINT NOT NULL, PRIMARY KEY (sequence, blob))
                """,
                "CREATE INDEX kept_blob ON kept (blob)",
                "CREATE TABLE nonces (key TEXT PRIMARY KEY, until BIGINT NOT NULL)",
            ]
        ),
        (
            // Several processes on one database: the outbox's work is leased (an owner and an end), and
            // named jobs (the sweep) are held by one owner at a time. `lease_owner` stays after an attempt
            // is recorded, naming the last holder; `lease_until` is cleared, freeing the item. A
            // submission's position comes from a sequence: reading MAX(position) made every two
            // concurrent submissions a serialization failure. Positions only order the outbox's work,
            // so a gap or a number that commits after a later one changes nothing.
            "v2",
            [
                "ALTER TABLE deliveries ADD COLUMN lease_owner TEXT, ADD COLUMN lease_until BIGINT",
                "ALTER TABLE inbox ADD COLUMN relay_lease_owner TEXT, ADD COLUMN relay_lease_until BIGINT",
                "CREATE TABLE jobs (name TEXT PRIMARY KEY, owner TEXT NOT NULL, until BIGINT NOT NULL)",
                "CREATE SEQUENCE submission_positions",
                """
                SELECT setval('submission_positions', COALESCE((SELECT MAX(position) FROM submissions), 0) + 1, false)
                """,
            ]
        ),
        (
            // Lists (Spec: lists.md): the index is append-only and never swept; list_blobs names the blobs
            // of held and appended posts, which the mail deletions leave alone ([list-index-append-only]).
            "v3-lists",
            [
                """
                CREATE TABLE lists (
                    address TEXT PRIMARY KEY, descriptor BYTEA NOT NULL, list_key BYTEA NOT NULL,
                    revision BIGINT NOT NULL, mode BIGINT NOT NULL, posting BIGINT NOT NULL, history BIGINT NOT NULL,
                    latest_event BYTEA, serial BIGINT NOT NULL, epoch BIGINT NOT NULL, length BIGINT NOT NULL)
                """,
                """
                CREATE TABLE list_entries (
                    list TEXT NOT NULL, position BIGINT NOT NULL, bytes BYTEA NOT NULL, PRIMARY KEY (list, position))
                """,
                """
                CREATE TABLE list_members (
                    list TEXT NOT NULL, address TEXT NOT NULL, identity_key BYTEA NOT NULL, joined BIGINT NOT NULL,
                    current BOOLEAN NOT NULL, PRIMARY KEY (list, address))
                """,
                """
                CREATE TABLE list_posts (
                    list TEXT NOT NULL, envelope BYTEA NOT NULL, bytes BYTEA NOT NULL, chunks BYTEA NOT NULL,
                    author TEXT NOT NULL, author_key BYTEA NOT NULL, received BIGINT NOT NULL, state TEXT NOT NULL,
                    position BIGINT, PRIMARY KEY (list, envelope))
                """,
                "CREATE INDEX list_posts_state ON list_posts (list, state, received)",
                """
                CREATE TABLE list_blobs (
                    list TEXT NOT NULL, envelope BYTEA NOT NULL, blob BYTEA NOT NULL, PRIMARY KEY (list, envelope, blob))
                """,
                "CREATE INDEX list_blobs_blob ON list_blobs (blob)",
            ]
        ),
    ]

    /// Applies the migrations not applied yet, in a `READ COMMITTED` transaction. An advisory lock held by
    /// the transaction makes processes that start together migrate one after the other; the second finds
    /// nothing to do.
    static func migrate(_ transaction: PostgresTransaction) async throws {
        try await transaction.execute("SELECT pg_advisory_xact_lock(7346512001)")
        try await transaction.execute(
            "CREATE TABLE IF NOT EXISTS dialogue_migrations (identifier TEXT PRIMARY KEY, applied BIGINT NOT NULL)")
        let applied = Set(
            try await transaction.rows("SELECT identifier FROM dialogue_migrations").map {
                try $0[0].decode(String.self)
            })
        for migration in migrations where !applied.contains(migration.identifier) {
            for statement in migration.statements {
                try await transaction.execute(PostgresQuery(unsafeSQL: statement))
            }
            try await transaction.execute(
                """
                INSERT INTO dialogue_migrations
                VALUES (\(migration.identifier), EXTRACT(EPOCH FROM now())::bigint)
                """)
        }
    }
}
