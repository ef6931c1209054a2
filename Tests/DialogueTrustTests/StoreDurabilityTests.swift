import DialogueCrypto
import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Foundation
import GRDB
import Testing

@Suite("durable SQLite store")
struct StoreDurabilityTests {
    /// Fills a store at `path` with `count` first contacts and closes it.
    static func populate(_ path: String, count: Int) async throws -> [UInt8] {
        let store = try SQLiteTrustStore(path: path)
        let engine = TrustEngine(store: store, clock: ManualTrustClock(t0))
        for index in 0..<count {
            let identity = Fixture.identity("user\(index)@example.org", seed: UInt8(index % 250))
            _ = try await engine.observe(TrustObservation.test(identity, id: "p\(index)"))
        }
        return store.storeID
    }

    /// Runs SQL on a database file directly, as someone tampering with it would.
    static func sql(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.inDatabase { try $0.execute(sql: sql) }
    }

    /// [trust-store-identity]: a store that was in use and is gone is reported, not re-created.
    @Test("a deleted store is detected, not silently re-created")
    func deletedStoreDetected() async throws {
        let directory = TemporaryDirectory()
        let path = directory.file("trust.sqlite")
        let id = try await Self.populate(path, count: 3)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        #expect(throws: TrustStoreError(.storeLost, "")) {
            try SQLiteTrustStore(path: path, options: .init(expectedStoreID: id))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        // A new store in its place has another identifier: reported as a replacement.
        _ = try SQLiteTrustStore(path: path)
        #expect(throws: TrustStoreError(.storeReplaced, "")) {
            try SQLiteTrustStore(path: path, options: .init(expectedStoreID: id))
        }
        #expect(throws: TrustStoreError(.storeLost, "")) {
            try SQLiteTrustStore(path: directory.file("never.sqlite"), options: .init(create: false))
        }
    }

    /// [trust-store-check]: damaged storage is a typed error when the store opens.
    @Test("a corrupted store is detected when it opens")
    func corruptedStoreDetected() async throws {
        let directory = TemporaryDirectory()
        let path = directory.file("trust.sqlite")
        _ = try await Self.populate(path, count: 300)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"), "closing checkpoints the WAL")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let pageSize = 4096
        #expect(bytes.count >= 8 * pageSize)
        for page in 1..<(bytes.count / pageSize) {
            for offset in 0..<16 { bytes[page * pageSize + offset] = 0xa5 }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(throws: TrustStoreError(.corrupted, "")) { try SQLiteTrustStore(path: path) }
        // A file that is not a database at all.
        let junk = directory.file("junk.sqlite")
        try Data((0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: URL(fileURLWithPath: junk))
        #expect(throws: TrustStoreError(.corrupted, "")) { try SQLiteTrustStore(path: junk) }
        // Another application's database.
        let foreign = directory.file("foreign.sqlite")
        try Self.sql(foreign, "CREATE TABLE notes (text TEXT)")
        #expect(throws: TrustStoreError(.notATrustStore, "")) { try SQLiteTrustStore(path: foreign) }
    }

    /// [trust-store-log]: the event log refuses edits; removed or altered entries are detected.
    @Test("a truncated or altered event log is detected")
    func tamperedLogDetected() async throws {
        let directory = TemporaryDirectory()
        let path = directory.file("trust.sqlite")
        _ = try await Self.populate(path, count: 5)
        #expect(throws: DatabaseError.self) { try Self.sql(path, "DELETE FROM events WHERE sequence = 5") }
        // Someone drops the guard triggers and removes the last entry.
        let truncated = directory.file("truncated.sqlite")
        try FileManager.default.copyItem(atPath: path, toPath: truncated)
        try Self.sql(truncated, "DROP TRIGGER events_no_delete; DELETE FROM events WHERE sequence = 5")
        // trust-store-head: the entry count and last hash kept apart from the log expose the truncation.
        #expect(throws: TrustStoreError(.logDamaged, "")) { try SQLiteTrustStore(path: truncated) }
        // Someone rewrites an entry in the middle: the chain check finds it.
        let altered = directory.file("altered.sqlite")
        try FileManager.default.copyItem(atPath: path, toPath: altered)
        try Self.sql(altered, "DROP TRIGGER events_no_update; UPDATE events SET detail = 'nothing' WHERE sequence = 2")
        let report = try await SQLiteTrustStore(path: altered).check()
        #expect(report.problems.contains { $0.contains("entry 2 was altered") })
        // And a binding removed behind the log's back is an inconsistency.
        let missing = directory.file("missing.sqlite")
        try FileManager.default.copyItem(atPath: path, toPath: missing)
        try Self.sql(
            missing, "UPDATE bindings SET state = 'verified', verified_key = NULL WHERE address = 'user1@example.org'")
        #expect(try await SQLiteTrustStore(path: missing).check().problems.count == 1)
        #expect(try await SQLiteTrustStore(path: path).check().isSound)
    }

    /// [trust-duplicate] across a schema migration: a store written before judged messages were kept in
    /// arrival order still recognizes its duplicates, with the verdicts they got, after it is upgraded.
    @Test("a store of the first schema version is migrated without losing judged messages")
    func firstSchemaVersionMigrated() async throws {
        let directory = TemporaryDirectory()
        let path = directory.file("trust.sqlite")
        let alice = Fixture.identity("alice@example.org", seed: 1)
        let bob = Fixture.identity("bob@example.net", seed: 2)
        var verdicts: [String: TrustVerdict] = [:]
        do {
            let engine = TrustEngine(store: try SQLiteTrustStore(path: path), clock: ManualTrustClock(t0))
            for (name, identity) in [("a1", alice), ("b1", bob), ("a2", alice), ("a3", alice)] {
                verdicts[name] = try await engine.observe(TrustObservation.test(identity, id: name)).verdict
            }
        }
        // Rewrite the table as the first version of the schema had it.
        try Self.sql(
            path,
            """
            CREATE TABLE seen_v1 (
                id BLOB PRIMARY KEY NOT NULL, address TEXT NOT NULL, received_at INTEGER NOT NULL, verdict BLOB NOT NULL
            ) WITHOUT ROWID;
            INSERT INTO seen_v1 SELECT id, address, received_at, verdict FROM seen_messages;
            DROP TABLE seen_messages;
            ALTER TABLE seen_v1 RENAME TO seen_messages;
            DELETE FROM grdb_migrations WHERE identifier LIKE 'v2%';
            """
        )
        let store = try SQLiteTrustStore(path: path)
        let columns = try await DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('seen_messages')")
        }
        #expect(columns.first == "arrival", "migrated to the table in arrival order")
        let engine = TrustEngine(store: store, clock: ManualTrustClock(t0 + 60))
        for (name, identity) in [("a1", alice), ("b1", bob), ("a2", alice), ("a3", alice)] {
            let again = try await engine.observe(TrustObservation.test(identity, id: name))
            #expect(again.isDuplicate && again.verdict == verdicts[name], "\(name)")
        }
        let next = try await engine.observe(TrustObservation.test(alice, id: "a4")).verdict
        guard case .known(_, _, _, let count) = next else {
            Issue.record("expected known, got \(next.name)")
            return
        }
        #expect(count == 4)
        #expect(try await store.check().isSound)
    }

    /// [trust-store-atomic], [trust-store-durable]: a process killed with SIGKILL in the middle of writing leaves a sound store.
    @Test("a process killed in the middle of a write leaves the store consistent")
    func killedWriterLeavesStoreConsistent() async throws {
        #expect(FileManager.default.fileExists(atPath: DialogueBinary.url.path), "build the dialogue executable first")
        let directory = TemporaryDirectory()
        let path = directory.file("trust.sqlite")
        var start = 0
        for round in 0..<3 {
            let name = "writer\(round)"
            let writer = try DialogueBinary.start(
                ["trust", "exercise", "--trust-store", path, "--start", "\(start)", "--count", "1000000"],
                in: directory, name: name
            )
            // Wait until it has written a few hundred senders, then kill it mid-stream.
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                let output = String(
                    decoding: FileManager.default.contents(atPath: directory.file(name + ".out")) ?? Data(),
                    as: UTF8.self)
                if output.components(separatedBy: "\n").count > 4 + round { break }
                try await Task.sleep(nanoseconds: 5_000_000)
            }
            kill(writer.processIdentifier, SIGKILL)
            writer.waitUntilExit()
            #expect(writer.terminationReason == .uncaughtSignal)
            let store = try SQLiteTrustStore(path: path, options: .init(check: .full))
            let report = try await store.check()
            #expect(report.isSound, "\(report.problems)")
            #expect(report.bindingCount > 0 && report.eventCount == report.bindingCount)
            start = report.bindingCount + 10
        }
    }

    /// [trust-store-atomic]: 20 processes opening messages from one new sender at once make exactly
    /// one pin, and none of them fails on a lock.
    @Test("20 processes pinning the same first sender at once make exactly one pin")
    func twentyProcessesOnePin() async throws {
        #expect(FileManager.default.fileExists(atPath: DialogueBinary.url.path), "build the dialogue executable first")
        let directory = TemporaryDirectory()
        let alice = Fixture.identity("alice@example.org", seed: 1)
        for (name, seed) in [("bob", UInt8(2)), ("carol", UInt8(3))] {
            let identity = Fixture.identity("\(name)@example.net", seed: seed)
            _ = FileManager.default.createFile(
                atPath: directory.file(name), contents: Data(try SecretIdentityFile.encode(identity)),
                attributes: [.posixPermissions: 0o600]
            )
        }
        let bob = Fixture.identity("bob@example.net", seed: 2)
        let carol = Fixture.identity("carol@example.net", seed: 3)
        let blobs = try DirectoryBlobStore(root: directory.file("blobs"))
        var envelopes: [String] = []
        for index in 0..<20 {
            let sealed = try await MessageSealer(sender: alice, store: blobs).seal(
                MessageDraft(
                    recipients: [.init(card: bob.card), .init(card: carol.card)], date: t0, subject: "n\(index)",
                    parts: [.text("message \(index)")]
                )
            )
            envelopes.append(sealed.envelopeID.text(kind: .blob))
        }
        // Bob's store exists before the rush; Carol's is created by the rush itself.
        #expect(try DialogueBinary.run(["trust", "list", "--as", directory.file("bob")], in: directory).status == 0)
        for name in ["bob", "carol"] {
            let processes = try envelopes.enumerated().map { index, envelope in
                try DialogueBinary.start(
                    ["open", "--as", directory.file(name), "--store", directory.file("blobs"), envelope],
                    in: directory, name: "\(name)\(index)"
                )
            }
            let results = processes.enumerated().map {
                DialogueBinary.result(of: $1, in: directory, name: "\(name)\($0)")
            }
            for result in results {
                #expect(result.status == 0, "\(result.standardError)")
                #expect(!result.standardError.contains("locked") && !result.standardError.contains("busy"))
            }
            let verdicts = results.compactMap { result in
                result.standardOutput.split(separator: "\n").first { $0.hasPrefix("trust ") }
                    .map { $0.split(separator: " ", omittingEmptySubsequences: true)[1] }
            }
            #expect(verdicts.filter { $0 == "first-contact" }.count == 1, "\(name): \(verdicts)")
            #expect(verdicts.filter { $0 == "known" }.count == 19, "\(name): \(verdicts)")
            let store = try SQLiteTrustStore(path: directory.file(name + ".trust.sqlite"))
            let engine = TrustEngine(store: store)
            let bindings = try await engine.bindings()
            #expect(bindings.count == 1 && bindings.first?.messageCount == 20)
            #expect(try await engine.events().filter { $0.kind == "pinned" }.count == 1)
            #expect(try await store.check().isSound)
        }
    }
}
