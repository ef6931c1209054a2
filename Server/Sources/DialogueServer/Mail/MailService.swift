internal import DialogueCrypto
public import DialogueDelivery
public import DialogueIdentifiers
internal import DialogueMessages
public import DialogueServerStorage
internal import Synchronization

/// The delivery protocol of a home server, independent of HTTP (Spec: delivery.md): uploads,
/// submissions and their status, notifications and the inbox, keep, acknowledgements on both
/// sides, deletion and the sweeps. Every refusal is a ``MailProblem``.
public final class MailService: Sendable {
    /// Who must have signed a request.
    public enum Signer: Sendable {
        /// A user of this server.
        case user
        /// Another server.
        case server
    }

    /// What an upload did (Spec: [dlv-upload-verify]).
    public enum UploadOutcome: Sendable {
        /// Stored now: `201`.
        case stored
        /// Already held: `200`.
        case alreadyHeld
    }

    /// The largest blob, in bytes: the largest envelope, the largest blob of any kind (Spec:
    /// [dlv-limits-before-read], [msg-limits]).
    public static let maximumBlobSize = MessageLimits.maximumEnvelopeSize
    /// The largest keep list, in bytes.
    public static let maximumKeepSize = 65_536
    /// The longest a server document it publishes is valid, in seconds (one day: verifiers cache it at most that long).
    static let documentLifetime = ServerIdentity.documentLifetime

    /// The store of everything but blob bytes.
    public let store: any MailStore
    /// The blob files.
    public let files: BlobFiles
    /// The clock.
    public let clock: any ServerClock
    /// The operator's configuration.
    public let configuration: ServerConfiguration
    /// The server's keys.
    public let identity: ServerIdentity
    /// Other servers' documents and keys.
    public let peers: any PeerDirectory
    /// Fetches blobs for keep.
    public let fetcher: any BlobFetcher
    /// Wakes long polls.
    public let notifier = InboxNotifier()
    /// Wakes the index long polls of a list when an entry is appended (keyed by the list's address).
    public let listNotifier = InboxNotifier()
    /// Called after a submission is accepted or an acknowledgement stored for relay, to wake the outbox.
    public let outboxWake: @Sendable () -> Void
    /// Called with the domain of every verified server-signed request: the peer is up, so the outbox
    /// sends what waits for it at once ([dlv-retry-per-peer]).
    public let peerHeard: @Sendable (String) -> Void
    /// The `HEAD` check of [dlv-abuse-head] before a notification is accepted, when it is on.
    public let envelopeChecker: (any EnvelopeChecking)?
    /// The rate limits of peers and users ([dlv-abuse-rate]).
    public let rateLimiter: RateLimiter
    /// Where acknowledgements, notifications and deletions are counted ([dlv-ops-metrics]).
    public let metrics: ServerMetrics
    /// The blob files recently seen live, so that serving them needs no store read.
    public let liveBlobs = LiveBlobCache()

    private let verifier: RequestVerifier
    /// The replay cache every verifier of this service shares, the list routes' too.
    let nonceCache: StoreNonceCache
    private let document = Mutex<ServerDocument?>(nil)

