public import DialogueMessages

/// Opens a message and judges its sender in one call (Spec: messages.md#msg-open step 13,
/// trust.md#trust-observation).
///
/// ```swift
/// let opener = TrustedOpener(engine: engine, blobs: store)
/// let (message, verdict) = try await opener.open(envelopeBytes, as: bob)
/// ```
///
/// Statements travel as parts of media type `application/dialogue-statement`; parts of at most
/// ``StatementLimits/maximumSize`` bytes are fetched from `blobs` and given to the engine.
/// A statement part that cannot be fetched is skipped: the verdict is still returned.
public struct TrustedOpener: Sendable {
    /// Judges each opened message's sender and records what it learned in its store.
    public let engine: TrustEngine
    /// Where the message's chunks are, to read statement parts; `nil` reads none.
    public let blobs: (any BlobStore)?

    /// Creates an opener.
    public init(engine: TrustEngine, blobs: (any BlobStore)?) {
        self.engine = engine
        self.blobs = blobs
    }

    /// Opens `envelopeBytes` as `identity` and returns the message with its verdict.
    ///
    /// - Throws: `MessageError` when the message does not open (the messages chapter's errors);
    ///   a store error when the trust store fails. Trust itself never throws a message away.
    public func open(_ envelopeBytes: [UInt8], as identity: SecretIdentity, stanzaIndex: Int? = nil) async throws
        -> (message: OpenedMessage, verdict: TrustVerdict)
    {
        let (message, assessment) = try await openAssessing(envelopeBytes, as: identity, stanzaIndex: stanzaIndex)
        return (message, assessment.verdict)
    }

    /// Opens `envelopeBytes` and returns the message with the full assessment (statement outcomes,
    /// duplicate flag).
    public func openAssessing(_ envelopeBytes: [UInt8], as identity: SecretIdentity, stanzaIndex: Int? = nil)
        async throws -> (message: OpenedMessage, assessment: TrustAssessment)
    {
        let message = try EnvelopeOpener.open(envelopeBytes, as: identity, stanzaIndex: stanzaIndex)
        let statements = await statementParts(of: message)
        return (message, try await engine.observe(message, statements: statements))
    }

    /// The content of the message's small statement parts, in order.
    public func statementParts(of message: OpenedMessage) async -> [[UInt8]] {
        guard let blobs else { return [] }
        var statements: [[UInt8]] = []
        for part in message.manifest.parts
        where part.mediaType == KeyStatement.mediaType && part.size <= UInt64(StatementLimits.maximumSize) {
            guard statements.count < StatementLimits.maximumPartsPerMessage else { break }
            if let bytes = try? await PartReader(part: part, store: blobs).readAll() { statements.append(bytes) }
        }
        return statements
    }
}
