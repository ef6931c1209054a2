public import DialogueCrypto
public import DialogueIdentifiers
internal import DialogueCBOR

/// A manifest and the sender's signature over its exact bytes (Spec: messages.md#msg-seal).
///
/// Its identifier is the message identifier (Spec: messages.md#msg-id).
public struct SignedManifest: Hashable, Sendable {
    /// `[manifest, signature]` exactly as signed or received.
    public let encodedBytes: [UInt8]
    /// The decoded manifest.
    public let manifest: Manifest

    /// The message identifier: the hash of ``encodedBytes`` under `dialogue-v1/message`.
    public var messageID: ContentIdentifier { ContentIdentifier.hashing(encodedBytes, context: .message) }

    /// Signs `manifest` with the sender's identity key.
    public init(signing manifest: Manifest, with signingKey: Ed25519.SigningKey) {
        let bytes = manifest.encoded()
        let signature = signingKey.signature(for: Schema.signatureInput(.manifest, bytes))
        self.encodedBytes = Schema.encodeSigned(payload: bytes, signature: signature.rawRepresentation)
        self.manifest = manifest
    }

    /// Decodes and verifies a signed manifest: steps 6 to 11 of messages.md#msg-open.
    ///
    /// - Parameters:
    ///   - mode: The envelope's mode, which the manifest must repeat.
    ///   - ephemeralKey: The envelope's `E` (encrypted mode).
    ///   - keyCommitment: The envelope's key commitment (encrypted mode).
    public init(
        decoding bytes: [UInt8],
        mode: MessageMode,
        ephemeralKey: [UInt8]? = nil,
        keyCommitment: [UInt8]? = nil
    ) throws(MessageError) {
        let outer = try Schema.decode(bytes[...], "signed manifest")
        let (payload, signature) = try Schema.signed(outer, "signed manifest")
        let manifest = try Manifest(decoding: payload)
        guard manifest.senderCard.identityKey.isValidSignature(signature, for: Schema.signatureInput(.manifest, payload))
        else {
            throw MessageError(.badSignature, "the manifest's signature does not verify under the sender card's key")
        }
        try manifest.checkConsistency()
        guard manifest.mode == mode else {
            throw .malformed("the manifest says \(manifest.mode) but the envelope says \(mode)")
        }
        guard manifest.ephemeralKey == ephemeralKey, manifest.keyCommitment == keyCommitment else {
            throw .malformed("the manifest's ephemeral key or key commitment differs from the envelope's")
        }
        guard manifest.senderCard.lists(manifest.senderAddress) else {
            throw MessageError(
                .addressMismatch, "the sender address \(manifest.senderAddress) is not on the sender's card"
            )
        }
        self.encodedBytes = bytes
        self.manifest = manifest
    }

    /// Compares bytes.
    public static func == (lhs: SignedManifest, rhs: SignedManifest) -> Bool { lhs.encodedBytes == rhs.encodedBytes }

    /// Hashes bytes.
    public func hash(into hasher: inout Hasher) { hasher.combine(encodedBytes) }
}
