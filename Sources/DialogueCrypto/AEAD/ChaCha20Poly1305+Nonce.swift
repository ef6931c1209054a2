extension ChaCha20Poly1305 {
    /// A 12-byte ChaCha20-Poly1305 nonce, stored inline (no allocation).
    ///
    /// There is no random initialiser: 12 bytes are too few to choose nonces at random safely.
    public struct Nonce: Hashable, Sendable {
        private var storage: (UInt32, UInt32, UInt32) = (0, 0, 0)

        /// Uses 12 bytes as a nonce.
        ///
        /// - Throws: ``CryptoError/Code/invalidNonceLength`` unless `rawRepresentation` has
        ///   exactly 12 bytes.
        public init(rawRepresentation: some Collection<UInt8>) throws(CryptoError) {
            guard rawRepresentation.count == ChaCha20Poly1305.nonceByteCount else {
                throw CryptoError(
                    code: .invalidNonceLength,
                    reason: "ChaCha20-Poly1305 nonce has \(rawRepresentation.count) bytes, not 12"
                )
            }
            withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: rawRepresentation) }
        }

        /// The 12 bytes of the nonce.
        public var rawRepresentation: [UInt8] {
            withUnsafeBytes { Array($0) }
        }

        /// Calls `body` with the 12 bytes of the nonce.
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
