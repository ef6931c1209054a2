public import DialogueDelivery

/// Everything an operator configures (from the configuration file, flags and environment; see
/// `dialogued --help`). Defaults are the specification's where it gives one.
public struct ServerConfiguration: Sendable {
    /// The domains whose users this server serves; the first is the one its server document speaks for.
    public var domains: [String]
    /// The base URL the server publishes (Spec: delivery.md#dlv-base-url). `@target-uri` of signed
    /// requests is rebuilt from it, never from a `Host` header ([dlv-request-target]).
    public var baseURL: BaseURL
    /// The address to listen on.
    public var listenHost: String = "127.0.0.1"
    /// The port to listen on; 0 picks a free one (tests).
    public var listenPort: Int = 8080
    /// The directory of the database and the blob files.
    public var dataDirectory: String
    /// The peers file of a private network, if any (Spec: delivery.md#dlv-peers).
    public var peers: PeersFile?
    /// The largest message accepted in one submission, envelope and chunks summed, in bytes.
    public var maximumMessageSize: UInt64 = 1 << 30
    /// The most recipients accepted in one submission.
    public var maximumRecipients: Int = 1_000
    /// How long an upload that no submission names is kept, in seconds (Spec: delivery.md#dlv-ep-upload).
    public var uploadGrace: UInt64 = 86_400
    /// How long a deleted blob is answered with `410`, in seconds (Spec: [dlv-tombstones]).
    public var tombstoneLifetime: UInt64 = 30 * 86_400
    /// How long the outbox tries a delivery before it gives up, in seconds (Spec: [dlv-retry-backoff]).
    public var deliveryLifetime: UInt64 = RetrySchedule.giveUpAfter
    /// Requests in flight to one healthy peer (Spec: [dlv-retry-per-peer]).
    public var peerConcurrency: Int = 8
    /// The longest an inbox long poll may wait, in seconds (Spec: [dlv-inbox-wait]).
    public var maximumWait: Int = 60
    /// The rate limits per peer domain and per user (Spec: [dlv-abuse-rate]).
    public var rateLimits = RateLimits()
    /// The longest a request's body may take to arrive, in seconds; a slower one is `408` ([dlv-limits-time]).
    public var requestTimeout: Int = 300
    /// How long a connection may send nothing, in seconds, before it is closed ([dlv-limits-time]).
    public var idleTimeout: Int = 30

    /// Whether other processes use the same blob directory (several processes on one database): the
    /// start-up sweep then spares files and temporaries written lately, which may be theirs in progress.
    public var sharesBlobDirectory = false

    /// Creates a configuration with the defaults above.
    public init(domains: [String], baseURL: BaseURL, dataDirectory: String) {
        self.domains = domains
        self.baseURL = baseURL
        self.dataDirectory = dataDirectory
    }

    /// Whether `domain` is one of ours.
    public func serves(_ domain: some StringProtocol) -> Bool { domains.contains(String(domain)) }
}