    /// Creates the service.
    ///
    /// - Parameters:
    ///   - outboxWake: Called when the outbox has new work.
    ///   - peerHeard: Called with the domain of each verified server-signed request (the outbox's
    ///     ``Outbox/heardFrom(_:)``).
    ///   - envelopeChecker: Makes the `HEAD` of [dlv-abuse-head] before a notification is accepted; `nil`
    ///     turns the check off.
    ///   - metrics: Where to count.
    ///   - nonceHistoryLost: Whether `store` starts without the nonces of the process before (a memory
    ///     store): requests created before now are then refused as `replayed` ([dlv-request-replay]).
    public init(
        store: any MailStore, files: BlobFiles, clock: any ServerClock, configuration: ServerConfiguration,
        identity: ServerIdentity, peers: any PeerDirectory, fetcher: any BlobFetcher,
        outboxWake: @escaping @Sendable () -> Void = {}, peerHeard: @escaping @Sendable (String) -> Void = { _ in },
        envelopeChecker: (any EnvelopeChecking)? = nil, metrics: ServerMetrics = ServerMetrics(),
        nonceHistoryLost: Bool = false
    ) {
        self.store = store
        self.files = files
        self.clock = clock
        self.configuration = configuration
        self.identity = identity
        self.peers = peers
        self.fetcher = fetcher
        self.outboxWake = outboxWake
        self.peerHeard = peerHeard
        self.envelopeChecker = envelopeChecker
        self.metrics = metrics
        rateLimiter = RateLimiter(limits: configuration.rateLimits, clock: clock)
        nonceCache = StoreNonceCache(store: store, refusingCreatedBefore: nonceHistoryLost ? clock.now() : nil)
        verifier = RequestVerifier(
            keys: MailKeyResolver(accounts: store, peers: peers, clock: clock), nonces: nonceCache,
            clock: { clock.now() })
    }

    // MARK: Requests

    /// Steps 1 to 7 of [dlv-request-verify] on a request's head, that the signer is of the kind the
    /// endpoint wants (`forbidden` otherwise), and that it is within its rate limit ([dlv-abuse-rate]).
    /// A verified server request tells the outbox that its peer is up, limited or not. The caller
    /// checks the body's digest (step 8).
    public func authenticate(_ head: RequestHead, as signer: Signer) async throws(MailProblem) -> VerifiedRequest {
        try await authenticate(head, as: signer, verifier: verifier)
    }

    /// ``authenticate(_:as:)`` with the user keys of `keys` instead of this server's accounts alone: a
    /// list's routes accept its members' keys too ([list-member-request]).
    func authenticate(_ head: RequestHead, keys: any RequestKeyResolver) async throws(MailProblem)
        -> VerifiedRequest
    {
        let clock = self.clock
        return try await authenticate(
            head, as: .user, verifier: RequestVerifier(keys: keys, nonces: nonceCache, clock: { clock.now() }))
    }

    private func authenticate(_ head: RequestHead, as signer: Signer, verifier: RequestVerifier)
        async throws(MailProblem) -> VerifiedRequest
    {
        let verified: VerifiedRequest
        do { verified = try await verifier.verify(head) } catch { throw MailProblem(error) }
        // Counted only once verified: a forged request in someone's name must not spend their tokens.
        let subject: RateLimiter.Subject
        switch verified.keyID.principal {
        case .server:
            peerHeard(verified.keyID.principalText)
            subject = .peer(verified.keyID.principalText)
        case .user: subject = .user(verified.keyID.principalText)
        }
        switch (signer, verified.keyID.principal) {
        case (.user, .user), (.server, .server): break
        case (.user, .server): throw MailProblem(.forbidden, "this endpoint takes a user's request, not a server's")
        case (.server, .user): throw MailProblem(.forbidden, "this endpoint takes a server's request, not a user's")
        }
        if case .limited(let retryAfter) = rateLimiter.take(subject) {
            throw MailProblem(
                .rateLimited, "over the rate limit; come back in \(retryAfter) seconds", retryAfter: retryAfter)
        }
        return verified
    }

    // MARK: Blobs

    /// Whether the blob is held already; if so the upload by `user` is recorded without reading the body
    /// (Spec: [dlv-upload-verify]).
    public func holdsBlob(_ id: ContentIdentifier, uploadedBy user: String) async throws(MailProblem) -> Bool {
        let state = try await run { try await self.store.blobState(id) }
        switch state {
        case .live, .uploaded:
            guard let size = files.size(of: id) else { return false }
            try await run { try await self.store.recordUpload(id, size: size, by: user, at: self.clock.now()) }
            return true
        case .unknown, .deleted: return false
        }
    }

    /// A writer for a new upload of `id`.
    public func blobWriter(for id: ContentIdentifier) throws(MailProblem) -> BlobWriter {
        do { return try files.writer(for: id, limit: Self.maximumBlobSize) } catch { throw MailProblem.wrapping(error) }
    }

