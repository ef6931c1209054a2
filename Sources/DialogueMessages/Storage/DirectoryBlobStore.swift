public import DialogueIdentifiers
internal import Dispatch
internal import Foundation
internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// A directory of blobs, each in a file named by its identifier's text form.
///
/// A blob is written to a temporary file and renamed into place, so a reader never sees a
/// partial blob. ``flush()`` makes every blob written so far durable (`fsync`), once, for all of
/// them: ``MessageSealer`` flushes the chunks before it stores the envelope that names them, and
/// flushes the envelope before it returns, so a message is never visible without its chunks, even
/// after a crash. Readers check every blob against its identifier anyway (Spec: [id-verify]).
///
/// Layout: `ROOT/ab/blob-aab…`, where `ab` are characters 6 and 7 of the text form.
public struct DirectoryBlobStore: BlobStore {
    /// Why the store failed.
    public typealias Failure = BlobStoreFailure

    /// The directory that holds the blobs, in fan-out subdirectories, and a `tmp` directory.
    public let root: String

    /// Blobs whose data is being synced in the background, and the directories to sync at flush.
    private let unsynced = UnsyncedFiles()

    private final class UnsyncedFiles: Sendable {
        /// Directories that received a blob since the last flush.
        let directories = Mutex<Set<String>>([])
        /// The first background sync failure since the last flush.
        let failure = Mutex<String?>(nil)
        /// Background syncs still running.
        let inFlight = DispatchGroup()
        /// Where blob data is synced: the disk writes while the next chunks are encrypted.
        let queue = DispatchQueue(label: "dialogue.blob-sync")
    }

    /// Opens (and creates, if needed) a store in `root`.
    ///
    /// - Throws: ``StorageError`` `not-a-directory` if `root`, or the `tmp` directory inside it,
    ///   exists and is not a directory; `io-error` if it cannot be created.
    public init(root: String) throws(StorageError) {
        self.root = root
        for directory in [root, root + "/tmp"] {
            var status = stat()
            if stat(directory, &status) == 0 {
                guard (status.st_mode & S_IFMT) == S_IFDIR else {
                    throw StorageError(.notADirectory, "\(directory) exists and is not a directory")
                }
                continue
            }
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw StorageError(
                    .ioError, "cannot create the blob store directory \(directory): \(error.localizedDescription)")
            }
        }
    }

    /// The file that holds `id`.
    public func path(of id: ContentIdentifier) -> String {
        let name = id.text(kind: .blob)
        let characters = Array(name.utf8)
        let fanOut = String(decoding: characters[6..<8], as: UTF8.self)
        return "\(root)/\(fanOut)/\(name)"
    }

    /// Writes `bytes` under `id` (temporary file, then rename); does nothing if the blob is
    /// already there. The blob is durable after the next ``flush()``.
    public func put(_ bytes: [UInt8], as id: ContentIdentifier) async throws {
        try await BlockingIO.run { try putSynchronously(bytes, as: id) }
    }

    /// ``put(_:as:)`` on the calling thread, for callers that are not async (a store's migration).
    package func putSynchronously(_ bytes: [UInt8], as id: ContentIdentifier) throws {
        let destination = path(of: id)
        if access(destination, F_OK) == 0 { return }
        let temporary = "\(root)/tmp/\(id.text(kind: .blob)).\(getpid()).\(UInt64.random(in: 0...UInt64.max))"
        let directory = String(destination[..<destination.lastIndex(of: "/")!])
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw Failure(description: "cannot create \(directory): errno \(errno)")
        }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw Failure(description: "cannot create \(temporary): errno \(errno)") }
        let failure = bytes.withUnsafeBytes { BlockingIO.writeAll(descriptor, $0) }
        guard failure == 0, rename(temporary, destination) == 0 else {
            let reason = failure == 0 ? errno : failure
            close(descriptor)
            unlink(temporary)
            throw Failure(description: "cannot write \(destination): errno \(reason)")
        }
        unsynced.directories.withLock { _ = $0.insert(directory) }
        // Sync the data now, in the background; flush() waits for it.
        let unsynced = self.unsynced
        unsynced.inFlight.enter()
        unsynced.queue.async {
            if fsync(descriptor) != 0 {
                let message = "cannot sync \(destination): errno \(errno)"
                unsynced.failure.withLock { if $0 == nil { $0 = message } }
            }
            close(descriptor)
            unsynced.inFlight.leave()
        }
    }

    /// Makes every blob written so far durable: waits for the background syncs of their data,
    /// then syncs the directories that received them (so the renames are durable too).
    public func flush() async throws {
        try await BlockingIO.run { try flushSynchronously() }
    }

    /// ``flush()`` on the calling thread, for callers that are not async.
    package func flushSynchronously() throws {
        unsynced.inFlight.wait()
        let directories = unsynced.directories.withLock { directories in
            defer { directories.removeAll() }
            return directories
        }
        let failure = unsynced.failure.withLock { failure in
            defer { failure = nil }
            return failure
        }
        if let failure { throw Failure(description: failure) }
        for directory in directories { try Self.sync(directory) }
    }

    private static func sync(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw Failure(description: "cannot open \(path) to sync it: errno \(errno)") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw Failure(description: "cannot sync \(path): errno \(errno)") }
    }

    /// The bytes under `id`, or `nil` if the store does not hold it; no blob of the protocol is
    /// larger than an envelope, so nothing larger is read (``get(_:limit:)``).
    public func get(_ id: ContentIdentifier) async throws -> [UInt8]? {
        try await get(id, limit: MessageLimits.maximumEnvelopeSize)
    }

    /// The bytes under `id` if the file holds at most `limit` bytes, or `nil` if the store does
    /// not hold it. The file's size is checked with `fstat` before anything is allocated, and no
    /// more than `limit + 1` bytes are ever read (Spec: [msg-limits]).
    ///
    /// - Throws: ``MessageError`` `limits-exceeded` for a larger file; ``Failure`` if it cannot be read.
    public func get(_ id: ContentIdentifier, limit: Int) async throws -> [UInt8]? {
        let file = path(of: id)
        return try await BlockingIO.run {
            do {
                return try BoundedFileReader.contents(ofFile: file, limit: limit)?.bytes
            } catch let error as MessageError {
                throw MessageError(error.code, "blob \(id.text(kind: .blob)): \(error.reason)")
            }
        }
    }

    /// Whether the store holds `id`.
    public func contains(_ id: ContentIdentifier) async throws -> Bool {
        let file = path(of: id)
        return try await BlockingIO.run { access(file, F_OK) == 0 }
    }
}
