import DialogueIdentifiers
import DialogueServerStorage
import Foundation
import Testing

/// What the SQLite store acknowledges is on disk, and group commit keeps each write's own outcome
/// (Spec: delivery.md#dlv-durable).
@Suite struct SQLiteDurabilityTests {
    func makeStore() throws -> (SQLiteMailStore, String) {
        let directory = NSTemporaryDirectory() + "dialogue-durability-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/mail.sqlite"
        return (try SQLiteMailStore(path: path), path)
    }

    @Test("dlv-durable: the writer synchronizes every commit (synchronous = FULL, not the NORMAL of GRDB's WAL set-up)")
    func writerSynchronizesEveryCommit() async throws {
        let (store, _) = try makeStore()
        #expect(try await store.synchronousLevel() == 2)
    }

    @Test("dlv-durable: concurrent writes share commits, each keeps its own outcome, and all are there after reopening")
    func concurrentWritesShareCommits() async throws {
        let (store, path) = try makeStore()
        let before = store.transactionCount
        let writes = 200
        // Every fourth address is added twice: one of the two adds fails, and only that one.
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<writes {
                group.addTask {
                    let repeated = index % 4 == 0
                    let address = repeated ? "twice\(index / 4)@a.example" : "user\(index)@a.example"
                    let record = AccountRecord(
                        address: address, card: [1], identityKey: [2],
                        fingerprint: ContentIdentifier.hashing(Array(address.utf8), context: .identityKey),
                        created: 1)
                    do {
                        try await store.addAccount(record)
                        if repeated { try await store.addAccount(record) }
                        return true
                    } catch StoreError.alreadyExists {
                        return false
                    }
                }
            }
            var outcomes: [Bool] = []
            for try await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        let repeats = writes / 4
        #expect(outcomes.filter { !$0 }.count == repeats)
        let commits = store.transactionCount - before
        #expect(commits < writes, "\(writes + repeats) writes took \(commits) commits: no group commit")
        let reopened = try SQLiteMailStore(path: path)
        #expect(try await reopened.accounts().count == writes)
    }

    @Test("dlv-request-replay: the same nonce twice in one group commit is admitted once")
    func sameNonceInOneBatchIsAdmittedOnce() async throws {
        let (store, _) = try makeStore()
        let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    try await store.recordNonce(
                        keyID: "a.example/srv-x", nonce: "nonce-nonce-nonce-1", until: 2_000, now: 1_000)
                }
            }
            var admitted = 0
            for try await outcome in group where outcome { admitted += 1 }
            return admitted
        }
        #expect(admitted == 1)
    }

    @Test(
        "dlv-durable: 400 tasks reading blob states and accounts while writing uploads all finish (no reader starvation)",
        .timeLimit(.minutes(1)))
    func concurrentReadsAndWritesFinish() async throws {
        let (store, _) = try makeStore()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<400 {
                group.addTask {
                    let blob = ContentIdentifier.hashing(Array("blob \(index % 50)".utf8), context: .blob)
                    _ = try await store.blobState(blob)
                    _ = try await store.account("user\(index)@a.example")
                    try await store.recordUpload(blob, size: 10, by: "user\(index)@a.example", at: 1_000)
                    _ = try await store.blobState(blob)
                }
            }
            try await group.waitForAll()
        }
        let blob = ContentIdentifier.hashing(Array("blob 0".utf8), context: .blob)
        guard case .uploaded = try await store.blobState(blob) else {
            Issue.record("an upload recorded under load is not there")
            return
        }
    }
}
