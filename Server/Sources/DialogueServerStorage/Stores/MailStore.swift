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

/// Who holds a piece of work that several processes of one domain share, and until when: the holder's
/// name and a time after which the work is free again, so that a process killed while it holds the work
/// leaves it to the others once the time has passed.
public struct Lease: Hashable, Sendable {
    /// The holder, unique to one running process (a host, a process identifier and a random part).
    public var owner: String
    /// When the lease ends, in the store's seconds; work held past it may be taken by another owner.
    public var until: UInt64

    /// A lease of `owner` until `until`.
    public init(owner: String, until: UInt64) {
        self.owner = owner
        self.until = until
    }
}

/// One item of the outbox's work, named by its key in the store (Spec: [dlv-retry]).
public enum OutboxWork: Hashable, Sendable {
    /// The notification of `recipient` of submission `submission`.
    case notification(submission: ContentIdentifier, recipient: String)
    /// The relay of the acknowledgement of inbox entry `sequence`.
    case relay(sequence: UInt64)
}

/// Work shared by every process of a domain: the outbox's deliveries and relays, and named jobs such as
/// the sweep, each held by one process at a time under a ``Lease``.
///
/// A store that one process owns (memory, SQLite) grants every claim: the process's outbox already works
/// each item once. A shared store (PostgreSQL) grants an item to one owner until its lease ends, leaves
/// out of ``SubmissionStore/dueNotifications(now:limit:excludingPeers:)`` and
/// ``InboxStore/dueRelays(now:limit:)`` what another owner holds, and frees an item when an attempt on
/// it is recorded.
public protocol LeaseStore: Sendable {
    /// Takes the items of `work` that are still due at `now` and that no other owner holds unexpired,
    /// for `lease`; returns those taken (an item the owner holds already is taken again, extended).
    func claim(_ work: [OutboxWork], lease: Lease, now: UInt64) async throws -> Set<OutboxWork>
    /// Takes the job called `name` for `lease` if no other owner holds it unexpired at `now`.
    func claimJob(_ name: String, lease: Lease, now: UInt64) async throws -> Bool
}

/// A store that tells every process of a domain when an inbox entry arrives, so that the long polls of
/// each process wake (Spec: [dlv-inbox-wait]).
public protocol InboxArrivalFeed: Sendable {
    /// Calls `arrived` with the recipient of each inbox entry that any process adds, until the task is
    /// cancelled; reconnects after a failure (an arrival missed meanwhile only delays a poll until its end).
    func followInboxArrivals(_ arrived: @escaping @Sendable (String) async -> Void) async throws
}

/// A store that tells every process of a domain when an entry is appended to a list's index, so that
/// the index long polls of each process wake (Spec: [list-ep-index], as [dlv-inbox-wait]).
public protocol ListAppendFeed: Sendable {
    /// Calls `appended` with the list's address for each index entry that any process appends, until the
    /// task is cancelled; reconnects after a failure (an append missed meanwhile only delays a poll until
    /// its end).
    func followListAppends(_ appended: @escaping @Sendable (String) async -> Void) async throws
}

/// Counts for the operator's metrics, read at each scrape: aggregate queries, never a scan of blob files.
public protocol StatisticsStore: Sendable {
    /// The outbox's depth and the blobs held.
    func statistics() async throws -> StoreStatistics
}

/// Everything a server stores besides blob bytes: one backend implements every part, in one database,
/// so that an operation that touches several parts is one transaction.
public typealias MailStore = AccountStore & SubmissionStore & InboxStore & NonceStore & StatisticsStore & LeaseStore
    & ListStore
