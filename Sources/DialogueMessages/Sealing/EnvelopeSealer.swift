public import DialogueCrypto
internal import DialogueIdentifiers

/// The deterministic core of sealing: from a manifest's fields and the random inputs to the
/// envelope bytes (Spec: messages.md#msg-seal, messages.md#msg-public).
///
/// It does no I/O: parts must already be encrypted (see ``PartEncryptor``).
public enum EnvelopeSealer {
    /// The result of sealing one envelope.
    public struct Result: Sendable {
        /// The envelope's fields: mode, ephemeral key, key commitment, stanzas, sealed manifest.
        public let envelope: Envelope
        /// The envelope's bytes: the blob to store.
        public let envelopeBytes: [UInt8]
        /// The signed manifest inside it.
        public let signedManifest: SignedManifest
        /// For each recipient, in manifest order, the index of its stanza (encrypted mode), or
        /// `nil` for a listed recipient that the envelope is not sealed to.
        public let stanzaIndices: [Int?]
    }

    /// Signs the manifest and, in encrypted mode, wraps the message key for the recipients that
    /// `randomness.stanzaOrder` lists: all of them, except in a blind copy (Spec: messages.md#msg-bcc).
    ///
    /// - Parameters:
    ///   - manifest: The manifest, without ephemeral key and commitment (they are filled in here).
    ///   - signingKey: The sender's identity key.
    ///   - randomness: The message key, ephemeral secret and stanza order (part keys are not used here).
    /// - Returns: The envelope, its bytes, the signed manifest and each recipient's stanza index.
    /// - Throws: ``MessageError`` for a manifest beyond the limits or with duplicate recipients,
    ///   randomness of the wrong shape, or an envelope larger than an envelope may be.
    public static func seal(
        _ manifest: Manifest,
        signingKey: Ed25519.SigningKey,
        randomness: SealingRandomness
    ) throws(MessageError) -> Result {
        var manifest = manifest
        try manifest.checkLimits()
        guard manifest.mode == .encrypted else {
            manifest.ephemeralKey = nil
            manifest.keyCommitment = nil
            try manifest.checkConsistency()
            let signed = SignedManifest(signing: manifest, with: signingKey)
            let envelope = Envelope(
                mode: .public, payload: signed.encodedBytes, ephemeralKey: nil, stanzas: [], keyCommitment: nil)
            return Result(
                envelope: envelope, envelopeBytes: envelope.encoded(), signedManifest: signed, stanzaIndices: [])
        }
        guard randomness.messageKey.count == 32, randomness.ephemeralSecret.count == 32 else {
            throw .malformed("the message key and the ephemeral secret are 32 bytes")
        }
        let sealedTo = randomness.stanzaOrder
        let listsBlindCopy = manifest.recipients.contains { $0.role == .bcc }
        guard Set(sealedTo).count == sealedTo.count, sealedTo.allSatisfy(manifest.recipients.indices.contains),
            listsBlindCopy ? !sealedTo.isEmpty : sealedTo.count == manifest.recipients.count
        else {
            throw .malformed("the stanza order must be a permutation of the recipients it is sealed to")
        }
        guard let ephemeral = try? X25519.PrivateKey(rawRepresentation: randomness.ephemeralSecret) else {
            throw .malformed("the ephemeral secret is 32 bytes")
        }
        let ephemeralPublic = ephemeral.publicKey.rawRepresentation
        let commitment = MessageKeys.commitment(messageKey: randomness.messageKey)
        manifest.ephemeralKey = ephemeralPublic
        manifest.keyCommitment = commitment
        try manifest.checkConsistency()

        // Each stanza costs one X25519 multiplication; with many recipients they run on all cores.
        let recipients = manifest.recipients
        let messageKey = randomness.messageKey
        let wrapped = StanzaWrapping.wrap(count: sealedTo.count) { stanzaIndex -> [UInt8]? in
            let recipientKey = recipients[sealedTo[stanzaIndex]].encryptionKey
            guard let shared = try? ephemeral.sharedSecret(with: recipientKey) else { return nil }
            let wrapKey = MessageKeys.wrapKey(
                shared: shared, ephemeralPublicKey: ephemeralPublic, recipientPublicKey: recipientKey.rawRepresentation
            )
            return XChaCha20Poly1305.seal(messageKey, using: wrapKey, nonce: MessageKeys.zeroNonce)
        }
        var stanzas: [[UInt8]] = []
        stanzas.reserveCapacity(wrapped.count)
        var stanzaIndices = [Int?](repeating: nil, count: recipients.count)
        for (stanzaIndex, stanza) in wrapped.enumerated() {
            guard let stanza else {
                throw MessageError(
                    .weakKey, "the encryption key of \(recipients[sealedTo[stanzaIndex]].address) is a low-order point"
                )
            }
            stanzas.append(stanza)
            stanzaIndices[sealedTo[stanzaIndex]] = stanzaIndex
        }
        let signed = SignedManifest(signing: manifest, with: signingKey)
        let sealedManifest = XChaCha20Poly1305.seal(
            signed.encodedBytes, using: MessageKeys.headerKey(messageKey: randomness.messageKey),
            nonce: MessageKeys.zeroNonce
        )
        let envelope = Envelope(
            mode: .encrypted, payload: sealedManifest, ephemeralKey: ephemeralPublic, stanzas: stanzas,
            keyCommitment: commitment
        )
        let bytes = envelope.encoded()
        guard bytes.count <= MessageLimits.maximumEnvelopeSize else {
            throw .limits("the envelope would be \(bytes.count) bytes; at most \(MessageLimits.maximumEnvelopeSize)")
        }
        return Result(envelope: envelope, envelopeBytes: bytes, signedManifest: signed, stanzaIndices: stanzaIndices)
    }
}
