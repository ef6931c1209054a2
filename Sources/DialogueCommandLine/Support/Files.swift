import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reading and writing files for the commands, with errors that name the file.
enum Files {
    /// Reads all of `path`, or standard input for `nil` or `-`.
    static func read(_ path: String?) throws -> [UInt8] {
        if path == nil || path == "-" {
            return Array(FileHandle.standardInput.readDataToEndOfFile())
        }
        guard let data = FileManager.default.contents(atPath: path!) else {
            throw fail("no-input", "cannot read \(path!)", status: ExitStatus.noInput)
        }
        return Array(data)
    }

    /// Writes `bytes` to `path` atomically with the given permissions; refuses to overwrite.
    static func create(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws {
        let temporary = "\(path).tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard descriptor >= 0 else {
            throw fail(
                "cannot-create", "cannot create \(path): \(String(cString: strerror(errno)))",
                status: ExitStatus.cannotCreate)
        }
        fchmod(descriptor, mode)
        let ok = bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let result = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if result <= 0 { return false }
                offset += result
            }
            return fsync(descriptor) == 0
        }
        close(descriptor)
        guard ok, link(temporary, path) == 0 else {
            let reason =
                errno == EEXIST ? "\(path) already exists; not overwriting it" : String(cString: strerror(errno))
            unlink(temporary)
            throw fail("cannot-create", reason, status: ExitStatus.cannotCreate)
        }
        unlink(temporary)
    }
}
