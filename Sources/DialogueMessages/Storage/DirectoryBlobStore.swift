public import DialogueIdentifiers
internal import Foundation

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// A directory of blobs, each in a file named by its identifier's text form, written atomically:
/// a blob is written to a temporary file, flushed to disk, then renamed into place, so a reader
/// never sees a partial blob, even after a crash.
///
/// Layout: `ROOT/ab/blob-aab…`, where `ab` are characters 6 and 7 of the text form.
public struct DirectoryBlobStore: BlobStore {
    /// Why the store failed.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// What went wrong, with the path.
        public let description: String
    }

    /// The directory.
    public let root: String

    /// Opens (and creates, if needed) a store in `root`.
    public init(root: String) throws {
        self.root = root
        do {
            try FileManager.default.createDirectory(atPath: root + "/tmp", withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot create the blob store at \(root): \(error.localizedDescription)")
        }
    }

    /// The file that holds `id`.
    public func path(of id: ContentIdentifier) -> String {
        let name = id.text(kind: .blob)
        let characters = Array(name.utf8)
        let fanOut = String(decoding: characters[6..<8], as: UTF8.self)
        return "\(root)/\(fanOut)/\(name)"
    }

    /// Writes `bytes` under `id` atomically; does nothing if the blob is already there.
    public func put(_ bytes: [UInt8], as id: ContentIdentifier) async throws {
        let destination = path(of: id)
        if FileManager.default.fileExists(atPath: destination) { return }
        let directory = String(destination[..<destination.lastIndex(of: "/")!])
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = "\(root)/tmp/\(id.text(kind: .blob)).\(getpid()).\(UInt64.random(in: 0...UInt64.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw Failure(description: "cannot create \(temporary): errno \(errno)") }
        var written = 0
        let ok = bytes.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let result = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += result
            }
            return true
        }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard ok, synced, rename(temporary, destination) == 0 else {
            unlink(temporary)
            throw Failure(description: "cannot write \(destination): errno \(errno)")
        }
    }

    /// The bytes under `id`, or `nil` if the store does not hold it.
    public func get(_ id: ContentIdentifier) async throws -> [UInt8]? {
        let file = path(of: id)
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw Failure(description: "cannot read \(file)")
        }
        return [UInt8](data)
    }

    /// Whether the store holds `id`.
    public func contains(_ id: ContentIdentifier) async throws -> Bool {
        FileManager.default.fileExists(atPath: path(of: id))
    }
}
