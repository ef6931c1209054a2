public import DialogueIdentifiers

/// A ``MailStore`` in memory, for tests and for trying the server out: the reference for what every
/// backend must do, and nothing survives a restart.
public actor MemoryMailStore: MailStore {
    struct Upload {
        var size: Int
        var users: Set<String>
        var at: UInt64
    }

    private var accountsByAddress: [String: AccountRecord] = [:]
    var uploads: [ContentIdentifier: Upload] = [:]
    var liveSizes: [ContentIdentifier: Int] = [:]
    var tombstones: [ContentIdentifier: UInt64] = [:]
    private var submissions: [ContentIdentifier: SubmissionRecord] = [:]
    private var submissionOrder: [ContentIdentifier] = []
    private var entries: [UInt64: InboxEntryRecord] = [:]
    private var sequence: UInt64 = 0
    private var nonces: [String: UInt64] = [:]
    /// The lists: never swept ([list-index-append-only]).
    var lists = MemoryListState()

    /// Creates an empty store.
    public init() {}

    // MARK: Accounts

    public func addAccount(_ account: AccountRecord) throws {
        guard accountsByAddress[account.address] == nil else { throw StoreError.alreadyExists(account.address) }
        accountsByAddress[account.address] = account
    }

    public func removeAccount(_ address: String) throws {
        guard accountsByAddress.removeValue(forKey: address) != nil else { throw StoreError.notFound(address) }
    }

    public func account(_ address: String) -> AccountRecord? { accountsByAddress[address] }

    public func accounts() -> [AccountRecord] { accountsByAddress.values.sorted { $0.address < $1.address } }

    // MARK: Blobs and submissions

    /// Whether a live submission, an undone delivery or a kept inbox entry names the blob (Spec: [dlv-delete]).
    func isNeeded(_ id: ContentIdentifier) -> Bool {
        if lists.names(id) { return true }
        for submission in submissions.values where submission.deleted == nil {
            if submission.deliveries.contains(where: { $0.envelope == id && !$0.state.isDone }) { return true }
            if submission.isLive && submission.chunks.contains(id) { return true }
        }
        return entries.values.contains { $0.kept.contains(id) }
    }

    public func blobState(_ id: ContentIdentifier) -> BlobState {
        if let size = liveSizes[id], isNeeded(id) { return .live(size: size) }
        if let upload = uploads[id], let user = upload.users.sorted().first {
            return .uploaded(by: user, at: upload.at)
        }
        if let time = tombstones[id] { return .deleted(at: time) }
        return .unknown
    }

    public func recordUpload(_ id: ContentIdentifier, size: Int, by user: String, at time: UInt64) {
        if liveSizes[id] != nil, isNeeded(id) { return }
        var upload = uploads[id] ?? Upload(size: size, users: [], at: time)
        upload.users.insert(user)
        upload.at = time
        uploads[id] = upload
    }

    public func acceptSubmission(_ submission: SubmissionRecord) throws -> SubmissionAcceptance {
        if submissions[submission.id] != nil { return .repeated }
        let sizes = try heldSizes(submission.envelopes + submission.chunks, uploadedBy: submission.sender)
        for (id, size) in sizes {
            liveSizes[id] = size
            uploads[id] = nil
            tombstones[id] = nil
        }
        submissions[submission.id] = submission
        submissionOrder.append(submission.id)
        return .accepted
    }

    /// The size of each blob: live, or uploaded by `user`; ``StoreError/missingBlobs(_:)`` naming the others.
    func heldSizes(_ blobs: [ContentIdentifier], uploadedBy user: String) throws -> [ContentIdentifier: Int] {
        var sizes: [ContentIdentifier: Int] = [:]
        var missing: [ContentIdentifier] = []
        for id in blobs where sizes[id] == nil && !missing.contains(id) {
            if let size = liveSizes[id], isNeeded(id) {
                sizes[id] = size
            } else if let upload = uploads[id], upload.users.contains(user) {
                sizes[id] = upload.size
            } else {
                missing.append(id)
            }
        }
        guard missing.isEmpty else { throw StoreError.missingBlobs(missing) }
        return sizes
    }

    public func submission(_ id: ContentIdentifier) -> SubmissionRecord? { submissions[id] }

    public func delivery(envelope: ContentIdentifier, recipient: String) -> (SubmissionRecord, DeliveryRecord)? {
        for id in submissionOrder.reversed() {
            guard let submission = submissions[id] else { continue }
            if let delivery = submission.deliveries.first(where: {
                $0.envelope == envelope && $0.recipient == recipient
            }) {
                return (submission, delivery)
            }
        }
        return nil
    }

    public func dueNotifications(now: UInt64, limit: Int, excludingPeers: Set<String>) -> [DueNotification] {
        var due: [DueNotification] = []
        for id in submissionOrder {
            guard let submission = submissions[id], submission.deleted == nil else { continue }
            for delivery in submission.deliveries
            where delivery.state.awaitsNotification && !excludingPeers.contains(delivery.peerDomain) {
                if delivery.state == .pending || (delivery.nextAttempt ?? 0) <= now {
                    due.append(DueNotification(submission: submission, delivery: delivery))
                    if due.count == limit { return due }
                }
            }
        }
        return due
    }

    public func recordAttempt(
        _ attempt: NotificationAttempt, submission id: ContentIdentifier, recipient: String, at time: UInt64
    ) throws -> [ContentIdentifier] {
        guard var submission = submissions[id] else { throw StoreError.notFound(id.text(kind: .submission)) }
        guard let index = submission.deliveries.firstIndex(where: { $0.recipient == recipient }) else {
            throw StoreError.notFound(recipient)
        }
        var delivery = submission.deliveries[index]
        guard delivery.record(attempt, at: time) else { return [] }
        submission.deliveries[index] = delivery
        submissions[id] = submission
        return settle(submission.id, changed: delivery.envelope, at: time)
    }

    public func acknowledge(envelope: ContentIdentifier, recipient: String, at time: UInt64)
        -> (AcknowledgementOutcome, deleted: [ContentIdentifier])
    {
        guard let (found, delivery) = delivery(envelope: envelope, recipient: recipient),
            var submission = submissions[found.id]
        else { return (.gone, []) }
        switch delivery.state {
        case .acknowledged: return (.repeated, [])
        case .failed, .expired: return (.gone, [])
        case .pending, .retrying, .notified: break
        }
        guard let index = submission.deliveries.firstIndex(where: { $0.recipient == recipient }) else {
            return (.gone, [])
        }
        submission.deliveries[index].recordAcknowledgement(at: time)
        submissions[submission.id] = submission
        return (.recorded, settle(submission.id, changed: envelope, at: time))
    }

    public func expire(now: UInt64, uploadGrace: UInt64) -> [ContentIdentifier] {
        var deleted: [ContentIdentifier] = []
        for id in submissionOrder {
            guard var submission = submissions[id], submission.deleted == nil, submission.expires <= now else {
                continue
            }
            for index in submission.deliveries.indices where !submission.deliveries[index].state.isDone {
                submission.deliveries[index].state = .expired
                submission.deliveries[index].ended = now
                submission.deliveries[index].nextAttempt = nil
            }
            submissions[id] = submission
            deleted += settle(id, changed: nil, at: now)
        }
        for (id, upload) in uploads where upload.at + uploadGrace <= now {
            uploads[id] = nil
            if !isNeeded(id) { deleted.append(id) }
        }
        for (key, until) in nonces where until <= now { nonces[key] = nil }
        return deleted
    }

    /// Deletes what submission `id` no longer needs, and the submission itself once no delivery is
    /// left; returns the blobs, recorded as deleted (Spec: [dlv-delete], [dlv-tombstones]).
    private func settle(_ id: ContentIdentifier, changed envelope: ContentIdentifier?, at time: UInt64)
        -> [ContentIdentifier]
    {
        guard var submission = submissions[id] else { return [] }
        // While the submission lives, only the envelope of the delivery that just ended can have
        // become unneeded; once it ends, every blob it names is a candidate.
        guard !submission.isLive else { return release(envelope.map { [$0] } ?? [], at: time) }
        if submission.deleted == nil {
            submission.deleted = time
            submissions[id] = submission
        }
        return release(submission.envelopes + submission.chunks, at: time)
    }

    /// Records as deleted each of `candidates` that nothing names any more.
    func release(_ candidates: [ContentIdentifier], at time: UInt64) -> [ContentIdentifier] {
        var deleted: [ContentIdentifier] = []
        for id in candidates where liveSizes[id] != nil && !isNeeded(id) {
            liveSizes[id] = nil
            tombstones[id] = time
            deleted.append(id)
        }
        return deleted
    }

    // MARK: Inboxes

    public func addInboxEntry(
        recipient: String, sender: String, envelope: ContentIdentifier, baseURL: String, notification: [UInt8],
        received: UInt64, expires: UInt64
    ) -> InboxAddition {
        if let existing = entries.values.first(where: {
            $0.recipient == recipient && $0.sender == sender && $0.envelope == envelope
        }) {
            return .repeated(existing)
        }
        sequence += 1
        let entry = InboxEntryRecord(
            sequence: sequence, recipient: recipient, sender: sender, envelope: envelope, baseURL: baseURL,
            notification: notification, received: received, expires: expires)
        entries[sequence] = entry
        return .added(entry)
    }

    public func inbox(recipient: String, after: UInt64?, limit: Int) -> [InboxEntryRecord] {
        Array(
            entries.values.filter { $0.recipient == recipient && $0.sequence > (after ?? 0) }
                .sorted { $0.sequence < $1.sequence }.prefix(limit))
    }

    public func inboxEntry(recipient: String, sequence: UInt64) -> InboxEntryRecord? {
        entries[sequence].flatMap { $0.recipient == recipient ? $0 : nil }
    }

    public func lastSequence() -> UInt64 { sequence }

    public func keep(recipient: String, sequence: UInt64, blobs: [(id: ContentIdentifier, size: Int)], at time: UInt64)
        throws
    {
        guard var entry = inboxEntry(recipient: recipient, sequence: sequence) else {
            throw StoreError.notFound("inbox entry")
        }
        for blob in blobs {
            if !entry.kept.contains(blob.id) { entry.kept.append(blob.id) }
            liveSizes[blob.id] = blob.size
            tombstones[blob.id] = nil
        }
        entries[sequence] = entry
    }

    public func setAcknowledgement(recipient: String, sequence: UInt64, acknowledgement: [UInt8], at time: UInt64)
        throws -> Bool
    {
        guard var entry = inboxEntry(recipient: recipient, sequence: sequence) else {
            throw StoreError.notFound("inbox entry")
        }
        guard entry.acknowledgement == nil else { return false }
        entry.acknowledgement = acknowledgement
        entry.acknowledgementState = .relaying
        entry.nextRelay = time
        entries[sequence] = entry
        return true
    }

    public func dueRelays(now: UInt64, limit: Int) -> [InboxEntryRecord] {
        Array(
            entries.values.filter { $0.acknowledgementState == .relaying && ($0.nextRelay ?? 0) <= now }
                .sorted { $0.sequence < $1.sequence }.prefix(limit))
    }

    public func recordRelay(_ attempt: NotificationAttempt, recipient: String, sequence: UInt64, at time: UInt64) throws
    {
        guard var entry = inboxEntry(recipient: recipient, sequence: sequence) else {
            throw StoreError.notFound("inbox entry")
        }
        entry.relayAttempts += 1
        switch attempt {
        case .confirmed:
            entry.acknowledgementState = .relayed
            entry.nextRelay = nil
        case .retry(let error, let next):
            entry.lastRelayError = error
            entry.nextRelay = next
        case .failed(let error):
            entry.acknowledgementState = .failed
            entry.lastRelayError = error
            entry.nextRelay = nil
        }
        entries[sequence] = entry
    }

    public func removeInboxEntry(recipient: String, sequence: UInt64, at time: UInt64) throws -> [ContentIdentifier] {
        guard let entry = inboxEntry(recipient: recipient, sequence: sequence) else {
            throw StoreError.notFound("inbox entry")
        }
        entries[sequence] = nil
        return release(entry.kept, at: time)
    }

    // MARK: Nonces

    public func recordNonce(keyID: String, nonce: String, until: UInt64, now: UInt64) -> Bool {
        let key = keyID + "\u{0}" + nonce
        if let existing = nonces[key], existing > now { return false }
        nonces[key] = until
        return true
    }

    // MARK: Leases

    /// One process owns a memory store: every claim is granted (``LeaseStore``).
    public func claim(_ work: [OutboxWork], lease: Lease, now: UInt64) -> Set<OutboxWork> { Set(work) }

    /// One process owns a memory store: every job is granted.
    public func claimJob(_ name: String, lease: Lease, now: UInt64) -> Bool { true }

    // MARK: Statistics

    public func statistics() -> StoreStatistics {
        var held: [ContentIdentifier: Int] = [:]
        for (id, upload) in uploads { held[id] = upload.size }
        for (id, size) in liveSizes where isNeeded(id) { held[id] = size }
        return StoreStatistics(
            waitingNotifications: submissions.values.filter { $0.deleted == nil }.flatMap(\.deliveries)
                .filter(\.state.awaitsNotification).count,
            waitingRelays: entries.values.filter { $0.acknowledgementState == .relaying }.count,
            blobs: held.count, bytes: held.values.reduce(0) { $0 + UInt64($1) })
    }
}