    /// Ends an upload: the body's digest is checked first (step 8), then the identifier, and the blob is
    /// recorded once durable. Nothing is kept on any failure.
    public func finishUpload(
        _ writer: consuming BlobWriter, id: ContentIdentifier, by user: String, digest: ContentDigest,
        request: VerifiedRequest
    ) async throws(MailProblem) {
        do { try request.checkBody(digest: digest) } catch {
            writer.abandon()
            throw MailProblem(error)
        }
        let size: Int
        do { size = try writer.finish() } catch { throw MailProblem.wrapping(error) }
        try await run { try await self.store.recordUpload(id, size: size, by: user, at: self.clock.now()) }
    }

    /// The file and size of a blob that may be served, `404` or `410` otherwise (Spec: [dlv-blob-serve]).
    public func servableBlob(_ id: ContentIdentifier) async throws(MailProblem) -> (path: String, size: Int) {
        let state = try await run { try await self.store.blobState(id) }
        switch state {
        case .live:
            guard let size = files.size(of: id) else { throw MailProblem(.notFound, "no such blob") }
            return (files.path(of: id), size)
        case .deleted(let at) where clock.now() < at + configuration.tombstoneLifetime:
            throw MailProblem(.gone, "the blob was deleted")
        case .unknown, .uploaded, .deleted: throw MailProblem(.notFound, "no such blob")
        }
    }

    // MARK: Submissions

    /// Verifies and accepts a submission (Spec: [dlv-submission-verify], [dlv-submission-durable]).
    public func submit(_ bytes: [UInt8], request: VerifiedRequest) async throws(MailProblem) -> (
        ContentIdentifier, SubmissionAcceptance
    ) {
        try check(bytes, request)
        let account = try await userAccount(request)
        let submission: Submission
        do {
            submission = try Submission(
                verifying: bytes, account: try Address(canonical: account.address),
                identityKey: try Ed25519.VerifyingKey(rawRepresentation: account.identityKey), now: clock.now())
        } catch let error as DeliveryError {
            throw MailProblem(error)
        } catch {
            throw MailProblem(.unavailable, "the account's key is unreadable")
        }
        let id = submission.identifier
        if try await run({ try await self.store.submission(id) }) != nil { return (id, .repeated) }
        var seen = Set<ContentIdentifier>()
        var missing: [ContentIdentifier] = []
        var total: UInt64 = 0
        for blob in submission.deliveries.map(\.envelope) + submission.chunks where seen.insert(blob).inserted {
            let state = try await run { try await self.store.blobState(blob) }
            switch state {
            case .live(let size): total += UInt64(size)
            case .uploaded:
                // Whether this user uploaded it is the store's decision, at acceptance (step 8).
                guard let size = files.size(of: blob) else {
                    missing.append(blob)
                    continue
                }
                total += UInt64(size)
            case .unknown, .deleted: missing.append(blob)
            }
        }
        guard missing.isEmpty else {
            throw MailProblem(.missingBlobs, "the server does not hold \(missing.count) blobs", blobs: missing)
        }
        guard total <= configuration.maximumMessageSize else {
            throw MailProblem(
                .limitsExceeded,
                "the message has \(total) bytes; this server takes at most "
                    + "\(configuration.maximumMessageSize)")
        }
        guard submission.deliveries.count <= configuration.maximumRecipients else {
            throw MailProblem(
                .limitsExceeded,
                "\(submission.deliveries.count) recipients; this server takes at most "
                    + "\(configuration.maximumRecipients)")
        }
        let record = SubmissionRecord(
            id: id, sender: account.address, bytes: submission.encodedBytes, created: submission.created,
            expires: submission.expires, accepted: clock.now(), chunks: submission.chunks,
            deliveries: submission.deliveries.map {
                DeliveryRecord(
                    recipient: $0.recipient.text, envelope: $0.envelope, fingerprint: $0.fingerprint,
                    stanzaIndex: $0.stanzaIndex)
            })
        let acceptance = try await run { try await self.store.acceptSubmission(record) }
        if acceptance == .accepted { outboxWake() }
        return (id, acceptance)
    }

