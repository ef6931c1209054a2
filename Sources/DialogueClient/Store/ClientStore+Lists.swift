internal import DialogueCrypto
internal import DialogueDelivery
public import DialogueIdentifiers
public import DialogueMessages
internal import Foundation
internal import GRDB

extension ClientStore {
    /// The list tables (Spec: lists.md): what a list agent owns, what a member follows, the epoch keys
    /// both hold, the verified index entries and the posts with what opening them taught.
    static func migrateLists(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS list_owned (
                    list TEXT PRIMARY KEY, descriptor BLOB NOT NULL, serial INTEGER NOT NULL, epoch INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS list_owned_members (
                    list TEXT NOT NULL, address TEXT NOT NULL, identity_key BLOB NOT NULL, PRIMARY KEY (list, address));
                CREATE TABLE IF NOT EXISTS list_epochs (
                    list TEXT NOT NULL, epoch INTEGER NOT NULL, event_key BLOB, public_key BLOB, secret_key BLOB,
                    PRIMARY KEY (list, epoch));
                CREATE TABLE IF NOT EXISTS list_followed (
                    list TEXT PRIMARY KEY, cursor TEXT, position INTEGER NOT NULL, descriptor BLOB,
                    serial INTEGER, epoch INTEGER);
                CREATE TABLE IF NOT EXISTS list_entries (
                    list TEXT NOT NULL, position INTEGER NOT NULL, kind INTEGER NOT NULL, bytes BLOB NOT NULL,
                    PRIMARY KEY (list, position));
                CREATE TABLE IF NOT EXISTS list_posts (
                    list TEXT NOT NULL, position INTEGER NOT NULL, author TEXT NOT NULL, author_key BLOB NOT NULL,
                    envelope TEXT NOT NULL,
                    epoch INTEGER NOT NULL, size INTEGER NOT NULL, message_id TEXT, subject TEXT, date INTEGER,
                    verdict TEXT, state TEXT NOT NULL, PRIMARY KEY (list, position));
                """)
    }

    // MARK: The list agent's side

    /// Records a list this device's account runs, with its descriptor and the state before any event.
    func recordOwned(_ descriptor: ListDescriptor) async throws(ClientError) {
        let list = descriptor.list.text
        let bytes = Data(descriptor.encodedBytes)
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO list_owned (list, descriptor, serial, epoch) VALUES (?, ?, 0, 0)
                    ON CONFLICT(list) DO UPDATE SET descriptor = excluded.descriptor
                    """,
                arguments: [list, bytes])
        }
    }

    /// The descriptor and the last event's serial and epoch of a list this account runs, or `nil`.
    func owned(_ list: Address, listKeyFingerprint: ContentIdentifier) async throws(ClientError) -> (
        descriptor: ListDescriptor, serial: UInt64, epoch: UInt64
    )? {
        let text = list.text
        let row = try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM list_owned WHERE list = ?", arguments: [text]).map {
                (Array($0["descriptor"] as Data), $0["serial"] as Int64, $0["epoch"] as Int64)
            }
        }
        guard let row else { return nil }
        let bytes = row.0
        let descriptor: ListDescriptor
        do {
            descriptor = try ListDescriptor(
                verifying: bytes, list: list, listKeyFingerprint: listKeyFingerprint, now: ClientClock.now())
        } catch {
            throw ClientError(.storeFailed, "the stored descriptor of \(list) does not verify: \(error)")
        }
        return (descriptor, UInt64(row.1), UInt64(row.2))
    }

    /// Records an event the list server accepted: the new serial and epoch, the membership.
    func recordOwnedEvent(_ event: ListEvent) async throws(ClientError) {
        let list = event.list.text
        let (serial, epoch) = (Int64(event.serial), Int64(event.epoch))
        let member = event.member?.text
        let key = event.memberKey.map { Data($0.rawRepresentation) }
        let joined = event.kind == .joined
        try await write { db in
            try db.execute(
                sql: "UPDATE list_owned SET serial = ?, epoch = ? WHERE list = ?", arguments: [serial, epoch, list])
            guard let member, let key else { return }
            if joined {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO list_owned_members (list, address, identity_key) VALUES (?, ?, ?)",
                    arguments: [list, member, key])
            } else {
                try db.execute(
                    sql: "DELETE FROM list_owned_members WHERE list = ? AND address = ?", arguments: [list, member])
            }
        }
    }

    /// The current members of a list this account runs, with their identity keys.
    func ownedMembers(_ list: Address) async throws(ClientError) -> [(address: Address, key: [UInt8])] {
        let text = list.text
        let rows = try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT address, identity_key FROM list_owned_members WHERE list = ? ORDER BY address",
                arguments: [text]
            ).map { ($0["address"] as String, Array($0["identity_key"] as Data)) }
        }
        return rows.compactMap { row in (try? Address(parsing: row.0)).map { ($0, row.1) } }
    }

    // MARK: Epoch keys

    /// Keeps epoch secret keys: the owner's own, or a member's from a verified delivery
    /// ([list-keys-verify]). A key already held is left as it is.
    func keepEpochKeys(_ keys: [EpochKey], list: Address) async throws(ClientError) {
        let text = list.text
        let rows = keys.map {
            (Int64($0.epoch), Data($0.publicKey.rawRepresentation), Data($0.secretKey.rawRepresentation))
        }
        try await write { db in
            for row in rows {
                try db.execute(
                    sql: """
                        INSERT INTO list_epochs (list, epoch, public_key, secret_key) VALUES (?, ?, ?, ?)
                        ON CONFLICT(list, epoch) DO UPDATE SET public_key = excluded.public_key,
                            secret_key = excluded.secret_key WHERE list_epochs.secret_key IS NULL
                        """,
                    arguments: [text, row.0, row.1, row.2])
            }
        }
    }

    /// Every epoch secret key held for `list`, in order of epoch.
    func epochKeys(_ list: Address) async throws(ClientError) -> [EpochKey] {
        let text = list.text
        let rows = try await read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT epoch, secret_key FROM list_epochs WHERE list = ? AND secret_key IS NOT NULL ORDER BY epoch",
                arguments: [text]
            ).map { ($0["epoch"] as Int64, Array($0["secret_key"] as Data)) }
        }
        return rows.compactMap { row in
            guard let secret = try? X25519.PrivateKey(rawRepresentation: row.1) else { return nil }
            return EpochKey(epoch: UInt64(row.0), secretKey: secret)
        }
    }

    /// The secret key of `epoch`, only when its public key is the one the index event that started the
    /// epoch announced ([list-keys-match-index]).
    func usableEpochKey(_ list: Address, epoch: UInt64) async throws(ClientError) -> X25519.PrivateKey? {
        let (text, number) = (list.text, Int64(epoch))
        let row = try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT event_key, public_key, secret_key FROM list_epochs WHERE list = ? AND epoch = ?",
                arguments: [text, number]
            ).map { ($0["event_key"] as Data?, $0["public_key"] as Data?, $0["secret_key"] as Data?) }
        }
        guard let row, let event = row.0, let published = row.1, event == published, let secret = row.2
        else { return nil }
        return try? X25519.PrivateKey(rawRepresentation: Array(secret))
    }

    // MARK: The member's side

    /// What following `list` has verified so far: the cursor, the last position, the latest descriptor
    /// and the last event's serial and epoch.
    func followed(_ list: Address) async throws(ClientError) -> ListFollowState {
        let text = list.text
        return try await read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM list_followed WHERE list = ?", arguments: [text])
            else { return ListFollowState(cursor: nil, position: 0, descriptor: nil, previous: nil) }
            let previous = (row["serial"] as Int64?).map {
                ListEvent.Previous(serial: UInt64($0), epoch: UInt64(row["epoch"] as Int64? ?? 0))
            }
            return ListFollowState(
                cursor: row["cursor"], position: UInt64(row["position"] as Int64),
                descriptor: (row["descriptor"] as Data?).map { Array($0) }, previous: previous)
        }
    }

    /// Records one page of verified entries with the state after them and the cursor, in one
    /// transaction: a crash never moves the cursor past an entry that was not recorded.
    func recordFollowed(_ page: ListFollowPage) async throws(ClientError) {
        try await write { db in
            let list = page.list.text
            for entry in page.entries {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO list_entries (list, position, kind, bytes) VALUES (?, ?, ?, ?)",
                    arguments: [list, Int64(entry.position), Int64(entry.kind.rawValue), Data(entry.encodedBytes)])
            }
            for (epoch, key) in page.epochStarts {
                try db.execute(
                    sql: """
                        INSERT INTO list_epochs (list, epoch, event_key) VALUES (?, ?, ?)
                        ON CONFLICT(list, epoch) DO UPDATE SET event_key = excluded.event_key
                        """,
                    arguments: [list, Int64(epoch), Data(key)])
            }
            for (position, post) in page.posts {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO list_posts (list, position, author, author_key, envelope, epoch, size, state)
                        VALUES (?, ?, ?, ?, ?, ?, ?, 'not opened')
                        """,
                    arguments: [
                        list, Int64(position), post.author.text, Data(post.authorKey.rawRepresentation),
                        post.envelope.text(kind: .blob), Int64(post.epoch),
                        Int64(post.messageSize),
                    ])
            }
            let state = page.state
            try db.execute(
                sql: """
                    INSERT INTO list_followed (list, cursor, position, descriptor, serial, epoch) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(list) DO UPDATE SET cursor = excluded.cursor, position = excluded.position,
                        descriptor = excluded.descriptor, serial = excluded.serial, epoch = excluded.epoch
                    """,
                arguments: [
                    list, state.cursor, Int64(state.position), state.descriptor.map { Data($0) },
                    state.previous.map { Int64($0.serial) }, state.previous.map { Int64($0.epoch) },
                ])
        }
    }

    /// Records what opening post `position` taught, or why it is not open (`state`); an opened post
    /// takes its place in the thread index beside ordinary mail.
    func recordListPost(
        list: Address, position: UInt64, state: String,
        opened: (manifest: Manifest, messageID: ContentIdentifier, verdict: String)?
    ) async throws(ClientError) {
        let (text, number) = (list.text, Int64(position))
        let thread = opened.map { ClientStore.threadRow(manifest: $0.manifest, messageID: $0.messageID) }
        let (subject, date, verdict) = (
            opened?.manifest.subject, opened.map { Int64($0.manifest.date) }, opened?.verdict
        )
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE list_posts SET state = ?, message_id = COALESCE(?, message_id), subject = COALESCE(?, subject),
                        date = COALESCE(?, date), verdict = COALESCE(verdict, ?) WHERE list = ? AND position = ?
                    """,
                arguments: [state, thread?.id, subject, date, verdict, text, number])
            if let thread { try ClientStore.insertThread(db, thread) }
        }
    }

    /// The posts of `list` this device knows, in index order; every list's when `list` is `nil`.
    public func listPosts(_ list: Address? = nil) async throws(ClientError) -> [ListPostSummary] {
        let text = list?.text
        return try await read { db in
            let rows =
                try text.map {
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM list_posts WHERE list = ? ORDER BY position", arguments: [$0])
                } ?? Row.fetchAll(db, sql: "SELECT * FROM list_posts ORDER BY list, position")
            return rows.compactMap(ListPostSummary.init(row:))
        }
    }

    /// The author key (key 3) of post `position` of `list`, as the verified post named it.
    func listPostAuthorKey(_ list: Address, position: UInt64) async throws(ClientError) -> [UInt8]? {
        let (text, number) = (list.text, Int64(position))
        return try await read { db in
            try Data.fetchOne(
                db, sql: "SELECT author_key FROM list_posts WHERE list = ? AND position = ?", arguments: [text, number]
            ).map { Array($0) }
        }
    }

    /// The public key of `epoch` as the index event that started it announced.
    func eventKey(_ list: Address, epoch: UInt64) async throws(ClientError) -> X25519.PublicKey? {
        let (text, number) = (list.text, Int64(epoch))
        let bytes = try await read { db in
            try Data.fetchOne(
                db, sql: "SELECT event_key FROM list_epochs WHERE list = ? AND epoch = ?", arguments: [text, number])
        }
        return bytes.flatMap { try? X25519.PublicKey(rawRepresentation: Array($0)) }
    }
}

