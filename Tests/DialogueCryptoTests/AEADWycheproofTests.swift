import DialogueCrypto
import Testing

@Suite("ChaCha20-Poly1305 and XChaCha20-Poly1305: Wycheproof")
struct AEADWycheproofTests {
    struct Group: WycheproofTestGroup {
        struct Test: WycheproofTestCase {
            let tcId: Int
            let comment: String
            let flags: [String]
            let result: WycheproofResult
            let key: String
            let iv: String
            let aad: String
            let msg: String
            let ct: String
            let tag: String
        }
        let ivSize: Int
        let keySize: Int
        let tagSize: Int
        let tests: [Test]
    }

    /// One AEAD under test, through its typed API.
    struct Construction {
        let nonceByteCount: Int
        let seal: (_ key: XChaCha20Poly1305.Key, _ nonce: [UInt8], _ message: [UInt8], _ aad: [UInt8]) throws -> [UInt8]
        let open:
            (_ key: XChaCha20Poly1305.Key, _ nonce: [UInt8], _ combined: [UInt8], _ aad: [UInt8]) throws -> [UInt8]
    }

    /// Replays every case: valid cases seal to exactly `ct || tag` and open back; invalid ones
    /// with a modified tag fail to open with `authenticationFailed`; a nonce of any other size is
    /// refused by the typed `Nonce` with `invalidNonceLength` (Dialogue has no variable nonce).
    func replay(_ name: String, _ construction: Construction) throws -> WycheproofTally {
        try Wycheproof.replay(name, as: Group.self) { group, test in
            #expect(group.keySize == 256 && group.tagSize == 128, "tcId \(test.tcId)")
            let key = try XChaCha20Poly1305.Key(rawRepresentation: Hex.decode(test.key))
            let nonce = Hex.decode(test.iv)
            let message = Hex.decode(test.msg)
            let aad = Hex.decode(test.aad)
            let combined = Hex.decode(test.ct) + Hex.decode(test.tag)
            if nonce.count != construction.nonceByteCount {
                #expect(test.result == .invalid, "tcId \(test.tcId)")
                #expect(test.flags.contains("InvalidNonceSize"), "tcId \(test.tcId)")
                #expect(throws: CryptoError(code: .invalidNonceLength), "tcId \(test.tcId)") {
                    try construction.open(key, nonce, combined, aad)
                }
                #expect(throws: CryptoError(code: .invalidNonceLength), "tcId \(test.tcId)") {
                    try construction.seal(key, nonce, message, aad)
                }
                return
            }
            switch test.result {
            case .valid:
                #expect(try construction.seal(key, nonce, message, aad) == combined, "tcId \(test.tcId)")
                #expect(try construction.open(key, nonce, combined, aad) == message, "tcId \(test.tcId)")
            case .invalid:
                #expect(throws: CryptoError(code: .authenticationFailed), "tcId \(test.tcId) \(test.comment)") {
                    try construction.open(key, nonce, combined, aad)
                }
            case .acceptable:
                Issue.record("tcId \(test.tcId): no Dialogue decision for an acceptable AEAD case")
            }
        }
    }

    @Test("Wycheproof xchacha20_poly1305_test.json: every case")
    func xchacha() throws {
        let tally = try replay(
            "xchacha20_poly1305_test.json",
            Construction(
                nonceByteCount: 24,
                seal: { key, nonce, message, aad in
                    try XChaCha20Poly1305.seal(
                        message, using: key, nonce: XChaCha20Poly1305.Nonce(rawRepresentation: nonce),
                        authenticating: aad
                    )
                },
                open: { key, nonce, combined, aad in
                    let nonce = try XChaCha20Poly1305.Nonce(rawRepresentation: nonce)
                    let opened = try XChaCha20Poly1305.open(combined, using: key, nonce: nonce, authenticating: aad)
                    // The allocation-free forms must agree with the array form.
                    #expect(try Self.openWithBufferForms(combined, key: key, nonce: nonce, aad: aad) == opened)
                    return opened
                }
            )
        )
        #expect(tally == WycheproofTally(valid: 246, invalid: 69, acceptable: 0))
    }

    @Test("Wycheproof chacha20_poly1305_test.json: every case")
    func chacha() throws {
        let tally = try replay(
            "chacha20_poly1305_test.json",
            Construction(
                nonceByteCount: 12,
                seal: { key, nonce, message, aad in
                    try ChaCha20Poly1305.seal(
                        message, using: key, nonce: ChaCha20Poly1305.Nonce(rawRepresentation: nonce),
                        authenticating: aad
                    )
                },
                open: { key, nonce, combined, aad in
                    try ChaCha20Poly1305.open(
                        combined, using: key, nonce: ChaCha20Poly1305.Nonce(rawRepresentation: nonce),
                        authenticating: aad
                    )
                }
            )
        )
        #expect(tally == WycheproofTally(valid: 256, invalid: 69, acceptable: 0))
    }

    /// Opens `combined` with `open(_:into:)` (in place), `openInPlace` and `openDetached`, checks
    /// that they agree, and returns the plaintext; throws the first failure.
    static func openWithBufferForms(
        _ combined: [UInt8],
        key: XChaCha20Poly1305.Key,
        nonce: XChaCha20Poly1305.Nonce,
        aad: [UInt8]
    ) throws -> [UInt8] {
        var inPlace = combined
        let count = try inPlace.withUnsafeMutableBytes { buffer in
            try aad.withUnsafeBytes { aad in
                try XChaCha20Poly1305.open(
                    UnsafeRawBufferPointer(buffer), into: buffer, using: key, nonce: nonce, authenticating: aad
                )
            }
        }
        let viaInto = Array(inPlace.prefix(count))

        var array = combined
        try XChaCha20Poly1305.openInPlace(&array, using: key, nonce: nonce, authenticating: aad)
        #expect(array == viaInto)

        var detached = Array(combined.dropLast(16))
        let tag = Array(combined.suffix(16))
        try detached.withUnsafeMutableBytes { buffer in
            try tag.withUnsafeBytes { tag in
                try aad.withUnsafeBytes { aad in
                    try XChaCha20Poly1305.openDetached(
                        inPlace: buffer, tag: tag, using: key, nonce: nonce, authenticating: aad
                    )
                }
            }
        }
        #expect(detached == viaInto)
        return viaInto
    }
}
