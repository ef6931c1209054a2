extension XChaCha20Poly1305 {
    /// A 256-bit key for ``XChaCha20Poly1305`` (and ``ChaCha20Poly1305``), kept in
    /// ``SecureBytes``.
    public struct Key: Sendable {
        /// The 32 bytes of the key; keep them secret.
        public let rawRepresentation: SecureBytes

        /// Creates a new key from 32 random bytes.
        public init() {
            rawRepresentation = SecureBytes(randomByteCount: XChaCha20Poly1305.keyByteCount)
        }

        /// Uses 32 bytes as a key.
        ///
        /// - Throws: ``CryptoError/Code/invalidKeyLength`` unless `rawRepresentation` has exactly
        ///   32 bytes.
        public init(rawRepresentation: some Collection<UInt8>) throws(CryptoError) {
            guard rawRepresentation.count == XChaCha20Poly1305.keyByteCount else {
                throw CryptoError(
                    code: .invalidKeyLength,
                    reason: "ChaCha20-Poly1305 key has \(rawRepresentation.count) bytes, not 32"
                )
            }
            self.rawRepresentation = SecureBytes(rawRepresentation)
        }
    }
}
