public import DialogueDelivery
internal import DialogueIdentifiers
internal import DialogueMessages
public import DialogueServerStorage
public import Logging
public import ServiceLifecycle
internal import Synchronization

/// The durable outbox: sends every due notification to its recipient's server and relays every stored
/// acknowledgement to its sender's server, until each is confirmed, refused or given up (Spec: [dlv-retry]).
///
/// The store holds the state, so a restart loses nothing and makes every waiting delivery due
/// ([dlv-retry-per-peer]). Timing is kept per peer in ``PeerBackoff``: a failing peer gets one probe per
/// backoff interval however many deliveries wait for it, and when it answers everything waiting for it
/// is sent at once, at most ``OutboxSettings/peerConcurrency`` requests to it and
/// ``OutboxSettings/maximumInFlight`` in all. A retried delivery is stored as due at the time of its
/// failed attempt: the peer's backoff, not the delivery's, says when it goes again.
///
/// Several processes may work one store's outbox (PostgreSQL): each job is leased to one process before it
/// is sent (``DialogueServerStorage/LeaseStore``), for ``OutboxSettings/leaseDuration``, and recording its
/// outcome frees it. Backoff stays per process, so a failing peer gets one probe per interval from each.
///
/// ``drain()`` is one pass (tests call it with a ``ManualClock``); ``run()`` repeats passes when
/// ``wake()`` is called and every ``OutboxSettings/interval``, and on graceful shutdown stops taking
/// work, finishes the requests in flight and returns.
public actor Outbox: Service {
    private let store: any MailStore
    private let files: BlobFiles?
    private let identity: ServerIdentity
    private let baseURL: BaseURL
    private let directory: any PeerDirectory
    private let sender: any SignedRequestSending
    private let clock: any ServerClock
    private let settings: OutboxSettings
    private let logger: Logger
    private let metrics: ServerMetrics
    private var backoff: PeerBackoff
    private let stopping = Mutex(false)
    private let wakeUps: AsyncStream<Void>
    private let wakeUpContinuation: AsyncStream<Void>.Continuation

    /// Creates the outbox.
    ///
    /// - Parameters:
    ///   - files: Where the blob files are, to remove those a finished delivery frees; `nil` in tests
    ///     that keep no files.
    ///   - baseURL: Our base URL, which notifications name for fetching ([dlv-notification]).
    ///   - metrics: Where attempts, deletions and the work due are counted ([dlv-ops-metrics]).
    ///   - random: Draws `u` in [0, 1) for the backoff's jitter ([dlv-retry-backoff]).
    public init(
        store: any MailStore, files: BlobFiles?, identity: ServerIdentity, baseURL: BaseURL,
        directory: any PeerDirectory, sender: any SignedRequestSending, clock: any ServerClock,
        settings: OutboxSettings = OutboxSettings(), logger: Logger = Logger(label: "dialogued.outbox"),
        metrics: ServerMetrics = ServerMetrics(),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.store = store
        self.files = files
        self.identity = identity
        self.baseURL = baseURL
        self.directory = directory
        self.sender = sender
        self.clock = clock
        self.settings = settings
        self.logger = logger
        self.metrics = metrics
        backoff = PeerBackoff(concurrencyLimit: settings.peerConcurrency) { retry in
            UInt64(RetrySchedule.delay(retry: retry, unit: random()).rounded(.up))
        }
        (wakeUps, wakeUpContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a pass now: a new submission or acknowledgement is sent at once instead of at the next tick.
    public nonisolated func wake() { wakeUpContinuation.yield() }

    /// The peer sent us a request: it is up, and what waits for it is due at once ([dlv-retry-per-peer]).
    /// A peer that was not failing changes nothing, so a busy peer's requests do not wake the outbox.
    public func heardFrom(_ domain: String) {
        if backoff.heardFrom(domain) { wake() }
    }

    /// ``heardFrom(_:)`` as the mail service's `peerHeard` callback, which cannot wait for the actor.
    public nonisolated var peerHeard: @Sendable (String) -> Void {
        { domain in Task { await self.heardFrom(domain) } }
    }

    /// The backoff state of `domain`, for tests and the status of the server.
    public func peer(_ domain: String) -> PeerBackoff.Peer { backoff.peer(domain) }

    /// Runs passes until graceful shutdown, then finishes what is in flight and returns.
    public func run() async throws {
        let interval = settings.interval
        let continuation = wakeUpContinuation
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        continuation.yield()
                    }
                }
                for await _ in wakeUps {
                    if isStopping { break }
                    await drain()
                }
                group.cancelAll()
            }
        } onGracefulShutdown: { [self] in
            stop()
        }
    }

    /// Stops taking work; the pass in flight finishes its requests and ``run()`` returns.
    public nonisolated func stop() {
        stopping.withLock { $0 = true }
        wakeUpContinuation.finish()
    }

    private nonisolated var isStopping: Bool { stopping.withLock { $0 } }

    /// One pass: sends what is due now, refilling as requests finish (so a peer whose probe succeeds is
    /// caught up in the same pass), each job at most once; returns when nothing is due and nothing is in flight.
    public func drain() async {
        var attempted: Set<String> = []
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            while true {
                if !isStopping {
                    for job in await nextJobs(
                        room: settings.maximumInFlight - inFlight, inFlight: inFlight, attempted: attempted)
                    {
                        attempted.insert(job.key)
                        inFlight += 1
                        group.addTask { await self.perform(job) }
                    }
                }
                guard inFlight > 0 else { break }
                await group.next()
                inFlight -= 1
            }
        }
    }

    /// Due jobs not tried in this pass, each holding a slot of its peer's backoff.
    private func nextJobs(room: Int, inFlight: Int, attempted: Set<String>) async -> [OutboxJob] {
        guard room > 0 else { return [] }
        let now = clock.now()
        var candidates: [OutboxJob] = []
        do {
            // Jobs in flight are still due in a store one process owns (a shared store leaves them out,
            // leased), and so may be the few tried in this pass whose peer is not in backoff; everything
            // else tried is confirmed, failed or in backoff and left out by the store. So a fetch this
            // size holds `room` new jobs without growing with the pass.
            let limit = room + inFlight + min(attempted.count - inFlight, settings.maximumInFlight)
            candidates += try await store.dueNotifications(
                now: now, limit: limit, excludingPeers: backoff.excluded(now: now)
            ).map(OutboxJob.notification)
            candidates += try await store.dueRelays(now: now, limit: limit).map(OutboxJob.relay)
        } catch {
            logger.error("outbox: reading due work failed", metadata: ["error": "\(error)"])
            return []
        }
        // What is due now (up to the fetch limit), for the operator's dashboard.
        metrics.gauge("outbox_due", candidates.count)
        var jobs: [OutboxJob] = []
        for job in candidates where jobs.count < room && !attempted.contains(job.key) {
            if backoff.begin(job.peer, now: now) { jobs.append(job) }
        }
        return await claim(jobs, now: now)
    }

    /// Leases the jobs about to be sent, so that no other process of the domain sends them meanwhile; a
    /// job another process took since the read gives its peer's slot back and is left to that process.
    /// A process killed while it holds a lease leaves the job to the others once the lease ends.
    private func claim(_ jobs: [OutboxJob], now: UInt64) async -> [OutboxJob] {
        guard !jobs.isEmpty else { return [] }
        let taken: Set<OutboxWork>
        do {
            taken = try await store.claim(
                jobs.map(\.work), lease: Lease(owner: settings.leaseOwner, until: now + settings.leaseDuration),
                now: now)
        } catch {
            logger.error("outbox: claiming due work failed", metadata: ["error": "\(error)"])
            taken = []
        }
        for job in jobs where !taken.contains(job.work) { backoff.release(job.peer) }
        return jobs.filter { taken.contains($0.work) }
    }

    /// Sends one job and records what came of it.
    private nonisolated func perform(_ job: OutboxJob) async {
        let outcome: OutboxOutcome
        do {
            // A probe asks whether the peer is back: a cached discovery failure must not answer for it.
            let probing = await peer(job.peer).probing
            let document =
                probing ? try await directory.probeDocument(of: job.peer) : try await directory.document(of: job.peer)
            let (body, path) = try await request(for: job)
            let response = try await sender.post(body, to: document.baseURL.endpoint(path))
            switch ResponseClass(status: response.status) {
            case .confirmed: outcome = .confirmed
            case .permanentFailure: outcome = .permanent(response.summary)
            case .retry: outcome = .retry(response.summary, retryAfter: response.retryAfter)
            }
        } catch let error as UnsendableJob {
            outcome = .permanent(error.reason)
        } catch {
            outcome = .retry("no answer: \(error)", retryAfter: nil)
        }
        await record(outcome, of: job)
    }

    /// A job that can never be sent: it fails at once instead of being retried.
    private struct UnsendableJob: Error {
        var reason: String
    }

    /// The body and the endpoint of a job.
    private nonisolated func request(for job: OutboxJob) async throws -> ([UInt8], String) {
        switch job {
        case .notification(let due): return (try await notification(for: due), "/notifications")
        case .relay(let entry):
            guard let acknowledgement = entry.acknowledgement else {
                throw UnsendableJob(reason: "the entry holds no acknowledgement")
            }
            return (acknowledgement, "/acknowledgements")
        }
    }

    /// Issues the notification of a delivery, signed now with the current server key (Spec: [dlv-notification]).
    private nonisolated func notification(for due: DueNotification) async throws -> [UInt8] {
        let now = clock.now()
        guard let key = identity.signingKey(at: now) else {
            // An operator's mistake that a new key fixes: retried, not failed.
            throw DeliveryError.malformed("no server key is valid at \(now)")
        }
        func size(of id: ContentIdentifier) async throws -> UInt64 {
            guard case .live(let size) = try await store.blobState(id) else {
                throw UnsendableJob(reason: "the blob \(id.text(kind: .blob)) is no longer held")
            }
            return UInt64(size)
        }
        let envelopeSize = try await size(of: due.delivery.envelope)
        var messageSize = envelopeSize
        for chunk in due.submission.chunks { messageSize += try await size(of: chunk) }
        do {
            return try Notification(
                sender: Address(canonical: due.submission.sender),
                recipient: Address(canonical: due.delivery.recipient),
                envelope: due.delivery.envelope, envelopeSize: envelopeSize, messageSize: messageSize, baseURL: baseURL,
                created: now, expires: due.submission.expires, stanzaIndex: due.delivery.stanzaIndex,
                signingKey: key.signingKey
            ).encodedBytes
        } catch {
            throw UnsendableJob(reason: "the notification cannot be issued: \(error)")
        }
    }

    /// Records an outcome in the backoff and the store; a retry that would fall at or after the job's
    /// deadline gives it up instead (Spec: [dlv-retry-backoff]).
    private func record(_ outcome: OutboxOutcome, of job: OutboxJob) async {
        let now = clock.now()
        let attempt: NotificationAttempt
        switch outcome {
        case .confirmed:
            backoff.end(job.peer, reachable: true, now: now)
            attempt = .confirmed
        case .permanent(let error):
            // A refusal is an answer: the peer is up ([dlv-retry-classes]).
            backoff.end(job.peer, reachable: true, now: now)
            attempt = .failed(error: error)
        case .retry(let error, let retryAfter):
            backoff.end(job.peer, reachable: false, retryAfter: retryAfter, now: now)
            let nextProbe = max(backoff.peer(job.peer).nextProbe, now + (retryAfter ?? 0))
            let limit = deadline(of: job)
            attempt =
                nextProbe >= limit.time
                ? .failed(error: "given up at the \(limit.expiry ? "expiry" : "delivery lifetime"): \(error)")
                : .retry(error: error, next: now)
        }
        metrics.count("outbox_attempts_total", [("kind", job.kind), ("result", attempt.kind)])
        do {
            switch job {
            case .notification(let due):
                let freed = try await store.recordAttempt(
                    attempt, submission: due.submission.id, recipient: due.delivery.recipient, at: now)
                metrics.count("deletions_total", by: freed.count)
                for id in freed { try? files?.remove(id) }
            case .relay(let entry):
                try await store.recordRelay(attempt, recipient: entry.recipient, sequence: entry.sequence, at: now)
            }
        } catch {
            logger.error("outbox: recording an attempt failed", metadata: ["job": "\(job.key)", "error": "\(error)"])
        }
        if case .failed(let error) = attempt {
            logger.notice("outbox: \(job.kind) failed", metadata: ["job": "\(job.key)", "error": "\(error)"])
        }
    }

    /// When a job is given up: its lifetime after it was accepted, or its expiry if that comes first.
    private func deadline(of job: OutboxJob) -> (time: UInt64, expiry: Bool) {
        let (start, expires): (UInt64, UInt64) =
            switch job {
            case .notification(let due): (due.submission.accepted, due.submission.expires)
            case .relay(let entry): (entry.received, entry.expires)
            }
        let lifetime = start &+ settings.deliveryLifetime
        return expires < lifetime ? (expires, true) : (lifetime, false)
    }
}

extension OutboxJob {
    /// `notification` or `relay`, for logs and metrics.
    var kind: String {
        switch self {
        case .notification: "notification"
        case .relay: "relay"
        }
    }
}

extension NotificationAttempt {
    /// `confirmed`, `retry` or `failed`, for metrics.
    var kind: String {
        switch self {
        case .confirmed: "confirmed"
        case .retry: "retry"
        case .failed: "failed"
        }
    }
}