/// What a member's device has verified of a list's index ([list-entry-verify]).
struct ListFollowState: Sendable {
    var cursor: String?
    var position: UInt64
    var descriptor: [UInt8]?
    var previous: ListEvent.Previous?
}

/// One verified page of a list's index, recorded at once.
struct ListFollowPage: Sendable {
    let list: Address
    var entries: [ListEntry] = []
    var epochStarts: [(UInt64, [UInt8])] = []
    var posts: [(UInt64, ListPost)] = []
    var state: ListFollowState
}

/// One post of a list as this device knows it: what the index said, and once opened, what its
/// author's signed manifest says with the author's trust verdict (never the list's).
public struct ListPostSummary: Sendable, Hashable {
    /// The list.
    public let list: Address
    /// The post's position in the list's index.
    public let position: UInt64
    /// The author, from the author-signed post.
    public let author: Address
    /// The envelope's identifier.
    public let envelope: ContentIdentifier
    /// The epoch it is sealed to.
    public let epoch: UInt64
    /// The message's total size.
    public let size: UInt64
    /// The message identifier, once opened.
    public let messageID: ContentIdentifier?
    /// The subject, once opened.
    public let subject: String?
    /// The date the author claims, once opened.
    public let date: UInt64?
    /// The author's trust verdict, once opened (Spec: trust.md#trust-verdicts).
    public let verdict: String?
    /// `opened`, `not opened`, `key not received yet` or `posted before you could read this list`
    /// ([list-post-open]).
    public let state: String

    init?(row: Row) {
        guard let list = try? Address(parsing: row["list"] as String),
            let author = try? Address(parsing: row["author"] as String),
            let envelope = try? ContentIdentifier(text: row["envelope"] as String, kind: .blob)
        else { return nil }
        self.list = list
        self.author = author
        self.envelope = envelope
        position = UInt64(row["position"] as Int64)
        epoch = UInt64(row["epoch"] as Int64)
        size = UInt64(row["size"] as Int64)
        messageID = (row["message_id"] as String?).flatMap { try? ContentIdentifier(text: $0, kind: .message) }
        subject = row["subject"]
        date = (row["date"] as Int64?).map(UInt64.init)
        verdict = row["verdict"]
        state = row["state"]
    }
}

extension ClientStore {
    /// The epochs of `list` whose secret keys this device holds, in order.
    public func heldEpochs(_ list: Address) async throws(ClientError) -> [UInt64] {
        try await epochKeys(list).map(\.epoch)
    }
}
