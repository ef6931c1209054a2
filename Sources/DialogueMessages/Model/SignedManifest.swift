internal import DialogueCBOR
public import DialogueCrypto
public import DialogueIdentifiers

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
    ///   - bytes: The signed manifest: `[manifest, signature]`.
    ///   - mode: The envelope's mode, which the manifest must repeat.
    ///   - ephemeralKey: The envelope's `E` (encrypted mode).
    ///   - keyCommitment: The envelope's key commitment (encrypted mode).
    /// - Throws: ``MessageError`` with the class of the first failed check, in the specification's order.
    public init(
        decoding bytes: [UInt8],
        mode: MessageMode,
        ephemeralKey: [UInt8]? = nil,
        keyCommitment: [UInt8]? = nil
    ) throws(MessageError) {
        try self.init(bytes, envelope: (mode, ephemeralKey, keyCommitment))
    }

    /// Decodes and verifies a forwarded signed manifest, the content of a part of media type
    /// `application/dialogue-manifest` (Spec: messages.md#msg-forward): steps 6 to 11 of
    /// messages.md#msg-open, without an envelope to compare the mode, `E` and commitment with.
    ///
    /// The manifest still lists its original recipients: it proves who sent it and to whom, not
    /// that it was addressed to whoever holds it.
    public init(decodingForwarded bytes: [UInt8]) throws(MessageError) {
        try self.init(bytes, envelope: nil)
    }

    private init(
        _ bytes: [UInt8], envelope: (mode: MessageMode, ephemeralKey: [UInt8]?, keyCommitment: [UInt8]?)?
    ) throws(MessageError) {
        let outer = try Schema.decode(bytes[...], "signed manifest")
        let (payload, signature) = try Schema.signed(outer, "signed manifest")
        let manifest = try Manifest(decoding: payload)
        guard
            manifest.senderCard.identityKey.isValidSignature(signature, for: Schema.signatureInput(.manifest, payload))
        else {
            throw MessageError(.badSignature, "the manifest's signature does not verify under the sender card's key")
        }
        try manifest.checkConsistency()
        if let envelope {
            guard manifest.mode == envelope.mode else {
                throw .malformed("the manifest says \(manifest.mode) but the envelope says \(envelope.mode)")
            }
            guard manifest.ephemeralKey == envelope.ephemeralKey, manifest.keyCommitment == envelope.keyCommitment
            else {
                throw .malformed("the manifest's ephemeral key or key commitment differs from the envelope's")
            }
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
