internal import DialogueCrypto
public import DialogueIdentifiers

/// Seals drafts into a blob store: encrypts the parts, signs the manifest, wraps the key for
/// every recipient and stores the envelope (Spec: messages.md#msg-seal).
///
/// ```swift
/// let sealer = MessageSealer(sender: alice, store: store)
/// let sealed = try await sealer.seal(MessageDraft(recipients: [.init(card: bobCard)], date: now,
///                                                 subject: "Hello", parts: [.text("Hi Bob")]))
/// print(sealed.messageID.text(kind: .message), sealed.envelopeID)
/// ```
public struct MessageSealer: Sendable {
    /// A sealed message: what was stored and what to tell each recipient.
    public struct SealedMessage: Sendable {
        /// The envelope's blob identifier: what a notification names.
        public let envelopeID: ContentIdentifier
        /// The envelope blob's bytes.
        public let envelopeBytes: [UInt8]
        /// The signed manifest.
        public let signedManifest: SignedManifest
        /// For each recipient of this envelope (manifest order), its stanza index, or `nil` for a
        /// listed recipient the envelope is not sealed to (the visible recipients of a blind copy).
        public let stanzaIndices: [Int?]
        /// One separate envelope for each blind-copy recipient (Spec: messages.md#msg-bcc). When a
        /// message has only blind-copy recipients, this message is the first one's copy and this
        /// list holds the others.
        public let blindCopies: [SealedMessage]

        /// The message identifier.
        public var messageID: ContentIdentifier { signedManifest.messageID }

        /// Every blind copy, in the order of the draft's `bcc` recipients: ``blindCopies``,
        /// preceded by this message itself when it is the first blind copy (a message with only
        /// blind-copy recipients).
        public var everyBlindCopy: [SealedMessage] {
            signedManifest.manifest.recipients.contains { $0.role == .bcc } ? [self] + blindCopies : blindCopies
        }
    }

    /// The identity that signs every message this sealer seals; it is not a recipient.
    public let sender: SecretIdentity
    /// Where the chunks and envelopes go: the sender's server, or a directory.
    public let store: any BlobStore

    /// Creates a sealer for `sender` that stores into `store`.
    ///
    /// - Parameters:
    ///   - sender: The identity that signs.
    ///   - store: Where the blobs go.
    public init(sender: SecretIdentity, store: any BlobStore) {
        self.sender = sender
        self.store = store
    }

    /// Seals `draft`, drawing every random input from the secure generator.
    public func seal(_ draft: MessageDraft) async throws -> SealedMessage {
        let newParts = draft.parts.filter { if case .existing = $0.content { false } else { true } }.count
        let blindCount = draft.recipients.filter { $0.role == .bcc }.count
        return try await seal(
            draft,
            randomness: .random(
                recipientCount: draft.recipients.count - blindCount, partCount: newParts, blindCopyCount: blindCount)
        )
    }

