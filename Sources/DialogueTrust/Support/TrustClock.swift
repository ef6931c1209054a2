internal import Foundation

/// The receiver's clock, injected so that time-dependent rules (clock skew, expiry) can be
/// tested (Spec: trust.md#trust-time).
///
/// Only the receiver's clock is used for security decisions; a sender's dates are compared
/// with it within the skew bound and never trusted beyond it.
public protocol TrustClock: Sendable {
    /// Seconds since 1970-01-01T00:00:00Z.
    func now() -> UInt64
}

/// The system's wall clock.
public struct SystemTrustClock: TrustClock {
    /// Creates the clock.
    public init() {}

    /// The current time, in whole seconds.
    public func now() -> UInt64 { UInt64(max(0, Date().timeIntervalSince1970)) }
}

/// A clock that moves only when told to: for tests and test vectors.
public final class ManualTrustClock: TrustClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: UInt64

    /// Creates a clock showing `time`.
    public init(_ time: UInt64) { current = time }

    /// The time the clock shows.
    public func now() -> UInt64 { lock.withLock { current } }

    /// Sets the clock.
    public func set(_ time: UInt64) { lock.withLock { current = time } }

    /// Moves the clock forward by `seconds`.
    public func advance(by seconds: UInt64) { lock.withLock { current += seconds } }
}
