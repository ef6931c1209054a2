/// ChaCha20-Poly1305 of RFC 8439, with a 12-byte nonce (`crypto_aead_chacha20poly1305_ietf_*`).
///
/// Dialogue itself uses ``XChaCha20Poly1305``; this type exists so that implementations can be
/// checked against the Wycheproof ChaCha20-Poly1305 vectors, which exercise the same ChaCha20 and
/// Poly1305 code. It has the same shape as ``XChaCha20Poly1305`` and takes the same ``Key``.
public enum ChaCha20Poly1305 {
    /// The key type: a 256-bit key, as for ``XChaCha20Poly1305``.
    public typealias Key = XChaCha20Poly1305.Key

    /// The length of a key: 32 bytes.
    public static let keyByteCount = 32

    /// The length of a nonce: 12 bytes.
    public static let nonceByteCount = 12

    /// The length of an authentication tag: 16 bytes.
    public static let tagByteCount = 16

    private static let construction = AEADConstruction.chaCha20Poly1305

    /// Encrypts and authenticates `plaintext`, and authenticates `aad`.
    ///
    /// - Returns: `ciphertext || tag`, 16 bytes longer than `plaintext`.
    public static func seal(
        _ plaintext: some Sequence<UInt8>,
        using key: Key,
        nonce: Nonce,
        authenticating aad: some Sequence<UInt8> = [UInt8]()
    ) -> [UInt8] {
        nonce.withUnsafeBytes { nonce in
            construction.seal(plaintext, key: key.rawRepresentation, nonce: nonce, aad: aad)
        }
    }

    /// Checks and decrypts `ciphertext || tag`.
    ///
    /// - Throws: ``CryptoError/Code/invalidCiphertextLength`` if `combined` is shorter than a
    ///   tag; ``CryptoError/Code/authenticationFailed`` if the tag does not verify.
    public static func open(
        _ combined: some Sequence<UInt8>,
        using key: Key,
        nonce: Nonce,
        authenticating aad: some Sequence<UInt8> = [UInt8]()
    ) throws(CryptoError) -> [UInt8] {
        try nonce.withUnsafeBytes { nonce throws(CryptoError) in
            try construction.open(combined, key: key.rawRepresentation, nonce: nonce, aad: aad)
        }
    }
}
