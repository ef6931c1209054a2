public import DialogueIdentifiers

/// A message the sender's server holds: the signed submission and the state of each delivery
/// (Spec: delivery.md#dlv-submission).
public struct SubmissionRecord: Hashable, Sendable {
    /// The submission identifier (kind `sub`).
    public var id: ContentIdentifier
    /// The sender's canonical address.
    public var sender: String
    /// The signed submission, exactly as received ([dlv-received-bytes]).
    public var bytes: [UInt8]
    /// When the submission was created, by the sender's clock.
    public var created: UInt64
    /// When the server stops holding the message.
    public var expires: UInt64
    /// When the server accepted it, by its own clock.
    public var accepted: UInt64
    /// Every chunk blob the message's envelopes name.
    public var chunks: [ContentIdentifier]
    /// One per recipient, in the submission's order.
    public var deliveries: [DeliveryRecord]
    /// When the submission stopped being live and its blobs went, if it did.
    public var deleted: UInt64?

    /// Creates a live submission record.
    public init(
        id: ContentIdentifier, sender: String, bytes: [UInt8], created: UInt64, expires: UInt64, accepted: UInt64,
        chunks: [ContentIdentifier], deliveries: [DeliveryRecord]
    ) {
        self.id = id
        self.sender = sender
        self.bytes = bytes
        self.created = created
        self.expires = expires
        self.accepted = accepted
        self.chunks = chunks
        self.deliveries = deliveries
    }

    /// Whether some delivery is not done yet (Spec: [dlv-delete]).
    public var isLive: Bool { deleted == nil && deliveries.contains { !$0.state.isDone } }

    /// The distinct envelopes the deliveries name, in first-seen order.
    public var envelopes: [ContentIdentifier] {
        var seen = Set<ContentIdentifier>()
        return deliveries.map(\.envelope).filter { seen.insert($0).inserted }
    }
}
