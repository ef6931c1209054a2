public import DialogueIdentifiers

/// The accounts a server serves (Spec: delivery.md#dlv-request-keyid).
public protocol AccountStore: Sendable {
    /// Adds an account; ``StoreError/alreadyExists(_:)`` if the address has one.
    func addAccount(_ account: AccountRecord) async throws
    /// Removes an account; ``StoreError/notFound(_:)`` if there is none.
    func removeAccount(_ address: String) async throws
    /// The account with this canonical address, or `nil`.
    func account(_ address: String) async throws -> AccountRecord?
    /// Every account, in address order.
    func accounts() async throws -> [AccountRecord]
}

/// What a submission did (Spec: [dlv-submission-durable]).
public enum SubmissionAcceptance: Hashable, Sendable {
    /// Stored for the first time: `201`.
    case accepted
    /// The same bytes were accepted before: `200`, and nothing new happens.
    case repeated
}

/// The outcome of one attempt to send a notification (Spec: [dlv-retry-classes]).
public enum NotificationAttempt: Hashable, Sendable {
    /// The recipient's server confirmed.
    case confirmed
    /// A failure that is retried, with when to try next.
    case retry(error: String, next: UInt64)
    /// A permanent refusal, or the outbox gave up.
    case failed(error: String)
}

/// What an acknowledgement did at the sender's server (Spec: [dlv-ack-idempotent], [dlv-tombstones]).
public enum AcknowledgementOutcome: Hashable, Sendable {
    /// Recorded now: `200`.
    case recorded
    /// Already recorded: `200`, nothing changes.
    case repeated
    /// The delivery is done without an acknowledgement (failed or expired), or the submission is deleted: `410`.
    case gone
}

/// A notification that the outbox should send now.
public struct DueNotification: Hashable, Sendable {
    /// The submission it belongs to.
    public var submission: SubmissionRecord
    /// The delivery to notify.
    public var delivery: DeliveryRecord

    /// A due notification: a store outside this module (PostgreSQL) builds them too.
    public init(submission: SubmissionRecord, delivery: DeliveryRecord) {
        self.submission = submission
        self.delivery = delivery
    }
}

/// Submissions, deliveries and the blobs they name: the sender's side (Spec: delivery.md#dlv-submission,
/// delivery.md#dlv-deletion).
///
/// Every method that ends deliveries returns the blobs that no longer anything names. Before it returns,
/// the store has durably recorded them as deleted ([dlv-delete-crash-safe]); the caller then removes
/// their files. A crash in between leaves files that the start-up sweep removes, because their state
/// says they are deleted.
public protocol SubmissionStore: Sendable {
    /// What the server knows of a blob.
    func blobState(_ id: ContentIdentifier) async throws -> BlobState
    /// Records that `user` uploaded a durable blob. A blob that is live already stays live.
    func recordUpload(_ id: ContentIdentifier, size: Int, by user: String, at time: UInt64) async throws
    /// Accepts a submission whose every blob is held (uploaded by its sender, or live), durably, all or
    /// nothing; ``StoreError/missingBlobs(_:)`` otherwise. The same identifier again is ``SubmissionAcceptance/repeated``.
    func acceptSubmission(_ submission: SubmissionRecord) async throws -> SubmissionAcceptance
    /// The submission with this identifier, deleted or not.
    func submission(_ id: ContentIdentifier) async throws -> SubmissionRecord?
    /// The live submission and delivery for this envelope and recipient, if any (for an acknowledgement).
    func delivery(envelope: ContentIdentifier, recipient: String) async throws -> (SubmissionRecord, DeliveryRecord)?
    /// Deliveries whose notification is due at `now` (pending, or retrying with `nextAttempt ≤ now`), oldest
    /// first, leaving out recipients at the domains of `excludingPeers` (peers in backoff, [dlv-retry-per-peer]).
    func dueNotifications(now: UInt64, limit: Int, excludingPeers: Set<String>) async throws -> [DueNotification]
    /// Records an attempt to notify `recipient` of submission `id`.
    func recordAttempt(
        _ attempt: NotificationAttempt, submission id: ContentIdentifier, recipient: String, at time: UInt64
    )
        async throws -> [ContentIdentifier]
    /// Records the acknowledgement of a delivery, once its signature and fingerprint were checked.
    func acknowledge(envelope: ContentIdentifier, recipient: String, at time: UInt64) async throws
        -> (AcknowledgementOutcome, deleted: [ContentIdentifier])
    /// Expires the deliveries of submissions whose expiry passed, and forgets uploads that nothing named
    /// for `uploadGrace` seconds.
    func expire(now: UInt64, uploadGrace: UInt64) async throws -> [ContentIdentifier]
}

