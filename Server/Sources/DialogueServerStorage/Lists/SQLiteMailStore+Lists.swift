public import DialogueIdentifiers
internal import Foundation
internal import GRDB

/// The lists in the SQLite database: each write one savepoint of the group commit, durable before it
/// returns, like every write of the store ([dlv-durable]).
extension SQLiteMailStore {
    static func registerListMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-lists") { db in
            try db.execute(
                sql: """
                    CREATE TABLE lists (
                        address TEXT PRIMARY KEY, descriptor BLOB NOT NULL, list_key BLOB NOT NULL,
                        revision INTEGER NOT NULL, mode INTEGER NOT NULL, posting INTEGER NOT NULL,
                        history INTEGER NOT NULL, latest_event BLOB, serial INTEGER NOT NULL, epoch INTEGER NOT NULL,
                        length INTEGER NOT NULL);
                    CREATE TABLE list_entries (
                        list TEXT NOT NULL, position INTEGER NOT NULL, bytes BLOB NOT NULL,
                        PRIMARY KEY (list, position)) WITHOUT ROWID;
                    CREATE TABLE list_members (
                        list TEXT NOT NULL, address TEXT NOT NULL, identity_key BLOB NOT NULL, joined INTEGER NOT NULL,
                        current INTEGER NOT NULL, PRIMARY KEY (list, address));
                    CREATE TABLE list_posts (
                        list TEXT NOT NULL, envelope BLOB NOT NULL, bytes BLOB NOT NULL, chunks BLOB NOT NULL,
                        author TEXT NOT NULL, author_key BLOB NOT NULL, received INTEGER NOT NULL, state TEXT NOT NULL,
                        position INTEGER, PRIMARY KEY (list, envelope));
                    CREATE INDEX list_posts_state ON list_posts (list, state, received);
                    CREATE TABLE list_blobs (
                        list TEXT NOT NULL, envelope BLOB NOT NULL, blob BLOB NOT NULL,
                        PRIMARY KEY (list, envelope, blob));
                    CREATE INDEX list_blobs_blob ON list_blobs (blob);
                    """)
        }
    }

    public func list(_ address: String) async throws -> ListRecord? {
        try await read { db in try Self.list(db, address) }
    }

    private static func list(_ db: Database, _ address: String) throws -> ListRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM lists WHERE address = ?", arguments: [address])
        else { return nil }
        return ListRecord(
            address: row["address"], descriptor: bytes(row["descriptor"]), listKey: bytes(row["list_key"]),
            revision: row["revision"], mode: row["mode"], posting: row["posting"], history: row["history"],
            latestEvent: (row["latest_event"] as Data?).map(Array.init), serial: row["serial"], epoch: row["epoch"],
            length: row["length"])
    }

    public func appendListEntry(_ change: ListAppend, list: String, sign: @escaping ListEntrySigner) async throws
        -> ListEntryRecord
    {
        try await write { db in
            let current = try Self.list(db, list)
            var sizes: [(Data, Int)] = []
            switch change {
            case .created(let record):
                guard current == nil else { throw StoreError.alreadyExists(list) }
                try db.execute(
                    sql: "INSERT INTO lists VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 0, 0, 0)",
                    arguments: [
                        list, Data(record.descriptor), Data(record.listKey), record.revision, record.mode,
                        record.posting, record.history,
                    ])
            case .descriptor(let record):
                guard let current else { throw StoreError.notFound(list) }
                guard record.revision > current.revision else {
                    throw StoreError.conflict("revision \(record.revision) is not above \(current.revision)")
                }
                try db.execute(
                    sql: "UPDATE lists SET descriptor = ?, revision = ?, posting = ?, history = ? WHERE address = ?",
                    arguments: [Data(record.descriptor), record.revision, record.posting, record.history, list])
            case .event(let event):
                guard let current else { throw StoreError.notFound(list) }
                guard event.serial == current.serial + 1 else {
                    throw StoreError.conflict("serial \(event.serial) is not \(current.serial) + 1")
                }
                try db.execute(
                    sql: "UPDATE lists SET latest_event = ?, serial = ?, epoch = ? WHERE address = ?",
                    arguments: [Data(event.bytes), event.serial, event.epoch, list])
            case .post(let post):
                guard current != nil else { throw StoreError.notFound(list) }
                let state = try String.fetchOne(
                    db, sql: "SELECT state FROM list_posts WHERE list = ? AND envelope = ?",
                    arguments: [list, Data(post.envelope.binaryRepresentation)])
                if state == ListPostRecord.State.appended.rawValue { throw StoreError.alreadyExists("post") }
                if state != ListPostRecord.State.held.rawValue { sizes = try Self.heldSizes(db, post) }
            }
            let position = (current?.length ?? 0) + 1
            let entry = ListEntryRecord(position: position, bytes: try sign(position))
            try db.execute(sql: "UPDATE lists SET length = ? WHERE address = ?", arguments: [position, list])
            try db.execute(
                sql: "INSERT INTO list_entries VALUES (?, ?, ?)", arguments: [list, position, Data(entry.bytes)])
            switch change {
            case .event(let event):
                guard let member = event.member else { break }
                let joined =
                    member.joins
                    ? position
                    : try UInt64.fetchOne(
                        db, sql: "SELECT joined FROM list_members WHERE list = ? AND address = ?",
                        arguments: [list, member.address]) ?? 0
                try db.execute(
                    sql: "INSERT OR REPLACE INTO list_members VALUES (?, ?, ?, ?, ?)",
                    arguments: [list, member.address, Data(member.identityKey), joined, member.joins])
            case .post(var post):
                post.state = .appended
                post.position = position
                try Self.savePost(db, post)
                try Self.keepBlobs(db, post, sizes)
            case .created, .descriptor: break
            }
            return entry
        }
    }

    public func listEntries(list: String, after: UInt64, limit: Int) async throws -> [ListEntryRecord] {
        try await read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql:
                        "SELECT position, bytes FROM list_entries WHERE list = ? AND position > ? ORDER BY position LIMIT ?"
                ), arguments: [list, after, limit]
            ).map { ListEntryRecord(position: $0["position"], bytes: Self.bytes($0["bytes"])) }
        }
    }

    public func listMembers(list: String) async throws -> [ListMemberRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM list_members WHERE list = ? ORDER BY address", arguments: [list])
                .map(Self.member)
        }
    }

    public func listMember(list: String, address: String) async throws -> ListMemberRecord? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM list_members WHERE list = ? AND address = ?", arguments: [list, address]
            ).map(Self.member)
        }
    }

    private static func member(_ row: Row) -> ListMemberRecord {
        ListMemberRecord(
            address: row["address"], identityKey: bytes(row["identity_key"]), joined: row["joined"],
            current: row["current"])
    }

    public func listPost(list: String, envelope: ContentIdentifier) async throws -> ListPostRecord? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM list_posts WHERE list = ? AND envelope = ?",
                arguments: [list, Data(envelope.binaryRepresentation)]
            ).map(Self.post)
        }
    }

    public func listPosts(list: String, state: ListPostRecord.State) async throws -> [ListPostRecord] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM list_posts WHERE list = ? AND state = ? ORDER BY received, envelope",
                arguments: [list, state.rawValue]
            ).map(Self.post)
        }
    }

    public func recordListPost(_ post: ListPostRecord) async throws {
        try await write { db in
            guard try Self.list(db, post.list) != nil else { throw StoreError.notFound(post.list) }
            let state = try String.fetchOne(
                db, sql: "SELECT state FROM list_posts WHERE list = ? AND envelope = ?",
                arguments: [post.list, Data(post.envelope.binaryRepresentation)])
            if let state, state != ListPostRecord.State.pending.rawValue { throw StoreError.alreadyExists("post") }
            if post.state == .held { try Self.keepBlobs(db, post, try Self.heldSizes(db, post)) }
            try Self.savePost(db, post)
        }
    }

    public func rejectListPost(list: String, envelope: ContentIdentifier, at time: UInt64) async throws
        -> [ContentIdentifier]
    {
        try await write { db in
            let key = Data(envelope.binaryRepresentation)
            guard
                let post = try Row.fetchOne(
                    db, sql: "SELECT * FROM list_posts WHERE list = ? AND envelope = ? AND state = 'held'",
                    arguments: [list, key]
                ).map(Self.post)
            else { throw StoreError.notFound("held post") }
            try db.execute(sql: "DELETE FROM list_posts WHERE list = ? AND envelope = ?", arguments: [list, key])
            try db.execute(sql: "DELETE FROM list_blobs WHERE list = ? AND envelope = ?", arguments: [list, key])
            return try Self.release(db, post.blobs, at: time)
        }
    }

    public func expireListPending(before: UInt64) async throws {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM list_posts WHERE state = 'pending' AND received <= ?", arguments: [before])
        }
    }

    private static func post(_ row: Row) throws -> ListPostRecord {
        let chunks = bytes(row["chunks"])
        return ListPostRecord(
            list: row["list"], envelope: try identifier(row["envelope"], .blob), bytes: bytes(row["bytes"]),
            chunks: try stride(from: 0, to: chunks.count, by: 33).map {
                try identifier(Data(chunks[$0..<min(chunks.count, $0 + 33)]), .blob)
            }, author: row["author"], authorKey: bytes(row["author_key"]), received: row["received"],
            state: ListPostRecord.State(rawValue: row["state"]) ?? .pending, position: row["position"])
    }

    private static func savePost(_ db: Database, _ post: ListPostRecord) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO list_posts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                post.list, Data(post.envelope.binaryRepresentation), Data(post.bytes),
                Data(post.chunks.flatMap(\.binaryRepresentation)), post.author, Data(post.authorKey), post.received,
                post.state.rawValue, post.position,
            ])
    }

    /// The size of every blob of the post: live, or uploaded by its author; ``StoreError/missingBlobs(_:)``
    /// otherwise.
    private static func heldSizes(_ db: Database, _ post: ListPostRecord) throws -> [(Data, Int)] {
        var sizes: [(Data, Int)] = []
        var missing: [ContentIdentifier] = []
        for blob in post.blobs {
            let key = Data(blob.binaryRepresentation)
            if case .live(let size) = try blobState(db, blob) {
                sizes.append((key, size))
            } else if let size = try Int.fetchOne(
                db, sql: "SELECT size FROM uploads WHERE blob = ? AND user = ?", arguments: [key, post.author])
            {
                sizes.append((key, size))
            } else {
                missing.append(blob)
            }
        }
        guard missing.isEmpty else { throw StoreError.missingBlobs(missing) }
        return sizes
    }

    /// Names the post's blobs for the list, live from now on and never swept ([list-index-append-only]).
    private static func keepBlobs(_ db: Database, _ post: ListPostRecord, _ sizes: [(Data, Int)]) throws {
        let envelope = Data(post.envelope.binaryRepresentation)
        for (key, size) in sizes {
            try db.execute(sql: "INSERT OR REPLACE INTO blobs VALUES (?, ?, NULL)", arguments: [key, size])
            try db.execute(sql: "DELETE FROM uploads WHERE blob = ?", arguments: [key])
        }
        for blob in post.blobs {
            try db.execute(
                sql: "INSERT OR IGNORE INTO list_blobs VALUES (?, ?, ?)",
                arguments: [post.list, envelope, Data(blob.binaryRepresentation)])
        }
    }
}
