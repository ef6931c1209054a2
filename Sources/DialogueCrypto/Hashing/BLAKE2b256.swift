/// BLAKE2b with a 32-byte output, the hash Dialogue names content with
/// (Spec: primitives.md#prim-blake2b).
///
/// A convenience over ``BLAKE2b``: `BLAKE2b256.hash(data)` is `BLAKE2b.hash(data, outputByteCount: 32)`,
/// and ``BLAKE2b/Hasher/init(outputByteCount:)`` streams it.
public enum BLAKE2b256 {
    /// The length of a digest: 32 bytes.
    public static let byteCount = 32

    /// Hashes `data`, without a copy when it is contiguous.
    public static func hash(_ data: some Sequence<UInt8>) -> [UInt8] {
        BLAKE2b.hash(data, outputByteCount: byteCount)
    }

    /// Hashes the bytes in `data`.
    public static func hash(_ data: UnsafeRawBufferPointer) -> [UInt8] {
        BLAKE2b.hash(data, outputByteCount: byteCount)
    }

    /// Starts a streaming BLAKE2b-256 computation.
    public static func hasher() -> BLAKE2b.Hasher {
        BLAKE2b.Hasher(outputByteCount: byteCount)
    }
}
