/// XChaCha20-Poly1305, the IETF construction with a 24-byte nonce
/// (`crypto_aead_xchacha20poly1305_ietf_*`; draft-irtf-cfrg-xchacha).
///
/// Dialogue's authenticated encryption (Spec: primitives.md#prim-aead). The 24-byte nonce is
/// long enough to be chosen at random, but Dialogue's constructions derive it; whichever way,
/// a (key, nonce) pair must never be used for two different messages.
///
/// Sealing returns `ciphertext || tag`: the ciphertext has the plaintext's length and the tag is
/// 16 bytes. Opening checks the tag before it decrypts anything and throws
/// ``CryptoError/Code/authenticationFailed`` if it does not verify.
///
/// ```swift
/// let key = XChaCha20Poly1305.Key()
/// let nonce = XChaCha20Poly1305.Nonce()
/// let sealed = XChaCha20Poly1305.seal(plaintext, using: key, nonce: nonce, authenticating: header)
/// let opened = try XChaCha20Poly1305.open(sealed, using: key, nonce: nonce, authenticating: header)
/// ```
///
/// For large payloads, ``seal(_:into:using:nonce:authenticating:)`` and
/// ``sealDetached(inPlace:tag:using:nonce:authenticating:)`` work on caller-provided memory and
/// allocate nothing.
public enum XChaCha20Poly1305 {
    /// The length of a key: 32 bytes.
    public static let keyByteCount = 32

    /// The length of a nonce: 24 bytes.
    public static let nonceByteCount = 24

    /// The length of an authentication tag: 16 bytes.
    public static let tagByteCount = 16

    private static let construction = AEADConstruction.xChaCha20Poly1305

    /// Encrypts and authenticates `plaintext`, and authenticates `aad`.
    ///
    /// - Parameters:
    ///   - plaintext: The bytes to encrypt; may be empty.
    ///   - key: The key.
    ///   - nonce: A nonce never used before with `key`.
    ///   - aad: Additional data that is authenticated but not encrypted; may be empty.
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
    /// - Parameters:
    ///   - combined: `ciphertext || tag`, as returned by `seal`.
    ///   - key: The key it was sealed with.
    ///   - nonce: The nonce it was sealed with.
    ///   - aad: The additional data it was sealed with.
    /// - Returns: The plaintext.
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

    /// Encrypts `plaintext` into `output` as `ciphertext || tag`, without allocating.
    ///
    /// `output` may start at the same address as `plaintext` (in-place sealing: the buffer then
    /// needs 16 spare bytes after the plaintext for the tag); otherwise the two must not overlap.
    ///
    /// - Parameters:
    ///   - plaintext: The bytes to encrypt; may be empty.
    ///   - output: Memory for at least `plaintext.count + 16` bytes.
    ///   - key: The key.
    ///   - nonce: A nonce never used before with `key`.
    ///   - aad: Additional data that is authenticated but not encrypted; may be empty.
    /// - Returns: The number of bytes written: `plaintext.count + 16`.
    /// - Throws: ``CryptoError/Code/outputBufferTooSmall``; ``CryptoError/Code/invalidParameter``
    ///   if the buffers overlap other than exactly.
    @discardableResult
    public static func seal(
        _ plaintext: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer,
        using key: Key,
        nonce: Nonce,
        authenticating aad: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
    ) throws(CryptoError) -> Int {
        try nonce.withUnsafeBytes { nonce throws(CryptoError) in
            try construction.seal(plaintext, into: output, key: key.rawRepresentation, nonce: nonce, aad: aad)
        }
    }

    /// Checks `ciphertext || tag` and decrypts it into `output`, without allocating.
    ///
    /// `output` may start at the same address as `combined` (in-place opening); otherwise the two
    /// must not overlap. Nothing is decrypted unless the tag verifies; if it does not, the first
    /// `combined.count - 16` bytes of `output` are zeroed.
    ///
    /// - Returns: The number of plaintext bytes written: `combined.count - 16`.
    /// - Throws: ``CryptoError/Code/invalidCiphertextLength``,
    ///   ``CryptoError/Code/outputBufferTooSmall``, ``CryptoError/Code/invalidParameter``, or
    ///   ``CryptoError/Code/authenticationFailed``.
    @discardableResult
    public static func open(
        _ combined: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer,
        using key: Key,
        nonce: Nonce,
        authenticating aad: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
    ) throws(CryptoError) -> Int {
        try nonce.withUnsafeBytes { nonce throws(CryptoError) in
            try construction.open(combined, into: output, key: key.rawRepresentation, nonce: nonce, aad: aad)
        }
    }

