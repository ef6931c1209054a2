internal import Foundation

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// The files of a data directory: `dialogued.json` (settings), `server-key.json`, `mail.sqlite`, `blobs/`.
enum DataDirectory {
    /// The settings file's name.
    static let settingsName = "dialogued.json"
    /// The database's name.
    static let databaseName = "mail.sqlite"

    /// Writes a new file with `mode`, failing if it exists (never a silent overwrite); synchronized.
    static func createExclusively(_ path: String, contents: [UInt8], mode: mode_t) throws(DaemonError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw .cannotCreate("cannot create \(path): \(reason)")
        }
        defer { close(descriptor) }
        let written = contents.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == contents.count, fsync(descriptor) == 0 else {
            unlink(path)
            throw .io("cannot write \(path)")
        }
    }
}
