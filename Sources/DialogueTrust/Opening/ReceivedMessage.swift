public import DialogueIdentifiers
public import DialogueMessages
public import Foundation

/// A message opened, checked and judged in one call: the common case of a reader, beside the
/// step-by-step API (``TrustedOpener``, `EnvelopeOpener`, `PartReader`).
///
/// ``open(_:from:as:trust:stanzaIndex:clock:)`` fetches the envelope by its identifier and
/// checks it against that identifier, opens it as one of its recipients (every check of
/// messages.md#msg-open, in order), reads the statement parts it carries, and judges the
/// sender against the trust store (trust.md#trust-observation). Parts are fetched only when
/// asked for, and every chunk is authenticated before any of its bytes is returned.
///
/// ```swift
/// let message = try await ReceivedMessage.open(envelopeID, from: store, as: bob, trust: trustStore)
/// print(message.verdict.severity, message.verdict.explanation)
/// print(message.subject ?? "(no subject)", try await message.bodyText() ?? "")
/// if let report = message.attachment(named: "report.pdf") {
///     try await report.write(toFile: "report.pdf")
/// }
/// ```
public struct ReceivedMessage: Sendable {
    /// One part of a received message, fetched and decrypted when asked for.
    public struct Part: Sendable {
        /// The part's position in the message, from 0.
        public let index: Int
        /// What the manifest says about the part.
        public let descriptor: PartDescriptor
        /// Reads the part's chunks: one by one, as a stream, or whole.
        public let reader: PartReader

        /// The media type, e.g. `application/pdf`.
        public var mediaType: String { descriptor.mediaType }
        /// The file name the sender gave, or the empty string. It is the sender's choice: check it
        /// before using it as a path.
        public var fileName: String { descriptor.fileName }
        /// The plaintext size in bytes, as the signed manifest states it.
        public var size: UInt64 { descriptor.size }

        /// The whole part in memory, every chunk authenticated.
        ///
        /// - Throws: `MessageError` `truncated` if a chunk is missing from the store,
        ///   `authentication-failed` or `malformed` if one is wrong; the store's errors.
        public func bytes() async throws -> [UInt8] { try await reader.readAll() }

        /// Writes the part to a new file at `path`, in constant memory; the file appears only
        /// once every chunk has authenticated.
        ///
        /// - Parameter path: The file to create.
        /// - Throws: The errors of ``bytes()``, and `StorageError` if the file cannot be written.
        public func write(toFile path: String) async throws { try await reader.write(toFile: path) }
    }

    /// The envelope's identifier, as given.
    public let envelopeID: ContentIdentifier
    /// The opened message: signed manifest, envelope bytes, stanza index.
    public let opened: OpenedMessage
    /// The trust layer's full assessment: verdict, statement outcomes, duplicate flag.
    public let assessment: TrustAssessment
    /// Every part, in the message's order.
    public let parts: [Part]

    /// What the trust layer concluded about the sender (Spec: trust.md#trust-verdicts).
    public var verdict: TrustVerdict { assessment.verdict }
    /// The message identifier (`msg-…`), which replies name.
    public var messageID: ContentIdentifier { opened.messageID }
    /// The manifest: everything the sender signed.
    public var manifest: Manifest { opened.manifest }
    /// The address the message is from (signed; how far it can be relied on is the ``verdict``).
    public var sender: Address { manifest.senderAddress }
    /// The sender's key fingerprint (`key-…`), what a safety-number comparison checks.
    public var senderFingerprint: ContentIdentifier { manifest.senderCard.fingerprint }
    /// The date the sender claims: informative only, the sender's clock.
    public var date: Date { manifest.sentDate }
    /// The subject, if the message has one.
    public var subject: String? { manifest.subject }
    /// Every header, by lower-case name, `subject` included.
    public var headers: [String: String] { manifest.headers }

    /// The message's text: the first part, when it is a `text/plain` part without a file name
    /// (what `MessageDraft.Part.text(_:)` makes). Read it with ``bodyText()``.
    public var body: Part? {
        guard let first = parts.first, first.fileName.isEmpty, ReceivedMessage.isPlainText(first.mediaType) else {
            return nil
        }
        return first
    }

    /// Every part except the ``body``, in order: files, and also forwarded messages and key
    /// statements, which their media types name.
    public var attachments: [Part] { body == nil ? parts : Array(parts.dropFirst()) }

    /// The first part whose file name is `fileName`.
    ///
    /// - Parameter fileName: The file name, compared exactly.
    /// - Returns: The part, or `nil` if no part has that file name.
    public func attachment(named fileName: String) -> Part? { parts.first { $0.fileName == fileName } }

    /// The text of the ``body``, authenticated and decoded as UTF-8, or `nil` if the message has
    /// no body part.
    ///
    /// - Throws: The errors of ``Part/bytes()``.
    public func bodyText() async throws -> String? {
        guard let body else { return nil }
        return String(decoding: try await body.bytes(), as: UTF8.self)
    }

    /// Opens the envelope `envelopeID` from `store` as `identity`, and judges its sender with
    /// the trust store `trust`.
    ///
    /// - Parameters:
    ///   - envelopeID: The envelope's identifier (`blob-…`), as a notification or
    ///     `MessageSealer.SealedMessage/envelopeID` gives it.
    ///   - store: Where the envelope and the parts' chunks are.
    ///   - identity: The recipient's secret identity.
    ///   - trust: The reader's trust store (``SQLiteTrustStore`` for real use); it is updated.
    ///   - stanzaIndex: The stanza index a notification gave, if any; otherwise every stanza is tried.
    ///   - clock: The receiver's clock, the system's by default.
    /// - Returns: The opened message with its verdict; its parts are read when asked for.
    /// - Throws: `StorageError` `not-found` if the store does not hold the envelope;
    ///   `MessageError` if it does not hash to `envelopeID` (`authentication-failed`) or does
    ///   not open (the classes of messages.md#msg-errors: `not-a-recipient`, `bad-signature`, …);
    ///   ``TrustStoreError`` if the trust store fails. A verdict never makes it throw.
    public static func open(
        _ envelopeID: ContentIdentifier,
        from store: any BlobStore,
        as identity: SecretIdentity,
        trust: any TrustStore,
        stanzaIndex: Int? = nil,
        clock: any TrustClock = SystemTrustClock()
    ) async throws -> ReceivedMessage {
        let bytes = try await store.envelope(envelopeID)
        let opener = TrustedOpener(engine: TrustEngine(store: trust, clock: clock), blobs: store)
        let (opened, assessment) = try await opener.openAssessing(bytes, as: identity, stanzaIndex: stanzaIndex)
        return ReceivedMessage(
            envelopeID: envelopeID.labeled(.blob), opened: opened, assessment: assessment,
            parts: opened.manifest.parts.enumerated().map { index, descriptor in
                Part(index: index, descriptor: descriptor, reader: PartReader(part: descriptor, store: store))
            }
        )
    }

    /// Whether `mediaType` is `text/plain`, with or without parameters.
    private static func isPlainText(_ mediaType: String) -> Bool {
        let type = mediaType.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        return type.trimmingCharacters(in: .whitespaces).lowercased() == "text/plain"
    }
}
