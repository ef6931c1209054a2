internal import DialogueCrypto

/// Computes a content identifier incrementally, for content that streams (Spec: identifiers.md#id-hash).
///
/// ```swift
/// var hasher = ContentHasher(context: .blob)
/// hasher.update(firstChunk)
/// hasher.update(secondChunk)
/// let id = hasher.finalize()
/// ```
public struct ContentHasher: Sendable {
    private var hasher: BLAKE2b.Hasher
    /// The kind of identifier computed under the context, if any: the result is labelled with it.
    private let kind: IdentifierKind?

    /// Starts hashing under `context`: the context bytes and a zero byte are absorbed first.
    public init(context: DomainContext) {
        kind = IdentifierKind.all.first { $0.context == context }
        hasher = BLAKE2b.Hasher(outputByteCount: 32)
        hasher.update(context.bytes)
        hasher.update([0])
    }

    /// Absorbs more content.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        hasher.update(bytes)
    }

    /// Absorbs more content from raw memory, without copying.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        hasher.update(buffer)
    }

    /// Returns the identifier of everything absorbed.
    public consuming func finalize() -> ContentIdentifier {
        // The digest length is fixed by the algorithm, so this cannot fail.
        try! ContentIdentifier(algorithm: .blake2b256, digest: hasher.finalize(), kind: kind)
    }
}
