public import DialogueCrypto
public import DialogueIdentifiers
public import DialogueMessages

/// What the trust layer needs to know about one signed message (Spec: trust.md#trust-observation).
public struct TrustObservation: Hashable, Sendable {
    /// The address the message claims (the manifest's sender address).
    public var sender: Address
    /// The identity key that signed the message (the sender card's key).
    public var identityKey: Ed25519.VerifyingKey
    /// Every address on the sender's card.
    public var cardAddresses: [Address]
    /// The message identifier, for de-duplication.
    public var messageID: ContentIdentifier
    /// The date the sender claims; informative only, never used for a decision.
    public var date: UInt64
    /// Statements carried by the message (the content of its `application/dialogue-statement` parts).
    public var statements: [[UInt8]]

    /// Creates an observation from its parts.
    public init(
        sender: Address, identityKey: Ed25519.VerifyingKey, cardAddresses: [Address], messageID: ContentIdentifier,
        date: UInt64, statements: [[UInt8]] = []
    ) {
        self.sender = sender
        self.identityKey = identityKey
        self.cardAddresses = cardAddresses
        self.messageID = messageID
        self.date = date
        self.statements = statements
    }

    /// The observation of an opened message, with the statements read from its parts.
    public init(message: OpenedMessage, statements: [[UInt8]] = []) {
        let manifest = message.manifest
        self.init(
            sender: manifest.senderAddress, identityKey: manifest.senderCard.identityKey,
            cardAddresses: manifest.senderCard.addresses, messageID: message.messageID, date: manifest.date,
            statements: statements
        )
    }
}

/// The full result of observing a message: its verdict, what became of the statements it
/// carried, and whether it was a duplicate.
public struct TrustAssessment: Hashable, Sendable {
    /// The verdict.
    public var verdict: TrustVerdict
    /// One outcome per statement processed (those in the message, then held ones now due).
    public var statements: [StatementOutcome]
    /// Whether the message had been judged before: its first verdict is returned and nothing changes.
    public var isDuplicate: Bool
    /// When the message was (first) received, on the receiver's clock.
    public var receivedAt: UInt64
}
