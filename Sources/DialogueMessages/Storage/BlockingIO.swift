internal import Dispatch

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// File I/O that blocks, kept off Swift's cooperative thread pool: on a two-core machine that
/// pool has two threads, and a thread waiting for the disk is a core not encrypting.
enum BlockingIO {
    private static let queue = DispatchQueue(label: "dialogue.blocking-io", attributes: .concurrent)

    /// Runs `body` on the I/O queue and resumes with its result.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// The largest single `write` or `read`: bigger calls cost more kernel time per byte here.
    static let pieceSize = 128 << 10

    /// Writes all of `buffer` to `descriptor` in pieces; returns `errno` on failure, 0 on success.
    static func writeAll(_ descriptor: Int32, _ buffer: UnsafeRawBufferPointer) -> Int32 {
        var offset = 0
        while offset < buffer.count {
            let length = min(pieceSize, buffer.count - offset)
            let result = write(descriptor, buffer.baseAddress! + offset, length)
            if result < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += result
        }
        return 0
    }
}

/// Why a blob store or a file could not be used.
public typealias BlobStoreFailure = StorageError
