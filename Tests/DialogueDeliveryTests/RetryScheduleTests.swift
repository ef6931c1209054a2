import DialogueDelivery
import Testing

/// Backoff, Retry-After, giving up, and the classes of answers
/// (Spec: [dlv-retry-backoff], [dlv-retry-classes]).
@Suite struct RetryScheduleTests {
    /// A source that returns the given draws in turn.
    struct FixedSource: RetryRandomSource {
        var draws: [Double]
        var index = 0
        mutating func nextUnit() -> Double {
            defer { index += 1 }
            return draws[index % draws.count]
        }
    }

    /// delay(n) = min(3,600, 10 × 2^(n−1)) × (0.5 + u/2), exactly.
    @Test func theFormula() {
        let expected: [(Int, Double, Double)] = [
            (1, 0, 5), (1, 0.5, 7.5), (2, 0, 10), (3, 0.25, 25), (4, 0.75, 70), (8, 0, 640), (9, 0.5, 1_920),
            (10, 0, 1_800), (10, 0.5, 2_700), (11, 0, 1_800), (40, 0.5, 2_700), (1_000_000, 0, 1_800),
        ]
        for (retry, unit, delay) in expected {
            #expect(RetrySchedule.delay(retry: retry, unit: unit) == delay, "retry \(retry), u \(unit)")
        }
        // u < 1, so the delay is below the backoff in exact arithmetic; in binary floating point
        // the largest u rounds up to it, and never beyond.
        let almostOne = 1.0.nextDown
        #expect(RetrySchedule.delay(retry: 12, unit: almostOne) <= 3_600)
        #expect(RetrySchedule.delay(retry: 1, unit: almostOne) <= 10)
        #expect(RetrySchedule.delay(retry: 1, unit: 0.999) < 10)
    }

    /// Over many draws from the system source, every delay is within [backoff / 2, backoff], and
    /// the draws spread over the range.
    @Test func theBoundsOverManyDraws() {
        var source = SystemRetryRandomSource()
        for retry in 1...15 {
            let backoff = min(3_600, 10 * Double(1 << min(retry - 1, 20)))
            var low = Double.infinity
            var high = 0.0
            for _ in 0..<2_000 {
                let delay = RetrySchedule.delay(retry: retry, unit: source.nextUnit())
                #expect(delay >= backoff / 2 && delay <= backoff)
                low = min(low, delay)
                high = max(high, delay)
            }
            #expect(low < backoff * 0.52 && high > backoff * 0.98, "retry \(retry): \(low)...\(high)")
        }
    }

    @Test func retryAfterReplacesOnlyALargerDelay() {
        #expect(RetrySchedule.delay(retry: 1, unit: 0, retryAfter: 120) == 120)
        #expect(RetrySchedule.delay(retry: 1, unit: 0, retryAfter: 5) == 5)
        #expect(RetrySchedule.delay(retry: 1, unit: 0, retryAfter: 4) == 5)
        #expect(RetrySchedule.delay(retry: 12, unit: 0, retryAfter: 7_200) == 7_200)
    }

    @Test func schedulingAndGivingUp() {
        var source = FixedSource(draws: [0.5])
        let first: UInt64 = 1_000_000
        #expect(
            RetrySchedule.next(retry: 1, firstAttempt: first, expiry: first + 900_000, now: first, random: &source)
                == .retry(at: first + 8, delay: 7.5))
        // Past five days: failed; past the expiry first: expired.
        #expect(
            RetrySchedule.next(
                retry: 50, firstAttempt: first, expiry: first + 900_000, now: first + 432_000, random: &source)
                == .giveUp(.failed))
        #expect(
            RetrySchedule.next(
                retry: 5, firstAttempt: first, expiry: first + 1_000, now: first + 1_000, random: &source)
                == .giveUp(.expired))
        // A retry that would land at or after the deadline is not made.
        #expect(
            RetrySchedule.next(
                retry: 20, firstAttempt: first, expiry: first + 900_000, now: first + 430_000, random: &source)
                == .giveUp(.failed))
        #expect(
            RetrySchedule.next(
                retry: 20, firstAttempt: first, expiry: first + 900_000, now: first + 429_000, random: &source)
                == .retry(at: first + 429_000 + 2_700, delay: 2_700))
        // Retry-After beyond the deadline gives up too.
        #expect(
            RetrySchedule.next(
                retry: 1, firstAttempt: first, expiry: first + 100, now: first, retryAfter: 3_600, random: &source)
                == .giveUp(.expired))
    }

    /// 2xx confirms; 4xx but 408, 425, 429 is permanent; the rest is retried ([dlv-retry-classes]).
    @Test func statusClasses() {
        for status in 100...599 {
            let expected: ResponseClass
            switch status {
            case 200...299: expected = .confirmed
            case 408, 425, 429: expected = .retry
            case 400...499: expected = .permanentFailure
            default: expected = .retry
            }
            #expect(ResponseClass(status: status) == expected, "\(status)")
        }
        #expect(ResponseClass(status: 404) == .permanentFailure)
        #expect(ResponseClass(status: 503) == .retry)
        #expect(ResponseClass(status: 301) == .retry)
        #expect(ResponseClass.networkFailure == .retry)
    }
}
