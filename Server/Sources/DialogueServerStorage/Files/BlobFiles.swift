public import DialogueIdentifiers
internal import Foundation

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Blob bytes as files, one per identifier, under `ROOT/blobs/xx/blob-…` (Spec: [dlv-durable]).
///
/// A blob is written to a temporary file in `ROOT/tmp`, hashed as it is written, synchronized,
/// checked against its identifier, renamed into place and its directory synchronized; only then
/// does it exist. A crash leaves at most a temporary file, which ``removeTemporaries()`` clears at
/// start-up: a half-written blob is never served.
public struct BlobFiles: Sendable {
    /// Why writing or reading a blob file failed.
    public enum Failure: Error, Hashable, Sendable, CustomStringConvertible {
        /// More bytes than the limit: nothing was kept (`413 limits-exceeded`).
        case tooLarge(limit: Int)
        /// The bytes do not hash to the identifier: nothing was kept (`422 authentication-failed`).
        case wrongContent(expected: String, actual: String)
        /// The file system failed.
        case io(String)

        /// One line for people.
        public var description: String {
            switch self {
            case .tooLarge(let limit): "more than \(limit) bytes"
            case .wrongContent(let expected, let actual): "the bytes hash to \(actual), not \(expected)"
            case .io(let reason): reason
            }
        }
    }

    /// The directory that holds `blobs/` and `tmp/`.
    public let root: String

    /// Opens (and creates, if needed) the blob directories under `root`.
    public init(root: String) throws {
        self.root = root
        for directory in [root, root + "/blobs", root + "/tmp"] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
    }

    /// The path of the file of `id` (it may not exist).
    public func path(of id: ContentIdentifier) -> String {
        let text = id.text(kind: .blob)
        let shard = text.dropFirst(5).prefix(2)
        return "\(root)/blobs/\(shard)/\(text)"
    }

    /// The size and identity of a file, from `fstat` or `stat`.
    public struct OpenFileStatus: Hashable, Sendable {
        /// The size in bytes.
        public let size: Int
        /// The file system's device.
        public let device: UInt64
        /// The inode.
        public let inode: UInt64
    }

