#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Reads a file whose size has a limit, never reading more than the limit + 1 bytes
/// (Spec: messages.md#msg-limits: limits are checked before allocation).
///
/// The size is taken from `fstat` on the open descriptor before anything is allocated, so a
/// 2 GiB file where a 1 MiB chunk should be costs one system call, not 2 GiB of memory. The
/// read itself stops at `limit + 1` bytes, so a file that grows after the `fstat` is caught too.
///
/// ```swift
/// guard let file = try BoundedFileReader.contents(ofFile: path, limit: MessageLimits.maximumEnvelopeSize) else { return }
/// print(file.bytes.count, file.permissions)
/// ```
public enum BoundedFileReader {
    /// A file's bytes and its permission bits, both taken from the same open descriptor.
    public struct Contents: Sendable {
        /// The file's bytes: at most the limit.
        public let bytes: [UInt8]
        /// The permission bits of the file's mode (`st_mode & 0o7777`).
        public let permissions: UInt32
    }

    /// The file at `path`, or `nil` if it does not exist.
    ///
    /// - Throws: ``MessageError`` `limits-exceeded` if the file holds more than `limit` bytes;
    ///   ``BlobStoreFailure`` if it cannot be opened or read (a directory, no permission).
    public static func contents(ofFile path: String, limit: Int) throws -> Contents? {
        let descriptor = open(path, O_RDONLY)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw BlobStoreFailure(description: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw BlobStoreFailure(description: "cannot stat \(path): \(String(cString: strerror(errno)))")
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw BlobStoreFailure(description: "\(path) is not a regular file")
        }
        let size = Int(status.st_size)
        guard size <= limit else {
            throw MessageError(.limitsExceeded, "\(path) holds \(size) bytes; at most \(limit) are allowed")
        }
        // One allocation of the announced size and one byte more, to notice a file that grew.
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
            count = 0
            while count <= size {
                let result = read(descriptor, buffer.baseAddress! + count, min(BlockingIO.pieceSize, size + 1 - count))
                if result < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if result == 0 { break }
                count += result
            }
        }
        guard failure == 0 else {
            throw BlobStoreFailure(description: "cannot read \(path): \(String(cString: strerror(failure)))")
        }
        guard bytes.count == size else {
            throw BlobStoreFailure(description: "\(path) changed while it was read (\(size) bytes announced)")
        }
        return Contents(bytes: bytes, permissions: UInt32(status.st_mode) & 0o7777)
    }

    /// Everything that can be read from `descriptor` (a file, a pipe), up to `limit` bytes.
    ///
    /// A pipe's size is unknown: the bytes grow one piece at a time, and reading stops after
    /// `limit + 1` bytes.
    /// - Throws: ``MessageError`` `limits-exceeded` as soon as `limit + 1` bytes have been read;
    ///   ``BlobStoreFailure`` when a read fails.
    public static func contents(ofDescriptor descriptor: Int32, limit: Int, name: String) throws -> [UInt8] {
        var bytes = [UInt8]()
        var piece = [UInt8](repeating: 0, count: BlockingIO.pieceSize)
        while bytes.count <= limit {
            let wanted = min(piece.count, limit + 1 - bytes.count)
            let result = piece.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, wanted) }
            if result < 0 {
                if errno == EINTR { continue }
                throw BlobStoreFailure(description: "cannot read \(name): \(String(cString: strerror(errno)))")
            }
            if result == 0 { return bytes }
            bytes.append(contentsOf: piece[0..<result])
        }
        throw MessageError(.limitsExceeded, "\(name) holds more than \(limit) bytes")
    }
}
