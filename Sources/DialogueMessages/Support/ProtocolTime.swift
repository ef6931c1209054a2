package import Foundation

/// The protocol's time, whole seconds since 1970-01-01T00:00:00Z as an unsigned integer, and
/// `Date`: the one conversion every `Date` overload of the library goes through.
package enum ProtocolTime {
    /// `date` in whole seconds, rounded down; 0 for a date before 1970.
    package static func seconds(_ date: Date) -> UInt64 {
        let interval = date.timeIntervalSince1970.rounded(.down)
        guard interval > 0 else { return 0 }
        return interval >= 0x1p64 ? .max : UInt64(interval)
    }

    /// Whole `seconds` since 1970 as a `Date`.
    package static func date(_ seconds: UInt64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    /// A duration in whole seconds, rounded down; 0 for a negative one.
    package static func seconds(_ interval: TimeInterval) -> UInt64 {
        guard interval > 0 else { return 0 }
        return interval >= 0x1p64 ? .max : UInt64(interval.rounded(.down))
    }
}
