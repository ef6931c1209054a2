/// Where ``RetrySchedule`` draws its jitter: numbers uniform in [0, 1)
/// (Spec: delivery.md#dlv-retry-backoff).
///
/// Injected, so that tests fix the draws and check the exact delays.
public protocol RetryRandomSource {
    /// The next draw, in [0, 1).
    mutating func nextUnit() -> Double
}

/// Draws from the system's random number generator.
public struct SystemRetryRandomSource: RetryRandomSource {
    private var generator = SystemRandomNumberGenerator()

    /// Creates the source.
    public init() {}

    /// A draw uniform in [0, 1), with the 53 bits of a `Double`'s significand.
    public mutating func nextUnit() -> Double { Double(generator.next() >> 11) * 0x1p-53 }
}
