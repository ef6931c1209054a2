import DialogueCrypto
import Testing

@Suite("X25519")
struct X25519Tests {
    struct Group: WycheproofTestGroup {
        struct Test: WycheproofTestCase {
            let tcId: Int
            let comment: String
            let flags: [String]
            let result: WycheproofResult
            let `public`: String
            let `private`: String
            let shared: String
        }
        let curve: String
        let tests: [Test]
    }

    /// What Dialogue does with a public key carrying a Wycheproof flag.
    enum Outcome {
        /// Compute the RFC 7748 result exactly (libsodium's `crypto_scalarmult`).
        case compute
        /// Refuse the key agreement with `weakPublicKey`.
        case reject
    }

    /// Dialogue's decision for every flag in `x25519_test.json`, the ones Wycheproof calls
    /// "acceptable" included (Spec: primitives.md#prim-x25519-zero, #prim-x25519-public). A case
    /// is rejected if any of its flags says so; a flag missing here fails the test.
    static let decisions: [String: Outcome] = [
        // RFC 7748 section 6.1: the all-zero output MUST abort.
        "ZeroSharedSecret": .reject,
        // Low-order points (and the small values u = 0, 1, ...) always give the all-zero output,
        // because the clamped scalar is a multiple of the cofactor 8.
        "LowOrderPublic": .reject,
        "SmallPublicKey": .reject,
        // RFC 7748 section 5: X25519 is defined on the twist too; compute it.
        "Twist": .compute,
        // RFC 7748 section 5: ignore bit 255, reduce u modulo p; section 7 recommends accepting.
        "NonCanonicalPublic": .compute,
        // Ordinary cases.
        "SpecialPublicKey": .compute,
        "EdgeCaseShared": .compute,
        "EdgeCaseMultiplication": .compute,
        "EdgeCasePrivateKey": .compute,
        "Ktv": .compute,
        "Normal": .compute,
    ]

    @Test("Wycheproof x25519_test.json: every case, acceptable ones pinned per flag")
    func wycheproof() throws {
        var rejected = 0
        let tally = try Wycheproof.replay("x25519_test.json", as: Group.self) { group, test in
            #expect(group.curve == "curve25519")
            let outcomes = test.flags.map { flag -> Outcome in
                guard let outcome = Self.decisions[flag] else {
                    Issue.record("tcId \(test.tcId): no Dialogue decision for flag \(flag)")
                    return .reject
                }
                return outcome
            }
            let privateKey = try X25519.PrivateKey(rawRepresentation: Hex.decode(test.private))
            let publicKey = try X25519.PublicKey(rawRepresentation: Hex.decode(test.public))
            let expected = Hex.decode(test.shared)
            // card-weak-key: the table look-up agrees with the scalar multiplication on every case.
            #expect(publicKey.isLowOrder == outcomes.contains(.reject), "tcId \(test.tcId): isLowOrder")
            if outcomes.contains(.reject) {
                rejected += 1
                // The rule is exactly "reject the all-zero output".
                #expect(expected == [UInt8](repeating: 0, count: 32), "tcId \(test.tcId)")
                #expect(test.result != .valid, "tcId \(test.tcId): a valid case must not be rejected")
                #expect(throws: CryptoError(code: .weakPublicKey), "tcId \(test.tcId) \(test.flags)") {
                    try privateKey.sharedSecret(with: publicKey)
                }
            } else {
                #expect(expected != [UInt8](repeating: 0, count: 32), "tcId \(test.tcId)")
                let shared = try privateKey.sharedSecret(with: publicKey)
                #expect(Hex.encode(shared) == test.shared, "tcId \(test.tcId) \(test.comment) \(test.flags)")
            }
        }
        #expect(tally == WycheproofTally(valid: 264, invalid: 0, acceptable: 254))
        #expect(rejected == 31)
    }

    @Test("RFC 7748 6.1: Alice and Bob")
    func rfc7748() throws {
        let alice = try X25519.PrivateKey(
            rawRepresentation: Hex.decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
        )
        let bob = try X25519.PrivateKey(
            rawRepresentation: Hex.decode("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")
        )
        #expect(
            Hex.encode(alice.publicKey.rawRepresentation)
                == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
        )
        #expect(
            Hex.encode(bob.publicKey.rawRepresentation)
                == "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"
        )
        let shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"
        #expect(Hex.encode(try alice.sharedSecret(with: bob.publicKey)) == shared)
        #expect(Hex.encode(try bob.sharedSecret(with: alice.publicKey)) == shared)
    }

    @Test("Random keys agree; the all-zero point is refused; lengths are checked")
    func api() throws {
        let alice = X25519.PrivateKey()
        let bob = X25519.PrivateKey()
        #expect(try alice.sharedSecret(with: bob.publicKey) == bob.sharedSecret(with: alice.publicKey))
        let restored = try X25519.PrivateKey(rawRepresentation: alice.rawRepresentation)
        #expect(restored.publicKey == alice.publicKey)
        let zero = try X25519.PublicKey(rawRepresentation: [UInt8](repeating: 0, count: 32))
        #expect(throws: CryptoError(code: .weakPublicKey)) { try alice.sharedSecret(with: zero) }
        #expect(throws: CryptoError(code: .invalidKeyLength)) {
            try X25519.PublicKey(rawRepresentation: [UInt8](repeating: 9, count: 31))
        }
        #expect(throws: CryptoError(code: .invalidKeyLength)) {
            try X25519.PrivateKey(rawRepresentation: [UInt8](repeating: 9, count: 33))
        }
    }

    @Test("card-weak-key: isLowOrder agrees with X25519 for random keys and every listed point with its top bit set")
    func lowOrderTable() throws {
        let probe = X25519.PrivateKey()
        for _ in 0..<200 {
            let key = X25519.PrivateKey().publicKey
            #expect(!key.isLowOrder)
            #expect(throws: Never.self) { _ = try probe.sharedSecret(with: key) }
        }
        for hex in [
            "0000000000000000000000000000000000000000000000000000000000000080",
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880",
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        ] {
            let key = try X25519.PublicKey(rawRepresentation: Hex.decode(hex))
            #expect(key.isLowOrder)
            #expect(throws: CryptoError(code: .weakPublicKey)) { try probe.sharedSecret(with: key) }
        }
    }
}
