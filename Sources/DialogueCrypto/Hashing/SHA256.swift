internal import CSodium

/// SHA-256 (FIPS 180-4), libsodium's `crypto_hash_sha256`.
///
/// Not used by the protocol itself: the specification pins the published test-vector files by
/// their SHA-256, the checksum everyone already has a tool for (Spec: conformance.md#conf-vectors).
public enum SHA256 {
    /// The digest length in bytes.
    public static let byteCount = 32

    /// The SHA-256 digest of `data`.
    public static func hash(_ data: some Sequence<UInt8>) -> [UInt8] {
        ensureSodiumInitializedOrTrap()
        var digest = [UInt8](repeating: 0, count: byteCount)
        withContiguousBytes(of: data) { input in
            digest.withUnsafeMutableBufferPointer { output in
                _ = crypto_hash_sha256(
                    output.baseAddress!, input.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(input.count)
                )
            }
        }
        return digest
    }
}
