/// What a server knows about a blob (Spec: delivery.md#dlv-blob-serve).
public enum BlobState: Hashable, Sendable {
    /// Never held, or held only as an upload that nothing names yet: `404`.
    case unknown
    /// Uploaded, durable, and not yet named by a submission or an inbox entry: `404` to fetchers,
    /// but a submission by its uploader may name it.
    case uploaded(by: String, at: UInt64)
    /// Named by a live submission or a kept inbox entry: served with `200`.
    case live(size: Int)
    /// Deleted at this time: `410` for the tombstone period ([dlv-tombstones]).
    case deleted(at: UInt64)
}
