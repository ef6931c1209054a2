public import DialogueServerStorage
internal import Synchronization

/// Token buckets by key, on the server's clock (Spec: [dlv-abuse-rate]): each key may make
/// ``RateLimit/burst`` requests at once and ``RateLimit/rate`` a second after that. A request over
/// the limit is refused with the seconds until a token is back, the `Retry-After` of its `429`.
///
/// The clock is the injected ``ServerClock`` (whole seconds), so that tests move time instead of
/// sleeping. The table is bounded: past ``maximumKeys`` the buckets that are full again (the same as
/// having none) are dropped, then the longest unused ones, so a flood of new keys cannot grow memory.
public final class RateLimiter: Sendable {
    /// What a request is counted against.
    public enum Subject: Hashable, Sendable {
        /// A peer server, by its domain (server-signed requests).
        case peer(String)
        /// A user of this server, by address (user-signed requests).
        case user(String)
    }

    /// What the limiter decided.
    public enum Decision: Hashable, Sendable {
        /// The request may go on.
        case allowed
        /// Over the limit: come back in `retryAfter` seconds (at least 1).
        case limited(retryAfter: UInt64)
    }

    private struct Bucket {
        var tokens: Double
        var updated: UInt64
    }

    /// The limits of peers and users.
    public let limits: RateLimits
    /// The most keys kept at once.
    public let maximumKeys: Int
    private let clock: any ServerClock
    private let buckets = Mutex<[Subject: Bucket]>([:])

    /// A limiter with `limits` on `clock`, keeping at most `maximumKeys` buckets.
    public init(limits: RateLimits, clock: any ServerClock, maximumKeys: Int = 100_000) {
        self.limits = limits
        self.clock = clock
        self.maximumKeys = max(1, maximumKeys)
    }

    /// The buckets kept now.
    public var trackedKeys: Int { buckets.withLock { $0.count } }

    /// Takes one token of `subject`'s bucket, or says how long until there is one.
    public func take(_ subject: Subject) -> Decision {
        let limit = limits.limit(for: subject)
        guard limit.isLimited else { return .allowed }
        let now = clock.now()
        return buckets.withLock { buckets in
            var bucket =
                buckets[subject].map { Self.refilled($0, limit: limit, now: now) }
                ?? Bucket(tokens: limit.capacity, updated: now)
            defer {
                buckets[subject] = bucket
                if buckets.count > maximumKeys { Self.prune(&buckets, limits: limits, now: now, keep: maximumKeys) }
            }
            guard bucket.tokens >= 1 else {
                return .limited(retryAfter: max(1, UInt64(((1 - bucket.tokens) / limit.rate).rounded(.up))))
            }
            bucket.tokens -= 1
            return .allowed
        }
    }

    private static func refilled(_ bucket: Bucket, limit: RateLimit, now: UInt64) -> Bucket {
        // A clock that went back refills nothing: `now` is then the new reference.
        let elapsed = Double(now > bucket.updated ? now - bucket.updated : 0)
        return Bucket(tokens: min(limit.capacity, bucket.tokens + elapsed * limit.rate), updated: now)
    }

    /// Drops the full buckets, then, if still too many, the longest unused.
    private static func prune(_ buckets: inout [Subject: Bucket], limits: RateLimits, now: UInt64, keep: Int) {
        buckets = buckets.filter { subject, bucket in
            let limit = limits.limit(for: subject)
            return refilled(bucket, limit: limit, now: now).tokens < limit.capacity
        }
        guard buckets.count > keep else { return }
        let oldest = buckets.sorted { $0.value.updated < $1.value.updated }.prefix(buckets.count - keep)
        for (subject, _) in oldest { buckets.removeValue(forKey: subject) }
    }
}
