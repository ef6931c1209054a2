public import DialogueIdentifiers
internal import DialogueServerStorage
internal import Synchronization

/// The blob files recently seen live, so that a fetch of a live blob needs no store read (Spec:
/// [dlv-blob-serve]).
///
/// A blob stops being live only when the store records its deletion, and its file is removed right
/// after; a blob uploaded again later is a new file. So a file that is still there, and is the very
/// file (device and inode) that was seen live, is live, as it would be if the store were asked
/// (which is asked before, so the answer is the same race as a store read followed by an open).
/// Deletions in this process drop their entries before the file goes; an entry also lapses after
/// ``lifetime`` seconds, which bounds what a deletion in another process that crashed before removing
/// the file could leave being served.
public final class LiveBlobCache: Sendable {
    /// Which file a blob was served from.
    public struct FileIdentity: Hashable, Sendable {
        /// The file system's device.
        public let device: UInt64
        /// The file's inode.
        public let inode: UInt64

        /// Creates an identity.
        public init(device: UInt64, inode: UInt64) {
            self.device = device
            self.inode = inode
        }
    }

    private struct Entry {
        let file: FileIdentity
        let until: UInt64
    }

    /// How long an entry is trusted, in seconds.
    public let lifetime: UInt64
    /// The most entries held; when full, the cache starts again empty (a cost of one store read per
    /// blob fetched next, never a wrong answer).
    public let capacity: Int
    private let entries = Mutex<[ContentIdentifier: Entry]>([:])

    /// Creates an empty cache.
    public init(lifetime: UInt64 = 5, capacity: Int = 65_536) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// Whether `file` is the file that `id` was seen live in, less than ``lifetime`` seconds before `now`.
    public func isLive(_ id: ContentIdentifier, file: FileIdentity, now: UInt64) -> Bool {
        entries.withLock { entries in
            guard let entry = entries[id] else { return false }
            return entry.file == file && now < entry.until
        }
    }

    /// Records that the store said `id` is live, and that it is served from `file`.
    public func recordLive(_ id: ContentIdentifier, file: FileIdentity, now: UInt64) {
        entries.withLock { entries in
            if entries.count >= capacity, entries[id] == nil { entries.removeAll(keepingCapacity: true) }
            entries[id] = Entry(file: file, until: now + lifetime)
        }
    }

    /// Forgets `ids`: their deletion is recorded and their files are about to go.
    public func forget(_ ids: some Sequence<ContentIdentifier>) {
        entries.withLock { entries in
            for id in ids { entries[id] = nil }
        }
    }
}

extension LiveBlobCache.FileIdentity {
    /// The identity of the file that `status` describes.
    init(_ status: BlobFiles.OpenFileStatus) { self.init(device: status.device, inode: status.inode) }
}
