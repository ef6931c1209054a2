internal import DialogueCrypto
internal import DialogueIdentifiers

/// The key schedule of a message (Spec: messages.md#msg-seal, messages.md#msg-parts).
enum MessageKeys {
    /// `BLAKE2b-256("dialogue-v1/key-commitment" || 0x00 || K)`.
    static func commitment(messageKey: [UInt8]) -> [UInt8] {
        ContentIdentifier.hashing(messageKey, context: .keyCommitment).digest
    }

    /// `HKDF-SHA-256(ikm = K, salt = empty, info = "dialogue-v1/header-key")`.
    static func headerKey(messageKey: [UInt8]) -> XChaCha20Poly1305.Key {
        derive(ikm: messageKey, salt: [], info: DomainContext.headerKey.bytes)
    }

    /// `HKDF-SHA-256(ikm = shared, salt = E || R, info = "dialogue-v1/stanza")`.
    static func wrapKey(shared: SecureBytes, ephemeralPublicKey: [UInt8], recipientPublicKey: [UInt8])
        -> XChaCha20Poly1305.Key
    {
        shared.withUnsafeBytes { shared in
            derive(ikm: Array(shared), salt: ephemeralPublicKey + recipientPublicKey, info: DomainContext.stanza.bytes)
        }
    }

    /// The all-zero nonce, used once under each stanza key and each header key.
    static let zeroNonce = try! XChaCha20Poly1305.Nonce(rawRepresentation: [UInt8](repeating: 0, count: 24))

    /// `u64be(i) || u8(last) || 0x00 * 15`.
    static func chunkNonce(index: UInt64, isLast: Bool) -> XChaCha20Poly1305.Nonce {
        var bytes = [UInt8](repeating: 0, count: 24)
        for shift in 0..<8 { bytes[7 - shift] = UInt8(truncatingIfNeeded: index >> (8 * UInt64(shift))) }
        bytes[8] = isLast ? 1 : 0
        return try! XChaCha20Poly1305.Nonce(rawRepresentation: bytes)
    }

    private static func derive(ikm: [UInt8], salt: [UInt8], info: [UInt8]) -> XChaCha20Poly1305.Key {
        // 32 bytes is far below HKDF's limit, and a 32-byte key is always valid.
        let raw = try! HKDFSHA256.deriveKey(ikm: ikm, salt: salt, info: info, outputByteCount: 32)
        return try! XChaCha20Poly1305.Key(rawRepresentation: raw)
    }
}
