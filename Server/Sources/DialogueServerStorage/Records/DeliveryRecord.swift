public import DialogueIdentifiers

/// One recipient of a submission, as the sender's server tracks it (Spec: delivery.md#dlv-submission,
/// delivery.md#dlv-ep-status).
public struct DeliveryRecord: Hashable, Sendable {
    /// Where a delivery stands (Spec: delivery.md#dlv-ep-status).
    public enum State: String, Hashable, Sendable, CaseIterable {
        /// Not tried yet.
        case pending
        /// Tried, failed for a reason that is retried.
        case retrying
        /// The recipient's server confirmed the notification.
        case notified
        /// The recipient acknowledged.
        case acknowledged
        /// Refused permanently, or given up.
        case failed
        /// The submission expired before the recipient acknowledged.
        case expired

        /// Whether the delivery is done: nothing more will happen to it (Spec: [dlv-delete]).
        public var isDone: Bool { self == .acknowledged || self == .failed || self == .expired }

        /// Whether the outbox still has to send the notification.
        public var awaitsNotification: Bool { self == .pending || self == .retrying }
    }

    /// The recipient's canonical address.
    public var recipient: String
    /// The envelope the recipient opens (the primary, or its blind copy).
    public var envelope: ContentIdentifier
    /// The recipient's identity key fingerprint, which its acknowledgement must be signed with.
    public var fingerprint: ContentIdentifier
    /// The recipient's stanza index, in encrypted mode.
    public var stanzaIndex: Int?
    /// The state.
    public var state: State = .pending
    /// How many times the notification was sent.
    public var attempts: Int = 0
    /// When the last attempt was made.
    public var lastAttempt: UInt64?
    /// When the next attempt is due, while ``state`` awaits a notification.
    public var nextAttempt: UInt64?
    /// The last error, for the sender to see.
    public var lastError: String?
    /// When the recipient's server confirmed the notification.
    public var notified: UInt64?
    /// When the recipient acknowledged.
    public var acknowledged: UInt64?
    /// When the delivery failed or expired.
    public var ended: UInt64?

    /// Creates a pending delivery.
    public init(recipient: String, envelope: ContentIdentifier, fingerprint: ContentIdentifier, stanzaIndex: Int?) {
        self.recipient = recipient
        self.envelope = envelope
        self.fingerprint = fingerprint
        self.stanzaIndex = stanzaIndex
    }

    /// Records an attempt to send the notification, the one transition every store applies;
    /// returns `false`, changing nothing, when the delivery no longer awaits a notification.
    public mutating func record(_ attempt: NotificationAttempt, at time: UInt64) -> Bool {
        guard state.awaitsNotification else { return false }
        attempts += 1
        lastAttempt = time
        switch attempt {
        case .confirmed:
            state = .notified
            notified = time
            nextAttempt = nil
        case .retry(let error, let next):
            state = .retrying
            lastError = error
            nextAttempt = next
        case .failed(let error):
            state = .failed
            lastError = error
            nextAttempt = nil
            ended = time
        }
        return true
    }

    /// Records the recipient's acknowledgement.
    public mutating func recordAcknowledgement(at time: UInt64) {
        state = .acknowledged
        acknowledged = time
        nextAttempt = nil
    }

    /// The domain of the recipient's address: the peer the notification goes to.
    public var peerDomain: String {
        guard let at = recipient.firstIndex(of: "@") else { return recipient }
        return String(recipient[recipient.index(after: at)...])
    }
}
