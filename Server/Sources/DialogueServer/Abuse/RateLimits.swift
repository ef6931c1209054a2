/// One rate limit: `burst` requests at once, `rate` a second sustained (Spec: [dlv-abuse-rate]).
public struct RateLimit: Hashable, Sendable {
    /// Requests a second, sustained; 0 turns the limit off.
    public var rate: Double
    /// Requests at once after a quiet period; at least 1 when the limit is on.
    public var burst: Int

    /// A limit of `rate` a second with bursts of `burst`.
    public init(rate: Double, burst: Int) {
        self.rate = rate
        self.burst = burst
    }

    /// No limit.
    public static let unlimited = RateLimit(rate: 0, burst: 0)

    /// Whether the limit is on.
    public var isLimited: Bool { rate > 0 }

    /// The bucket's size.
    var capacity: Double { Double(max(1, burst)) }
}

/// The rate limits of a server: per peer domain and per user (Spec: [dlv-abuse-rate]).
public struct RateLimits: Hashable, Sendable {
    /// Server-signed requests of one peer domain: by default 50 a second, bursts of 500.
    public var peer = RateLimit(rate: 50, burst: 500)
    /// User-signed requests of one user: by default 20 a second, bursts of 200 (a message with many
    /// chunks is one upload per chunk).
    public var user = RateLimit(rate: 20, burst: 200)

    /// The defaults above.
    public init() {}

    /// Limits with these values.
    public init(peer: RateLimit, user: RateLimit) {
        self.peer = peer
        self.user = user
    }

    /// No limits at all.
    public static let none = RateLimits(peer: .unlimited, user: .unlimited)

    /// The limit that counts `subject`'s requests.
    public func limit(for subject: RateLimiter.Subject) -> RateLimit {
        switch subject {
        case .peer: peer
        case .user: user
        }
    }
}
