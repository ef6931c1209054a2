internal import Dispatch

/// Runs async work to completion from synchronous code: libFuzzer calls its entry points on a
/// thread of its own, never one of Swift concurrency's, so waiting there cannot starve the pool.
public enum Blocking {
    /// The result of `body`, waited for.
    public static func run<Result: Sendable>(_ body: @escaping @Sendable () async -> Result) -> Result {
        let box = Box<Result>()
        let done = DispatchSemaphore(value: 0)
        Task {
            box.value = await body()
            done.signal()
        }
        done.wait()
        return box.value!
    }

    // Written by the task before it signals, read after the wait: the semaphore orders the two.
    private final class Box<Value>: @unchecked Sendable {
        var value: Value?
    }
}
