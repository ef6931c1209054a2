public import DialogueIdentifiers

/// A message whose envelope and manifest have been opened and verified
/// (Spec: messages.md#msg-open, step 13).
///
/// Parts are not fetched yet: read them with ``PartReader``.
public struct OpenedMessage: Sendable {
    /// The signed manifest, exactly as received.
    public let signedManifest: SignedManifest
    /// The envelope blob, exactly as opened.
    public let envelopeBytes: [UInt8]
    /// The envelope blob's identifier, computed when asked for: a reader that fetched the
    /// envelope by its identifier already has it, and hashing a large envelope is most of what
    /// opening it costs beyond the signature.
    public var envelopeID: ContentIdentifier { ContentIdentifier.hashing(envelopeBytes, context: .blob) }
    /// Which stanza opened (encrypted mode), so that the reader can be told where to look next time.
    public let stanzaIndex: Int?
    /// The recipient entry of the reader (encrypted mode).
    public let recipient: Recipient?

    /// The message identifier (Spec: messages.md#msg-id).
    public var messageID: ContentIdentifier { signedManifest.messageID }
    /// The manifest: sender, recipients, date, headers and parts, all signed by the sender.
    public var manifest: Manifest { signedManifest.manifest }
    /// Whether the message was public (signed but not encrypted).
    public var isPublic: Bool { manifest.mode == .public }
}
