public import DialogueIdentifiers

/// A place that holds blobs by identifier: a local directory, memory, or (later) a server.
///
/// A store does not have to check that bytes match their identifier; whoever reads a blob
/// does (Spec: [id-verify]).
public protocol BlobStore: Sendable {
    /// Stores `bytes` under `id`. Storing a blob that is already there does nothing.
    func put(_ bytes: [UInt8], as id: ContentIdentifier) async throws
    /// The bytes stored under `id`, or `nil` when the store does not hold it.
    func get(_ id: ContentIdentifier) async throws -> [UInt8]?
    /// Whether the store holds `id`.
    func contains(_ id: ContentIdentifier) async throws -> Bool
    /// Makes every blob stored so far durable. A sealer flushes the chunks before it stores the
    /// envelope that names them.
    func flush() async throws
}

extension BlobStore {
    /// Stores that are durable on every put, or not durable at all, have nothing to flush.
    public func flush() async throws {}

    /// Stores `bytes` under their own blob identifier and returns it.
    @discardableResult
    public func put(_ bytes: [UInt8]) async throws -> ContentIdentifier {
        let id = ContentIdentifier.hashing(bytes, context: .blob)
        try await put(bytes, as: id)
        return id
    }
}
