#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Creates a file with its whole content at once, never replacing anything.
///
/// The bytes go to a temporary file beside the target (created with `O_EXCL` and the final
/// permissions, so they are never readable by others even for a moment), are synced, and are
/// then linked to the target name: `link(2)`, unlike `rename(2)`, fails when the name exists.
/// A reader sees no file or the whole file, and a crash leaves at most a temporary file.
package enum ExclusiveFile {
    /// Creates `path` holding `bytes`, with permissions `mode` (e.g. `0o600`) whatever the umask.
    ///
    /// - Throws: ``StorageError`` `already-exists` if `path` exists; `not-found` if its
    ///   directory does not; `io-error` for any other failure. Nothing is left behind.
    package static func create(_ path: String, _ bytes: [UInt8], mode permissions: UInt32) throws(StorageError) {
        let mode = mode_t(permissions)
        let temporary = "\(path).tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard descriptor >= 0 else { throw .system(errno, "create", path) }
        defer { unlink(temporary) }
        var failure = fchmod(descriptor, mode) == 0 ? 0 : errno
        if failure == 0 { failure = bytes.withUnsafeBytes { BlockingIO.writeAll(descriptor, $0) } }
        if failure == 0 && fsync(descriptor) != 0 { failure = errno }
        close(descriptor)
        if failure != 0 { throw .system(failure, "write", temporary) }
        guard link(temporary, path) == 0 else {
            if errno == EEXIST { throw StorageError(.alreadyExists, "\(path) already exists; it is not replaced") }
            throw .system(errno, "create", path)
        }
        // The new name is durable only once its directory is synced.
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let directoryDescriptor = open(directory.isEmpty ? "/" : directory, O_RDONLY)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }
}
