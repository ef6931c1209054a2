internal import DialogueDelivery
public import DialogueIdentifiers
internal import DialogueMessages
internal import Foundation
internal import GRDB

extension ClientStore {
    /// Records new inbox entries and the cursor after them in one transaction, so that a crash
    /// never skips an entry or moves the cursor past one that was not recorded ([dlv-inbox-cursor]).
    func record(
        _ entries: [(entry: String, received: UInt64, notification: DialogueDelivery.Notification)], cursor: String
    )
        async throws(ClientError) -> [Int]
    {
        let rows = entries.map { item in
            (
                item.entry, Int64(item.received), Data(item.notification.encodedBytes), item.notification.sender.text,
                item.notification.envelope.text(kind: .blob), item.notification.baseURL.text,
                item.notification.stanzaIndex, Int64(item.notification.messageSize)
            )
        }
        return try await write { db in
            var numbers: [Int] = []
            for row in rows {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO received (entry, received, notification, sender, envelope, base_url, stanza, size)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7])
                if db.changesCount > 0 { numbers.append(Int(db.lastInsertedRowID)) }
            }
            try db.execute(
                sql:
                    "INSERT INTO settings (name, value) VALUES ('cursor', ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                arguments: [cursor])
            return numbers
        }
    }

    /// Records what opening a message taught: its identifier, subject, date, verdict, and its place in
    /// the thread index (`in-reply-to`, `references`).
    func recordOpened(number: Int, manifest: Manifest, messageID: ContentIdentifier, verdict: String)
        async throws(ClientError)
    {
        let thread = ClientStore.threadRow(manifest: manifest, messageID: messageID)
        let subject = manifest.subject
        let date = Int64(manifest.date)
        try await write { db in
            try db.execute(
                sql:
                    "UPDATE received SET message_id = ?, subject = ?, date = ?, verdict = COALESCE(verdict, ?) WHERE number = ?",
                arguments: [thread.id, subject, date, verdict, number])
            try ClientStore.insertThread(db, thread)
        }
    }

    /// Records a message sent from this device.
    func recordSent(submission: Submission, manifest: Manifest, messageID: ContentIdentifier) async throws(ClientError)
        -> Int
    {
        let thread = ClientStore.threadRow(manifest: manifest, messageID: messageID)
        let recipients = submission.deliveries.map(\.recipient.text).joined(separator: " ")
        let key = submission.identifier.text(kind: .submission)
        let bytes = Data(submission.encodedBytes)
        let subject = manifest.subject
        let date = Int64(manifest.date)
        return try await write { db in
            try db.execute(
                sql:
                    "INSERT OR IGNORE INTO sent (submission, bytes, message_id, subject, date, recipients) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [key, bytes, thread.id, subject, date, recipients])
            try ClientStore.insertThread(db, thread)
            return try Int.fetchOne(db, sql: "SELECT number FROM sent WHERE submission = ?", arguments: [key]) ?? 0
        }
    }

    /// Sets a flag of a received message.
    func mark(_ number: Int, _ flag: String) async throws(ClientError) {
        guard ["is_read", "answered", "kept", "acknowledged"].contains(flag) else { return }
        try await write { db in
            try db.execute(sql: "UPDATE received SET \(flag) = 1 WHERE number = ?", arguments: [number])
        }
    }

    /// Every received message, newest first.
    public func inbox() async throws(ClientError) -> [InboxMessage] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM received ORDER BY acknowledged, is_read, number DESC").compactMap(
                ClientStore.message)
        }
    }

    /// The received message `number`.
    public func message(_ number: Int) async throws(ClientError) -> InboxMessage {
        let message = try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM received WHERE number = ?", arguments: [number]).flatMap(
                ClientStore.message)
        }
        guard let message else {
            throw ClientError(.unknownMessage, "no received message #\(number) on this device")
        }
        return message
    }

    /// The stored notification of message `number`.
    func notificationBytes(_ number: Int) async throws(ClientError) -> [UInt8] {
        let data = try await read { db in
            try Data.fetchOne(db, sql: "SELECT notification FROM received WHERE number = ?", arguments: [number])
        }
        guard let data else { throw ClientError(.unknownMessage, "no received message #\(number) on this device") }
        return Array(data)
    }

    /// Every message sent from this device, newest first.
    public func sent() async throws(ClientError) -> [SentMessage] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sent ORDER BY number DESC").compactMap(ClientStore.sentMessage)
        }
    }

    /// The submission bytes of sent message `number`.
    func sentSubmission(_ number: Int) async throws(ClientError) -> (SentMessage, [UInt8]) {
        let found = try await read { db -> (SentMessage, [UInt8])? in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM sent WHERE number = ?", arguments: [number]),
                let sent = ClientStore.sentMessage(row)
            else { return nil }
            return (sent, Array(row["bytes"] as Data))
        }
        guard let found else { throw ClientError(.unknownMessage, "no sent message #\(number) on this device") }
        return found
    }

    /// The thread of `messageID`, rebuilt from the local index alone: every message with the same
    /// root, by date.
    public func thread(of messageID: ContentIdentifier) async throws(ClientError) -> [ThreadMessage] {
        let key = messageID.text(kind: .message)
        let messages = try await read { db in
            let root =
                try String.fetchOne(db, sql: "SELECT root FROM threads WHERE message_id = ?", arguments: [key]) ?? key
            return try Row.fetchAll(
                db, sql: "SELECT * FROM threads WHERE root = ? OR message_id = ? ORDER BY date, message_id",
                arguments: [root, root]
            ).compactMap { row -> ThreadMessage? in
                guard let id = try? ContentIdentifier(text: row["message_id"] as String, kind: .message) else {
                    return nil
                }
                let parent = (row["parent"] as String?).flatMap { try? ContentIdentifier(text: $0, kind: .message) }
                return ThreadMessage(
                    messageID: id, parent: parent, sender: row["sender"], subject: row["subject"],
                    date: UInt64(row["date"] as Int64))
            }
        }
        return ClientStore.parentsFirst(messages)
    }

    /// `messages` (in date order) with every message after the message it answers: dates are whole
    /// seconds the senders claim, so a quick reply can carry its original's date, or an earlier one.
    static func parentsFirst(_ messages: [ThreadMessage]) -> [ThreadMessage] {
        var remaining = messages
        var placed = Set<ContentIdentifier>()
        var ordered: [ThreadMessage] = []
        while !remaining.isEmpty {
            let waiting = Set(remaining.map(\.messageID))
            // The first message whose parent is placed or not in this thread; a cycle takes the first as it is.
            let index =
                remaining.firstIndex { message in
                    message.parent.map { placed.contains($0) || !waiting.contains($0) } ?? true
                } ?? 0
            let message = remaining.remove(at: index)
            placed.insert(message.messageID)
            ordered.append(message)
        }
        return ordered
    }

    // MARK: Rows

    struct ThreadRow: Sendable {
        let id: String
        let root: String
        let parent: String?
        let sender: String
        let subject: String?
        let date: Int64
    }

    /// A thread's root is the oldest message the references name, else the one it answers, else itself.
    static func threadRow(manifest: Manifest, messageID: ContentIdentifier) -> ThreadRow {
        let id = messageID.text(kind: .message)
        let root = (manifest.references.first ?? manifest.inReplyTo.first).map { $0.text(kind: .message) } ?? id
        return ThreadRow(
            id: id, root: root, parent: manifest.inReplyTo.first.map { $0.text(kind: .message) },
            sender: manifest.senderAddress.text, subject: manifest.subject, date: Int64(manifest.date))
    }

    static func insertThread(_ db: Database, _ row: ThreadRow) throws {
        try db.execute(
            sql:
                "INSERT OR IGNORE INTO threads (message_id, root, parent, sender, subject, date) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [row.id, row.root, row.parent, row.sender, row.subject, row.date])
    }

    static func message(_ row: Row) -> InboxMessage? {
        guard let sender = try? Address(parsing: row["sender"] as String),
            let envelope = try? ContentIdentifier(text: row["envelope"] as String, kind: .blob)
        else { return nil }
        return InboxMessage(
            number: row["number"], entry: row["entry"], received: UInt64(row["received"] as Int64), sender: sender,
            envelope: envelope, baseURL: row["base_url"], stanzaIndex: row["stanza"],
            size: UInt64(row["size"] as Int64),
            messageID: (row["message_id"] as String?).flatMap { try? ContentIdentifier(text: $0, kind: .message) },
            subject: row["subject"], date: (row["date"] as Int64?).map(UInt64.init), verdict: row["verdict"],
            isRead: row["is_read"], answered: row["answered"], kept: row["kept"], acknowledged: row["acknowledged"])
    }

    static func sentMessage(_ row: Row) -> SentMessage? {
        guard let submission = try? ContentIdentifier(text: row["submission"] as String, kind: .submission),
            let messageID = try? ContentIdentifier(text: row["message_id"] as String, kind: .message)
        else { return nil }
        return SentMessage(
            number: row["number"], submission: submission, messageID: messageID, subject: row["subject"],
            date: UInt64(row["date"] as Int64),
            recipients: (row["recipients"] as String).split(separator: " ").map(String.init))
    }
}

extension ClientStore {
    /// Keeps the last status the home server gave for sent message `number`.
    func recordStatus(_ number: Int, _ json: [UInt8]) async throws(ClientError) {
        let data = Data(json)
        try await write { db in
            try db.execute(sql: "UPDATE sent SET last_status = ? WHERE number = ?", arguments: [data, number])
        }
    }

    /// The last status recorded for sent message `number`.
    func lastStatus(_ number: Int) async throws(ClientError) -> DeliveryStatus? {
        let data = try await read { db in
            try Data.fetchOne(db, sql: "SELECT last_status FROM sent WHERE number = ?", arguments: [number])
        }
        return data.flatMap { try? JSONDecoder().decode(DeliveryStatus.self, from: $0) }
    }
}
