public import DialogueCrypto
public import DialogueIdentifiers

/// A message before it is sealed: what a person writes (Spec: messages.md#msg-model).
public struct MessageDraft: Sendable {
    /// One part of a draft.
    public struct Part: Sendable {
        /// Where a part's content comes from.
        public enum Content: Sendable {
            /// Bytes in memory.
            case bytes([UInt8])
            /// A file, read in constant memory.
            case file(path: String)
            /// Chunks that already exist, reused by reference: nothing is encrypted or uploaded again
            /// (Spec: messages.md#msg-forward).
            case existing(PartDescriptor)
        }

        /// The media type, e.g. `application/pdf` or `text/plain; charset=utf-8`.
        public var mediaType: String
        /// The file name a reader may save the part under, or "" for none (a message's text).
        public var fileName: String
        /// Where the bytes come from: memory, a file read in constant memory, or chunks already stored.
        public var content: Content

        /// Creates a part.
        public init(mediaType: String, fileName: String = "", content: Content) {
            self.mediaType = mediaType
            self.fileName = fileName
            self.content = content
        }

        /// A UTF-8 text part.
        public static func text(_ text: String) -> Part {
            Part(mediaType: "text/plain; charset=utf-8", content: .bytes(Array(text.utf8)))
        }

        /// A forwarded message: its signed manifest as a part (Spec: messages.md#msg-forward).
        public static func forwarded(_ message: SignedManifest) -> Part {
            Part(mediaType: PartDescriptor.forwardedMessageMediaType, content: .bytes(message.encodedBytes))
        }
    }

    /// A recipient of a draft: an address, a role and the key to seal to, usually from a card.
    public struct Addressee: Sendable {
        /// The address, which must be on the card when there is one.
        public var address: Address
        /// To, cc or bcc.
        public var role: Recipient.Role
        /// The recipient's card; `nil` for a recipient known by its key alone (a list's epoch key,
        /// Spec: lists.md#list-post).
        public var card: IdentityCard?
        /// The X25519 key the message is sealed to: the card's encryption key when there is a card.
        public var encryptionKey: X25519.PublicKey

        /// Creates an addressee; the address defaults to the card's first.
        public init(card: IdentityCard, address: Address? = nil, role: Recipient.Role = .to) {
            self.card = card
            self.address = address ?? card.addresses[0]
            self.role = role
            self.encryptionKey = card.encryptionKey
        }

        /// Creates an addressee known by its address and key alone, as a list's current epoch is to
        /// an author (Spec: [list-post-seal]).
        public init(address: Address, encryptionKey: X25519.PublicKey, role: Recipient.Role = .to) {
            self.card = nil
            self.address = address
            self.role = role
            self.encryptionKey = encryptionKey
        }

        /// The manifest entry of this addressee: its address, role and encryption key.
        var recipient: Recipient { Recipient(address: address, role: role, encryptionKey: encryptionKey) }
    }

    /// Encrypted unless explicitly public (Spec: [msg-public-not-default]).
    public var mode: MessageMode = .encrypted
    /// The sender's address; the first address of the sender's card if `nil`.
    public var senderAddress: Address?
    /// Everyone who can open the message, with their roles. The sender is not one of them unless
    /// listed (see ``includeSentCopy(for:)``).
    public var recipients: [Addressee]
    /// The date the message claims, in whole seconds since 1970 (the `Date` initializer fills it in).
    public var date: UInt64
    /// The headers, by lower-case name: `subject` and any other the sender sets.
    public var headers: [String: String]
    /// The parts, in order; the first is, by convention, the text people read.
    public var parts: [Part]
    /// What this message answers.
    public var inReplyTo: [ContentIdentifier] = []
    /// The thread, oldest first.
    public var references: [ContentIdentifier] = []

    /// Creates a draft.
    public init(
        recipients: [Addressee], date: UInt64, subject: String? = nil, headers: [String: String] = [:],
        parts: [Part] = []
    ) {
        self.recipients = recipients
        self.date = date
        var headers = headers
        if let subject { headers["subject"] = subject }
        self.headers = headers
        self.parts = parts
    }

    /// A reply to `message`: addressed to its sender, answering it, continuing its thread
    /// (Spec: messages.md#msg-id).
    public static func reply(
        to message: OpenedMessage, date: UInt64, text: String, parts: [Part] = []
    ) -> MessageDraft {
        let original = message.manifest
        let subject = original.subject.map { $0.lowercased().hasPrefix("re:") ? $0 : "Re: \($0)" }
        var draft = MessageDraft(
            recipients: [Addressee(card: original.senderCard, address: original.senderAddress)],
            date: date, subject: subject, parts: [.text(text)] + parts
        )
        draft.inReplyTo = [message.messageID]
        draft.references = Array((original.references + [message.messageID]).suffix(MessageLimits.maximumReferences))
        return draft
    }
}
