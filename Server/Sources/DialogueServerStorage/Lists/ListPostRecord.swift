public import DialogueIdentifiers

/// A post the list server holds: appended to the index, held for the owner, or pending its blobs
/// (Spec: lists.md#list-ep-post, lists.md#list-ep-held).
public struct ListPostRecord: Hashable, Sendable {
    /// Where a post stands.
    public enum State: String, Hashable, Sendable {
        /// Waiting for its blobs, for 24 hours ([list-ep-post] `409`); nothing is kept for it but the record.
        case pending
        /// Held for the owner under `moderated` ([list-ep-held]).
        case held
        /// In the index.
        case appended
    }

    /// The list's address.
    public var list: String
    /// The post's envelope: what names the post in the list.
    public var envelope: ContentIdentifier
    /// The signed post, exactly as received.
    public var bytes: [UInt8]
    /// The chunks the post request listed, in bytewise order.
    public var chunks: [ContentIdentifier]
    /// The author's address: the uploads of that user are the post's blobs.
    public var author: String
    /// The author's Ed25519 identity key (key 3): a non-member's uploads for a pending post are signed with it.
    public var authorKey: [UInt8]
    /// When the server received it.
    public var received: UInt64
    /// Where it stands.
    public var state: State
    /// Its index position once appended.
    public var position: UInt64?

    /// A post record.
    public init(
        list: String, envelope: ContentIdentifier, bytes: [UInt8], chunks: [ContentIdentifier], author: String,
        authorKey: [UInt8], received: UInt64, state: State, position: UInt64? = nil
    ) {
        self.list = list
        self.envelope = envelope
        self.bytes = bytes
        self.chunks = chunks
        self.author = author
        self.authorKey = authorKey
        self.received = received
        self.state = state
        self.position = position
    }

    /// The envelope and every chunk.
    public var blobs: [ContentIdentifier] { [envelope] + chunks.filter { $0 != envelope } }
}