    /// The status of a submission for its sender; another user's is `404` (Spec: delivery.md#dlv-ep-status).
    public func status(_ id: ContentIdentifier, request: VerifiedRequest) async throws(MailProblem) -> SubmissionRecord
    {
        let user = request.keyID.principalText
        guard let record = try await run({ try await self.store.submission(id) }), record.sender == user else {
            throw MailProblem(.notFound, "no such submission")
        }
        if let deleted = record.deleted {
            guard clock.now() < deleted + configuration.tombstoneLifetime else {
                throw MailProblem(.notFound, "no such submission")
            }
            throw MailProblem(.gone, "the submission was deleted")
        }
        return record
    }

    // MARK: Notifications and the inbox

    /// Verifies a notification and adds it to its recipient's inbox (Spec: [dlv-notification-verify],
    /// [dlv-notification-idempotent], [dlv-abuse-unknown]); `true` when it was new.
    public func receiveNotification(_ bytes: [UInt8], request: VerifiedRequest) async throws(MailProblem) -> Bool {
        try check(bytes, request)
        let domain = request.keyID.principalText
        let keys: [ServerKey]
        do { keys = try await peers.document(of: domain).keys } catch {
            throw MailProblem(.unknownKey, "no server document of \(domain)")
        }
        let notification: DialogueDelivery.Notification
        do {
            notification = try Notification(
                verifying: bytes, signerDomain: domain, serverKeys: keys, servedDomains: Set(configuration.domains),
                now: clock.now())
        } catch { throw MailProblem(error) }
        let recipient = notification.recipient.text
        guard try await run({ try await self.store.account(recipient) }) != nil else {
            throw MailProblem(.unknownRecipient, "this server has no user \(recipient)")
        }
        try await checkEnvelopeIsHeld(notification)
        let addition = try await run {
            try await self.store.addInboxEntry(
                recipient: recipient, sender: notification.sender.text, envelope: notification.envelope,
                baseURL: notification.baseURL.text, notification: notification.encodedBytes, received: self.clock.now(),
                expires: notification.expires)
        }
        guard case .added = addition else { return false }
        metrics.count("notifications_accepted_total")
        await notifier.notify(recipient)
        return true
    }

    /// The user's inbox after `cursor`, waiting up to `wait` seconds for an entry when there is none
    /// (Spec: [dlv-inbox-cursor], [dlv-inbox-wait]).
    public func inbox(after cursor: InboxCursor?, limit: Int, wait: Int, request: VerifiedRequest)
        async throws(MailProblem) -> (entries: [InboxEntryRecord], cursor: InboxCursor)
    {
        let user = request.keyID.principalText
        let start = cursor ?? InboxCursor(sequence: 0)
        let last = try await run { try await self.store.lastSequence() }
        guard start.sequence <= last else { throw MailProblem(.malformed, "an unknown cursor") }
        let deadline = ContinuousClock.now + .seconds(min(wait, configuration.maximumWait))
        // Set when the notifier closes at shutdown: list once more, then answer without waiting.
        var closing = false
        while true {
            let generation = await notifier.generation(of: user)
            let entries = try await run {
                try await self.store.inbox(recipient: user, after: start.sequence, limit: limit)
            }
            if let newest = entries.last { return (entries, InboxCursor(sequence: newest.sequence)) }
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero, !closing else { return ([], start) }
            let seconds = Double(remaining.components.seconds) + Double(remaining.components.attoseconds) * 1e-18
            closing = !(await notifier.wait(for: user, after: generation, seconds: seconds))
        }
    }

