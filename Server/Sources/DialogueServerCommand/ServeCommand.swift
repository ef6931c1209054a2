internal import ArgumentParser
internal import DialogueDelivery
internal import DialogueServer
internal import DialogueServerPostgres
internal import DialogueServerStorage
internal import Foundation
internal import Hummingbird
internal import HummingbirdCore
internal import Logging
internal import Metrics
internal import NIOSSL
internal import Prometheus
internal import ServiceLifecycle
internal import UnixSignals

/// `dialogued serve --data DIR [--listen HOST:PORT]`: runs the server until SIGTERM or SIGINT, then
/// shuts down gracefully (stops taking work, finishes what is in flight, exits).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the server.")

    @Option(help: "The data directory (default: DIALOGUED_DATA).") var data: String?
    @Option(help: "HOST:PORT to listen on (overrides the settings and DIALOGUED_LISTEN).") var listen: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let data = data ?? environment["DIALOGUED_DATA"] else {
            throw DaemonError.usage("--data is required (or DIALOGUED_DATA)")
        }
        var settings = try DaemonSettings.load(directory: data, environment: environment)
        if let listen { settings.listen = listen }
        guard let level = Logger.Level(rawValue: settings.logLevel) else {
            throw DaemonError.usage("logLevel '\(settings.logLevel)' is not a log level")
        }
        let configuration = try settings.configuration(directory: data)
        let tls = try settings.tlsConfiguration(directory: data)
        let identity = ServerIdentity(keys: [try ServerKeyFile.read(in: data).identityKey()])

        LoggingSystem.bootstrap { label in LineLogHandler(label: label, logLevel: level) }
        let registry = PrometheusCollectorRegistry()
        let metrics = ServerMetrics(registry: registry)
        MetricsSystem.bootstrap(metrics.factory)
        let logger = Logger(label: "dialogued")

        let store = try await settings.openStore(directory: data, logger: logger)
        let files: BlobFiles
        let blobs = settings.blobDirectory.map { DaemonSettings.path($0, in: data) } ?? data
        do {
            files = try BlobFiles(root: blobs)
            // A crash leaves at most temporary files: never a half-written blob ([dlv-durable]). In a
            // directory other processes share, the recent ones may be theirs: the start-up sweep spares them.
            if !configuration.sharesBlobDirectory { _ = try files.removeTemporaries() }
        } catch { throw DaemonError.io("cannot open the blob directory \(blobs): \(error)") }

        var services = makeServerServices(
            configuration: configuration, identity: identity, store: store, files: files, clock: SystemClock(),
            logger: logger, settings: settings.outboxSettings, metrics: metrics)
        // The HTTP application plugs in here, the single call site: its service joins the group, which
        // starts it after the outbox and stops it first.
        services.services.append(
            try makeHTTPService(
                services, settings: settings, tls: tls,
                metrics: settings.metrics ? metrics : ServerMetrics(factory: metrics.factory)))
        logger.info(
            "dialogued starting",
            metadata: [
                "domains": "\(configuration.domains.joined(separator: ","))", "base-url": "\(configuration.baseURL)",
                "listen": "\(settings.listen)", "tls": "\(tls != nil)",
            ])
        let group = ServiceGroup(
            configuration: .init(
                services: services.services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do { try await group.run() } catch {
            await (store as? PostgresMailStore)?.close()
            throw error
        }
        await (store as? PostgresMailStore)?.close()
    }

    /// The HTTP application and the sweeper, on the mail service that the outbox shares: the single
    /// place where the HTTP layer joins the process. Verified server requests tell the outbox their peer
    /// is up ([dlv-retry-per-peer]).
    func makeHTTPService(
        _ services: ServerServices, settings: DaemonSettings, tls: TLSConfiguration?, metrics: ServerMetrics
    ) throws -> any Service {
        let outbox = services.outbox
        let service = MailService(
            store: services.store, files: services.files, clock: services.clock,
            configuration: services.configuration, identity: services.identity, peers: services.directory,
            fetcher: services.blobFetcher, outboxWake: { outbox.wake() },
            peerHeard: outbox.peerHeard,
            envelopeChecker: settings.envelopeCheck ? services.blobFetcher : nil, metrics: metrics)
        let configuration = services.configuration
        let gate = ShutdownGate()
        let logger = services.logger
        let applicationConfiguration = ApplicationConfiguration(
            address: .hostname(configuration.listenHost, port: configuration.listenPort), serverName: "dialogued")
        let fastPath = LiveBlobFastPath(
            service: service, metrics: metrics, gate: gate, logger: logger,
            serverName: applicationConfiguration.serverName)
        let server: HTTPServerBuilder
        if let tls {
            do {
                server = try httpsServer(idleTimeout: configuration.idleTimeout, tls: tls, fastPath: fastPath)
            } catch {
                throw DaemonError.data("the TLS configuration is refused: \(error)")
            }
        } else {
            server = httpServer(idleTimeout: configuration.idleTimeout, fastPath: fastPath)
        }
        let application = makeApplication(
            service: service, configuration: applicationConfiguration, server: server, metrics: metrics, gate: gate,
            logger: logger,
            onServerRunning: { channel in
                // The port actually bound: `--listen HOST:0` picks one.
                logger.notice(
                    "listening",
                    metadata: [
                        "address": "\(channel.localAddress?.description ?? "?")",
                        "port": "\(channel.localAddress?.port ?? 0)",
                    ])
            })
        return MailHTTPService(
            application: application, service: service, gate: gate,
            drainTimeout: .seconds(settings.shutdownTimeout),
            arrivals: services.store as? any InboxArrivalFeed, listAppends: services.store as? any ListAppendFeed,
            logger: logger)
    }
}

extension DaemonSettings {
    /// The outbox settings these settings describe.
    var outboxSettings: OutboxSettings {
        var settings = OutboxSettings()
        settings.peerConcurrency = peerConcurrency
        settings.deliveryLifetime = min(deliveryLifetime, RetrySchedule.giveUpAfter)
        settings.maximumInFlight = outboxConcurrency
        settings.leaseDuration = max(1, outboxLease)
        return settings
    }
}
