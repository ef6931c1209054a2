internal import CSodium

/// Random bytes from libsodium's generator (`randombytes_buf`), which reads the operating
/// system's cryptographic random source (Spec: primitives.md#prim-random).
public enum SecureRandom {
    /// Returns `count` random bytes.
    ///
    /// - Parameter count: The number of bytes; must not be negative.
    /// - Returns: `count` bytes from the operating system's secure generator.
    public static func bytes(count: Int) -> [UInt8] {
        precondition(count >= 0, "SecureRandom: negative count")
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            fill(UnsafeMutableRawBufferPointer(buffer))
            initializedCount = count
        }
    }

    /// Overwrites every byte of `buffer` with random bytes.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        ensureSodiumInitializedOrTrap()
        guard let base = buffer.baseAddress, buffer.count > 0 else {
            return
        }
        randombytes_buf(base, buffer.count)
    }

    /// Overwrites every byte of `bytes` with random bytes.
    public static func fill(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { fill($0) }
    }
}
