internal import CSodium

extension X25519 {
    /// An X25519 private key: a 32-byte scalar, kept in ``SecureBytes``.
    ///
    /// The bytes are stored as given; clamping (RFC 7748 section 5) happens in every
    /// multiplication, so any 32 bytes are a valid key.
    public struct PrivateKey: Sendable {
        /// The 32 bytes of the key; keep them secret.
        public let rawRepresentation: SecureBytes

        /// The matching public key (`crypto_scalarmult_base`).
        public let publicKey: PublicKey

        /// Creates a new key from 32 random bytes.
        public init() {
            self.init(validBytes: SecureBytes(randomByteCount: X25519.keyByteCount))
        }

        /// Recreates a key from its 32 bytes.
        ///
        /// - Throws: ``CryptoError/Code/invalidKeyLength`` unless `rawRepresentation` has exactly
        ///   32 bytes.
        public init(rawRepresentation: some Collection<UInt8>) throws(CryptoError) {
            guard rawRepresentation.count == X25519.keyByteCount else {
                throw CryptoError(
                    code: .invalidKeyLength,
                    reason: "X25519 private key has \(rawRepresentation.count) bytes, not 32"
                )
            }
            self.init(validBytes: SecureBytes(rawRepresentation))
        }

        private init(validBytes scalar: SecureBytes) {
            ensureSodiumInitializedOrTrap()
            var publicKeyBytes = [UInt8](repeating: 0, count: X25519.keyByteCount)
            let status = scalar.withUnsafeBytes { scalar in
                publicKeyBytes.withUnsafeMutableBytes { publicKey in
                    crypto_scalarmult_base(publicKey.bytes, scalar.bytes)
                }
            }
            // The clamped scalar is a non-zero multiple of 8 below the group order, so the
            // product with the base point is never the identity; a failure is a libsodium bug.
            precondition(status == 0, "crypto_scalarmult_base failed")
            rawRepresentation = scalar
            publicKey = PublicKey(uncheckedBytes: publicKeyBytes)
        }

        /// Computes the shared secret with `peer` (`crypto_scalarmult`).
        ///
        /// The result is the raw X25519 output; derive keys from it with ``HKDFSHA256``, never
        /// use it as a key directly.
        ///
        /// - Throws: ``CryptoError/Code/weakPublicKey`` if the shared secret is all zeros, which
        ///   happens exactly when `peer` is a point of small order (Spec:
        ///   primitives.md#prim-x25519-zero).
        public func sharedSecret(with peer: PublicKey) throws(CryptoError) -> SecureBytes {
            var status: Int32 = -1
            let secret = SecureBytes(count: X25519.keyByteCount) { output in
                rawRepresentation.withUnsafeBytes { scalar in
                    peer.rawRepresentation.withUnsafeBytes { point in
                        status = crypto_scalarmult(output.bytes, scalar.bytes, point.bytes)
                    }
                }
            }
            guard status == 0 else {
                throw CryptoError(code: .weakPublicKey, reason: "X25519 shared secret is all zeros")
            }
            return secret
        }
    }
}
