extension X25519 {
    /// An X25519 public key: the 32-byte little-endian `u`-coordinate of RFC 7748.
    ///
    /// Any 32 bytes are accepted here; a low-order point is caught by
    /// ``PrivateKey/sharedSecret(with:)``.
    public struct PublicKey: Hashable, Sendable {
        /// The 32 bytes of the key.
        public let rawRepresentation: [UInt8]

        /// Hashes the 32 bytes at once; the synthesized hash would feed them one by one.
        public func hash(into hasher: inout Hasher) {
            rawRepresentation.withUnsafeBytes { hasher.combine(bytes: $0) }
        }

        /// Compares the bytes (public data: no need for constant time).
        public static func == (lhs: Self, rhs: Self) -> Bool { lhs.rawRepresentation == rhs.rawRepresentation }

        /// Wraps 32 public-key bytes.
        ///
        /// - Throws: ``CryptoError/Code/invalidKeyLength`` unless `rawRepresentation` has exactly
        ///   32 bytes.
        public init(rawRepresentation: some Collection<UInt8>) throws(CryptoError) {
            guard rawRepresentation.count == X25519.keyByteCount else {
                throw CryptoError(
                    code: .invalidKeyLength,
                    reason: "X25519 public key has \(rawRepresentation.count) bytes, not 32"
                )
            }
            self.rawRepresentation = contiguousArray(rawRepresentation)
        }

        init(uncheckedBytes bytes: [UInt8]) {
            rawRepresentation = bytes
        }
    }
}
