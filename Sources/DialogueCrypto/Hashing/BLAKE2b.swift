internal import CSodium

/// BLAKE2b (RFC 7693), libsodium's `crypto_generichash`, unkeyed or keyed, with an output of
/// 16 to 64 bytes (Spec: primitives.md#prim-blake2b).
///
/// ```swift
/// let digest = BLAKE2b.hash(content)                       // 32 bytes
/// let mac = try BLAKE2b.hash(content, key: key, outputByteCount: 32)
///
/// var hasher = BLAKE2b.Hasher()
/// hasher.update(firstChunk)
/// hasher.update(secondChunk)
/// let sameDigest = hasher.finalize()
/// ```
///
/// The output length is a parameter of BLAKE2b, not a truncation: a 32-byte BLAKE2b digest is
/// not the first half of the 64-byte one. Output lengths outside 16...64 are programming errors
/// and stop the process; key lengths come from data and throw.
public enum BLAKE2b {
    /// The shortest output: 16 bytes (`crypto_generichash_BYTES_MIN`).
    public static let minimumOutputByteCount = 16

    /// The longest output: 64 bytes (`crypto_generichash_BYTES_MAX`).
    public static let maximumOutputByteCount = 64

    /// The default output: 32 bytes (`crypto_generichash_BYTES`), BLAKE2b-256.
    public static let defaultOutputByteCount = 32

    /// The shortest key: 16 bytes (`crypto_generichash_KEYBYTES_MIN`).
    public static let minimumKeyByteCount = 16

    /// The longest key: 64 bytes (`crypto_generichash_KEYBYTES_MAX`).
    public static let maximumKeyByteCount = 64

    /// The output lengths BLAKE2b can produce.
    public static let outputByteCounts = minimumOutputByteCount...maximumOutputByteCount

    /// The key lengths a keyed BLAKE2b accepts.
    public static let keyByteCounts = minimumKeyByteCount...maximumKeyByteCount

    /// Hashes `data` without a key.
    ///
    /// Contiguous data (arrays, `Data`, buffers) is hashed in place, without a copy.
    ///
    /// - Parameters:
    ///   - data: The bytes to hash.
    ///   - outputByteCount: The digest length, 16...64; 32 unless given.
    /// - Returns: The digest.
    public static func hash(_ data: some Sequence<UInt8>, outputByteCount: Int = defaultOutputByteCount) -> [UInt8] {
        withContiguousBytes(of: data) { digest($0, key: nil, outputByteCount: outputByteCount) }
    }

    /// Hashes the bytes in `data` without a key.
    public static func hash(_ data: UnsafeRawBufferPointer, outputByteCount: Int = defaultOutputByteCount) -> [UInt8] {
        withNonNilBase(data) { digest($0, key: nil, outputByteCount: outputByteCount) }
    }

    /// Hashes `data` with a key (BLAKE2b's keyed mode, a MAC).
    ///
    /// - Parameters:
    ///   - data: The bytes to hash.
    ///   - key: The key, 16...64 bytes.
    ///   - outputByteCount: The digest length, 16...64; 32 unless given.
    /// - Returns: The digest.
    /// - Throws: ``CryptoError/Code/invalidKeyLength`` if the key is not 16...64 bytes.
    public static func hash(
        _ data: some Sequence<UInt8>,
        key: some Collection<UInt8>,
        outputByteCount: Int = defaultOutputByteCount
    ) throws(CryptoError) -> [UInt8] {
        try checkKeyLength(key.count)
        return withContiguousBytes(of: key) { key in
            withContiguousBytes(of: data) { digest($0, key: key, outputByteCount: outputByteCount) }
        }
    }

    private static func digest(_ data: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer?, outputByteCount: Int)
        -> [UInt8]
    {
        checkOutputLength(outputByteCount)
        ensureSodiumInitializedOrTrap()
        return [UInt8](unsafeUninitializedCapacity: outputByteCount) { output, initializedCount in
            let status = crypto_generichash(
                output.baseAddress!, outputByteCount, data.bytes, UInt64(data.count),
                key?.bytes, key?.count ?? 0
            )
            precondition(status == 0, "crypto_generichash failed")
            initializedCount = outputByteCount
        }
    }

    static func checkOutputLength(_ count: Int) {
        precondition(
            outputByteCounts.contains(count),
            "BLAKE2b output length \(count) is outside \(outputByteCounts)"
        )
    }

    static func checkKeyLength(_ count: Int) throws(CryptoError) {
        guard keyByteCounts.contains(count) else {
            throw CryptoError(code: .invalidKeyLength, reason: "BLAKE2b key has \(count) bytes, not 16...64")
        }
    }
}
