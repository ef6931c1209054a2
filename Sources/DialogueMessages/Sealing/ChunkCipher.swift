public import DialogueCrypto
internal import DialogueIdentifiers

/// Encrypts and decrypts the chunks of a part (Spec: messages.md#msg-parts).
///
/// Each chunk is independent of the others, so chunks can be sealed and opened on all cores
/// and in any order.
public enum ChunkCipher {
    /// Encrypts chunk `index` of a part in place: `plaintext` becomes the chunk blob.
    public static func seal(_ plaintext: inout [UInt8], partKey: XChaCha20Poly1305.Key, index: UInt64, isLast: Bool) {
        XChaCha20Poly1305.sealInPlace(
            &plaintext, using: partKey, nonce: MessageKeys.chunkNonce(index: index, isLast: isLast))
    }

    /// Checks a chunk blob against its identifier and expected length, then decrypts it in place
    /// (Spec: [msg-chunk-size], [msg-chunk-release], [id-verify]).
    ///
    /// Nothing is released unless the tag verifies: on failure `blob` holds no plaintext.
    public static func open(
        _ blob: inout [UInt8], part: PartDescriptor, index: Int
    ) throws(MessageError) {
        try open(&blob, part: part, index: index, identifierChecked: false)
    }

    /// ``open(_:part:index:)`` for a blob that its store has just checked against its identifier
    /// (``BlobStore/checksIdentifiers``) when `identifierChecked`: the same checks in the same
    /// order, without hashing the blob again.
    static func open(
        _ blob: inout [UInt8], part: PartDescriptor, index: Int, identifierChecked: Bool
    ) throws(MessageError) {
        // The part first, as a manifest's part is checked (Spec: conformance.md, `chunk.open`).
        guard let key = try? XChaCha20Poly1305.Key(rawRepresentation: part.key) else {
            throw .malformed("a part key is 32 bytes")
        }
        guard UInt64(part.chunks.count) == MessageLimits.chunkCount(forPartSize: part.size) else {
            throw .malformed("a part of \(part.size) bytes does not have \(part.chunks.count) chunks")
        }
        guard part.chunks.indices.contains(index) else {
            throw .malformed("part has \(part.chunks.count) chunks; there is no chunk \(index)")
        }
        let expectedLength =
            MessageLimits.plaintextLength(ofChunk: UInt64(index), partSize: part.size) + MessageLimits.chunkOverhead
        guard blob.count == expectedLength else {
            throw .malformed("chunk \(index) must be \(expectedLength) bytes, not \(blob.count)")
        }
        guard identifierChecked || part.chunks[index].isIdentifier(of: blob, context: .blob) else {
            throw MessageError(.authenticationFailed, "chunk \(index) does not hash to its identifier")
        }
        let nonce = MessageKeys.chunkNonce(index: UInt64(index), isLast: index == part.chunks.count - 1)
        do {
            try XChaCha20Poly1305.openInPlace(&blob, using: key, nonce: nonce)
        } catch {
            throw MessageError(.authenticationFailed, "chunk \(index) does not authenticate under its part key")
        }
    }
}
