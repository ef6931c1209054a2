internal import Dispatch
internal import Synchronization

/// Runs async work to completion from synchronous code, on the calling thread.
///
/// libFuzzer calls its entry points on a thread of its own, never one of Swift concurrency's, so
/// waiting there cannot starve the pool. The work runs on a task executor that is the calling
/// thread itself, not on the global pool: the task is created, run and freed before ``run(_:)``
/// returns. That matters to libFuzzer's leak check, which scans the whole heap (about 10 ms)
/// after every input that allocated more than it freed; a task finishing on a pool thread frees
/// its memory after the input has returned, so every input looked like a leak and the targets
/// ran at 300 instead of 6,000 executions a second.
public enum Blocking {
    /// The result of `body`, waited for.
    public static func run<Result: Sendable>(_ body: @escaping @Sendable () async -> Result) -> Result {
        let box = Box<Result>()
        let executor = CallerThreadExecutor()
        Task(executorPreference: executor) { box.value = await body() }
        // The job that stores the value also completes the task, so the task is done (and,
        // with no handle kept, freed) when that job returns.
        while box.value == nil { executor.runNextJob() }
        return box.value!
    }

    // Written by the task's last job and read after it, both on the calling thread.
    private final class Box<Value>: @unchecked Sendable {
        var value: Value?
    }
}

/// A task executor whose jobs run on the thread that calls ``runNextJob()``. Jobs may be
/// enqueued from any thread (a continuation resumed by an event loop, say); they wait in a
/// queue until that thread takes them.
final class CallerThreadExecutor: TaskExecutor {
    private let jobs = Mutex<[UnownedJob]>([])
    private let available = DispatchSemaphore(value: 0)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        available.signal()
    }

    /// Waits for a job and runs it.
    func runNextJob() {
        available.wait()
        let job = jobs.withLock { $0.removeFirst() }
        job.runSynchronously(on: asUnownedTaskExecutor())
    }
}
