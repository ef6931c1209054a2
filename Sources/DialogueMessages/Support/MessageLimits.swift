/// The limits of the specification (Spec: messages.md#msg-limits).
public enum MessageLimits {
    /// Plaintext bytes in every chunk but the last of a part: 2^20.
    public static let chunkSize = 1 << 20
    /// Bytes of authentication tag per chunk.
    public static let chunkOverhead = 16
    /// The largest chunk blob.
    public static let maximumChunkBlobSize = chunkSize + chunkOverhead
    /// The largest envelope blob: the encoding's size limit.
    public static let maximumEnvelopeSize = 1 << 24
    /// Recipients (and stanzas) of one envelope.
    public static let maximumRecipients = 4096
    /// Parts of one message.
    public static let maximumParts = 1024
    /// Chunks summed over all parts of one message.
    public static let maximumChunks = 65_536
    /// Headers of one message.
    public static let maximumHeaders = 256
    /// Bytes of a header name.
    public static let maximumHeaderNameSize = 64
    /// Bytes of a header value.
    public static let maximumHeaderValueSize = 16_384
    /// Identifiers in `in-reply-to`, and in `references`.
    public static let maximumReferences = 1024
    /// Bytes of a media type.
    public static let maximumMediaTypeSize = 255
    /// Bytes of a file name.
    public static let maximumFileNameSize = 255
    /// Addresses on one card.
    public static let maximumCardAddresses = 16

    /// The number of chunks of a part of `size` bytes: `max(1, ceil(size / chunkSize))`.
    public static func chunkCount(forPartSize size: UInt64) -> UInt64 {
        // `(size - 1) / chunkSize + 1` rather than `(size + chunkSize - 1) / chunkSize`: a hostile
        // manifest may give any size up to 2^64 - 1, and the sum would overflow and trap.
        size == 0 ? 1 : (size - 1) / UInt64(chunkSize) + 1
    }

    /// The plaintext length of chunk `index` of a part of `size` bytes.
    public static func plaintextLength(ofChunk index: UInt64, partSize size: UInt64) -> Int {
        let start = index * UInt64(chunkSize)
        return Int(min(UInt64(chunkSize), size - min(size, start)))
    }
}
