internal import CSodium

/// The two IETF ChaCha20-Poly1305 constructions of libsodium, behind one code path.
///
/// Every operation is the detached form (`*_encrypt_detached`, `*_decrypt_detached`); the
/// combined form `ciphertext || tag` is the detached form with the tag written after the
/// ciphertext, which is also how libsodium implements it.
enum AEADConstruction {
    /// ChaCha20-Poly1305 of RFC 8439, 12-byte nonce.
    case chaCha20Poly1305
    /// XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha), 24-byte nonce.
    case xChaCha20Poly1305

    static let tagByteCount = 16

    var name: String {
        switch self {
        case .chaCha20Poly1305: "ChaCha20-Poly1305"
        case .xChaCha20Poly1305: "XChaCha20-Poly1305"
        }
    }

    var maximumMessageByteCount: Int {
        let maximum =
            switch self {
            case .chaCha20Poly1305: crypto_aead_chacha20poly1305_ietf_messagebytes_max()
            case .xChaCha20Poly1305: crypto_aead_xchacha20poly1305_ietf_messagebytes_max()
            }
        // `size_t` imports as `Int`; XChaCha20-Poly1305's limit, SIZE_MAX - 16, reads as negative.
        return Int(clamping: UInt(bitPattern: maximum))
    }

    // MARK: - Raw operations (all buffers have non-nil base addresses)

    /// Encrypts `message` into `ciphertext` (same length; may be the same memory) and writes the
    /// tag to `tag`.
    private func encrypt(
        message: UnsafeRawBufferPointer,
        ciphertext: UnsafeMutablePointer<UInt8>,
        tag: UnsafeMutablePointer<UInt8>,
        aad: UnsafeRawBufferPointer,
        nonce: UnsafeRawBufferPointer,
        key: UnsafeRawBufferPointer
    ) {
        precondition(message.count <= maximumMessageByteCount, "\(name): message too long")
        let status =
            switch self {
            case .chaCha20Poly1305:
                crypto_aead_chacha20poly1305_ietf_encrypt_detached(
                    ciphertext, tag, nil, message.bytes, UInt64(message.count),
                    aad.bytes, UInt64(aad.count), nil, nonce.bytes, key.bytes
                )
            case .xChaCha20Poly1305:
                crypto_aead_xchacha20poly1305_ietf_encrypt_detached(
                    ciphertext, tag, nil, message.bytes, UInt64(message.count),
                    aad.bytes, UInt64(aad.count), nil, nonce.bytes, key.bytes
                )
            }
        precondition(status == 0, "\(name): encryption failed")
    }

    /// Checks `tag` over `ciphertext` and `aad`, then decrypts `ciphertext` into `message` (same
    /// length; may be the same memory). Returns whether the tag was valid; libsodium zeroes
    /// `message` when it was not.
    private func decrypt(
        ciphertext: UnsafeRawBufferPointer,
        tag: UnsafePointer<UInt8>,
        message: UnsafeMutablePointer<UInt8>,
        aad: UnsafeRawBufferPointer,
        nonce: UnsafeRawBufferPointer,
        key: UnsafeRawBufferPointer
    ) -> Bool {
        let status =
            switch self {
            case .chaCha20Poly1305:
                crypto_aead_chacha20poly1305_ietf_decrypt_detached(
                    message, nil, ciphertext.bytes, UInt64(ciphertext.count), tag,
                    aad.bytes, UInt64(aad.count), nonce.bytes, key.bytes
                )
            case .xChaCha20Poly1305:
                crypto_aead_xchacha20poly1305_ietf_decrypt_detached(
                    message, nil, ciphertext.bytes, UInt64(ciphertext.count), tag,
                    aad.bytes, UInt64(aad.count), nonce.bytes, key.bytes
                )
            }
        return status == 0
    }

    // MARK: - Combined form into arrays

    func seal(
        _ plaintext: some Sequence<UInt8>,
        key: SecureBytes,
        nonce: UnsafeRawBufferPointer,
        aad: some Sequence<UInt8>
    ) -> [UInt8] {
        withContiguousBytes(of: plaintext) { plaintext in
            withContiguousBytes(of: aad) { aad in
                key.withUnsafeBytes { key in
                    let count = plaintext.count + Self.tagByteCount
                    return [UInt8](unsafeUninitializedCapacity: count) { output, initializedCount in
                        let ciphertext = output.baseAddress!
                        encrypt(
                            message: plaintext, ciphertext: ciphertext, tag: ciphertext + plaintext.count,
                            aad: aad, nonce: nonce, key: key
                        )
                        initializedCount = count
                    }
                }
            }
        }
    }

    func open(
        _ combined: some Sequence<UInt8>,
        key: SecureBytes,
        nonce: UnsafeRawBufferPointer,
        aad: some Sequence<UInt8>
    ) throws(CryptoError) -> [UInt8] {
        let outcome: OpenOutcome = withContiguousBytes(of: combined) { combined in
            guard combined.count >= Self.tagByteCount else {
                return .shortCiphertext
            }
            return withContiguousBytes(of: aad) { aad in
                key.withUnsafeBytes { key in
                    let count = combined.count - Self.tagByteCount
                    var valid = false
                    let plaintext = [UInt8](unsafeUninitializedCapacity: count) { output, initializedCount in
                        withNonNilBase(UnsafeMutableRawBufferPointer(output)) { output in
                            valid = decrypt(
                                ciphertext: UnsafeRawBufferPointer(rebasing: combined.prefix(count)),
                                tag: combined.bytes + count, message: output.bytes,
                                aad: aad, nonce: nonce, key: key
                            )
                        }
                        initializedCount = count
                    }
                    return valid ? .opened(plaintext) : .authenticationFailed
                }
            }
        }
        switch outcome {
        case .opened(let plaintext): return plaintext
        case .shortCiphertext: throw shortCiphertextError()
        case .authenticationFailed: throw authenticationError()
        }
    }

