public import DialogueIdentifiers

/// A blob store in memory, for tests and small tools. It counts reads, so tests can check that
/// a client never fetches a blob twice.
public actor MemoryBlobStore: BlobStore {
    private var blobs: [ContentIdentifier: [UInt8]] = [:]

    /// How many times ``get(_:)`` returned a blob.
    public private(set) var fetchCount = 0

    /// Creates an empty store.
    public init() {}

    /// Stores `bytes` under `id`.
    public func put(_ bytes: [UInt8], as id: ContentIdentifier) {
        if blobs[id] == nil { blobs[id] = bytes }
    }

    /// The bytes under `id`, if any.
    public func get(_ id: ContentIdentifier) -> [UInt8]? {
        guard let bytes = blobs[id] else { return nil }
        fetchCount += 1
        return bytes
    }

    /// The bytes under `id`, if any and if at most `limit` bytes.
    public func get(_ id: ContentIdentifier, limit: Int) throws -> [UInt8]? {
        guard let bytes = blobs[id] else { return nil }
        guard bytes.count <= limit else { throw BlobSizeLimit.exceeded(id, size: bytes.count, limit: limit) }
        fetchCount += 1
        return bytes
    }

    /// Whether the store holds `id`.
    public func contains(_ id: ContentIdentifier) -> Bool { blobs[id] != nil }

    /// Every identifier held.
    public var identifiers: [ContentIdentifier] { Array(blobs.keys) }

    /// Replaces a blob's bytes without changing its identifier: for tests that tamper with storage.
    public func replace(_ id: ContentIdentifier, with bytes: [UInt8]?) { blobs[id] = bytes }
}
