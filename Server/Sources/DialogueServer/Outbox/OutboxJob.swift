internal import DialogueIdentifiers
public import DialogueServerStorage

/// One request the outbox sends: a notification to a recipient's server, or a user's acknowledgement
/// relayed to the sender's server (Spec: [dlv-retry]).
public enum OutboxJob: Sendable {
    /// Notify the recipient's server of a delivery (Spec: [dlv-notification]).
    case notification(DueNotification)
    /// Relay an acknowledgement to the sender's server (Spec: [dlv-ack]).
    case relay(InboxEntryRecord)

    /// Identifies a job within one pass, so that a pass tries each job at most once.
    public var key: String {
        switch self {
        case .notification(let due): "n \(due.submission.id.text(kind: .submission)) \(due.delivery.recipient)"
        case .relay(let entry): "r \(entry.sequence)"
        }
    }

    /// The job's key in the store, which leases it (``DialogueServerStorage/LeaseStore``).
    public var work: OutboxWork {
        switch self {
        case .notification(let due): .notification(submission: due.submission.id, recipient: due.delivery.recipient)
        case .relay(let entry): .relay(sequence: entry.sequence)
        }
    }

    /// The peer the request goes to: the recipient's domain, or the sender's.
    public var peer: String {
        switch self {
        case .notification(let due): due.delivery.peerDomain
        case .relay(let entry): Self.domain(of: entry.sender)
        }
    }

    /// The domain of an address (all of it when it has no `@`).
    static func domain(of address: String) -> String {
        guard let at = address.firstIndex(of: "@") else { return address }
        return String(address[address.index(after: at)...])
    }
}

/// What one attempt came to, before it is recorded (Spec: [dlv-retry-classes]).
enum OutboxOutcome: Sendable {
    /// `2xx`.
    case confirmed
    /// A permanent refusal, with the status and problem type, or a job that can never be sent.
    case permanent(String)
    /// A failure to retry, with the peer's `Retry-After`.
    case retry(String, retryAfter: UInt64?)
}
