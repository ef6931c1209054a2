internal import DialogueCrypto
internal import DialogueIdentifiers

/// Encrypts a part chunk by chunk into a blob store, on all cores, in constant memory
/// (Spec: messages.md#msg-parts).
public struct PartEncryptor: Sendable {
    /// Where the chunk blobs go.
    public let store: any BlobStore
    /// How many chunks are sealed at once.
    public let concurrency: Int

    /// Creates an encryptor; `concurrency` defaults to twice the number of cores.
    public init(store: any BlobStore, concurrency: Int = 2 * ProcessorCount.active) {
        self.store = store
        self.concurrency = max(1, concurrency)
    }

    /// Encrypts everything `source` delivers under `key` and returns the part's descriptor.
    ///
    /// - Parameters:
    ///   - source: The plaintext, one chunk at a time.
    ///   - key: The part key: 32 fresh random bytes, never used for another plaintext
    ///     (Spec: [msg-part-key-fresh]).
    ///   - mediaType: The part's media type.
    ///   - fileName: The part's file name, or the empty string.
    /// - Returns: The part's descriptor, for the manifest.
    /// - Throws: ``MessageError`` for a media type, file name or key the specification refuses, or a
    ///   part beyond the limits; the source's and the store's errors.
    public func encrypt(
        _ source: some ChunkSource, key: [UInt8], mediaType: String, fileName: String = ""
    ) async throws -> PartDescriptor {
        try HeaderRules.check(mediaType: mediaType, fileName: fileName)
        guard let partKey = try? XChaCha20Poly1305.Key(rawRepresentation: key) else {
            throw MessageError(.malformed, "a part key is 32 bytes")
        }
        var source = source
        let store = self.store
        var identifiers: [ContentIdentifier?] = []
        var size: UInt64 = 0
        try await withThrowingTaskGroup(of: (Int, ContentIdentifier).self) { group in
            var inFlight = 0
            var current = try await source.nextChunk() ?? []
            var index = 0
            while true {
                let next = try await source.nextChunk()
                let isLast = next == nil
                size += UInt64(current.count)
                if inFlight >= concurrency, let (done, id) = try await group.next() {
                    identifiers[done] = id
                    inFlight -= 1
                }
                identifiers.append(nil)
                let chunkIndex = index
                // Hand the only reference to the task, so the chunk is sealed in place, not copied.
                let handOver = ChunkHandOver(current)
                current = []
                group.addTask {
                    var blob = handOver.take()
                    ChunkCipher.seal(&blob, partKey: partKey, index: UInt64(chunkIndex), isLast: isLast)
                    let id = ContentIdentifier.hashing(blob, context: .blob)
                    try await store.put(blob, as: id)
                    return (chunkIndex, id)
                }
                inFlight += 1
                index += 1
                guard let next else { break }
                current = next
            }
            for try await (done, id) in group { identifiers[done] = id }
        }
        let chunks = identifiers.map { $0! }
        guard chunks.count <= MessageLimits.maximumChunks else {
            throw MessageError(
                .limitsExceeded, "a part of \(size) bytes has more than \(MessageLimits.maximumChunks) chunks")
        }
        return PartDescriptor(mediaType: mediaType, fileName: fileName, size: size, key: key, chunks: chunks)
    }
}

/// Moves a chunk's buffer into a task without leaving a second reference behind: with two
/// references, sealing in place would first copy the whole megabyte.
private final class ChunkHandOver: @unchecked Sendable {
    private var bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The buffer; called once, by the one task that owns it.
    func take() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }
}
