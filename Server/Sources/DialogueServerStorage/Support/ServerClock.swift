internal import Foundation
internal import Synchronization

/// The server's clock, in whole seconds since 1970-01-01T00:00:00Z.
///
/// Injected everywhere a decision depends on time (request windows, backoff, expiry,
/// tombstones), so that tests move time forward instead of sleeping.
public protocol ServerClock: Sendable {
    /// The current time, in seconds.
    func now() -> UInt64
}

/// The system's wall clock.
public struct SystemClock: ServerClock {
    /// Creates the system clock.
    public init() {}

    /// The current wall-clock time, in seconds.
    public func now() -> UInt64 { UInt64(max(0, Date().timeIntervalSince1970)) }
}

/// A clock that moves only when told to, for tests.
public final class ManualClock: ServerClock {
    private let seconds: Mutex<UInt64>

    /// Creates a clock that reads `start`.
    public init(_ start: UInt64) { seconds = Mutex(start) }

    /// The time the clock was set to.
    public func now() -> UInt64 { seconds.withLock { $0 } }

    /// Moves the clock forward by `delta` seconds.
    public func advance(by delta: UInt64) { seconds.withLock { $0 += delta } }

    /// Sets the clock to `time`.
    public func set(_ time: UInt64) { seconds.withLock { $0 = time } }
}
