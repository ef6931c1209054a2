public import DialogueServerStorage
public import Hummingbird
public import Logging
public import ServiceLifecycle

/// The HTTP application as a service: the start-up sweep ([dlv-delete-crash-safe]), then the
/// application and, beside it, a sweep every minute, until shutdown (Spec: [dlv-ops-shutdown]).
///
/// On graceful shutdown the gate starts draining first: new requests are answered `503 unavailable`
/// with `Retry-After`, long polls answer at once, and the requests in flight finish (up to
/// `drainTimeout`). Only then is the listener closed and the connections quiesced. The outbox,
/// which the service group stops after this service, then finishes its own requests and records
/// their outcomes.
///
/// With a store that tells of inbox arrivals (``DialogueServerStorage/InboxArrivalFeed``: PostgreSQL's
/// `LISTEN`), every arrival that another process of the domain stores wakes this process's long polls too
/// (Spec: [dlv-inbox-wait]); with one that tells of list appends (``DialogueServerStorage/ListAppendFeed``),
/// every entry another process appends to a list wakes this process's index polls (Spec: [list-ep-index]).
public struct MailHTTPService<Application: ApplicationProtocol>: Service {
    let application: Application
    let service: MailService
    let gate: ShutdownGate
    let drainTimeout: Duration
    let arrivals: (any InboxArrivalFeed)?
    let listAppends: (any ListAppendFeed)?
    let logger: Logger

    /// Runs `application`, which must answer through `gate` (``makeApplication(service:configuration:server:metrics:gate:logger:onServerRunning:)``).
    public init(
        application: Application, service: MailService, gate: ShutdownGate, drainTimeout: Duration = .seconds(30),
        arrivals: (any InboxArrivalFeed)? = nil, listAppends: (any ListAppendFeed)? = nil, logger: Logger
    ) {
        self.application = application
        self.service = service
        self.gate = gate
        self.drainTimeout = drainTimeout
        self.arrivals = arrivals
        self.listAppends = listAppends
        self.logger = logger
    }

    /// Sweeps, serves until graceful shutdown, drains, and returns.
    public func run() async throws {
        let removed = try await service.startupSweep()
        logger.info("start-up sweep", metadata: ["removed-files": "\(removed)"])
        // The application runs in a group of its own, in a detached task: the graceful shutdown of the
        // process must reach it only after draining (a child task would inherit the signal and close the
        // listener at once).
        let serving = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let task = Task.detached { try await serving.run() }
        let (gate, service, drainTimeout, logger) = (gate, service, drainTimeout, logger)
        let following = arrivals.map { feed in
            Task { try? await feed.followInboxArrivals { recipient in await service.notifier.notify(recipient) } }
        }
        let followingLists = listAppends.map { feed in
            Task { try? await feed.followListAppends { list in await service.listNotifier.notify(list) } }
        }
        defer {
            following?.cancel()
            followingLists?.cancel()
        }
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await task.value }
                    group.addTask {
                        while !Task.isCancelled && !Task.isShuttingDownGracefully {
                            try? await Task.sleep(for: .seconds(60))
                            _ = try? await service.sweep()
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            } onGracefulShutdown: {
                Task {
                    gate.beginDraining()
                    await service.notifier.close()
                    await service.listNotifier.close()
                    let idle = await gate.waitUntilIdle(timeout: drainTimeout)
                    logger.info("drained", metadata: ["requests-left": "\(idle ? 0 : gate.inFlight)"])
                    await serving.triggerGracefulShutdown()
                }
            }
        } onCancel: {
            task.cancel()
        }
    }
}
