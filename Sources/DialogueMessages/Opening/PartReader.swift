internal import DialogueIdentifiers
internal import Foundation

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Fetches, checks and decrypts the chunks of one part (Spec: messages.md#msg-parts,
/// messages.md#msg-partial).
///
/// Any chunk can be read on its own, in any order; ``chunks(from:)`` streams a whole part in
/// order while fetching and opening the next few chunks on other cores.
///
/// ```swift
/// let reader = PartReader(part: opened.manifest.parts[0], store: store)
/// for try await plaintext in reader.chunks() { write(plaintext) }
/// ```
public struct PartReader: Sendable {
    /// The part to read, as the signed manifest describes it: its key and its chunks' identifiers.
    public let part: PartDescriptor
    /// Where the part's chunks are fetched from; any store may serve them, since each is checked.
    public let store: any BlobStore
    /// How many chunks are fetched and opened ahead of the one being consumed.
    public let lookahead: Int

    /// Creates a reader; `lookahead` defaults to twice the number of cores.
    public init(part: PartDescriptor, store: any BlobStore, lookahead: Int = 2 * ProcessorCount.active) {
        self.part = part
        self.store = store
        self.lookahead = max(1, lookahead)
    }

    /// The plaintext of chunk `index`: fetched, checked against its identifier and length, and
    /// authenticated before anything is returned (Spec: [msg-chunk-release]).
    ///
    /// - Throws: ``MessageError`` `truncated` if the store does not hold the chunk;
    ///   `limits-exceeded` if it is larger than any chunk blob (checked before it is read);
    ///   `malformed` or `authentication-failed` if the blob is wrong.
    public func chunk(_ index: Int) async throws -> [UInt8] {
        guard part.chunks.indices.contains(index) else {
            throw MessageError(.malformed, "the part has \(part.chunks.count) chunks; there is no chunk \(index)")
        }
        // No chunk blob is larger than CHUNK + 16: a larger file is refused before it is read.
        guard var blob = try await store.get(part.chunks[index], limit: MessageLimits.maximumChunkBlobSize) else {
            throw MessageError(
                .truncated,
                "chunk \(index) of \(part.chunks.count) (\(part.chunks[index].text(kind: .blob))) is not available"
            )
        }
        // A store that checked the blob as it fetched or read it spares the second hash.
        try ChunkCipher.open(&blob, part: part, index: index, identifierChecked: store.checksIdentifiers)
        return blob
    }

    /// The plaintext chunks from `start` to the end, in order.
    public func chunks(from start: Int = 0) -> Chunks { Chunks(reader: self, start: start) }

    /// The whole part in memory: for small parts.
    public func readAll() async throws -> [UInt8] {
        // A one-chunk part (most text) needs no read-ahead tasks.
        if part.chunks.count == 1 { return try await chunk(0) }
        var bytes = [UInt8]()
        // The size is the sender's claim: reserve no more than a few chunks up front.
        bytes.reserveCapacity(Int(min(part.size, UInt64(4 * MessageLimits.chunkSize))))
        for try await chunk in chunks() { bytes.append(contentsOf: chunk) }
        return bytes
    }

    /// Writes the part to `path`, in constant memory. The file is written under a temporary
    /// name (mode 0600) and moved into place only when every chunk has authenticated, so a
    /// failure leaves no partial file behind; an existing file at `path` is never replaced.
    ///
    /// - Throws: ``BlobStoreFailure`` if `path` exists or cannot be written; the errors of
    ///   ``chunk(_:)`` if the part does not open.
    public func write(toFile path: String) async throws {
        let temporary = "\(path).partial-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw BlobStoreFailure(description: "cannot create \(temporary): errno \(errno)") }
        defer {
            close(descriptor)
            unlink(temporary)
        }
        try await write(toDescriptor: descriptor, name: temporary)
        // link(2), unlike rename(2), fails instead of replacing what is there.
        guard link(temporary, path) == 0 else {
            throw BlobStoreFailure(description: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes the part's plaintext to an open file, chunk by chunk, in constant memory, and syncs
    /// it. Each chunk is written only after it authenticated; a failure can leave the earlier
    /// chunks in the file, so write to a temporary file and move it into place when this returns.
    ///
    /// - Parameter name: the file's name, for error messages.
    public func write(toDescriptor descriptor: Int32, name: String) async throws {
        // What is written is synced in the background every few chunks, so that the disk writes while
        // the next chunks are fetched and opened, and the final fsync waits only for the last few (a
        // 256 MiB part spent a quarter of its time in one fsync at the end). The final fsync is what
        // makes the file durable, as before; a background sync's error is reported here, because the
        // kernel reports a write-back error to one sync only.
        var background: Task<Int32, any Error>?
        var unsynced = 0
        func finishBackgroundSync() async throws -> Int32 {
            defer { background = nil }
            return try await background?.value ?? 0
        }
        do {
            for try await chunk in chunks() {
                let failure = try await BlockingIO.run {
                    chunk.withUnsafeBytes { BlockingIO.writeAll(descriptor, $0) }
                }
                if failure != 0 {
                    throw BlobStoreFailure(description: "cannot write \(name): \(String(cString: strerror(failure)))")
                }
                unsynced += chunk.count
                if unsynced >= PartReader.backgroundSyncBytes {
                    let failure = try await finishBackgroundSync()
                    if failure != 0 {
                        throw BlobStoreFailure(
                            description: "cannot sync \(name): \(String(cString: strerror(failure)))")
                    }
                    background = Task { try await BlockingIO.run { fdatasync(descriptor) == 0 ? 0 : errno } }
                    unsynced = 0
                }
            }
        } catch {
            // The caller closes the descriptor when this returns: no sync may still be using it.
            _ = try? await finishBackgroundSync()
            throw error
        }
        let failure = try await finishBackgroundSync()
        guard failure == 0, fsync(descriptor) == 0 else {
            let reason = failure == 0 ? errno : failure
            throw BlobStoreFailure(description: "cannot write \(name): \(String(cString: strerror(reason)))")
        }
    }

    /// How much plaintext ``write(toDescriptor:name:)`` writes between two background syncs.
    static let backgroundSyncBytes = 16 * MessageLimits.chunkSize

    /// The plaintext chunks of a part, in order, opened ahead on other cores.
    public struct Chunks: AsyncSequence, Sendable {
        /// A chunk's plaintext.
        public typealias Element = [UInt8]

        let reader: PartReader
        let start: Int

        /// Starts reading.
        public func makeAsyncIterator() -> Iterator { Iterator(reader: reader, next: start) }

        /// Yields chunks in order, keeping up to `lookahead` chunks in flight.
        public struct Iterator: AsyncIteratorProtocol {
            let reader: PartReader
            var next: Int
            var scheduled: Int
            let pending = PendingChunks()

            init(reader: PartReader, next: Int) {
                self.reader = reader
                self.next = next
                self.scheduled = next
            }

            /// The next chunk's plaintext, or `nil` after the last chunk.
            public mutating func next() async throws -> [UInt8]? {
                let count = reader.part.chunks.count
                guard next < count else { return nil }
                while scheduled < count && scheduled < next + reader.lookahead {
                    let index = scheduled
                    let reader = self.reader
                    pending.tasks.append(Task { try await reader.chunk(index) })
                    scheduled += 1
                }
                let task = pending.tasks.removeFirst()
                next += 1
                return try await task.value
            }
        }
    }

    /// Tasks opening chunks ahead; cancelled when the iterator is dropped.
    final class PendingChunks: @unchecked Sendable {
        var tasks: [Task<[UInt8], any Error>] = []
        deinit { for task in tasks { task.cancel() } }
    }
}
