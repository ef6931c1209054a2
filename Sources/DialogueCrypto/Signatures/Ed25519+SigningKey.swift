internal import CSodium

extension Ed25519 {
    /// An Ed25519 private key, made from a 32-byte seed.
    ///
    /// The seed is the secret key of RFC 8032; the key keeps it, with the public key, in
    /// ``SecureBytes`` (libsodium's 64-byte layout `seed || public key`).
    public struct SigningKey: Sendable {
        /// libsodium's secret key: the seed followed by the public key.
        private let secretKey: SecureBytes

        /// The matching public key.
        public let publicKey: VerifyingKey

        /// Creates a new key from 32 random bytes.
        public init() {
            self.init(validSeed: SecureBytes(randomByteCount: Ed25519.seedByteCount))
        }

        /// Recreates a key from its 32-byte seed (RFC 8032's "secret key").
        ///
        /// - Throws: ``CryptoError/Code/invalidKeyLength`` unless `seed` has exactly 32 bytes.
        public init(seed: some Collection<UInt8>) throws(CryptoError) {
            guard seed.count == Ed25519.seedByteCount else {
                throw CryptoError(code: .invalidKeyLength, reason: "Ed25519 seed has \(seed.count) bytes, not 32")
            }
            self.init(validSeed: SecureBytes(seed))
        }

        private init(validSeed seed: SecureBytes) {
            ensureSodiumInitializedOrTrap()
            var publicKeyBytes = [UInt8](repeating: 0, count: Ed25519.publicKeyByteCount)
            secretKey = SecureBytes(count: Int(crypto_sign_secretkeybytes())) { secretKey in
                seed.withUnsafeBytes { seed in
                    publicKeyBytes.withUnsafeMutableBytes { publicKey in
                        // Cannot fail: every 32-byte string is a valid seed.
                        _ = crypto_sign_seed_keypair(publicKey.bytes, secretKey.bytes, seed.bytes)
                    }
                }
            }
            publicKey = VerifyingKey(uncheckedBytes: publicKeyBytes)
        }

        /// The 32-byte seed, for storing the key; keep it secret.
        public var seed: SecureBytes {
            secretKey.withUnsafeBytes { SecureBytes($0.prefix(Ed25519.seedByteCount)) }
        }

        /// Signs `message` (`crypto_sign_detached`).
        ///
        /// Contiguous messages (arrays, `Data`, buffers) are signed in place, without a copy.
        public func signature(for message: some Sequence<UInt8>) -> Signature {
            withContiguousBytes(of: message) { sign($0) }
        }

        /// Signs the bytes in `message` (`crypto_sign_detached`).
        public func signature(for message: UnsafeRawBufferPointer) -> Signature {
            withNonNilBase(message) { sign($0) }
        }

        private func sign(_ message: UnsafeRawBufferPointer) -> Signature {
            let signature = [UInt8](unsafeUninitializedCapacity: Ed25519.signatureByteCount) { buffer, count in
                secretKey.withUnsafeBytes { secretKey in
                    // Cannot fail for a well-formed secret key.
                    _ = crypto_sign_detached(
                        buffer.baseAddress!,
                        nil,
                        message.bytes,
                        UInt64(message.count),
                        secretKey.bytes
                    )
                }
                count = Ed25519.signatureByteCount
            }
            return Signature(uncheckedBytes: signature)
        }
    }
}
