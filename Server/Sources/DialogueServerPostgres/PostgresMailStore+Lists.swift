public import DialogueIdentifiers
public import DialogueServerStorage
internal import Foundation
internal import PostgresNIO

/// The lists in PostgreSQL: each write one serializable transaction, committed before it returns
/// ([dlv-durable]); a conflict between processes runs it again, signing the entry again at its new position.
extension PostgresMailStore {
    public func list(_ address: String) async throws -> ListRecord? {
        try await read { db in try await Self.list(db, address) }
    }

    private static func list(_ db: PostgresTransaction, _ address: String) async throws -> ListRecord? {
        guard let row = try await db.row("SELECT * FROM lists WHERE address = \(address)") else { return nil }
        return ListRecord(
            address: try row["address"].decode(String.self), descriptor: try bytes(row["descriptor"]),
            listKey: try bytes(row["list_key"]), revision: try time(row["revision"]), mode: try time(row["mode"]),
            posting: try time(row["posting"]), history: try time(row["history"]),
            latestEvent: try row["latest_event"].decode(Data?.self).map(Array.init), serial: try time(row["serial"]),
            epoch: try time(row["epoch"]), length: try time(row["length"]))
    }

    public func appendListEntry(_ change: ListAppend, list: String, sign: @escaping ListEntrySigner) async throws
        -> ListEntryRecord
    {
        let listChannel = listChannel
        return try await write { db in
            let current = try await Self.list(db, list)
            var sizes: [(Data, Int)] = []
            switch change {
            case .created(let record):
                guard current == nil else { throw StoreError.alreadyExists(list) }
                let (revision, mode, posting, history) = (
                    try PostgresColumns.bigint(record.revision), try PostgresColumns.bigint(record.mode),
                    try PostgresColumns.bigint(record.posting), try PostgresColumns.bigint(record.history)
                )
                try await db.execute(
                    """
                    INSERT INTO lists VALUES (\(list), \(Data(record.descriptor)), \(Data(record.listKey)), \(revision),
                        \(mode), \(posting), \(history), NULL, 0, 0, 0)
                    """)
            case .descriptor(let record):
                guard let current else { throw StoreError.notFound(list) }
                guard record.revision > current.revision else {
                    throw StoreError.conflict("revision \(record.revision) is not above \(current.revision)")
                }
                let (revision, posting, history) = (
                    try PostgresColumns.bigint(record.revision), try PostgresColumns.bigint(record.posting),
                    try PostgresColumns.bigint(record.history)
                )
                try await db.execute(
                    """
                    UPDATE lists SET descriptor = \(Data(record.descriptor)), revision = \(revision),
                        posting = \(posting), history = \(history) WHERE address = \(list)
                    """)
            case .event(let event):
                guard let current else { throw StoreError.notFound(list) }
                guard event.serial == current.serial + 1 else {
                    throw StoreError.conflict("serial \(event.serial) is not \(current.serial) + 1")
                }
                let (serial, epoch) = (
                    try PostgresColumns.bigint(event.serial), try PostgresColumns.bigint(event.epoch)
                )
                try await db.execute(
                    """
                    UPDATE lists SET latest_event = \(Data(event.bytes)), serial = \(serial), epoch = \(epoch)
                    WHERE address = \(list)
                    """)
            case .post(let post):
                guard current != nil else { throw StoreError.notFound(list) }
                let state = try await db.value(
                    """
                    SELECT state FROM list_posts WHERE list = \(list) AND envelope = \(Data(post.envelope.binaryRepresentation))
                    """, as: String.self)
                if state == ListPostRecord.State.appended.rawValue { throw StoreError.alreadyExists("post") }
                if state != ListPostRecord.State.held.rawValue { sizes = try await Self.heldSizes(db, post) }
            }
            let position = (current?.length ?? 0) + 1
            let entry = ListEntryRecord(position: position, bytes: try sign(position))
            let stored = try PostgresColumns.bigint(position)
            try await db.execute("UPDATE lists SET length = \(stored) WHERE address = \(list)")
            try await db.execute("INSERT INTO list_entries VALUES (\(list), \(stored), \(Data(entry.bytes)))")
            // Heard by every process's index long polls once the append commits ([list-ep-index]).
            try await db.execute("SELECT pg_notify(\(listChannel), \(list))")
            switch change {
            case .event(let event):
                guard let member = event.member else { break }
                let joined =
                    member.joins
                    ? stored
                    : try await db.value(
                        "SELECT joined FROM list_members WHERE list = \(list) AND address = \(member.address)",
                        as: Int64.self) ?? 0
                try await db.execute(
                    """
                    INSERT INTO list_members VALUES (\(list), \(member.address), \(Data(member.identityKey)), \(joined),
                        \(member.joins))
                    ON CONFLICT (list, address) DO UPDATE SET identity_key = EXCLUDED.identity_key,
                        joined = EXCLUDED.joined, current = EXCLUDED.current
                    """)
            case .post(var post):
                post.state = .appended
                post.position = position
                try await Self.savePost(db, post)
                try await Self.keepBlobs(db, post, sizes)
            case .created, .descriptor: break
            }
            return entry
        }
    }