    /// The user's entry, `404` otherwise.
    public func entry(_ sequence: UInt64, request: VerifiedRequest) async throws(MailProblem) -> InboxEntryRecord {
        let user = request.keyID.principalText
        guard let entry = try await run({ try await self.store.inboxEntry(recipient: user, sequence: sequence) }) else {
            throw MailProblem(.notFound, "no such inbox entry")
        }
        return entry
    }

    /// Holds every listed blob durably for the entry, fetching what is missing from the notification's base
    /// URL (Spec: [dlv-keep]); what cannot be fetched is a `409 missing-blobs`, after what was fetched is kept.
    public func keep(_ blobs: [ContentIdentifier], entry sequence: UInt64, body: [UInt8], request: VerifiedRequest)
        async throws(MailProblem)
    {
        try check(body, request)
        let entry = try await entry(sequence, request: request)
        let baseURL = try? BaseURL(entry.baseURL)
        var held: [(id: ContentIdentifier, size: Int)] = []
        var missing: [ContentIdentifier] = []
        for blob in blobs {
            let state = try await run { try await self.store.blobState(blob) }
            if case .live = state, let size = files.size(of: blob) {
                held.append((blob, size))
                continue
            }
            if case .uploaded = state, let size = files.size(of: blob) {
                held.append((blob, size))
                continue
            }
            guard let baseURL,
                let size = try? await fetcher.fetch(blob, from: baseURL, into: files, limit: Self.maximumBlobSize)
            else {
                missing.append(blob)
                continue
            }
            held.append((blob, size))
        }
        let time = clock.now()
        if !held.isEmpty {
            let kept = held
            try await run {
                try await self.store.keep(recipient: entry.recipient, sequence: sequence, blobs: kept, at: time)
            }
        }
        guard missing.isEmpty else {
            throw MailProblem(.missingBlobs, "\(missing.count) blobs could not be fetched", blobs: missing)
        }
    }

    /// Checks the user's acknowledgement of an entry and stores it for relay; `true` when it is new
    /// (Spec: [dlv-ack-verify], [dlv-ack-idempotent]).
    public func acknowledgeEntry(_ sequence: UInt64, bytes: [UInt8], request: VerifiedRequest) async throws(MailProblem)
        -> Bool
    {
        try check(bytes, request)
        let account = try await userAccount(request)
        let entry = try await entry(sequence, request: request)
        do {
            let delivery = try Delivery(
                recipient: try Address(canonical: entry.recipient), envelope: entry.envelope,
                fingerprint: account.fingerprint)
            _ = try Acknowledgement(
                verifying: bytes, delivery: delivery, sender: try Address(canonical: entry.sender), now: clock.now())
        } catch let error as DeliveryError {
            throw MailProblem(error)
        } catch {
            throw MailProblem(.malformed, "the entry's addresses are not canonical")
        }
        let stored = try await run {
            try await self.store.setAcknowledgement(
                recipient: entry.recipient, sequence: sequence, acknowledgement: bytes, at: self.clock.now())
        }
        if stored {
            metrics.count("acknowledgements_total", [("from", "user")])
            outboxWake()
        }
        return stored
    }

    /// Removes an inbox entry and the kept blobs nothing else names.
    public func deleteEntry(_ sequence: UInt64, request: VerifiedRequest) async throws(MailProblem) {
        try check([], request)
        let entry = try await entry(sequence, request: request)
        let deleted = try await run {
            try await self.store.removeInboxEntry(recipient: entry.recipient, sequence: sequence, at: self.clock.now())
        }
        removeFiles(deleted)
    }

    // MARK: Acknowledgements at the sender's server

