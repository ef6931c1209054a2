public import DialogueServerStorage
public import Metrics
public import Prometheus

/// Where the server's metrics go, and what `/metrics` emits: a swift-metrics factory, and the Prometheus
/// registry behind it when there is one (Spec: [dlv-ops-metrics]). Injected, so that each test reads the
/// counters of its own server.
///
/// The metrics, all prefixed `dialogued_`: `http_requests_total{route,status}`,
/// `http_request_duration_seconds{route}` (a histogram), `outbox_attempts_total{kind,result}` (deliveries
/// are `kind="notification",result="confirmed"`, retries `result="retry"`), `acknowledgements_total{from}`,
/// `notifications_accepted_total`, `deletions_total` (blobs deleted), `rate_limited_total{route}`,
/// and, read from the store at each scrape, `outbox_waiting{kind}`, `stored_blobs` and `stored_bytes`.
public struct ServerMetrics: Sendable {
    /// The factory every metric is made with.
    public let factory: any MetricsFactory
    /// The registry `/metrics` emits, or `nil` when the route is off.
    public let registry: PrometheusCollectorRegistry?

    /// Metrics into a Prometheus registry, which `/metrics` emits.
    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        factory = PrometheusMetricsFactory(registry: registry)
    }

    /// Metrics into `factory` (the global one by default: nothing unless the process bootstrapped one);
    /// no `/metrics` route.
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        registry = nil
    }

    /// A counter to keep, for a hot path that counts into the same one each time.
    public func counter(_ name: String, _ dimensions: [(String, String)] = []) -> Metrics.Counter {
        Counter(label: "dialogued_" + name, dimensions: dimensions, factory: factory)
    }

    /// A histogram of durations to keep, as ``counter(_:_:)``.
    public func timer(_ name: String, _ dimensions: [(String, String)] = []) -> Metrics.Timer {
        Timer(label: "dialogued_" + name, dimensions: dimensions, factory: factory)
    }

    /// Adds `amount` to a counter.
    public func count(_ name: String, _ dimensions: [(String, String)] = [], by amount: Int = 1) {
        guard amount > 0 else { return }
        Counter(label: "dialogued_" + name, dimensions: dimensions, factory: factory).increment(by: amount)
    }

    /// Records a duration in a histogram.
    public func time(_ name: String, _ dimensions: [(String, String)] = [], _ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        Timer(label: "dialogued_" + name, dimensions: dimensions, factory: factory)
            .recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// Sets a gauge.
    public func gauge(_ name: String, _ value: Int, _ dimensions: [(String, String)] = []) {
        Gauge(label: "dialogued_" + name, dimensions: dimensions, factory: factory).record(value)
    }

    /// Reads the store's counts into their gauges, then emits the registry in the Prometheus text format;
    /// `nil` when there is no registry.
    public func scrape(_ store: any MailStore) async throws -> [UInt8]? {
        guard let registry else { return nil }
        let statistics = try await store.statistics()
        gauge("outbox_waiting", statistics.waitingNotifications, [("kind", "notification")])
        gauge("outbox_waiting", statistics.waitingRelays, [("kind", "relay")])
        gauge("stored_blobs", statistics.blobs)
        gauge("stored_bytes", Int(clamping: statistics.bytes))
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
