internal import CSodium

extension SHA256 {
    /// A streaming SHA-256 computation (`crypto_hash_sha256_init`, `_update`, `_final`).
    ///
    /// Feeding the bytes in any number of pieces gives the same digest as ``SHA256/hash(_:)``
    /// over their concatenation, so that a server can check a request body's `Content-Digest`
    /// while it streams the body (Spec: delivery.md#dlv-request-verify, step 8).
    ///
    /// The hasher is a value: copying it forks the computation (the state is copied on the first
    /// write after a copy). The state is zeroed when released.
    public struct Hasher: Sendable {
        /// A `crypto_hash_sha256_state`.
        private var state: SodiumState

        /// Starts a hash of nothing.
        public init() {
            ensureSodiumInitializedOrTrap()
            state = SodiumState(byteCount: crypto_hash_sha256_statebytes(), alignment: 16)
            let status = crypto_hash_sha256_init(UnsafeMutablePointer(state.opaquePointer))
            precondition(status == 0, "crypto_hash_sha256_init failed")
        }

        /// Adds `bytes` to the hash; contiguous sequences are hashed in place.
        public mutating func update(_ bytes: some Sequence<UInt8>) {
            withContiguousBytes(of: bytes) { update($0) }
        }

        /// Adds the bytes in `buffer` to the hash, without copying them.
        public mutating func update(_ buffer: UnsafeRawBufferPointer) {
            guard let base = buffer.baseAddress, buffer.count > 0 else { return }
            if !isKnownUniquelyReferenced(&state) { state = state.copy() }
            _ = crypto_hash_sha256_update(
                UnsafeMutablePointer(state.opaquePointer), base.assumingMemoryBound(to: UInt8.self),
                UInt64(buffer.count))
        }

        /// Returns the 32-byte digest of everything added; the hasher is consumed.
        public consuming func finalize() -> [UInt8] {
            if !isKnownUniquelyReferenced(&state) { state = state.copy() }
            let state = state
            return [UInt8](unsafeUninitializedCapacity: SHA256.byteCount) { output, count in
                let status = crypto_hash_sha256_final(UnsafeMutablePointer(state.opaquePointer), output.baseAddress!)
                precondition(status == 0, "crypto_hash_sha256_final failed")
                count = SHA256.byteCount
            }
        }
    }
}
