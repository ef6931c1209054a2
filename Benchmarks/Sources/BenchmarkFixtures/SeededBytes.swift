internal import CSodiumBench

/// Pseudo-random bytes from a fixed seed (libsodium's `randombytes_buf_deterministic`, ChaCha20),
/// so that every run of every benchmark sees exactly the same inputs.
public enum SeededBytes {
    /// `count` bytes determined by `seed` and `stream`: different streams of one seed do not overlap
    /// in any way that matters to a benchmark.
    public static func make(count: Int, seed: UInt64, stream: UInt64 = 0) -> [UInt8] {
        precondition(sodium_init() >= 0, "sodium_init failed")
        var key = [UInt8](repeating: 0, count: Int(randombytes_seedbytes()))
        for i in 0..<8 {
            key[i] = UInt8(truncatingIfNeeded: seed >> (8 * UInt64(i)))
            key[8 + i] = UInt8(truncatingIfNeeded: stream >> (8 * UInt64(i)))
        }
        key[16] = 0xd1  // "dialogue benchmark" marker, so a seed of 0 is not an all-zero key
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 { randombytes_buf_deterministic(buffer.baseAddress!, count, key) }
            initialized = count
        }
    }
}
