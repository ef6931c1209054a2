public import DialogueIdentifiers

extension BlobStore {
    /// The envelope named `id`, checked against its identifier before it is returned: what a
    /// reader does first with the identifier a notification gave (Spec: [id-verify]).
    ///
    /// - Parameter id: The envelope's blob identifier.
    /// - Returns: The envelope's bytes, for ``EnvelopeOpener``.
    /// - Throws: ``StorageError`` `not-found` if the store does not hold `id`; ``MessageError``
    ///   `limits-exceeded` if it is larger than an envelope may be (read no further than that,
    ///   Spec: [msg-limits]), `authentication-failed` if the stored bytes do not hash to `id`; the
    ///   store's own errors.
    public func envelope(_ id: ContentIdentifier) async throws -> [UInt8] {
        guard let bytes = try await get(id, limit: MessageLimits.maximumEnvelopeSize) else {
            throw StorageError(.notFound, "the store does not hold the envelope \(id.text(kind: .blob))")
        }
        guard id.isIdentifier(of: bytes, context: .blob) else {
            throw MessageError(.authenticationFailed, "the stored envelope does not hash to \(id.text(kind: .blob))")
        }
        return bytes
    }
}
