public import DialogueCrypto
public import Foundation

// `Date` overloads of the library's time fields, which the protocol keeps as whole seconds
// since 1970 (a `UInt64`): dates given as `Date` are rounded down to the second, and a date
// before 1970 counts as 1970. Where a date says "now", it defaults to now.

extension SecretIdentity {
    /// Generates fresh keys and issues a card valid from `created` (now, by default) for
    /// `validity` (two years, by default).
    ///
    /// ```swift
    /// let alice = try SecretIdentity.generate(addresses: [Address(parsing: "alice@example.org")])
    /// ```
    ///
    /// - Parameters:
    ///   - addresses: The card's addresses, 1 to 16, distinct; they are sorted.
    ///   - created: When the card starts; now by default.
    ///   - validity: How long the card is current, in seconds; two years by default.
    /// - Returns: The new identity, whose card is signed by its identity key.
    /// - Throws: ``MessageError`` for addresses a card cannot list.
    public static func generate(
        addresses: [Address],
        created: Date = Date(),
        validity: TimeInterval = 2 * 365 * 24 * 3600
    ) throws(MessageError) -> SecretIdentity {
        try generate(
            addresses: addresses, created: ProtocolTime.seconds(created), validity: ProtocolTime.seconds(validity))
    }
}

extension IdentityCard {
    /// When the card was issued.
    public var creationDate: Date { ProtocolTime.date(created) }
    /// When the card stops being current.
    public var expirationDate: Date { ProtocolTime.date(expires) }

    /// Issues and signs a card valid from `created` to `expires`.
    ///
    /// - Parameters:
    ///   - addresses: The card's addresses, 1 to 16, distinct; they are sorted.
    ///   - signingKey: The identity key, which signs the card.
    ///   - encryptionKey: The X25519 key messages are sealed to.
    ///   - created: When the card starts.
    ///   - expires: When it stops being current; after `created`.
    /// - Throws: ``MessageError`` as the initializer that takes seconds does.
    public init(
        addresses: [Address], signingKey: Ed25519.SigningKey, encryptionKey: X25519.PublicKey, created: Date,
        expires: Date
    ) throws(MessageError) {
        try self.init(
            addresses: addresses, signingKey: signingKey, encryptionKey: encryptionKey,
            created: ProtocolTime.seconds(created), expires: ProtocolTime.seconds(expires))
    }
}

extension Manifest {
    /// The date the sender claims, as a `Date`: informative only, the sender's clock.
    public var sentDate: Date { ProtocolTime.date(date) }
}

extension MessageDraft {
    /// Creates a draft dated `date`, now by default.
    ///
    /// - Parameters:
    ///   - recipients: Who can open it; the sender is not one unless listed (see ``includeSentCopy(for:)``).
    ///   - date: The message's date; now by default.
    ///   - subject: The `subject` header, if any.
    ///   - headers: Other headers, by lower-case name.
    ///   - parts: The parts, in order; the first is the text people read.
    public init(
        recipients: [Addressee], date: Date = Date(), subject: String? = nil, headers: [String: String] = [:],
        parts: [Part] = []
    ) {
        self.init(
            recipients: recipients, date: ProtocolTime.seconds(date), subject: subject, headers: headers, parts: parts)
    }

    /// A reply to `message`, dated `date` (now by default): addressed to its sender, answering
    /// it, continuing its thread (Spec: messages.md#msg-id).
    ///
    /// - Parameters:
    ///   - message: The message answered.
    ///   - date: The reply's date; now by default.
    ///   - text: The reply's text, its first part.
    ///   - parts: More parts after the text.
    /// - Returns: The reply's draft, with `in-reply-to` and `references` set.
    public static func reply(
        to message: OpenedMessage, date: Date = Date(), text: String, parts: [Part] = []
    ) -> MessageDraft {
        reply(to: message, date: ProtocolTime.seconds(date), text: text, parts: parts)
    }
}
