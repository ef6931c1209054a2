/// HKDF with SHA-256 (RFC 5869), built on ``HMACSHA256``: Dialogue's key derivation function
/// (Spec: primitives.md#prim-hkdf).
///
/// libsodium 1.0.18 has no HKDF (`crypto_kdf_hkdf_sha256_*` arrived in 1.0.19), so this type
/// implements RFC 5869 section 2 over `crypto_auth_hmacsha256`, as age does over its HMAC:
///
/// ```
/// PRK = HMAC-SHA-256(key = salt, message = IKM)
/// T(0) = empty; T(i) = HMAC-SHA-256(key = PRK, message = T(i-1) || info || u8(i))
/// OKM = (T(1) || T(2) || ...)[0:L],  L <= 255 * 32
/// ```
///
/// An empty salt is the HMAC key of length zero, which HMAC pads to the same block as 32 zero
/// bytes, so it equals RFC 5869's default salt.
public enum HKDFSHA256 {
    /// The longest output: 255 * 32 = 8160 bytes.
    public static let maximumOutputByteCount = 255 * HMACSHA256.byteCount

    /// HKDF-Extract: the pseudorandom key `HMAC-SHA-256(salt, ikm)`, 32 bytes.
    ///
    /// - Parameters:
    ///   - salt: The salt; may be empty.
    ///   - ikm: The input keying material.
    /// - Returns: The pseudorandom key, 32 bytes.
    public static func extract(salt: some Sequence<UInt8>, ikm: some Sequence<UInt8>) -> SecureBytes {
        var hmac = HMACSHA256(key: salt)
        hmac.update(ikm)
        return SecureBytes(count: HMACSHA256.byteCount) { hmac.finalize(into: $0.bytes) }
    }

    /// HKDF-Expand: `outputByteCount` bytes of output keying material from a pseudorandom key.
    ///
    /// - Parameters:
    ///   - prk: The pseudorandom key, normally the 32 bytes from ``extract(salt:ikm:)``.
    ///   - info: Context and application-specific information; may be empty.
    ///   - outputByteCount: The output length, 0...8160.
    /// - Returns: `outputByteCount` bytes of output keying material.
    /// - Throws: ``CryptoError/Code/outputLengthTooLarge`` above 8160 bytes;
    ///   ``CryptoError/Code/invalidParameter`` for a negative length.
    public static func expand(
        prk: some Sequence<UInt8>,
        info: some Sequence<UInt8>,
        outputByteCount: Int
    ) throws(CryptoError) -> SecureBytes {
        guard outputByteCount >= 0 else {
            throw CryptoError(code: .invalidParameter, reason: "HKDF output length \(outputByteCount) is negative")
        }
        guard outputByteCount <= maximumOutputByteCount else {
            throw CryptoError(
                code: .outputLengthTooLarge,
                reason: "HKDF-SHA-256 output length \(outputByteCount) exceeds 255 * 32 = 8160"
            )
        }
        let keyed = HMACSHA256(key: prk)
        return withContiguousBytes(of: info) { info in
            SecureBytes(count: outputByteCount) { output in
                var block = [UInt8](repeating: 0, count: HMACSHA256.byteCount)
                defer { zeroize(&block) }
                var offset = 0
                var counter: UInt8 = 1
                while offset < outputByteCount {
                    var hmac = keyed
                    if counter > 1 {
                        hmac.update(block)
                    }
                    hmac.update(info)
                    hmac.update(CollectionOfOne(counter))
                    block.withUnsafeMutableBytes { hmac.finalize(into: $0.bytes) }
                    let take = Swift.min(HMACSHA256.byteCount, outputByteCount - offset)
                    UnsafeMutableRawBufferPointer(rebasing: output[offset..<(offset + take)])
                        .copyBytes(from: block.prefix(take))
                    offset += take
                    counter &+= 1
                }
            }
        }
    }

    /// HKDF: extract, then expand.
    ///
    /// - Parameters:
    ///   - ikm: The input keying material (a shared secret, say).
    ///   - salt: The salt; may be empty.
    ///   - info: Context and application-specific information; may be empty.
    ///   - outputByteCount: The output length, 0...8160.
    /// - Returns: `outputByteCount` bytes of output keying material.
    /// - Throws: ``CryptoError/Code/outputLengthTooLarge`` above 8160 bytes;
    ///   ``CryptoError/Code/invalidParameter`` for a negative length.
    public static func deriveKey(
        ikm: some Sequence<UInt8>,
        salt: some Sequence<UInt8>,
        info: some Sequence<UInt8>,
        outputByteCount: Int
    ) throws(CryptoError) -> SecureBytes {
        try expand(prk: extract(salt: salt, ikm: ikm), info: info, outputByteCount: outputByteCount)
    }
}
