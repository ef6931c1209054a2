import ArgumentParser
import DialogueMessages
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reading and writing files for the commands, with errors that name the file.
enum Files {
    /// The most any command reads whole: the encoding's size limit, which no card, secret
    /// file, statement or envelope exceeds (Spec: messages.md#msg-limits).
    static let readLimit = MessageLimits.maximumEnvelopeSize

    /// Reads all of `path`, or standard input for `nil` or `-`, never more than `limit` + 1 bytes.
    static func read(_ path: String?, limit: Int = readLimit) throws -> [UInt8] {
        try contents(path, limit: limit).bytes
    }

    /// The bytes and permission bits of `path` (standard input for `nil` or `-`, which has no
    /// permissions), read from one descriptor.
    static func contents(_ path: String?, limit: Int = readLimit) throws -> (bytes: [UInt8], permissions: UInt32?) {
        let name = path ?? "-"
        do {
            if name == "-" {
                let bytes = try BoundedFileReader.contents(ofDescriptor: 0, limit: limit, name: "standard input")
                return (bytes, nil)
            }
            guard let contents = try BoundedFileReader.contents(ofFile: name, limit: limit) else {
                throw fail("no-input", "cannot read \(name): no such file", status: ExitStatus.noInput)
            }
            return (contents.bytes, contents.permissions)
        } catch let error as MessageError {
            throw fail(error.code.name, error.reason)
        } catch let error as BlobStoreFailure {
            throw fail("no-input", error.description, status: ExitStatus.noInput)
        }
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
