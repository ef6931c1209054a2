internal import GRDB
internal import Synchronization

/// Group commit for ``SQLiteMailStore``: the writes that arrive while a commit is being synchronized to
/// disk go together into the next transaction, so that one `fsync` makes many of them durable instead
/// of one each (Spec: [dlv-durable]).
///
/// Each write runs in its own savepoint of the shared transaction, so one that throws is undone alone
/// and the others commit; none returns before the commit that holds it has returned
/// (`synchronous = FULL`), and when that commit fails every write of the batch fails. Writes run one
/// after the other on GRDB's writer, in the order they arrived, as they would one transaction each.
final class GroupCommitWriter: Sendable {
    /// One waiting write: `run` executes it in a savepoint and returns how to resume its caller once the
    /// batch's fate is known; `fail` resumes it when the batch failed before it ran.
    private struct Job: Sendable {
        let run: @Sendable (Database) -> Outcome
        let fail: @Sendable (any Error) -> Void
    }

    /// What resumes a write that ran: `committed` when its batch committed, `failed` when it did not.
    private struct Outcome {
        let committed: @Sendable () -> Void
        let failed: @Sendable (any Error) -> Void
    }

    private struct Queue {
        var pending: [Job] = []
        var draining = false
    }

    private let pool: DatabasePool
    private let queue = Mutex(Queue())
    private let committed = Atomic<Int>(0)
    /// The most writes in one transaction, which bounds the latency one commit adds to the others.
    let maximumBatch: Int

    init(pool: DatabasePool, maximumBatch: Int = 256) {
        self.pool = pool
        self.maximumBatch = maximumBatch
    }

    /// The transactions committed so far.
    var transactions: Int { committed.load(ordering: .relaxed) }

    /// Runs `body` in the next transaction and returns its value once that transaction is committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Job(
                run: { db in
                    do {
                        let value = try Self.inSavepoint(db, body)
                        return Outcome(
                            committed: { continuation.resume(returning: value) },
                            failed: { continuation.resume(throwing: $0) })
                    } catch {
                        return Outcome(
                            committed: { continuation.resume(throwing: error) },
                            failed: { _ in continuation.resume(throwing: error) })
                    }
                },
                fail: { continuation.resume(throwing: $0) })
            let start = queue.withLock { queue -> Bool in
                queue.pending.append(job)
                guard !queue.draining else { return false }
                queue.draining = true
                return true
            }
            if start { pool.asyncWriteWithoutTransaction { db in self.drain(db) } }
        }
    }

    /// Commits batches until no write waits; runs on GRDB's writer.
    private func drain(_ db: Database) {
        while true {
            let batch = queue.withLock { queue -> [Job] in
                guard !queue.pending.isEmpty else {
                    queue.draining = false
                    return []
                }
                let batch = Array(queue.pending.prefix(maximumBatch))
                queue.pending.removeFirst(batch.count)
                return batch
            }
            guard !batch.isEmpty else { return }
            var outcomes: [Outcome] = []
            outcomes.reserveCapacity(batch.count)
            do {
                try db.inTransaction(.immediate) {
                    for job in batch { outcomes.append(job.run(db)) }
                    return .commit
                }
                committed.add(1, ordering: .relaxed)
                for outcome in outcomes { outcome.committed() }
            } catch {
                for (index, job) in batch.enumerated() {
                    if index < outcomes.count { outcomes[index].failed(error) } else { job.fail(error) }
                }
            }
        }
    }

    private static func inSavepoint<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        var value: T?
        try db.inSavepoint {
            value = try body(db)
            return .commit
        }
        return value!
    }
}
