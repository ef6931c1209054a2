import DialogueCrypto
import Testing

@Suite("HMAC-SHA-256 and HKDF-SHA-256: Wycheproof")
struct MACWycheproofTests {
    struct MACGroup: WycheproofTestGroup {
        struct Test: WycheproofTestCase {
            let tcId: Int
            let comment: String
            let flags: [String]
            let result: WycheproofResult
            let key: String
            let msg: String
            let tag: String
        }
        let keySize: Int
        let tagSize: Int
        let tests: [Test]
    }

    /// Every case of `hmac_sha256_test.json`. Groups with a 128-bit tag test truncated HMACs:
    /// the full tag's first 16 bytes are compared with the vector (in constant time), and the
    /// Dialogue API must refuse the truncated tag outright, because Dialogue never truncates.
    @Test("Wycheproof hmac_sha256_test.json: every case")
    func hmac() throws {
        let tally = try Wycheproof.replay("hmac_sha256_test.json", as: MACGroup.self) { group, test in
            let key = Hex.decode(test.key)
            let message = Hex.decode(test.msg)
            let expected = Hex.decode(test.tag)
            #expect(key.count * 8 == group.keySize, "tcId \(test.tcId)")
            #expect(expected.count * 8 == group.tagSize, "tcId \(test.tcId)")
            let full = HMACSHA256.authenticationCode(for: message, using: key)
            let matches = ConstantTime.equals(full.prefix(expected.count), expected)
            #expect(matches == (test.result == .valid), "tcId \(test.tcId) \(test.comment)")

            // Streaming in two pieces gives the same tag.
            var streaming = HMACSHA256(key: key)
            streaming.update(message.prefix(message.count / 2))
            streaming.update(message.dropFirst(message.count / 2))
            #expect(streaming.finalize() == full, "tcId \(test.tcId)")

            let accepted = HMACSHA256.isValidAuthenticationCode(expected, authenticating: message, using: key)
            if group.tagSize == 256 {
                #expect(accepted == (test.result == .valid), "tcId \(test.tcId)")
            } else {
                #expect(!accepted, "tcId \(test.tcId): a truncated tag must never be accepted")
            }
        }
        #expect(tally == WycheproofTally(valid: 66, invalid: 108, acceptable: 0))
    }

    struct HKDFGroup: WycheproofTestGroup {
        struct Test: WycheproofTestCase {
            let tcId: Int
            let comment: String
            let flags: [String]
            let result: WycheproofResult
            let ikm: String
            let salt: String
            let info: String
            let size: Int
            let okm: String
        }
        let keySize: Int
        let tests: [Test]
    }

    /// Every case of `hkdf_sha256_test.json` (which includes RFC 5869's test cases 1 to 3):
    /// valid cases give exactly `okm`, both through `deriveKey` and through `extract` then
    /// `expand`; the invalid ones ask for more than 255 * 32 bytes and must throw
    /// `outputLengthTooLarge`.
    @Test("Wycheproof hkdf_sha256_test.json: every case")
    func hkdf() throws {
        let tally = try Wycheproof.replay("hkdf_sha256_test.json", as: HKDFGroup.self) { _, test in
            let ikm = Hex.decode(test.ikm)
            let salt = Hex.decode(test.salt)
            let info = Hex.decode(test.info)
            switch test.result {
            case .valid:
                let okm = try HKDFSHA256.deriveKey(ikm: ikm, salt: salt, info: info, outputByteCount: test.size)
                #expect(Hex.encode(okm) == test.okm, "tcId \(test.tcId) \(test.comment)")
                let prk = HKDFSHA256.extract(salt: salt, ikm: ikm)
                let expanded = try HKDFSHA256.expand(prk: prk, info: info, outputByteCount: test.size)
                #expect(expanded == okm, "tcId \(test.tcId)")
            case .invalid:
                #expect(test.flags == ["SizeTooLarge"], "tcId \(test.tcId)")
                #expect(throws: CryptoError(code: .outputLengthTooLarge), "tcId \(test.tcId)") {
                    try HKDFSHA256.deriveKey(ikm: ikm, salt: salt, info: info, outputByteCount: test.size)
                }
            case .acceptable:
                Issue.record("tcId \(test.tcId): no Dialogue decision for an acceptable HKDF case")
            }
        }
        #expect(tally == WycheproofTally(valid: 83, invalid: 3, acceptable: 0))
    }
}
