internal import CSodium

extension Ed25519 {
    /// An Ed25519 public key: 32 bytes, the compressed encoding of a point.
    ///
    /// Creating a key checks only its length. Whether the point is acceptable (canonical, not of
    /// small order) is decided by `isValidSignature(_:for:)`, which rejects every
    /// signature under an unacceptable key, exactly as libsodium does.
    public struct VerifyingKey: Hashable, Sendable {
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
            guard rawRepresentation.count == Ed25519.publicKeyByteCount else {
                throw CryptoError(
                    code: .invalidKeyLength,
                    reason: "Ed25519 public key has \(rawRepresentation.count) bytes, not 32"
                )
            }
            self.rawRepresentation = contiguousArray(rawRepresentation)
        }

        init(uncheckedBytes bytes: [UInt8]) {
            rawRepresentation = bytes
        }

        /// Whether `signature` is a valid signature of `message` under this key, by libsodium's
        /// strict rules (`crypto_sign_verify_detached`; Spec: primitives.md#prim-ed25519-strict).
        public func isValidSignature(_ signature: Signature, for message: some Sequence<UInt8>) -> Bool {
            withContiguousBytes(of: message) { verify(signature.rawRepresentation, $0) }
        }

        /// Whether the bytes `signature` are a valid signature of `message` under this key.
        ///
        /// A signature that does not have exactly 64 bytes is invalid.
        public func isValidSignature(_ signature: some Collection<UInt8>, for message: some Sequence<UInt8>) -> Bool {
            guard signature.count == Ed25519.signatureByteCount else {
                return false
            }
            return withContiguousBytes(of: message) { verify(Array(signature), $0) }
        }

        /// Whether `signature` is a valid signature of the bytes in `message` under this key.
        public func isValidSignature(_ signature: Signature, for message: UnsafeRawBufferPointer) -> Bool {
            withNonNilBase(message) { verify(signature.rawRepresentation, $0) }
        }

        private func verify(_ signature: [UInt8], _ message: UnsafeRawBufferPointer) -> Bool {
            ensureSodiumInitializedOrTrap()
            return signature.withUnsafeBytes { signature in
                rawRepresentation.withUnsafeBytes { publicKey in
                    crypto_sign_verify_detached(signature.bytes, message.bytes, UInt64(message.count), publicKey.bytes)
                        == 0
                }
            }
        }
    }
}
