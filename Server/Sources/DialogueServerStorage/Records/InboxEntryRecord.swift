public import DialogueIdentifiers

/// One notification in a user's inbox, on the recipient's server (Spec: delivery.md#dlv-ep-inbox).
public struct InboxEntryRecord: Hashable, Sendable {
    /// Where the relay of the user's acknowledgement stands.
    public enum AcknowledgementState: String, Hashable, Sendable {
        /// The user has not acknowledged.
        case none
        /// Stored, waiting to reach the sender's server.
        case relaying
        /// The sender's server confirmed it.
        case relayed
        /// The sender's server refused it permanently, or it was given up.
        case failed
    }

    /// The server's order of arrival, across all users: the cursor is derived from it ([dlv-inbox-cursor]).
    public var sequence: UInt64
    /// The user whose inbox holds the entry.
    public var recipient: String
    /// The sender's address, from the notification.
    public var sender: String
    /// The envelope, from the notification.
    public var envelope: ContentIdentifier
    /// The base URL to fetch the blobs from, from the notification.
    public var baseURL: String
    /// The signed notification, exactly as received.
    public var notification: [UInt8]
    /// When it arrived, by this server's clock.
    public var received: UInt64
    /// When the notification expires.
    public var expires: UInt64
    /// The blobs the user asked this server to keep ([dlv-keep]).
    public var kept: [ContentIdentifier] = []
    /// The user's signed acknowledgement, once given.
    public var acknowledgement: [UInt8]?
    /// Where its relay stands.
    public var acknowledgementState: AcknowledgementState = .none
    /// How many times the relay was attempted.
    public var relayAttempts: Int = 0
    /// When the next relay attempt is due.
    public var nextRelay: UInt64?
    /// The last relay error.
    public var lastRelayError: String?

    /// Creates an entry.
    public init(
        sequence: UInt64, recipient: String, sender: String, envelope: ContentIdentifier, baseURL: String,
        notification: [UInt8], received: UInt64, expires: UInt64
    ) {
        self.sequence = sequence
        self.recipient = recipient
        self.sender = sender
        self.envelope = envelope
        self.baseURL = baseURL
        self.notification = notification
        self.received = received
        self.expires = expires
    }

    /// The entry's opaque identifier in URLs: its sequence, in hexadecimal.
    public var entryID: String { "e" + String(sequence, radix: 16) }
}