/// What adding a notification to an inbox did (Spec: [dlv-notification-idempotent]).
public enum InboxAddition: Hashable, Sendable {
    /// A new entry: `202`.
    case added(InboxEntryRecord)
    /// The same sender, recipient and envelope were added before: `200`, nothing added.
    case repeated(InboxEntryRecord)
}

/// The users' inboxes: the recipient's side (Spec: delivery.md#dlv-ep-inbox, delivery.md#dlv-devices).
public protocol InboxStore: Sendable {
    /// Adds a notification to `recipient`'s inbox durably, unless the same one is there.
    func addInboxEntry(
        recipient: String, sender: String, envelope: ContentIdentifier, baseURL: String, notification: [UInt8],
        received: UInt64, expires: UInt64
    ) async throws -> InboxAddition
    /// The entries of `recipient` that arrived after sequence `after` (all, when `nil`), in order of arrival.
    func inbox(recipient: String, after: UInt64?, limit: Int) async throws -> [InboxEntryRecord]
    /// One entry of `recipient`.
    func inboxEntry(recipient: String, sequence: UInt64) async throws -> InboxEntryRecord?
    /// The highest sequence the server has given out (0 when none), so that an empty listing has a cursor.
    func lastSequence() async throws -> UInt64
    /// Records that the server holds these durable, verified blobs for the entry ([dlv-keep]).
    func keep(recipient: String, sequence: UInt64, blobs: [(id: ContentIdentifier, size: Int)], at time: UInt64)
        async throws
    /// Stores the user's acknowledgement for relay; a second one changes nothing and returns `false`.
    func setAcknowledgement(recipient: String, sequence: UInt64, acknowledgement: [UInt8], at time: UInt64)
        async throws -> Bool
    /// Entries whose acknowledgement should be relayed at `now`.
    func dueRelays(now: UInt64, limit: Int) async throws -> [InboxEntryRecord]
    /// Records a relay attempt (``NotificationAttempt`` has the same three outcomes).
    func recordRelay(_ attempt: NotificationAttempt, recipient: String, sequence: UInt64, at time: UInt64) async throws
    /// Removes an entry; returns the kept blobs nothing else names, already recorded as deleted.
    func removeInboxEntry(recipient: String, sequence: UInt64, at time: UInt64) async throws -> [ContentIdentifier]
}

/// The replay cache of request nonces (Spec: [dlv-request-replay]), shared by every process of a domain.
public protocol NonceStore: Sendable {
    /// Records (`keyID`, `nonce`) until `until`; `false` if the pair is already recorded and not expired at `now`.
    func recordNonce(keyID: String, nonce: String, until: UInt64, now: UInt64) async throws -> Bool
}

/// Counts for the operator's metrics, read at each scrape: aggregate queries, never a scan of blob files.
public protocol StatisticsStore: Sendable {
    /// The outbox's depth and the blobs held.
    func statistics() async throws -> StoreStatistics
}

/// Everything a server stores besides blob bytes: one backend implements every part, in one database,
/// so that an operation that touches several parts is one transaction.
public typealias MailStore = AccountStore & SubmissionStore & InboxStore & NonceStore & StatisticsStore
