extension Ed25519 {
    /// An Ed25519 signature: 64 bytes, `R || S`.
    public struct Signature: Hashable, Sendable {
        /// The 64 bytes of the signature.
        public let rawRepresentation: [UInt8]

        /// Wraps 64 signature bytes; does not check them (verification does).
        ///
        /// - Throws: ``CryptoError/Code/invalidSignatureLength`` unless `rawRepresentation` has
        ///   exactly 64 bytes.
        public init(rawRepresentation: some Collection<UInt8>) throws(CryptoError) {
            guard rawRepresentation.count == Ed25519.signatureByteCount else {
                throw CryptoError(
                    code: .invalidSignatureLength,
                    reason: "Ed25519 signature has \(rawRepresentation.count) bytes, not 64"
                )
            }
            self.rawRepresentation = contiguousArray(rawRepresentation)
        }

        init(uncheckedBytes bytes: [UInt8]) {
            rawRepresentation = bytes
        }
    }
}
