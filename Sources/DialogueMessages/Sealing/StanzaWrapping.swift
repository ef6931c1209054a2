internal import Dispatch

/// Runs independent per-recipient work on all cores when there is enough of it to pay for the threads.
enum StanzaWrapping {
    /// Below this many stanzas, one core is faster than waking others.
    static let parallelThreshold = 32

    /// Results written by disjoint slices of workers; each index is written by exactly one worker.
    private final class Results: @unchecked Sendable {
        var values: [[UInt8]?]
        init(count: Int) { values = [[UInt8]?](repeating: nil, count: count) }
    }

    /// Calls `body` for `0..<count` and returns the results in order.
    static func wrap(count: Int, _ body: @escaping @Sendable (Int) -> [UInt8]?) -> [[UInt8]?] {
        guard count >= parallelThreshold, ProcessorCount.active > 1 else { return (0..<count).map(body) }
        let results = Results(count: count)
        results.values.withUnsafeMutableBufferPointer { buffer in
            let base = UncheckedPointer(buffer.baseAddress!)
            let slices = ProcessorCount.active
            DispatchQueue.concurrentPerform(iterations: slices) { slice in
                var index = slice
                while index < count {
                    (base.pointer + index).pointee = body(index)
                    index += slices
                }
            }
        }
        return results.values
    }

    private struct UncheckedPointer: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<[UInt8]?>
        init(_ pointer: UnsafeMutablePointer<[UInt8]?>) { self.pointer = pointer }
    }
}