    private enum OpenOutcome {
        case opened([UInt8])
        case shortCiphertext
        case authenticationFailed
    }

    // MARK: - Combined form into caller-provided memory

    func seal(
        _ plaintext: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer,
        key: SecureBytes,
        nonce: UnsafeRawBufferPointer,
        aad: UnsafeRawBufferPointer
    ) throws(CryptoError) -> Int {
        let count = plaintext.count + Self.tagByteCount
        guard output.count >= count else {
            throw CryptoError(
                code: .outputBufferTooSmall,
                reason: "\(name) needs \(count) bytes of output, the buffer has \(output.count)"
            )
        }
        try checkInPlaceOrDisjoint(plaintext, output)
        withNonNilBase(plaintext) { plaintext in
            withNonNilBase(aad) { aad in
                key.withUnsafeBytes { key in
                    encrypt(
                        message: plaintext, ciphertext: output.bytes, tag: output.bytes + plaintext.count,
                        aad: aad, nonce: nonce, key: key
                    )
                }
            }
        }
        return count
    }

    func open(
        _ combined: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer,
        key: SecureBytes,
        nonce: UnsafeRawBufferPointer,
        aad: UnsafeRawBufferPointer
    ) throws(CryptoError) -> Int {
        guard combined.count >= Self.tagByteCount else {
            throw shortCiphertextError()
        }
        let count = combined.count - Self.tagByteCount
        guard output.count >= count else {
            throw CryptoError(
                code: .outputBufferTooSmall,
                reason: "\(name) needs \(count) bytes of output, the buffer has \(output.count)"
            )
        }
        try checkInPlaceOrDisjoint(combined, output)
        let valid = withNonNilBase(output) { output in
            withNonNilBase(aad) { aad in
                key.withUnsafeBytes { key in
                    decrypt(
                        ciphertext: UnsafeRawBufferPointer(rebasing: combined.prefix(count)),
                        tag: combined.bytes + count, message: output.bytes,
                        aad: aad, nonce: nonce, key: key
                    )
                }
            }
        }
        guard valid else {
            throw authenticationError()
        }
        return count
    }

    // MARK: - Detached form, in place

    func sealDetached(
        inPlace buffer: UnsafeMutableRawBufferPointer,
        tag: UnsafeMutableRawBufferPointer,
        key: SecureBytes,
        nonce: UnsafeRawBufferPointer,
        aad: UnsafeRawBufferPointer
    ) throws(CryptoError) {
        try checkDetachedTag(UnsafeRawBufferPointer(tag), buffer)
        withNonNilBase(buffer) { buffer in
            withNonNilBase(aad) { aad in
                key.withUnsafeBytes { key in
                    encrypt(
                        message: UnsafeRawBufferPointer(buffer), ciphertext: buffer.bytes, tag: tag.bytes,
                        aad: aad, nonce: nonce, key: key
                    )
                }
            }
        }
    }

    func openDetached(
        inPlace buffer: UnsafeMutableRawBufferPointer,
        tag: UnsafeRawBufferPointer,
        key: SecureBytes,
        nonce: UnsafeRawBufferPointer,
        aad: UnsafeRawBufferPointer
    ) throws(CryptoError) {
        try checkDetachedTag(tag, buffer)
        let valid = withNonNilBase(buffer) { buffer in
            withNonNilBase(aad) { aad in
                key.withUnsafeBytes { key in
                    decrypt(
                        ciphertext: UnsafeRawBufferPointer(buffer), tag: tag.bytes, message: buffer.bytes,
                        aad: aad, nonce: nonce, key: key
                    )
                }
            }
        }
        guard valid else {
            throw authenticationError()
        }
    }

    // MARK: - Checks

    /// libsodium allows the output to be exactly the input (in place) or disjoint from it.
    private func checkInPlaceOrDisjoint(
        _ input: UnsafeRawBufferPointer,
        _ output: UnsafeMutableRawBufferPointer
    ) throws(CryptoError) {
        if input.overlaps(output), input.baseAddress != UnsafeRawPointer(output.baseAddress) {
            throw CryptoError(
                code: .invalidParameter,
                reason: "\(name) input and output overlap without starting at the same address"
            )
        }
    }

    private func checkDetachedTag(
        _ tag: UnsafeRawBufferPointer,
        _ buffer: UnsafeMutableRawBufferPointer
    ) throws(CryptoError) {
        guard tag.count == Self.tagByteCount else {
            throw CryptoError(code: .invalidTagLength, reason: "\(name) tag has \(tag.count) bytes, not 16")
        }
        if tag.overlaps(buffer) {
            throw CryptoError(code: .invalidParameter, reason: "\(name) tag overlaps the message")
        }
    }

    // MARK: - Errors

    func shortCiphertextError(file: String = #fileID, line: UInt = #line) -> CryptoError {
        CryptoError(
            code: .invalidCiphertextLength,
            reason: "\(name) ciphertext is shorter than its 16-byte tag",
            file: file,
            line: line
        )
    }

    func authenticationError(file: String = #fileID, line: UInt = #line) -> CryptoError {
        CryptoError(code: .authenticationFailed, reason: "\(name) tag does not verify", file: file, line: line)
    }
}
