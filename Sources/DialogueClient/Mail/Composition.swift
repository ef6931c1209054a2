public import DialogueIdentifiers
public import DialogueMessages

/// A message to send, by address: the client fetches and judges each recipient's card.
public struct Composition: Sendable {
    /// The primary recipients.
    public var to: [Address]
    /// The copy recipients.
    public var cc: [Address]
    /// The blind-copy recipients, each sealed in an envelope of its own ([msg-bcc]).
    public var bcc: [Address]
    /// The subject.
    public var subject: String?
    /// The parts, in order; the first is by convention the text.
    public var parts: [MessageDraft.Part]
    /// What the message answers.
    public var inReplyTo: [ContentIdentifier] = []
    /// The thread, oldest first.
    public var references: [ContentIdentifier] = []

    /// A message with a text and attachments.
    public init(
        to: [Address], cc: [Address] = [], bcc: [Address] = [], subject: String? = nil, text: String? = nil,
        attachments: [MessageDraft.Part] = []
    ) {
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.subject = subject
        parts = (text.map { [MessageDraft.Part.text($0)] } ?? []) + attachments
    }

    /// An attachment read from a file in constant memory.
    public static func attachment(path: String, fileName: String, mediaType: String = "application/octet-stream")
        -> MessageDraft.Part
    {
        MessageDraft.Part(mediaType: mediaType, fileName: fileName, content: .file(path: path))
    }
}

/// What sending did.
public struct SendReport: Sendable {
    /// The message as this device recorded it.
    public let sent: SentMessage
    /// Each recipient's card and verdict, in the order of the composition.
    public let cards: [JudgedCard]
    /// The blobs uploaded to the home server.
    public let uploaded: Int
    /// The blobs not uploaded because the home server already held them.
    public let alreadyHeld: Int
    /// The bytes uploaded.
    public let uploadedBytes: Int
}
