public import DialogueIdentifiers
public import DialogueMessages
internal import Foundation
internal import GRDB

/// The client's local store, one SQLite file per device (GRDB): verified blobs by identifier,
/// the inbox cursor, the messages received and sent with their summaries, and the thread index.
///
/// A blob is stored only whole and only after it was checked against its identifier
/// ([id-verify]), in one transaction: an interrupted fetch leaves either the blob or nothing, and
/// a rerun fetches only the blobs that are missing. It is a ``BlobStore``, so the sealer writes
/// into it and ``PartReader`` reads from it.
public final class ClientStore: BlobStore, Sendable {
    let database: DatabaseQueue

    /// Opens (creating if needed) the store at `path`.
    public init(path: String) throws(ClientError) {
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            // WAL: a reader (`dialogue inbox`) never waits for a writer (`sync --watch`), and a commit costs
            // one append. synchronous=NORMAL keeps the file consistent through any crash and durable through a
            // killed process, without an fsync for every 1 MiB chunk a fetch keeps; a power cut can lose the
            // last commits (a blob is fetched again, a notification listed again, the local record of a
            // message sent in that instant is missing from 'dialogue status').
            configuration.journalMode = .wal
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            database = try DatabaseQueue(path: path, configuration: configuration)
            try database.write { db in try ClientStore.migrate(db) }
        } catch {
            throw ClientError(.storeFailed, "cannot open the client store \(path): \(error)")
        }
    }

    private static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS blobs (id TEXT PRIMARY KEY, bytes BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS received (
                    number INTEGER PRIMARY KEY AUTOINCREMENT, entry TEXT NOT NULL UNIQUE, received INTEGER NOT NULL,
                    notification BLOB NOT NULL, sender TEXT NOT NULL, envelope TEXT NOT NULL, base_url TEXT NOT NULL,
                    stanza INTEGER, size INTEGER NOT NULL, message_id TEXT, subject TEXT, date INTEGER,
                    verdict TEXT, is_read INTEGER NOT NULL DEFAULT 0, answered INTEGER NOT NULL DEFAULT 0,
                    kept INTEGER NOT NULL DEFAULT 0, acknowledged INTEGER NOT NULL DEFAULT 0);
                CREATE TABLE IF NOT EXISTS sent (
                    number INTEGER PRIMARY KEY AUTOINCREMENT, submission TEXT NOT NULL UNIQUE, bytes BLOB NOT NULL,
                    message_id TEXT NOT NULL, subject TEXT, date INTEGER NOT NULL, recipients TEXT NOT NULL,
                    last_status BLOB);
                CREATE TABLE IF NOT EXISTS threads (
                    message_id TEXT PRIMARY KEY, root TEXT NOT NULL, parent TEXT, sender TEXT NOT NULL,
                    subject TEXT, date INTEGER NOT NULL);
                CREATE INDEX IF NOT EXISTS threads_by_root ON threads (root, date);
                """)
        try migrateLists(db)
    }

    // MARK: Blobs (BlobStore)

    /// Stores `bytes` under `id` once they hash to it; a blob already held is left as it is.
    ///
    /// - Throws: ``ClientError`` `authentication-failed` for bytes that are not the blob `id` names.
    public func put(_ bytes: [UInt8], as id: ContentIdentifier) async throws {
        guard id.isIdentifier(of: bytes, context: .blob) else {
            throw ClientError(.authenticationFailed, "the bytes offered as \(id.text(kind: .blob)) do not hash to it")
        }
        try await keep(verified: bytes, as: id)
    }

    /// Stores `bytes`, which the caller has just checked against `id` (a fetch does, as it
    /// receives them), without hashing them a second time.
    func keep(verified bytes: [UInt8], as id: ContentIdentifier) async throws {
        let key = id.text(kind: .blob)
        let data = Data(bytes)
        try await write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO blobs (id, bytes) VALUES (?, ?)", arguments: [key, data])
        }
    }

    /// The blob `id`, or `nil`.
    public func get(_ id: ContentIdentifier) async throws -> [UInt8]? {
        let key = id.text(kind: .blob)
        return try await read { db in
            try Data.fetchOne(db, sql: "SELECT bytes FROM blobs WHERE id = ?", arguments: [key]).map { Array($0) }
        }
    }

    /// The blob `id` if it is at most `limit` bytes; its size is read before its bytes.
    public func get(_ id: ContentIdentifier, limit: Int) async throws -> [UInt8]? {
        let key = id.text(kind: .blob)
        let size = try await read { db in
            try Int.fetchOne(db, sql: "SELECT length(bytes) FROM blobs WHERE id = ?", arguments: [key])
        }
        guard let size else { return nil }
        guard size <= limit else {
            throw MessageError(.limitsExceeded, "blob \(key) holds \(size) bytes; at most \(limit) are allowed here")
        }
        return try await get(id)
    }

    /// Whether the store holds `id`.
    public func contains(_ id: ContentIdentifier) async throws -> Bool {
        let key = id.text(kind: .blob)
        return try await read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM blobs WHERE id = ?)", arguments: [key]) ?? false
        }
    }

    /// How many blobs the store holds.
    public func blobCount() async throws -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM blobs") ?? 0 }
    }

    // MARK: Settings

    /// The inbox cursor of this device ([dlv-inbox-cursor]), or `nil` before the first sync.
    public func cursor() async throws -> String? {
        try await read { db in try String.fetchOne(db, sql: "SELECT value FROM settings WHERE name = 'cursor'") }
    }

    // MARK: Plumbing

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(ClientError) -> T {
        do {
            return try await database.read(body)
        } catch let error as ClientError {
            throw error
        } catch {
            throw ClientError(.storeFailed, "the client store: \(error)")
        }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(ClientError) -> T {
        do {
            return try await database.write(body)
        } catch let error as ClientError {
            throw error
        } catch {
            throw ClientError(.storeFailed, "the client store: \(error)")
        }
    }
}