    public func listEntries(list: String, after: UInt64, limit: Int) async throws -> [ListEntryRecord] {
        let start = try PostgresColumns.bigint(after)
        return try await read { db in
            try await db.rows(
                """
                SELECT position, bytes FROM list_entries WHERE list = \(list) AND position > \(start)
                ORDER BY position LIMIT \(limit)
                """
            ).map { ListEntryRecord(position: try Self.time($0["position"]), bytes: try Self.bytes($0["bytes"])) }
        }
    }

    public func listMembers(list: String) async throws -> [ListMemberRecord] {
        try await read { db in
            try await db.rows("SELECT * FROM list_members WHERE list = \(list) ORDER BY address").map(Self.member)
        }
    }

    public func listMember(list: String, address: String) async throws -> ListMemberRecord? {
        try await read { db in
            try await db.row("SELECT * FROM list_members WHERE list = \(list) AND address = \(address)").map(
                Self.member)
        }
    }

    private static func member(_ row: PostgresRandomAccessRow) throws -> ListMemberRecord {
        ListMemberRecord(
            address: try row["address"].decode(String.self), identityKey: try bytes(row["identity_key"]),
            joined: try time(row["joined"]), current: try row["current"].decode(Bool.self))
    }

    public func listPost(list: String, envelope: ContentIdentifier) async throws -> ListPostRecord? {
        try await read { db in
            try await db.row(
                "SELECT * FROM list_posts WHERE list = \(list) AND envelope = \(Data(envelope.binaryRepresentation))"
            ).map(Self.post)
        }
    }

    public func listPosts(list: String, state: ListPostRecord.State) async throws -> [ListPostRecord] {
        try await read { db in
            try await db.rows(
                "SELECT * FROM list_posts WHERE list = \(list) AND state = \(state.rawValue) ORDER BY received, envelope"
            ).map(Self.post)
        }
    }

    public func recordListPost(_ post: ListPostRecord) async throws {
        try await write { db in
            guard try await Self.list(db, post.list) != nil else { throw StoreError.notFound(post.list) }
            let state = try await db.value(
                """
                SELECT state FROM list_posts WHERE list = \(post.list)
                    AND envelope = \(Data(post.envelope.binaryRepresentation))
                """, as: String.self)
            if let state, state != ListPostRecord.State.pending.rawValue { throw StoreError.alreadyExists("post") }
            if post.state == .held { try await Self.keepBlobs(db, post, try await Self.heldSizes(db, post)) }
            try await Self.savePost(db, post)
        }
    }

