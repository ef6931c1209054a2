internal import CSodium

/// A heap-allocated, suitably aligned libsodium state (`crypto_generichash_state`,
/// `crypto_auth_hmacsha256_state`), zeroed when released.
///
/// libsodium declares `crypto_generichash_state` with `CRYPTO_ALIGN(64)`, and its vectorised
/// BLAKE2b code may rely on that; a Swift stored property or `var` of the imported type does not
/// guarantee the alignment, so the state lives in memory allocated with an explicit alignment.
///
/// Streaming types (``BLAKE2b/Hasher``, ``HMACSHA256``) hold one of these and copy it before
/// writing when it is shared (copy-on-write), which keeps them value types.
final class SodiumState: @unchecked Sendable {
    // Safety of `@unchecked Sendable`: the owners write the state only through
    // `isKnownUniquelyReferenced`-guarded paths, as `Array` does, so no two threads ever write
    // one instance, and a shared instance is only read (copied).

    // Raw bytes that only libsodium reads and writes: Swift never accesses them as the C type,
    // and the owners' stored properties name no C type.
    private let raw: UnsafeMutableRawPointer
    private let byteCount: Int
    private let alignment: Int

    /// Allocates a zeroed state of `byteCount` bytes (libsodium's `*_statebytes()`), aligned to
    /// `alignment` bytes.
    init(byteCount: Int, alignment: Int) {
        self.byteCount = byteCount
        self.alignment = alignment
        raw = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: alignment)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
    }

    /// The state, for a libsodium function that takes it as an opaque pointer (the C type of a
    /// `CRYPTO_ALIGN`ed struct does not import into Swift).
    var opaquePointer: OpaquePointer {
        OpaquePointer(raw)
    }

    /// A new state with the same bytes.
    func copy() -> SodiumState {
        let copy = SodiumState(byteCount: byteCount, alignment: alignment)
        copy.raw.copyMemory(from: raw, byteCount: byteCount)
        return copy
    }

    deinit {
        sodium_memzero(raw, byteCount)
        raw.deallocate()
    }
}
