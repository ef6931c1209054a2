import DialogueClient
import DialogueIdentifiers
import DialogueMessages
import Foundation
import GRDB
import Testing

/// The client store's blobs: files beside the database, each checked against its identifier when it is
/// kept and again when it is read back (Spec: identifiers.md#id-verify).
@Suite struct ClientStoreTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "client-store-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    private func blob(_ text: String) -> ([UInt8], ContentIdentifier) {
        let bytes = Array(text.utf8)
        return (bytes, ContentIdentifier.hashing(bytes, context: .blob))
    }

    @Test("a blob is kept as a file named by its identifier, counted, and read back")
    func keepsFiles() async throws {
        let store = try ClientStore(path: directory + "/client.sqlite")
        let (bytes, id) = blob("a chunk")
        #expect(try await store.get(id) == nil)
        try await store.put(bytes, as: id)
        try await store.put(bytes, as: id)  // a repeat is a no-op
        #expect(try await store.get(id) == bytes)
        #expect(try await store.contains(id))
        #expect(try await store.blobCount() == 1)
        let name = id.text(kind: .blob)
        let files = try FileManager.default.subpathsOfDirectory(atPath: directory + "/blobs")
        #expect(files.contains { $0.hasSuffix("/" + name) }, "\(files)")
        try await store.flush()
    }

    @Test("bytes that do not hash to the identifier are refused, and nothing is kept")
    func refusesWrongBytes() async throws {
        let store = try ClientStore(path: directory + "/client.sqlite")
        let (_, id) = blob("the real chunk")
        await #expect(throws: ClientError.self) { try await store.put(Array("another chunk".utf8), as: id) }
        #expect(try await store.blobCount() == 0)
    }

    @Test("a file damaged on disk is dropped when read, so that it is fetched again, never used")
    func dropsDamagedFiles() async throws {
        let store = try ClientStore(path: directory + "/client.sqlite")
        let (bytes, id) = blob("a chunk that a power cut damages")
        try await store.put(bytes, as: id)
        try await store.flush()
        let path = try #require(
            FileManager.default.enumerator(atPath: directory + "/blobs")?.allObjects.compactMap { $0 as? String }
                .first { $0.hasSuffix(id.text(kind: .blob)) })
        try Data(repeating: 0, count: bytes.count).write(to: URL(fileURLWithPath: directory + "/blobs/" + path))
        #expect(try await store.get(id) == nil)
        #expect(try await !store.contains(id), "the damaged file is gone")
        try await store.put(bytes, as: id)
        #expect(try await store.get(id) == bytes)
    }

    @Test("a blob larger than the limit is refused before it is read")
    func limitsBeforeReading() async throws {
        let store = try ClientStore(path: directory + "/client.sqlite")
        let (bytes, id) = blob(String(repeating: "x", count: 4_096))
        try await store.put(bytes, as: id)
        await #expect(throws: MessageError.self) { try await store.get(id, limit: 4_095) }
    }

    @Test("a store of an earlier version, blobs as rows, has them moved to files, damaged rows left out")
    func movesRowsToFiles() async throws {
        let path = directory + "/client.sqlite"
        let (good, goodID) = blob("kept before the upgrade")
        let (_, badID) = blob("a row whose bytes were damaged")
        do {
            let old = try DatabaseQueue(path: path)
            try await old.write { db in
                try db.execute(sql: "CREATE TABLE blobs (id TEXT PRIMARY KEY, bytes BLOB NOT NULL)")
                try db.execute(
                    sql: "INSERT INTO blobs (id, bytes) VALUES (?, ?), (?, ?)",
                    arguments: [goodID.text(kind: .blob), Data(good), badID.text(kind: .blob), Data([1, 2, 3])])
            }
        }
        let store = try ClientStore(path: path)
        #expect(try await store.get(goodID) == good)
        #expect(try await store.get(badID) == nil)
        #expect(try await store.blobCount() == 1)
        let tableLeft = try await DatabaseQueue(path: path).read { db in try db.tableExists("blobs") }
        #expect(!tableLeft)
    }
}
