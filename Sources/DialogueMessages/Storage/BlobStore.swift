public import DialogueIdentifiers

/// A place that holds blobs by identifier: a local directory, memory, or (later) a server.
///
/// A store does not have to check that bytes match their identifier; whoever reads a blob
/// does (Spec: [id-verify]), unless the store says it checked them (``checksIdentifiers``).
public protocol BlobStore: Sendable {
    /// Stores `bytes` under `id`. Storing a blob that is already there does nothing.
    func put(_ bytes: [UInt8], as id: ContentIdentifier) async throws
    /// The bytes stored under `id`, or `nil` when the store does not hold it.
    func get(_ id: ContentIdentifier) async throws -> [UInt8]?
    /// The bytes stored under `id` if they are at most `limit` bytes, or `nil` when the store
    /// does not hold it (Spec: [msg-limits]).
    ///
    /// A store that can learn a blob's size before reading it (a file, a server's length
    /// header) MUST implement this so that it never reads or allocates more than `limit + 1`
    /// bytes: readers pass the largest blob the protocol allows where they expect it
    /// (``MessageLimits/maximumEnvelopeSize``, ``MessageLimits/maximumChunkBlobSize``).
    ///
    /// - Throws: ``MessageError`` `limits-exceeded` for a larger blob.
    func get(_ id: ContentIdentifier, limit: Int) async throws -> [UInt8]?
    /// Whether the store holds `id`.
    func contains(_ id: ContentIdentifier) async throws -> Bool
    /// Makes every blob stored so far durable. A sealer flushes the chunks before it stores the
    /// envelope that names them.
    func flush() async throws
    /// Whether every blob that ``get(_:limit:)`` returns was checked against its identifier by the
    /// store itself ([id-verify]), just before it was returned: a store that hashes each blob as it
    /// fetches it, or as it reads it back, says so, and ``PartReader`` does not hash the same bytes
    /// a second time. A store that cannot promise it for every blob leaves the default, `false`.
    var checksIdentifiers: Bool { get }
}

extension BlobStore {
    /// Stores that are durable on every put, or not durable at all, have nothing to flush.
    public func flush() async throws {}

    /// Readers check what most stores return.
    public var checksIdentifiers: Bool { false }

    /// For stores that cannot learn a size first: fetches the blob, then checks its size.
    public func get(_ id: ContentIdentifier, limit: Int) async throws -> [UInt8]? {
        guard let bytes = try await get(id) else { return nil }
        guard bytes.count <= limit else { throw BlobSizeLimit.exceeded(id, size: bytes.count, limit: limit) }
        return bytes
    }

    /// Stores `bytes` under their own blob identifier and returns it.
    @discardableResult
    public func put(_ bytes: [UInt8]) async throws -> ContentIdentifier {
        let id = ContentIdentifier.hashing(bytes, context: .blob)
        try await put(bytes, as: id)
        return id
    }
}

/// The error of a blob beyond a reader's limit, worded the same by every store.
enum BlobSizeLimit {
    static func exceeded(_ id: ContentIdentifier, size: Int, limit: Int) -> MessageError {
        MessageError(
            .limitsExceeded, "blob \(id.text(kind: .blob)) holds \(size) bytes; at most \(limit) are allowed here")
    }
}
