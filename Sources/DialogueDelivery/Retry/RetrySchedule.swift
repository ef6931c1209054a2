/// When a sender's server tries a peer again, and when it gives up
/// (Spec: delivery.md#dlv-retry-backoff).
///
/// ```
/// delay(n) = min(3,600, 10 × 2^(n−1)) × (0.5 + u/2)      n = 1, 2, …; u uniform in [0, 1)
/// ```
///
/// A `Retry-After` larger than the delay replaces it. A delivery not confirmed 432,000 seconds
/// (5 days) after its first attempt, or by its submission's expiry if that comes first, is given
/// up; a retry that would fall at or after that deadline is not made, and the delivery is given
/// up at once. Everything here is a pure function of its arguments and the injected draw.
public enum RetrySchedule {
    /// The cap of the backoff before jitter, in seconds: one hour.
    public static let maximumDelay: Double = 3_600

    /// The first retry's backoff before jitter, in seconds.
    public static let initialDelay: Double = 10

    /// How long after the first attempt a delivery is given up, in seconds: 5 days.
    public static let giveUpAfter: UInt64 = 432_000

    /// What to do after a failed attempt.
    public enum Decision: Hashable, Sendable {
        /// Try again at this time (seconds since 1970), `delay` seconds from now.
        case retry(at: UInt64, delay: Double)
        /// Give up: the delivery is `failed` (5 days passed) or `expired` (the submission's expiry
        /// came first), with the last error recorded ([dlv-retry-backoff]).
        case giveUp(DeliveryOutcome)
    }

    /// Why a delivery that was never confirmed ended.
    public enum DeliveryOutcome: String, Hashable, Sendable {
        /// 432,000 seconds passed since the first attempt.
        case failed
        /// The submission's expiry came first.
        case expired
    }

    /// The delay before the `retry`-th retry (1 for the first), in seconds, for the draw `unit`
    /// in [0, 1): between half the backoff and the backoff, never more than 3,600.
    public static func delay(retry: Int, unit: Double, retryAfter: UInt64? = nil) -> Double {
        precondition(retry >= 1, "retries are numbered from 1")
        precondition(unit >= 0 && unit < 1, "the draw is in [0, 1)")
        // 10 × 2^8 = 2,560 and 10 × 2^9 = 5,120: from the tenth retry on the cap holds, and the
        // exponent never overflows.
        let backoff = min(maximumDelay, initialDelay * Double(1 << min(retry - 1, 9)))
        let delay = backoff * (0.5 + unit / 2)
        if let retryAfter, Double(retryAfter) > delay { return Double(retryAfter) }
        return delay
    }

    /// The decision after the `retry − 1`-th retry failed at `now` (`retry` = 1 after the first
    /// attempt failed).
    ///
    /// - Parameters:
    ///   - retry: The number of the retry to schedule, from 1.
    ///   - firstAttempt: When the delivery was first attempted.
    ///   - expiry: The submission's `expires`.
    ///   - now: When the failed attempt ended.
    ///   - retryAfter: The `Retry-After` of the failed response, in seconds, if it had one.
    ///   - random: The source of `u`; one draw per call.
    public static func next(
        retry: Int, firstAttempt: UInt64, expiry: UInt64, now: UInt64, retryAfter: UInt64? = nil,
        random: inout some RetryRandomSource
    ) -> Decision {
        let limit = firstAttempt &+ giveUpAfter
        let deadline = min(limit, expiry)
        let outcome: DeliveryOutcome = expiry < limit ? .expired : .failed
        guard now < deadline else { return .giveUp(outcome) }
        let delay = delay(retry: retry, unit: random.nextUnit(), retryAfter: retryAfter)
        let seconds = delay.rounded(.up)
        guard seconds < Double(deadline - now) else { return .giveUp(outcome) }
        return .retry(at: now + UInt64(seconds), delay: delay)
    }
}