    public func rejectListPost(list: String, envelope: ContentIdentifier, at time: UInt64) async throws
        -> [ContentIdentifier]
    {
        let at = try PostgresColumns.bigint(time)
        return try await write { db in
            let key = Data(envelope.binaryRepresentation)
            guard
                let post = try await db.row(
                    "SELECT * FROM list_posts WHERE list = \(list) AND envelope = \(key) AND state = 'held'"
                ).map(Self.post)
            else { throw StoreError.notFound("held post") }
            try await db.execute("DELETE FROM list_posts WHERE list = \(list) AND envelope = \(key)")
            try await db.execute("DELETE FROM list_blobs WHERE list = \(list) AND envelope = \(key)")
            return try await Self.release(db, post.blobs, at: at)
        }
    }

    public func expireListPending(before: UInt64) async throws {
        let time = try PostgresColumns.bigint(before)
        try await write { db in
            try await db.execute("DELETE FROM list_posts WHERE state = 'pending' AND received <= \(time)")
        }
    }

    private static func post(_ row: PostgresRandomAccessRow) throws -> ListPostRecord {
        let chunks = try bytes(row["chunks"])
        return ListPostRecord(
            list: try row["list"].decode(String.self), envelope: try identifier(row["envelope"], .blob),
            bytes: try bytes(row["bytes"]),
            chunks: try stride(from: 0, to: chunks.count, by: 33).map {
                try identifier(Data(chunks[$0..<min(chunks.count, $0 + 33)]), .blob)
            }, author: try row["author"].decode(String.self), authorKey: try bytes(row["author_key"]),
            received: try time(row["received"]),
            state: ListPostRecord.State(rawValue: try row["state"].decode(String.self)) ?? .pending,
            position: try PostgresColumns.time(row["position"].decode(Int64?.self)))
    }

    private static func savePost(_ db: PostgresTransaction, _ post: ListPostRecord) async throws {
        let (received, position) = (
            try PostgresColumns.bigint(post.received), try PostgresColumns.bigint(post.position)
        )
        try await db.execute(
            """
            INSERT INTO list_posts VALUES (\(post.list), \(Data(post.envelope.binaryRepresentation)), \(Data(post.bytes)),
                \(Data(post.chunks.flatMap(\.binaryRepresentation))), \(post.author), \(Data(post.authorKey)),
                \(received), \(post.state.rawValue), \(position))
            ON CONFLICT (list, envelope) DO UPDATE SET bytes = EXCLUDED.bytes, chunks = EXCLUDED.chunks,
                author = EXCLUDED.author, author_key = EXCLUDED.author_key, received = EXCLUDED.received,
                state = EXCLUDED.state, position = EXCLUDED.position
            """)
    }

    /// The size of every blob of the post: live, or uploaded by its author; ``StoreError/missingBlobs(_:)``
    /// otherwise.
    private static func heldSizes(_ db: PostgresTransaction, _ post: ListPostRecord) async throws -> [(Data, Int)] {
        var sizes: [(Data, Int)] = []
        var missing: [ContentIdentifier] = []
        for blob in post.blobs {
            let key = Data(blob.binaryRepresentation)
            if case .live(let size) = try await blobState(db, blob) {
                sizes.append((key, size))
            } else if let size = try await db.value(
                "SELECT size FROM uploads WHERE blob = \(key) AND uploader = \(post.author)", as: Int.self)
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
    private static func keepBlobs(_ db: PostgresTransaction, _ post: ListPostRecord, _ sizes: [(Data, Int)])
        async throws
    {
        let envelope = Data(post.envelope.binaryRepresentation)
        for (key, size) in sizes {
            try await db.execute(
                """
                INSERT INTO blobs VALUES (\(key), \(size), NULL)
                ON CONFLICT (blob) DO UPDATE SET size = EXCLUDED.size, deleted = NULL
                """)
            try await db.execute("DELETE FROM uploads WHERE blob = \(key)")
        }
        for blob in post.blobs {
            try await db.execute(
                """
                INSERT INTO list_blobs VALUES (\(post.list), \(envelope), \(Data(blob.binaryRepresentation)))
                ON CONFLICT DO NOTHING
                """)
        }
    }
}
