internal import ArgumentParser
internal import DialogueDelivery
internal import DialogueServer
internal import DialogueServerStorage
internal import Foundation
internal import Hummingbird
internal import Logging
internal import Metrics
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
        let identity = ServerIdentity(keys: [try ServerKeyFile.read(in: data).identityKey()])

        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "dialogued")

        let store: SQLiteMailStore
        let files: BlobFiles
        do {
            store = try SQLiteMailStore(path: data + "/" + DataDirectory.databaseName)
            files = try BlobFiles(root: data)
            // A crash leaves at most temporary files: never a half-written blob ([dlv-durable]).
            _ = try files.removeTemporaries()
        } catch { throw DaemonError.io("cannot open the store in \(data): \(error)") }

        var services = makeServerServices(
            configuration: configuration, identity: identity, store: store, files: files, clock: SystemClock(),
            logger: logger, settings: settings.outboxSettings)
        // The HTTP application plugs in here, the single call site: its service joins the group, which
        // starts it after the outbox and stops it first.
        if let application = try makeHTTPService(services, registry: registry) {
            services.services.append(application)
        }
        logger.info(
            "dialogued starting",
            metadata: [
                "domains": "\(configuration.domains.joined(separator: ","))", "base-url": "\(configuration.baseURL)",
                "listen": "\(settings.listen)",
            ])
        let group = ServiceGroup(
            configuration: .init(
                services: services.services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// The HTTP application and the sweeper, on the mail service that the outbox shares: the single
    /// place where the HTTP layer joins the process.
    func makeHTTPService(_ services: ServerServices, registry: PrometheusCollectorRegistry) throws -> (any Service)? {
        let outbox = services.outbox
        let service = MailService(
            store: services.store, files: services.files, clock: services.clock,
            configuration: services.configuration, identity: services.identity, peers: services.directory,
            fetcher: services.blobFetcher, outboxWake: { outbox.wake() })
        let configuration = services.configuration
        let application = makeApplication(
            service: service,
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.listenHost, port: configuration.listenPort),
                serverName: "dialogued"),
            logger: services.logger)
        return MailHTTPService(application: application, service: service, logger: services.logger)
    }
}

/// Runs the start-up sweep ([dlv-delete-crash-safe]), then the HTTP application and, beside it, a
/// sweep every minute (expiries, unnamed uploads, tombstones), until shutdown.
struct MailHTTPService<Application: ApplicationProtocol>: Service {
    let application: Application
    let service: MailService
    let logger: Logger

    func run() async throws {
        let removed = try await service.startupSweep()
        logger.info("start-up sweep", metadata: ["removed-files": "\(removed)"])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.run() }
            group.addTask {
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    try? await Task.sleep(for: .seconds(60))
                    _ = try? await service.sweep()
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }
}

extension DaemonSettings {
    /// The outbox settings these settings describe.
    var outboxSettings: OutboxSettings {
        var settings = OutboxSettings()
        settings.peerConcurrency = peerConcurrency
        settings.deliveryLifetime = min(deliveryLifetime, RetrySchedule.giveUpAfter)
        settings.maximumInFlight = outboxConcurrency
        return settings
    }
}
