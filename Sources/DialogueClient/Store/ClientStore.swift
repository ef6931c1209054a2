public import DialogueIdentifiers
public import DialogueMessages
internal import Foundation
internal import GRDB

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// The client's local store, per device: verified blobs by identifier, as files in a ``DirectoryBlobStore``
/// beside the database, and in one SQLite file (GRDB) the inbox cursor, the messages received and sent with
/// their summaries, and the thread index.
///
/// A blob is kept only whole and only after it was checked against its identifier ([id-verify]): it is
/// written under a temporary name and renamed into place, so an interrupted fetch leaves either the blob or
/// nothing, and a rerun fetches only the blobs that are missing. Blobs are files, not database rows: a
/// 1 MiB chunk written as a row went through the database's one writer and was copied again into the
/// database file at each checkpoint, which held a large fetch to a tenth of what the network carried.
/// A blob is checked against its identifier again whenever it is read back, so one damaged on disk (a
/// power cut before its background `fsync`) is dropped and fetched again, never used. It is a
/// ``BlobStore``, so the sealer writes into it and ``PartReader`` reads from it.
public final class ClientStore: BlobStore, Sendable {
    let database: DatabaseQueue
    let blobs: DirectoryBlobStore

    /// Opens (creating if needed) the store whose database is `path` and whose blobs are in the
    /// directory `blobs` beside it.
    public init(path: String) throws(ClientError) {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            blobs = try DirectoryBlobStore(root: directory + "/blobs")
        } catch {
            throw ClientError(.storeFailed, "cannot open the client store's blobs beside \(path): \(error)")
        }
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            // WAL: a reader (`dialogue inbox`) never waits for a writer (`sync --watch`), and a commit costs
            // one append. synchronous=NORMAL keeps the file consistent through any crash and durable through a
            // killed process, without an fsync per commit; a power cut can lose the last commits (a
            // notification listed again, the local record of a message sent in that instant is missing from
            // 'dialogue status').
            configuration.journalMode = .wal
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            database = try DatabaseQueue(path: path, configuration: configuration)
            try database.write { db in try ClientStore.migrate(db) }
            try moveBlobRowsToFiles()
        } catch {
            throw ClientError(.storeFailed, "cannot open the client store \(path): \(error)")
        }
    }

    /// A store written by an earlier version kept blobs as rows of a `blobs` table: each row that still
    /// hashes to its identifier becomes a file, durably, before the table goes, so a message whose
    /// sender's server has deleted it since stays readable.
    private func moveBlobRowsToFiles() throws {
        let hasTable = try database.read { db in try db.tableExists("blobs") }
        guard hasTable else { return }
        let rows = try database.read { db in try String.fetchAll(db, sql: "SELECT id FROM blobs") }
        for key in rows {
            let moved = try database.read { db -> ([UInt8], ContentIdentifier)? in
                guard let data = try Data.fetchOne(db, sql: "SELECT bytes FROM blobs WHERE id = ?", arguments: [key]),
                    let id = try? ContentIdentifier(text: key, kind: .blob)
                else { return nil }
                return (Array(data), id)
            }
            guard let (bytes, id) = moved, id.isIdentifier(of: bytes, context: .blob) else { continue }
            try blobs.putSynchronously(bytes, as: id)
        }
        try blobs.flushSynchronously()
        try database.write { db in try db.execute(sql: "DROP TABLE blobs") }
    }

    private static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
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
        do { try await blobs.put(bytes, as: id) } catch {
            throw ClientError(.storeFailed, "the client store cannot keep \(id.text(kind: .blob)): \(error)")
        }
    }

    /// The blob `id`, or `nil`.
    public func get(_ id: ContentIdentifier) async throws -> [UInt8]? {
        try await get(id, limit: MessageLimits.maximumEnvelopeSize)
    }

    /// The blob `id` if it is at most `limit` bytes (its size is read before its bytes), or `nil`
    /// when it is not held, or held damaged: a file that no longer hashes to `id` is removed, so that
    /// it is fetched again.
    public func get(_ id: ContentIdentifier, limit: Int) async throws -> [UInt8]? {
        guard let bytes = try await blobs.get(id, limit: limit) else { return nil }
        guard id.isIdentifier(of: bytes, context: .blob) else {
            unlink(blobs.path(of: id))
            return nil
        }
        return bytes
    }

    /// Whether the store holds `id`.
    public func contains(_ id: ContentIdentifier) async throws -> Bool { try await blobs.contains(id) }

    /// Every blob ``get(_:limit:)`` returns was hashed as it was read back.
    public var checksIdentifiers: Bool { true }

    /// Makes every blob kept so far durable (their data and their directory entries).
    public func flush() async throws { try await blobs.flush() }

    /// How many blobs the store holds.
    public func blobCount() async throws -> Int {
        let manager = FileManager.default
        let fanOuts = (try? manager.contentsOfDirectory(atPath: blobs.root)) ?? []
        return fanOuts.filter { $0 != "tmp" }.reduce(0) { count, fanOut in
            count + ((try? manager.contentsOfDirectory(atPath: blobs.root + "/" + fanOut))?.count ?? 0)
        }
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
