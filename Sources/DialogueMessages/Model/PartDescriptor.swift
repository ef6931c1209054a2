public import DialogueIdentifiers

/// What the manifest says about one part: enough to fetch, check and decrypt it
/// (Spec: messages.md#msg-manifest, messages.md#msg-parts).
public struct PartDescriptor: Hashable, Sendable {
    /// The media type, e.g. `text/plain; charset=utf-8`.
    public var mediaType: String
    /// The file name, or the empty string.
    public var fileName: String
    /// The plaintext size in bytes.
    public var size: UInt64
    /// The part key `P` (32 bytes).
    public var key: [UInt8]
    /// The identifiers of the chunk blobs, in order.
    public var chunks: [ContentIdentifier]

    /// Creates a descriptor.
    public init(mediaType: String, fileName: String, size: UInt64, key: [UInt8], chunks: [ContentIdentifier]) {
        self.mediaType = mediaType
        self.fileName = fileName
        self.size = size
        self.key = key
        self.chunks = chunks
    }

    /// The media type of a part that carries a forwarded message's signed manifest (Spec: messages.md#msg-forward).
    public static let forwardedMessageMediaType = "application/dialogue-manifest"
}