    /// Verifies an acknowledgement a recipient's server relays, records it, and removes the blobs that
    /// nothing names any more (Spec: [dlv-ack-verify], [dlv-delete], [dlv-tombstones]).
    public func receiveAcknowledgement(_ bytes: [UInt8], request: VerifiedRequest) async throws(MailProblem)
        -> AcknowledgementOutcome
    {
        try check(bytes, request)
        let claimed: Acknowledgement
        do { claimed = try Acknowledgement(verifyingSignature: bytes) } catch { throw MailProblem(error) }
        guard
            let (submission, record) = try await run({
                try await self.store.delivery(envelope: claimed.envelope, recipient: claimed.recipient.text)
            })
        else {
            throw MailProblem(.notARecipient, "no delivery of this envelope to \(claimed.recipient)")
        }
        do {
            let delivery = try Delivery(
                recipient: claimed.recipient, envelope: record.envelope, fingerprint: record.fingerprint)
            _ = try Acknowledgement(
                verifying: bytes, delivery: delivery, sender: try Address(canonical: submission.sender),
                now: clock.now())
        } catch let error as DeliveryError {
            throw MailProblem(error)
        } catch {
            throw MailProblem(.unavailable, "the stored sender is not canonical")
        }
        let (outcome, deleted) = try await run {
            try await self.store.acknowledge(
                envelope: claimed.envelope, recipient: claimed.recipient.text, at: self.clock.now())
        }
        removeFiles(deleted)
        if outcome == .gone { throw MailProblem(.gone, "the delivery ended without an acknowledgement") }
        if outcome == .recorded { metrics.count("acknowledgements_total", [("from", "peer")]) }
        return outcome
    }

    // MARK: Cards and the server document

    /// The card response of a user (Spec: [dlv-card]).
    public func card(of address: String) async throws(MailProblem) -> [UInt8] {
        guard (try? Address(canonical: address)) != nil else {
            throw MailProblem(.malformed, "not a canonical address")
        }
        guard let account = try await run({ try await self.store.account(address) }) else {
            throw MailProblem(.notFound, "no such user")
        }
        do {
            return try CardResponse(card: try IdentityCard(decoding: account.card), statements: []).encodedBytes
        } catch {
            throw MailProblem(.unavailable, "the registered card is unreadable")
        }
    }

    /// The signed server document, made again when half its lifetime has passed (Spec: [dlv-server-document]).
    public func serverDocument() throws(MailProblem) -> [UInt8] {
        let now = clock.now()
        if let cached = document.withLock({ $0 }), now >= cached.created,
            now < cached.created + Self.documentLifetime / 2
        {
            return cached.encodedBytes
        }
        do {
            let made = try identity.document(for: configuration, now: now)
            document.withLock { $0 = made }
            return made.encodedBytes
        } catch {
            throw MailProblem(.unavailable, "the server document cannot be made: \(error)")
        }
    }

    // MARK: Sweeps

    /// Expires submissions and forgotten uploads and removes their files (Spec: [dlv-delete]); returns how many.
    @discardableResult
    ///
    /// One process of a domain sweeps at a time: the sweep is a job leased for ``sweepLease`` seconds
    /// (``DialogueServerStorage/LeaseStore/claimJob(_:lease:now:)``), and a process that does not hold it
    /// returns 0 at once. A store one process owns always grants it.
    public func sweep() async throws(MailProblem) -> Int {
        let now = clock.now()
        let lease = Lease(owner: LeaseOwner.thisProcess, until: now + Self.sweepLease)
        guard try await run({ try await self.store.claimJob("sweep", lease: lease, now: now) }) else { return 0 }
        let deleted = try await run {
            try await self.store.expire(now: self.clock.now(), uploadGrace: self.configuration.uploadGrace)
        }
        // A post that waited 24 hours for its blobs is forgotten ([list-ep-post]); the list itself never is.
        if now > ListService.pendingLifetime {
            try await run { try await self.store.expireListPending(before: now - ListService.pendingLifetime) }
        }
        removeFiles(deleted)
        return deleted.count
    }

    /// How long the sweep's lease lasts, in seconds: a little less than the minute between sweeps, so that
    /// the process that swept sweeps again, and another takes over within a minute when it is gone.
    public static let sweepLease: UInt64 = 50

    /// How long a file in a shared blob directory is left alone by the start-up sweep, in seconds: another
    /// process may have written it a moment ago and not yet committed its upload.
    public static let sharedFileGrace: UInt64 = 3_600

