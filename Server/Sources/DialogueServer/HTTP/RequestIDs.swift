internal import Synchronization

/// Request ids for the fast path's log lines, in the form of Hummingbird's `RequestID` (32 hex digits:
/// 16 drawn once per process, then a counter), formatted without the string arithmetic that made
/// formatting one a sixth of the cost of a fast answer's log line ([dlv-ops-metrics]).
///
/// The first 16 digits are drawn separately from Hummingbird's, so an id here never equals one of
/// the application's.
package final class RequestIDs: Sendable {
    private static let digits = Array("0123456789abcdef".utf8)
    private let high: UInt64
    private let next: Atomic<UInt64>

    package init() {
        high = UInt64.random(in: .min ... .max)
        next = Atomic(UInt64.random(in: .min ... .max))
    }

    /// A new id.
    package func make() -> String {
        let low = next.wrappingAdd(1, ordering: .relaxed).oldValue
        return String(unsafeUninitializedCapacity: 32) { text in
            for (offset, value) in [(0, high), (16, low)] {
                for index in 0..<16 { text[offset + index] = Self.digits[Int(value >> (60 - 4 * index) & 0xF)] }
            }
            return 32
        }
    }
}
