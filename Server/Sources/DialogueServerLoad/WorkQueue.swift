internal import Synchronization

/// Hands out the indices `0..<count` to concurrent workers, each once, in order.
final class WorkQueue: Sendable {
    private let nextIndex = Atomic<Int>(0)
    let count: Int

    init(count: Int) { self.count = count }

    /// The next index, or `nil` when all are taken.
    func next() -> Int? {
        let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
        return index < count ? index : nil
    }
}