    /// Encrypts `buffer` in place and writes the 16-byte tag to `tag` (detached form).
    ///
    /// - Throws: ``CryptoError/Code/invalidTagLength`` unless `tag` has 16 bytes;
    ///   ``CryptoError/Code/invalidParameter`` if `tag` overlaps `buffer`.
    public static func sealDetached(
        inPlace buffer: UnsafeMutableRawBufferPointer,
        tag: UnsafeMutableRawBufferPointer,
        using key: Key,
        nonce: Nonce,
        authenticating aad: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
    ) throws(CryptoError) {
        try nonce.withUnsafeBytes { nonce throws(CryptoError) in
            try construction.sealDetached(
                inPlace: buffer, tag: tag, key: key.rawRepresentation, nonce: nonce, aad: aad
            )
        }
    }

    /// Checks `tag` over the ciphertext in `buffer` and decrypts it in place (detached form).
    ///
    /// Nothing is decrypted unless the tag verifies; if it does not, `buffer` is zeroed.
    ///
    /// - Throws: ``CryptoError/Code/invalidTagLength``, ``CryptoError/Code/invalidParameter``,
    ///   or ``CryptoError/Code/authenticationFailed``.
    public static func openDetached(
        inPlace buffer: UnsafeMutableRawBufferPointer,
        tag: UnsafeRawBufferPointer,
        using key: Key,
        nonce: Nonce,
        authenticating aad: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
    ) throws(CryptoError) {
        try nonce.withUnsafeBytes { nonce throws(CryptoError) in
            try construction.openDetached(
                inPlace: buffer, tag: tag, key: key.rawRepresentation, nonce: nonce, aad: aad
            )
        }
    }

    /// Encrypts the bytes of `buffer` in place and appends the tag.
    ///
    /// Reserve 16 bytes of spare capacity in `buffer` to avoid a reallocation.
    public static func sealInPlace(
        _ buffer: inout [UInt8],
        using key: Key,
        nonce: Nonce,
        authenticating aad: some Sequence<UInt8> = [UInt8]()
    ) {
        let count = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: tagByteCount))
        withContiguousBytes(of: aad) { aad in
            buffer.withUnsafeMutableBytes { buffer in
                // Cannot throw: the tag has 16 bytes and follows the message.
                try! sealDetached(
                    inPlace: UnsafeMutableRawBufferPointer(rebasing: buffer.prefix(count)),
                    tag: UnsafeMutableRawBufferPointer(rebasing: buffer.suffix(tagByteCount)),
                    using: key, nonce: nonce, authenticating: aad
                )
            }
        }
    }

    /// Checks and decrypts `ciphertext || tag` in place, then removes the tag.
    ///
    /// If the tag does not verify, `buffer` keeps its length and its first
    /// `buffer.count - 16` bytes are zeroed.
    ///
    /// - Throws: ``CryptoError/Code/invalidCiphertextLength`` or
    ///   ``CryptoError/Code/authenticationFailed``.
    public static func openInPlace(
        _ buffer: inout [UInt8],
        using key: Key,
        nonce: Nonce,
        authenticating aad: some Sequence<UInt8> = [UInt8]()
    ) throws(CryptoError) {
        guard buffer.count >= tagByteCount else {
            throw construction.shortCiphertextError()
        }
        let count = buffer.count - tagByteCount
        let result: Result<Void, CryptoError> = withContiguousBytes(of: aad) { aad in
            buffer.withUnsafeMutableBytes { buffer in
                Result { () throws(CryptoError) in
                    try openDetached(
                        inPlace: UnsafeMutableRawBufferPointer(rebasing: buffer.prefix(count)),
                        tag: UnsafeRawBufferPointer(rebasing: buffer.suffix(tagByteCount)),
                        using: key, nonce: nonce, authenticating: aad
                    )
                }
            }
        }
        try result.get()
        buffer.removeLast(tagByteCount)
    }
}
