public import DialogueIdentifiers
public import DialogueMessages

/// One received message as the client store summarizes it: what the notification said, and once
/// the envelope was opened, what the signed manifest says.
public struct InboxMessage: Sendable, Hashable {
    /// The local number, stable on this device: what `dialogue read N` names.
    public let number: Int
    /// The home server's opaque inbox entry identifier.
    public let entry: String
    /// When the home server received the notification.
    public let received: UInt64
    /// The sender, from the verified notification.
    public let sender: Address
    /// The envelope's identifier.
    public let envelope: ContentIdentifier
    /// Where the sender's server serves the blobs.
    public let baseURL: String
    /// The stanza index, in encrypted mode.
    public let stanzaIndex: Int?
    /// The message's total size, as the notification claims.
    public let size: UInt64
    /// The message identifier, once opened.
    public let messageID: ContentIdentifier?
    /// The subject, once opened.
    public let subject: String?
    /// The date the sender claims, once opened.
    public let date: UInt64?
    /// The trust verdict's name, once opened (Spec: trust.md#trust-verdicts).
    public let verdict: String?
    /// Whether a part was read.
    public let isRead: Bool
    /// Whether it was answered from this device.
    public let answered: Bool
    /// Whether the home server keeps a copy ([dlv-keep]).
    public let kept: Bool
    /// Whether it was acknowledged ([dlv-ack]).
    public let acknowledged: Bool
}

/// A message sent from this device, as the client store recorded it.
public struct SentMessage: Sendable, Hashable {
    /// The local number.
    public let number: Int
    /// The submission identifier.
    public let submission: ContentIdentifier
    /// The message identifier.
    public let messageID: ContentIdentifier
    /// The subject.
    public let subject: String?
    /// The date.
    public let date: UInt64
    /// The recipients' addresses.
    public let recipients: [String]
}

/// One message of a thread, received or sent.
public struct ThreadMessage: Sendable, Hashable {
    /// The message identifier.
    public let messageID: ContentIdentifier
    /// The message it answers directly, if known.
    public let parent: ContentIdentifier?
    /// The sender.
    public let sender: String
    /// The subject.
    public let subject: String?
    /// The date the sender claims.
    public let date: UInt64
}