    /// Seals `draft` with the given random inputs (test vectors inject them).
    ///
    /// The primary envelope, for the `to` and `cc` recipients, uses the message key, ephemeral
    /// secret and stanza order of `randomness`; the blind copy of the `k`-th `bcc` recipient uses
    /// `randomness.blindCopies[k]` (Spec: [msg-bcc-randomness]). When an encrypted draft has only
    /// `bcc` recipients there is no primary envelope: the first blind copy stands for the message
    /// and the primary message key, ephemeral secret and stanza order are not used.
    ///
    /// - Throws: ``MessageError`` `malformed` if `randomness.blindCopies` does not have one entry
    ///   per `bcc` recipient, or if two recipients of the draft, whatever their roles, have the
    ///   same encryption key or address (Spec: [msg-bcc-distinct]); otherwise the errors of
    ///   sealing one envelope.
    public func seal(_ draft: MessageDraft, randomness: SealingRandomness) async throws -> SealedMessage {
        let senderAddress = draft.senderAddress ?? sender.card.addresses[0]
        guard sender.card.lists(senderAddress) else {
            throw MessageError(.addressMismatch, "\(senderAddress) is not on the sender's card")
        }
        for addressee in draft.recipients where addressee.card.map({ !$0.lists(addressee.address) }) ?? false {
            throw MessageError(.addressMismatch, "\(addressee.address) is not on the card given for it")
        }
        guard draft.parts.count <= MessageLimits.maximumParts else {
            throw MessageError(.limitsExceeded, "at most \(MessageLimits.maximumParts) parts")
        }
        for (name, value) in draft.headers { try HeaderRules.check(name: name, value: value) }
        let visible = draft.recipients.filter { $0.role != .bcc }
        let blind = draft.recipients.filter { $0.role == .bcc }
        try MessageSealer.checkDistinct(draft.recipients)
        guard randomness.blindCopies.count == blind.count else {
            throw MessageError(
                .malformed,
                "the randomness has \(randomness.blindCopies.count) blind copies; the draft has \(blind.count) bcc recipients"
            )
        }
        let parts = try await encryptParts(draft.parts, keys: randomness.partKeys)
        if draft.mode == .encrypted && visible.isEmpty && blind.isEmpty {
            throw MessageError(.malformed, "an encrypted message needs at least one recipient")
        }
        func manifest(for addressees: [MessageDraft.Addressee]) -> Manifest {
            Manifest(
                mode: draft.mode, senderAddress: senderAddress, senderCard: sender.card,
                recipients: addressees.map(\.recipient),
                date: draft.date, headers: draft.headers, parts: parts, inReplyTo: draft.inReplyTo,
                references: draft.references, ephemeralKey: nil, keyCommitment: nil
            )
        }
        var copies: [SealedMessage] = []
        for (addressee, copyRandomness) in zip(blind, randomness.blindCopies) {
            // A blind copy lists the visible recipients and one blind recipient, and is sealed to that one only.
            let copy = try EnvelopeSealer.seal(
                manifest(for: visible + [addressee]), signingKey: sender.signingKey,
                randomness: .envelope(of: copyRandomness, visibleCount: visible.count)
            )
            copies.append(try await store(copy, copies: []))
        }
        if visible.isEmpty, draft.mode == .encrypted, let first = copies.first {
            // Only blind copies: the first stands for the message, and the others stay reachable.
            return SealedMessage(
                envelopeID: first.envelopeID, envelopeBytes: first.envelopeBytes, signedManifest: first.signedManifest,
                stanzaIndices: first.stanzaIndices, blindCopies: Array(copies.dropFirst())
            )
        }
        let result = try EnvelopeSealer.seal(
            manifest(for: visible), signingKey: sender.signingKey, randomness: randomness)
        return try await store(result, copies: copies)
    }

    /// Rejects a draft in which two recipients, whatever their roles, have the same encryption key
    /// or the same address (Spec: [msg-bcc-distinct]): the manifests would catch two visible
    /// recipients, or a visible and a blind one, but never two blind ones, which no manifest lists together.
    private static func checkDistinct(_ addressees: [MessageDraft.Addressee]) throws(MessageError) {
        let recipients = addressees.map(\.recipient)
        guard !Manifest.hasDuplicate(recipients, by: { $0.encryptionKey.rawRepresentation }) else {
            throw .malformed("two recipients of the draft have the same encryption key")
        }
        guard !Manifest.hasDuplicate(recipients, by: { $0.address.text.utf8 }) else {
            throw .malformed("two recipients of the draft have the same address")
        }
    }

    private func store(_ result: EnvelopeSealer.Result, copies: [SealedMessage]) async throws -> SealedMessage {
        // Chunks first, then the envelope that names them: a message is never visible without its parts.
        try await store.flush()
        let id = try await store.put(result.envelopeBytes)
        try await store.flush()
        return SealedMessage(
            envelopeID: id, envelopeBytes: result.envelopeBytes, signedManifest: result.signedManifest,
            stanzaIndices: result.stanzaIndices, blindCopies: copies
        )
    }

    private func encryptParts(_ parts: [MessageDraft.Part], keys: [[UInt8]]) async throws -> [PartDescriptor] {
        let encryptor = PartEncryptor(store: store)
        var keys = keys[...]
        var descriptors: [PartDescriptor] = []
        for part in parts {
            switch part.content {
            case .existing(let descriptor):
                var reused = descriptor
                reused.mediaType = part.mediaType
                reused.fileName = part.fileName
                descriptors.append(reused)
                continue
            case .bytes, .file:
                break
            }
            guard let key = keys.popFirst() else {
                throw MessageError(.malformed, "the randomness has fewer part keys than the draft has new parts")
            }
            switch part.content {
            case .bytes(let bytes):
                descriptors.append(
                    try await encryptor.encrypt(
                        BytesChunkSource(bytes), key: key, mediaType: part.mediaType, fileName: part.fileName)
                )
            case .file(let path):
                descriptors.append(
                    try await encryptor.encrypt(
                        FileChunkSource(path: path), key: key, mediaType: part.mediaType, fileName: part.fileName)
                )
            case .existing:
                break
            }
        }
        return descriptors
    }
}
