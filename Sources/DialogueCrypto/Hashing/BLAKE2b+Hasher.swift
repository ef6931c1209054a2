internal import CSodium

extension BLAKE2b {
    /// A streaming BLAKE2b computation (`crypto_generichash_init`, `_update`, `_final`).
    ///
    /// Feeding the bytes in any number of pieces gives the same digest as `BLAKE2b.hash(_:outputByteCount:)`
    /// over their concatenation. Each `update(_:)` is one call to
    /// `crypto_generichash_update` on the caller's memory, without a copy or an allocation.
    ///
    /// The hasher is a value: copying it forks the computation (the state is copied on the first
    /// write after a copy). The state is zeroed when released.
    public struct Hasher: Sendable {
        /// A `crypto_generichash_state`, 64-byte aligned.
        private var state: SodiumState

        /// The length of the digest that ``finalize()`` returns.
        public let outputByteCount: Int

        /// Starts an unkeyed hash.
        ///
        /// - Parameter outputByteCount: The digest length, 16...64; 32 unless given.
        public init(outputByteCount: Int = BLAKE2b.defaultOutputByteCount) {
            BLAKE2b.checkOutputLength(outputByteCount)
            self.init(validOutputByteCount: outputByteCount, key: nil)
        }

        /// Starts a keyed hash.
        ///
        /// - Parameters:
        ///   - key: The key, 16...64 bytes.
        ///   - outputByteCount: The digest length, 16...64; 32 unless given.
        /// - Throws: ``CryptoError/Code/invalidKeyLength`` if the key is not 16...64 bytes.
        public init(key: some Collection<UInt8>, outputByteCount: Int = BLAKE2b.defaultOutputByteCount)
            throws(CryptoError)
        {
            BLAKE2b.checkOutputLength(outputByteCount)
            try BLAKE2b.checkKeyLength(key.count)
            self = withContiguousBytes(of: key) { Hasher(validOutputByteCount: outputByteCount, key: $0) }
        }

        private init(validOutputByteCount outputByteCount: Int, key: UnsafeRawBufferPointer?) {
            ensureSodiumInitializedOrTrap()
            self.outputByteCount = outputByteCount
            state = SodiumState(byteCount: crypto_generichash_statebytes(), alignment: 64)
            let status = crypto_generichash_init(
                state.opaquePointer, key?.bytes, key?.count ?? 0, outputByteCount
            )
            precondition(status == 0, "crypto_generichash_init failed")
        }

        /// Adds `bytes` to the hash.
        ///
        /// Contiguous sequences (arrays, `Data`, buffers) are hashed in place; others are copied
        /// into an array first.
        public mutating func update(_ bytes: some Sequence<UInt8>) {
            withContiguousBytes(of: bytes) { update($0) }
        }

        /// Adds the bytes in `buffer` to the hash, without copying them.
        public mutating func update(_ buffer: UnsafeRawBufferPointer) {
            guard let base = buffer.baseAddress, buffer.count > 0 else {
                return
            }
            if !isKnownUniquelyReferenced(&state) {
                state = state.copy()
            }
            _ = crypto_generichash_update(
                state.opaquePointer,
                base.assumingMemoryBound(to: UInt8.self),
                UInt64(buffer.count)
            )
        }

        /// Returns the digest of everything added, ``outputByteCount`` bytes long.
        ///
        /// The hasher is consumed; to keep hashing after taking a digest, finalise a copy.
        public consuming func finalize() -> [UInt8] {
            if !isKnownUniquelyReferenced(&state) {
                state = state.copy()
            }
            let state = state
            let count = outputByteCount
            return [UInt8](unsafeUninitializedCapacity: count) { output, initializedCount in
                let status = crypto_generichash_final(
                    state.opaquePointer, output.baseAddress!, count
                )
                precondition(status == 0, "crypto_generichash_final failed")
                initializedCount = count
            }
        }
    }
}