    /// The status of the open file `descriptor`, or `nil` with `errno` set.
    public static func status(ofDescriptor descriptor: Int32) -> OpenFileStatus? {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        return OpenFileStatus(size: Int(status.st_size), device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    }

    /// The status of the regular file at `path`, or `nil` when there is none (or it is something else).
    public static func status(ofPath path: String) -> OpenFileStatus? {
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return OpenFileStatus(size: Int(status.st_size), device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    }

    /// The size of the file of `id`, or `nil` when there is none.
    public func size(of id: ContentIdentifier) -> Int? { BlobFiles.status(ofPath: path(of: id))?.size }

    /// Starts writing the blob `id`, accepting at most `limit` bytes.
    public func writer(for id: ContentIdentifier, limit: Int) throws -> BlobWriter {
        let temporary = "\(root)/tmp/\(UUID().uuidString)"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw Failure.io("cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        return BlobWriter(files: self, id: id, limit: limit, temporary: temporary, descriptor: descriptor)
    }

    /// Writes a whole blob from memory (small blobs, tests).
    @discardableResult
    public func write(_ bytes: [UInt8], as id: ContentIdentifier, limit: Int) throws -> Int {
        var writer = try writer(for: id, limit: limit)
        do {
            try bytes.withUnsafeBytes { try writer.append($0) }
        } catch {
            writer.abandon()
            throw error
        }
        return try writer.finish()
    }

    /// Reads a whole blob into memory (small blobs, tests), at most `limit` bytes.
    public func read(_ id: ContentIdentifier, limit: Int) throws -> [UInt8]? {
        guard let size = size(of: id) else { return nil }
        guard size <= limit else { throw Failure.tooLarge(limit: limit) }
        guard let data = FileManager.default.contents(atPath: path(of: id)), data.count == size else {
            throw Failure.io("cannot read \(path(of: id))")
        }
        return Array(data)
    }

    /// Removes the file of `id`, if there is one, and synchronizes its directory.
    public func remove(_ id: ContentIdentifier) throws {
        let file = path(of: id)
        if unlink(file) != 0 && errno != ENOENT {
            throw Failure.io("cannot remove \(file): \(String(cString: strerror(errno)))")
        }
        Self.synchronizeDirectory((file as NSString).deletingLastPathComponent)
    }

    /// Every blob that has a file, for the start-up sweep ([dlv-delete-crash-safe]).
    public func storedIdentifiers() throws -> [ContentIdentifier] {
        var identifiers: [ContentIdentifier] = []
        let shards = (try? FileManager.default.contentsOfDirectory(atPath: root + "/blobs")) ?? []
        for shard in shards.sorted() {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/blobs/\(shard)")) ?? [] {
                if let id = try? ContentIdentifier(text: name, kind: .blob) { identifiers.append(id) }
            }
        }
        return identifiers
    }

    /// Removes what a crash left in `tmp/`; returns how many files.
    ///
    /// - Parameter age: Leave the temporaries written to in the last `age` seconds: on a blob directory
    ///   that several processes share, those are uploads in progress at another process, not a crash's
    ///   leftovers (0: remove every one, for a directory that one process owns).
    @discardableResult
    public func removeTemporaries(unmodifiedFor age: UInt64 = 0) throws -> Int {
        let names = try FileManager.default.contentsOfDirectory(atPath: root + "/tmp")
        var removed = 0
        for name in names {
            let path = "\(root)/tmp/\(name)"
            if age > 0, let modified = Self.modificationTime(path), modified + age > Self.wallClock() { continue }
            unlink(path)
            removed += 1
        }
        return removed
    }

    /// Whether the file of `id` was written (renamed into place) in the last `age` seconds, by the file
    /// system's clock; `false` without a file.
    public func isRecent(_ id: ContentIdentifier, within age: UInt64) -> Bool {
        guard let modified = Self.modificationTime(path(of: id)) else { return false }
        return modified + age > Self.wallClock()
    }

    private static func modificationTime(_ path: String) -> UInt64? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        #if canImport(Darwin)
            return UInt64(max(0, status.st_mtimespec.tv_sec))
        #else
            return UInt64(max(0, status.st_mtim.tv_sec))
        #endif
    }

    /// The file system's clock: file times are compared with it, not with the server's injected clock.
    private static func wallClock() -> UInt64 { UInt64(max(0, time(nil))) }

    static func synchronizeDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}

/// A blob being written: bytes go to a temporary file and into the hash as they arrive
/// (constant memory, whatever the blob's size).
public struct BlobWriter: ~Copyable {
    private let files: BlobFiles
    private let id: ContentIdentifier
    private let limit: Int
    private let temporary: String
    private var descriptor: Int32
    private var hasher = ContentHasher(context: .blob)
    /// The number of bytes written so far.
    public private(set) var count = 0

    init(files: BlobFiles, id: ContentIdentifier, limit: Int, temporary: String, descriptor: Int32) {
        self.files = files
        self.id = id
        self.limit = limit
        self.temporary = temporary
        self.descriptor = descriptor
    }

    /// Writes the next bytes; ``BlobFiles/Failure/tooLarge(limit:)`` once the limit is passed.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard count + bytes.count <= limit else { throw BlobFiles.Failure.tooLarge(limit: limit) }
        hasher.update(bytes)
        var offset = 0
        while offset < bytes.count {
            #if canImport(Glibc)
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            #else
                let written = Darwin.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            #endif
            if written < 0 {
                if errno == EINTR { continue }
                throw BlobFiles.Failure.io("cannot write \(temporary): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        count += bytes.count
    }

    /// Synchronizes the file, checks the hash, renames it into place and synchronizes the directory;
    /// returns the size. On any failure nothing is kept.
    public consuming func finish() throws -> Int {
        defer { unlink(temporary) }
        let actual = hasher.finalize()
        guard fsync(descriptor) == 0 else {
            close(descriptor)
            throw BlobFiles.Failure.io("cannot synchronize \(temporary): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        descriptor = -1
        guard actual == id else {
            throw BlobFiles.Failure.wrongContent(expected: id.text(kind: .blob), actual: actual.text(kind: .blob))
        }
        let destination = files.path(of: id)
        let directory = (destination as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard rename(temporary, destination) == 0 else {
            throw BlobFiles.Failure.io("cannot rename into \(destination): \(String(cString: strerror(errno)))")
        }
        BlobFiles.synchronizeDirectory(directory)
        return count
    }

    /// Gives up: the temporary file is removed and nothing is kept.
    public consuming func abandon() {
        if descriptor >= 0 { close(descriptor) }
        unlink(temporary)
    }
}
