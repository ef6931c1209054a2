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
    }

    /// The sender.
    public let sender: SecretIdentity
    /// Where blobs go.
    public let store: any BlobStore

    /// Creates a sealer.
    public init(sender: SecretIdentity, store: any BlobStore) {
        self.sender = sender
        self.store = store
    }

    /// Seals `draft`, drawing every random input from the secure generator.
    public func seal(_ draft: MessageDraft) async throws -> SealedMessage {
        let newParts = draft.parts.filter { if case .existing = $0.content { false } else { true } }.count
        let primaryCount = draft.recipients.filter { $0.role != .bcc }.count
        return try await seal(draft, randomness: .random(recipientCount: primaryCount, partCount: newParts))
    }

    /// Seals `draft` with the given random inputs (test vectors inject them). Blind copies, if
    /// any, draw their own message keys from the secure generator.
    public func seal(_ draft: MessageDraft, randomness: SealingRandomness) async throws -> SealedMessage {
        let senderAddress = draft.senderAddress ?? sender.card.addresses[0]
        guard sender.card.lists(senderAddress) else {
            throw MessageError(.addressMismatch, "\(senderAddress) is not on the sender's card")
        }
        for addressee in draft.recipients where !addressee.card.lists(addressee.address) {
            throw MessageError(.addressMismatch, "\(addressee.address) is not on the card given for it")
        }
        guard draft.parts.count <= MessageLimits.maximumParts else {
            throw MessageError(.limitsExceeded, "at most \(MessageLimits.maximumParts) parts")
        }
        for (name, value) in draft.headers { try HeaderRules.check(name: name, value: value) }
        let parts = try await encryptParts(draft.parts, keys: randomness.partKeys)
        let visible = draft.recipients.filter { $0.role != .bcc }
        let blind = draft.recipients.filter { $0.role == .bcc }
        if draft.mode == .encrypted && visible.isEmpty && blind.isEmpty {
            throw MessageError(.malformed, "an encrypted message needs at least one recipient")
        }
        func manifest(for addressees: [MessageDraft.Addressee]) -> Manifest {
            Manifest(
                mode: draft.mode, senderAddress: senderAddress, senderCard: sender.card,
                recipients: addressees.map {
                    Recipient(address: $0.address, role: $0.role, encryptionKey: $0.card.encryptionKey)
                },
                date: draft.date, headers: draft.headers, parts: parts, inReplyTo: draft.inReplyTo,
                references: draft.references, ephemeralKey: nil, keyCommitment: nil
            )
        }
        var copies: [SealedMessage] = []
        for addressee in blind {
            // A blind copy lists the visible recipients and one blind recipient, and is sealed to that one only.
            var copyRandomness = SealingRandomness.random(recipientCount: 0, partCount: 0)
            copyRandomness.stanzaOrder = [visible.count]
            let copy = try EnvelopeSealer.seal(
                manifest(for: visible + [addressee]), signingKey: sender.signingKey, randomness: copyRandomness
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
