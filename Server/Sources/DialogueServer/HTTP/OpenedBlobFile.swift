internal import DialogueServerStorage
internal import Hummingbird
internal import NIOCore
internal import NIOPosix

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// A blob file opened before its answer is sent, and read from that descriptor (Spec: [dlv-blob-serve]).
///
/// A blob can be deleted while it is being served (its last acknowledgement arrives mid-download).
/// Opening by path inside the body writer would then fail after the `200` and its `Content-Length`
/// were sent, cutting the answer short. An open descriptor keeps the unlinked file readable until it
/// is closed, so a fetch that was answered `200` always gets every byte; a fetch that comes after the
/// deletion finds no file and is answered `410` ([dlv-tombstones]).
///
/// A range of at most ``directReadLimit`` bytes is read by the calling task, as nginx reads on its
/// event loop: from the page cache that costs a few microseconds, less than a hop to a thread pool
/// and back. A longer one is streamed, one thread-pool job per chunk, so that an answer in flight
/// holds one chunk whatever the blob's size and no task waits for a long read.
final class OpenedBlobFile: Sendable {
    /// The most bytes read per job, and so held per answer in flight.
    static let chunkSize = 256 * 1024
    /// The longest range read by the calling task.
    static let directReadLimit = 64 * 1024

    private let descriptor: Int32
    /// The file's size when it was opened.
    let size: Int
    /// Which file was opened, for the ``LiveBlobCache``.
    let identity: LiveBlobCache.FileIdentity

    /// Opens `path` for reading, or returns `nil` when there is no such file (deleted meanwhile).
    init?(path: String) throws {
        #if canImport(Glibc)
            let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        #else
            let descriptor = Darwin.open(path, O_RDONLY | O_CLOEXEC)
        #endif
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw BlobFiles.Failure.io("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        // The size and identity of the file as opened; a regular blob file has no holes to seek over.
        guard let status = BlobFiles.status(ofDescriptor: descriptor) else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw BlobFiles.Failure.io("cannot size \(path): \(reason)")
        }
        self.descriptor = descriptor
        size = status.size
        identity = LiveBlobCache.FileIdentity(status)
    }

    deinit { close(descriptor) }

    /// The body of `range`: read now when it is short, streamed from the open descriptor otherwise.
    func body(_ range: ClosedRange<Int>, threadPool: NIOThreadPool = .singleton) throws -> ResponseBody {
        if range.count <= OpenedBlobFile.directReadLimit {
            return ResponseBody(byteBuffer: try read(offset: range.lowerBound, count: range.count))
        }
        return ResponseBody(contentLength: range.count) { writer in
            var offset = range.lowerBound
            while offset <= range.upperBound {
                let count = min(OpenedBlobFile.chunkSize, range.upperBound + 1 - offset)
                let start = offset
                let chunk = try await threadPool.runIfActive { try self.read(offset: start, count: count) }
                try await writer.write(chunk)
                offset += count
            }
            try await writer.finish(nil)
        }
    }

    /// Exactly `count` bytes at `offset`; a file that ends sooner is an I/O failure.
    func read(offset: Int, count: Int) throws -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        try read(offset: offset, count: count, into: &buffer)
        return buffer
    }

    /// Appends exactly `count` bytes at `offset` to `buffer`; a file that ends sooner is an I/O failure.
    func read(offset: Int, count: Int, into buffer: inout ByteBuffer) throws {
        var done = 0
        while done < count {
            var failure: Int32 = 0
            let wanted = count - done
            let position = off_t(offset + done)
            let got = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { bytes in
                let result = pread(descriptor, bytes.baseAddress!, wanted, position)
                if result < 0 { failure = errno }
                return max(result, 0)
            }
            if failure == EINTR { continue }
            if failure != 0 { throw BlobFiles.Failure.io("cannot read a blob: \(String(cString: strerror(failure)))") }
            if got == 0 { throw BlobFiles.Failure.io("a blob file ended before its size") }
            done += got
        }
    }
}
