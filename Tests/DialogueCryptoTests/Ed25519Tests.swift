import DialogueCrypto
import Foundation
import Testing

@Suite("Ed25519")
struct Ed25519Tests {
    // MARK: Wycheproof

    struct Group: WycheproofTestGroup {
        struct PublicKey: Decodable { let pk: String }
        struct Test: WycheproofTestCase {
            let tcId: Int
            let comment: String
            let flags: [String]
            let result: WycheproofResult
            let msg: String
            let sig: String
        }
        let publicKey: PublicKey
        let tests: [Test]
    }

    /// Every case of `ed25519_test.json`, judged by libsodium's strict verifier, which is the
    /// Dialogue rule (Spec: primitives.md#prim-ed25519-strict). The file has no "acceptable"
    /// case; the pinned tally makes a future file with one fail here until the spec decides it.
    @Test("Wycheproof ed25519_test.json: every case")
    func wycheproof() throws {
        let tally = try Wycheproof.replay("ed25519_test.json", as: Group.self) { group, test in
            let key = try Ed25519.VerifyingKey(rawRepresentation: Hex.decode(group.publicKey.pk))
            let signature = Hex.decode(test.sig)
            let message = Hex.decode(test.msg)
            let expected = test.result == .valid
            #expect(
                key.isValidSignature(signature, for: message) == expected,
                "tcId \(test.tcId) \(test.comment) \(test.flags)"
            )
            if signature.count == Ed25519.signatureByteCount {
                let typed = try Ed25519.Signature(rawRepresentation: signature)
                #expect(key.isValidSignature(typed, for: message) == expected, "tcId \(test.tcId)")
                message.withUnsafeBytes { buffer in
                    #expect(key.isValidSignature(typed, for: buffer) == expected, "tcId \(test.tcId)")
                }
            } else {
                // Wrong lengths never reach libsodium: the typed API refuses them.
                #expect(test.result == .invalid, "tcId \(test.tcId)")
                #expect(throws: CryptoError(code: .invalidSignatureLength)) {
                    try Ed25519.Signature(rawRepresentation: signature)
                }
            }
        }
        #expect(tally == WycheproofTally(valid: 88, invalid: 63, acceptable: 0))
    }

    // MARK: RFC 8032 section 7.1

    struct RFC8032File: Decodable {
        struct Vector: Decodable {
            let name: String
            let secretKey: String
            let publicKey: String
            let message: String
            let signature: String
        }
        let tests: [Vector]
    }

    static let rfc8032: RFC8032File = {
        let url = Wycheproof.directory.deletingLastPathComponent()
            .appendingPathComponent("rfc8032/ed25519_sign.json")
        return try! JSONDecoder().decode(RFC8032File.self, from: Data(contentsOf: url))
    }()

    @Test("RFC 8032 7.1: seed gives the public key and the exact signature, which verifies")
    func rfc8032Vectors() throws {
        #expect(Self.rfc8032.tests.map(\.name) == ["TEST 1", "TEST 2", "TEST 3", "TEST 1024", "TEST SHA(abc)"])
        for vector in Self.rfc8032.tests {
            let key = try Ed25519.SigningKey(seed: Hex.decode(vector.secretKey))
            let message = Hex.decode(vector.message)
            #expect(Hex.encode(key.publicKey.rawRepresentation) == vector.publicKey, "\(vector.name)")
            #expect(Hex.encode(key.seed) == vector.secretKey, "\(vector.name)")
            let signature = key.signature(for: message)
            #expect(Hex.encode(signature.rawRepresentation) == vector.signature, "\(vector.name)")
            let verifier = try Ed25519.VerifyingKey(rawRepresentation: Hex.decode(vector.publicKey))
            #expect(verifier.isValidSignature(signature, for: message), "\(vector.name)")
            let altered = message.isEmpty ? [0] : [message[0] ^ 1] + message.dropFirst()
            #expect(!verifier.isValidSignature(signature, for: altered), "\(vector.name)")
        }
    }

    @Test("RFC 8032 TEST SHA(abc) signs the SHA-512 digest of \"abc\"")
    func shaABCMessage() throws {
        let vector = try #require(Self.rfc8032.tests.last)
        // FIPS 180-2's SHA-512("abc"), independent of RFC 8032.
        #expect(
            vector.message
                == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        )
    }

    // MARK: Strict verification, beyond Wycheproof

    /// The order of the group, L = 2^252 + 27742317777372353535851937790883648493, little-endian.
    static let groupOrder = Hex.decode("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")

    @Test("S + L (non-canonical S) is rejected: signatures are not malleable")
    func nonCanonicalS() throws {
        let vector = Self.rfc8032.tests[1]
        let key = try Ed25519.VerifyingKey(rawRepresentation: Hex.decode(vector.publicKey))
        var signature = Hex.decode(vector.signature)
        var carry = 0
        for index in 0..<32 {
            let sum = Int(signature[32 + index]) + Int(Self.groupOrder[index]) + carry
            signature[32 + index] = UInt8(sum & 0xff)
            carry = sum >> 8
        }
        #expect(carry == 0)
        #expect(!key.isValidSignature(signature, for: Hex.decode(vector.message)))
    }

    @Test("The identity as public key and R, with S = 0, verifies nothing")
    func smallOrderKeyAndR() throws {
        // A cofactorless verifier without libsodium's checks accepts this for every message.
        let identity = [UInt8(1)] + [UInt8](repeating: 0, count: 31)
        let key = try Ed25519.VerifyingKey(rawRepresentation: identity)
        let signature = identity + [UInt8](repeating: 0, count: 32)
        #expect(!key.isValidSignature(signature, for: Array("any message".utf8)))
        #expect(!key.isValidSignature(signature, for: [UInt8]()))
    }

    @Test("A small-order R under a good key is rejected")
    func smallOrderR() throws {
        let vector = Self.rfc8032.tests[0]
        let key = try Ed25519.VerifyingKey(rawRepresentation: Hex.decode(vector.publicKey))
        let identity = [UInt8(1)] + [UInt8](repeating: 0, count: 31)
        let signature = identity + Hex.decode(vector.signature).suffix(32)
        #expect(!key.isValidSignature(signature, for: [UInt8]()))
    }

    @Test("A non-canonical public key encoding (y = p) is rejected")
    func nonCanonicalPublicKey() throws {
        // y = 2^255 - 19 = p, which is y = 0 written non-canonically.
        let y = [UInt8(0xed)] + [UInt8](repeating: 0xff, count: 30) + [0x7f]
        let key = try Ed25519.VerifyingKey(rawRepresentation: y)
        let signature = Hex.decode(Self.rfc8032.tests[0].signature)
        #expect(!key.isValidSignature(signature, for: [UInt8]()))
    }

    // MARK: API

    @Test("A random key signs and verifies; its seed recreates it")
    func randomKeyRoundTrip() throws {
        let key = Ed25519.SigningKey()
        let message = Array("Dialogue".utf8)
        let signature = key.signature(for: message)
        #expect(signature.rawRepresentation.count == 64)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        let again = try Ed25519.SigningKey(seed: key.seed)
        #expect(again.publicKey == key.publicKey)
        #expect(again.signature(for: message) == signature)
        #expect(key.seed.count == 32)
        message.withUnsafeBytes { #expect(key.signature(for: $0) == signature) }
        #expect(key.signature(for: ArraySlice(message)) == signature)
        #expect(key.signature(for: "Dialogue".utf8) == signature)
        #expect(Ed25519.SigningKey().publicKey != key.publicKey)
    }

    @Test("Wrong lengths are typed errors")
    func lengths() {
        #expect(throws: CryptoError(code: .invalidKeyLength)) {
            try Ed25519.SigningKey(seed: [UInt8](repeating: 1, count: 31))
        }
        #expect(throws: CryptoError(code: .invalidKeyLength)) {
            try Ed25519.SigningKey(seed: [UInt8](repeating: 1, count: 64))
        }
        #expect(throws: CryptoError(code: .invalidKeyLength)) {
            try Ed25519.VerifyingKey(rawRepresentation: [UInt8](repeating: 1, count: 33))
        }
        #expect(throws: CryptoError(code: .invalidSignatureLength)) {
            try Ed25519.Signature(rawRepresentation: [UInt8](repeating: 1, count: 63))
        }
        let key = Ed25519.SigningKey()
        let signature = key.signature(for: [UInt8]()).rawRepresentation
        #expect(key.publicKey.isValidSignature(signature, for: [UInt8]()))
        #expect(!key.publicKey.isValidSignature(signature + [0], for: [UInt8]()))
        #expect(!key.publicKey.isValidSignature(signature.dropLast(), for: [UInt8]()))
    }
}
