public import DialogueCrypto
internal import DialogueIdentifiers

/// Opens an envelope as one of its recipients: steps 1 to 13 of messages.md#msg-open, in order,
/// reporting the first failure (Spec: [msg-open-order]).
public enum EnvelopeOpener {
    /// Opens `envelopeBytes` with `identity`.
    ///
    /// - Parameters:
    ///   - envelopeBytes: The envelope blob.
    ///   - identity: The recipient's secret identity; its card's addresses are its own addresses.
    ///   - stanzaIndex: The index a notification gave, if any; otherwise every stanza is tried.
    /// - Returns: The opened message: its signed manifest, verified.
    /// - Throws: ``MessageError`` with the class of the first failed step (Spec: [msg-open-order]):
    ///   `malformed`, `limits-exceeded`, `not-a-recipient`, `authentication-failed`,
    ///   `bad-signature`, `address-mismatch`, …
    public static func open(
        _ envelopeBytes: [UInt8],
        as identity: SecretIdentity,
        stanzaIndex: Int? = nil
    ) throws(MessageError) -> OpenedMessage {
        try open(
            envelopeBytes, encryptionKey: identity.encryptionKey, ownAddresses: identity.card.addresses,
            stanzaIndex: stanzaIndex
        )
    }

    /// Opens `envelopeBytes` with an encryption key and a list of own addresses.
    ///
    /// - Parameters:
    ///   - envelopeBytes: The envelope blob.
    ///   - encryptionKey: The recipient's X25519 key.
    ///   - ownAddresses: The addresses the recipient answers to.
    ///   - stanzaIndex: The index a notification gave, if any; otherwise every stanza is tried.
    /// - Returns: The opened message: its signed manifest, verified.
    /// - Throws: ``MessageError``, as ``open(_:as:stanzaIndex:)`` does.
    public static func open(
        _ envelopeBytes: [UInt8],
        encryptionKey: X25519.PrivateKey,
        ownAddresses: [Address],
        stanzaIndex: Int? = nil
    ) throws(MessageError) -> OpenedMessage {
        let envelope = try Envelope.Fields(decoding: envelopeBytes)
        guard envelope.mode == .encrypted else {
            let signed = try SignedManifest(decoding: Array(envelope.payload), mode: .public)
            return OpenedMessage(signedManifest: signed, envelopeBytes: envelopeBytes, stanzaIndex: nil, recipient: nil)
        }
        let ephemeralKeyBytes = Array(envelope.ephemeralKey ?? [])
        let commitment = Array(envelope.keyCommitment ?? [])
        guard let ephemeralKey = try? X25519.PublicKey(rawRepresentation: ephemeralKeyBytes),
            let shared = try? encryptionKey.sharedSecret(with: ephemeralKey)
        else {
            throw .malformed("the envelope's ephemeral key is a low-order point")
        }
        let ownKey = encryptionKey.publicKey.rawRepresentation
        let wrapKey = MessageKeys.wrapKey(
            shared: shared, ephemeralPublicKey: ephemeralKeyBytes, recipientPublicKey: ownKey)
        let candidates: [Int]
        if let stanzaIndex {
            guard envelope.stanzas.indices.contains(stanzaIndex) else {
                throw MessageError(.notARecipient, "there is no stanza \(stanzaIndex)")
            }
            candidates = [stanzaIndex]
        } else {
            candidates = Array(envelope.stanzas.indices)
        }
        var opened: (index: Int, key: [UInt8])?
        for index in candidates {
            if let key = try? XChaCha20Poly1305.open(
                envelope.stanzas[index], using: wrapKey, nonce: MessageKeys.zeroNonce)
            {
                opened = (index, key)
                break
            }
        }
        guard let opened else {
            throw MessageError(.notARecipient, "no stanza opens with this encryption key")
        }
        guard ConstantTime.equals(MessageKeys.commitment(messageKey: opened.key), commitment) else {
            throw MessageError(.authenticationFailed, "the message key does not match the envelope's key commitment")
        }
        let signedBytes: [UInt8]
        do {
            signedBytes = try XChaCha20Poly1305.open(
                envelope.payload, using: MessageKeys.headerKey(messageKey: opened.key), nonce: MessageKeys.zeroNonce
            )
        } catch {
            throw MessageError(.authenticationFailed, "the sealed manifest does not authenticate")
        }
        let signed = try SignedManifest(
            decoding: signedBytes, mode: .encrypted, ephemeralKey: ephemeralKeyBytes, keyCommitment: commitment
        )
        guard let recipient = signed.manifest.recipients.first(where: { $0.encryptionKey == encryptionKey.publicKey })
        else {
            throw MessageError(.notARecipient, "the manifest does not list this encryption key among its recipients")
        }
        guard ownAddresses.contains(recipient.address) else {
            throw MessageError(
                .addressMismatch, "the manifest addresses this key to \(recipient.address), which is not one of ours"
            )
        }
        // A blind copy is sealed to its bcc recipient alone (Spec: [msg-bcc-separate], step 12): a copy
        // with a second stanza, or opened by a visible recipient, was shown to someone it hides.
        if let blind = signed.manifest.recipients.first(where: { $0.role == .bcc }),
            envelope.stanzas.count != 1 || blind.encryptionKey != encryptionKey.publicKey
        {
            throw .malformed("a manifest that lists a bcc recipient is sealed to that recipient alone")
        }
        return OpenedMessage(
            signedManifest: signed, envelopeBytes: envelopeBytes, stanzaIndex: opened.index, recipient: recipient)
    }
}
