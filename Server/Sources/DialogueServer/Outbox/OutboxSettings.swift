internal import DialogueDelivery

/// How the outbox works: the knobs ``ServerConfiguration`` sets (Spec: [dlv-retry]).
public struct OutboxSettings: Sendable {
    /// Requests in flight at once, over every peer.
    public var maximumInFlight: Int = 64
    /// Requests in flight to one healthy peer (Spec: [dlv-retry-per-peer]: at most 8).
    public var peerConcurrency: Int = 8
    /// How long a delivery is tried before it is given up, in seconds (Spec: [dlv-retry-backoff]: 432,000).
    public var deliveryLifetime: UInt64 = RetrySchedule.giveUpAfter
    /// How often the outbox looks for due work when nothing wakes it.
    public var interval: Duration = .seconds(1)

    /// Who leases the outbox's work in a store that several processes share: this process.
    public var leaseOwner: String = LeaseOwner.thisProcess
    /// How long a job is leased, in seconds: longer than one attempt can take (the signed client's
    /// connect and request timeouts, 10 + 30 s), since a job whose lease ended may be sent by another
    /// process too; it is also how long the work of a killed process waits before others take it.
    public var leaseDuration: UInt64 = 120

    /// The defaults above.
    public init() {}

    /// The settings of a server configuration.
    public init(_ configuration: ServerConfiguration) {
        peerConcurrency = min(max(1, configuration.peerConcurrency), 8)
        deliveryLifetime = min(configuration.deliveryLifetime, RetrySchedule.giveUpAfter)
    }
}
