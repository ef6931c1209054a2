public import Hummingbird
public import HummingbirdCore
public import Logging
public import NIOCore

/// The HTTP application of a mail server: every route of the endpoint table under the base URL's path,
/// `/.well-known/dialogue-server`, and the operational routes `/health`, `/ready` and `/metrics`
/// (Spec: delivery.md#dlv-endpoints, [dlv-ops]).
///
/// ```swift
/// let app = makeApplication(service: service, configuration: configuration)
/// try await app.runService()
/// ```
///
/// - Parameters:
///   - server: The channel setup; by default HTTP/1.1 with the idle timeout of the service's
///     configuration ([dlv-limits-time]) and the ``LiveBlobFastPath``.
///     ``httpsServer(idleTimeout:tls:fastPath:)`` makes it with TLS.
///   - metrics: Where requests are counted, and what `/metrics` emits.
///   - gate: Admits requests; draining it answers `503` ([dlv-ops-shutdown]).
///   - onServerRunning: Called with the listening channel (its `localAddress` has the port).
public func makeApplication(
    service: MailService, configuration: ApplicationConfiguration, server: HTTPServerBuilder? = nil,
    metrics: ServerMetrics = ServerMetrics(), gate: ShutdownGate = ShutdownGate(),
    logger: Logger = Logger(label: "dialogued"),
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        responder: MailResponder<BasicRequestContext>(service: service, metrics: metrics, gate: gate),
        server: server
            ?? httpServer(
                idleTimeout: service.configuration.idleTimeout,
                fastPath: LiveBlobFastPath(
                    service: service, metrics: metrics, gate: gate, logger: logger,
                    serverName: configuration.serverName)),
        configuration: configuration, onServerRunning: onServerRunning, logger: logger)
}
