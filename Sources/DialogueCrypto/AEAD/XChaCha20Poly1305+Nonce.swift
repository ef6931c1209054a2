extension XChaCha20Poly1305 {
    /// A 24-byte XChaCha20-Poly1305 nonce, stored inline (no allocation).
    public struct Nonce: Hashable, Sendable {
        private var storage: (UInt64, UInt64, UInt64) = (0, 0, 0)

        /// Creates a random nonce; with 24 bytes, random nonces do not collide in practice.
        public init() {
            withUnsafeMutableBytes(of: &storage) { SecureRandom.fill($0) }
        }

        /// Uses 24 bytes as a nonce.
        ///
        /// - Throws: ``CryptoError/Code/invalidNonceLength`` unless `rawRepresentation` has
        ///   exactly 24 bytes.
        public init(rawRepresentation: some Collection<UInt8>) throws(CryptoError) {
            guard rawRepresentation.count == XChaCha20Poly1305.nonceByteCount else {
                throw CryptoError(
                    code: .invalidNonceLength,
                    reason: "XChaCha20-Poly1305 nonce has \(rawRepresentation.count) bytes, not 24"
                )
            }
            withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: rawRepresentation) }
        }

        /// The 24 bytes of the nonce.
        public var rawRepresentation: [UInt8] {
            withUnsafeBytes { Array($0) }
        }

        /// Calls `body` with the 24 bytes of the nonce.
        public func withUnsafeBytes<Result, Failure: Error>(
            _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
        ) throws(Failure) -> Result {
            var storage = storage
            return try Swift.withUnsafeBytes(of: &storage) { (bytes) throws(Failure) -> Result in try body(bytes) }
        }

        /// Whether both nonces have the same bytes.
        public static func == (lhs: Nonce, rhs: Nonce) -> Bool {
            lhs.storage == rhs.storage
        }

        /// Hashes the bytes of the nonce.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(storage.0)
            hasher.combine(storage.1)
            hasher.combine(storage.2)
        }
    }
}
