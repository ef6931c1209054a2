internal import Foundation

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Plaintext for a part, delivered one chunk at a time: exactly ``MessageLimits/chunkSize`` bytes
/// per call until the last call, which returns the rest (Spec: messages.md#msg-parts).
public protocol ChunkSource: Sendable {
    /// The next chunk, or `nil` at the end. Every chunk but the last is full.
    mutating func nextChunk() async throws -> [UInt8]?
}

/// A part's plaintext held in memory.
public struct BytesChunkSource: ChunkSource {
    private let bytes: [UInt8]
    private var offset = 0

    /// Cuts `bytes` into chunks.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The next chunk, or `nil` at the end.
    public mutating func nextChunk() -> [UInt8]? {
        guard offset < bytes.count else { return nil }
        let end = min(bytes.count, offset + MessageLimits.chunkSize)
        var chunk = [UInt8]()
        chunk.reserveCapacity(end - offset + MessageLimits.chunkOverhead)
        chunk.append(contentsOf: bytes[offset..<end])
        offset = end
        return chunk
    }
}

/// A part's plaintext read from a file, one chunk at a time, in constant memory.
public struct FileChunkSource: ChunkSource {
    /// Why the file could not be read: a ``StorageError``, `not-found` when it does not exist.
    public typealias Failure = StorageError

    private final class Descriptor: @unchecked Sendable {
        let value: Int32
        init(_ value: Int32) { self.value = value }
        deinit { close(value) }
    }

    private let descriptor: Descriptor
    private let path: String

    /// Opens `path` for reading.
    ///
    /// - Throws: ``StorageError`` `not-found` if there is no such file, `io-error` if it cannot be opened.
    public init(path: String) throws(StorageError) {
        let value = open(path, O_RDONLY)
        guard value >= 0 else { throw StorageError.system(errno, "open", path) }
        self.descriptor = Descriptor(value)
        self.path = path
    }

    /// The next chunk, or `nil` at the end of the file; read off the cooperative thread pool.
    public mutating func nextChunk() async throws -> [UInt8]? {
        let descriptor = self.descriptor
        let path = self.path
        return try await BlockingIO.run { () throws -> [UInt8]? in
            let capacity = MessageLimits.chunkSize + MessageLimits.chunkOverhead
            var failure: Int32 = 0
            let chunk = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                count = 0
                while count < MessageLimits.chunkSize {
                    let length = min(BlockingIO.pieceSize, MessageLimits.chunkSize - count)
                    let result = read(descriptor.value, buffer.baseAddress! + count, length)
                    if result < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        return
                    }
                    if result == 0 { return }
                    count += result
                }
            }
            if failure != 0 { throw StorageError.system(failure, "read", path) }
            return chunk.isEmpty ? nil : chunk
        }
    }
}

/// A part's plaintext from any asynchronous sequence of byte buffers of any sizes.
public struct StreamChunkSource<Base: AsyncSequence & Sendable>: ChunkSource
where Base.Element == [UInt8], Base.AsyncIterator: Sendable {
    private var iterator: Base.AsyncIterator
    private var buffer: [UInt8] = []
    private var finished = false

    /// Re-cuts `base`'s buffers into chunks.
    public init(_ base: Base) { iterator = base.makeAsyncIterator() }

    /// The next chunk, or `nil` at the end.
    public mutating func nextChunk() async throws -> [UInt8]? {
        while !finished && buffer.count < MessageLimits.chunkSize {
            if let next = try await iterator.next() {
                buffer.append(contentsOf: next)
            } else {
                finished = true
            }
        }
        guard !buffer.isEmpty else { return nil }
        let end = min(buffer.count, MessageLimits.chunkSize)
        var chunk = [UInt8]()
        chunk.reserveCapacity(end + MessageLimits.chunkOverhead)
        chunk.append(contentsOf: buffer[..<end])
        buffer.removeFirst(end)
        return chunk
    }
}