    /// At start-up: removes temporaries, and every blob file whose state is neither live nor uploaded
    /// (a crash after the store recorded a deletion, [dlv-delete-crash-safe]); returns how many files.
    /// With ``ServerConfiguration/sharesBlobDirectory``, files written in the last ``sharedFileGrace``
    /// seconds are left: they may be uploads in progress at another process.
    @discardableResult
    public func startupSweep() async throws(MailProblem) -> Int {
        let spare = configuration.sharesBlobDirectory ? Self.sharedFileGrace : 0
        var removed: Int
        do { removed = try files.removeTemporaries(unmodifiedFor: spare) } catch { throw MailProblem.wrapping(error) }
        let stored: [ContentIdentifier]
        do { stored = try files.storedIdentifiers() } catch { throw MailProblem.wrapping(error) }
        for id in stored {
            switch try await run({ try await self.store.blobState(id) }) {
            case .live, .uploaded: continue
            case .unknown, .deleted:
                if spare > 0 && files.isRecent(id, within: spare) { continue }
                removeFiles([id])
                removed += 1
            }
        }
        return removed + (try await sweep())
    }

    // MARK: Helpers

    /// [dlv-abuse-head]: the sender's server must answer the `HEAD` of the envelope with its size. A
    /// refusal or another size is `422`; no answer, or one that says nothing (`5xx`), is `503` with
    /// `Retry-After`, so that the sender's outbox retries instead of failing the delivery.
    private func checkEnvelopeIsHeld(_ notification: DialogueDelivery.Notification) async throws(MailProblem) {
        guard let envelopeChecker else { return }
        // An `http` URL that neither a peers file names nor a loopback host may not be fetched
        // ([dlv-base-url]): nothing announced there can be held for anyone, and the server asks no one.
        let named = configuration.peers?.entries.contains { $0.baseURL == notification.baseURL } ?? false
        guard notification.baseURL.isUsable(allowingHTTP: named) else {
            throw MailProblem(.authenticationFailed, "the notification's base URL may not be used over http")
        }
        let answer: EnvelopeHeadAnswer
        do { answer = try await envelopeChecker.head(notification.envelope, at: notification.baseURL) } catch {
            throw MailProblem(
                .unavailable, "the sender's server did not answer the check of its envelope",
                retryAfter: Self.envelopeCheckRetryAfter)
        }
        switch answer.holds(size: notification.envelopeSize) {
        case true?: return
        case false?:
            throw MailProblem(
                .authenticationFailed, "the sender's server does not hold the envelope with the announced size")
        case nil:
            throw MailProblem(
                .unavailable, "the sender's server answered \(answer.status) to the check of its envelope",
                retryAfter: Self.envelopeCheckRetryAfter)
        }
    }

    /// The `Retry-After` when the sender's server could not be asked: a short wait, its own failure.
    static let envelopeCheckRetryAfter: UInt64 = 30

    /// Step 8 of [dlv-request-verify] on a body held whole.
    func check(_ body: [UInt8], _ request: VerifiedRequest) throws(MailProblem) {
        do { try request.checkBody(body) } catch { throw MailProblem(error) }
    }

    func userAccount(_ request: VerifiedRequest) async throws(MailProblem) -> AccountRecord {
        let user = request.keyID.principalText
        guard let account = try await run({ try await self.store.account(user) }) else {
            throw MailProblem(.unknownKey, "no user \(user)")
        }
        return account
    }

    /// Removes files whose blobs the store already recorded as deleted; a failure leaves them to the
    /// start-up sweep.
    func removeFiles(_ ids: [ContentIdentifier]) {
        metrics.count("deletions_total", by: ids.count)
        liveBlobs.forget(ids)
        for id in ids { try? files.remove(id) }
    }

    func run<T: Sendable>(_ operation: () async throws -> T) async throws(MailProblem) -> T {
        do { return try await operation() } catch { throw MailProblem.wrapping(error) }
    }
}
