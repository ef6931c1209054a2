import DialogueCrypto
import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Foundation
import Testing

@Suite("safety numbers")
struct SafetyNumberTests {
    let alice = Fixture.identity("alice@example.org", seed: 1)
    let bob = Fixture.identity("bob@example.net", seed: 2)

    /// [trust-safety-number]: the worked example of trust.md, recomputed from the definition.
    @Test("known values: the worked example of the specification")
    func knownValues() throws {
        let aliceNumber = SafetyNumber(address: alice.card.addresses[0], identityKey: alice.card.identityKey)
        let bobNumber = SafetyNumber(address: bob.card.addresses[0], identityKey: bob.card.identityKey)
        #expect(aliceNumber.description == SafetyNumberTests.aliceExpected)
        #expect(bobNumber.description == SafetyNumberTests.bobExpected)
        let pair = try PairSafetyNumber(aliceNumber, bobNumber)
        #expect(pair.description == SafetyNumberTests.pairExpected)
        #expect(pair.verificationURI == SafetyNumberTests.uriExpected)
        // The definition, step by step, with the hash input spelled out.
        let input =
            [UInt8]("dialogue-v1/safety-number".utf8) + [0, 0, 17] + Array("alice@example.org".utf8)
            + alice.card.identityKey.rawRepresentation
        let digest = BLAKE2b256.hash(input)
        let groups = (0..<6).map { group in
            digest[(5 * group)..<(5 * group + 5)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } % 100_000
        }
        #expect(groups.map { String(format: "%05d", $0) }.joined(separator: " ") == SafetyNumberTests.aliceExpected)
    }

    static let aliceExpected = "89852 44084 58843 15091 96737 80091"
    static let bobExpected = "79868 54768 00276 65319 75287 75276"
    static let pairExpected =
        "79868 54768 00276 65319 75287 75276 89852 44084 58843 15091 96737 80091"
    static let uriExpected =
        "dialogue-verify:1/bob@example.net/key-aho5cwiwl43u5lfjwuuy2lnav6rjmrpi7j4z2hrfwhritdgsh4do6/"
        + "alice@example.org/key-ag3khxw4qzluq7w5pwrqtwqbvoit2petcekkcdbzdzr52c7efiosg"

    /// [trust-safety-number]: both parties compute the same 60 digits.
    @Test("the pair number is symmetric")
    func symmetric() throws {
        let a = SafetyNumber(address: alice.card.addresses[0], identityKey: alice.card.identityKey)
        let b = SafetyNumber(address: bob.card.addresses[0], identityKey: bob.card.identityKey)
        #expect(try PairSafetyNumber(a, b) == PairSafetyNumber(b, a))
        #expect(try PairSafetyNumber(a, b).digits == PairSafetyNumber(b, a).digits)
        #expect(try PairSafetyNumber(a, b).digits.count == 60 && a.digits.count == 30)
        #expect(try PairSafetyNumber(a, b).lines.count == 3)
        #expect(try PairSafetyNumber(a, b).verificationURI == PairSafetyNumber(b, a).verificationURI)
    }

    /// [trust-verify-uri]: a writer makes no pair safety number for two equal addresses, even with two keys.
    @Test("no pair safety number for one address twice")
    func oneAddressTwiceIsRefused() throws {
        let a = SafetyNumber(address: alice.card.addresses[0], identityKey: alice.card.identityKey)
        let sameAddressOtherKey = SafetyNumber(address: alice.card.addresses[0], identityKey: bob.card.identityKey)
        #expect(throws: MessageError.malformed("")) { try PairSafetyNumber(a, sameAddressOtherKey) }
        #expect(throws: MessageError.malformed("")) { try PairSafetyNumber(a, a) }
    }

    /// [trust-safety-number]: the number changes when either key or either address changes.
    @Test("the number changes when a key or an address changes")
    func changesWithKeyOrAddress() throws {
        let base = try PairSafetyNumber(
            SafetyNumber(address: alice.card.addresses[0], identityKey: alice.card.identityKey),
            SafetyNumber(address: bob.card.addresses[0], identityKey: bob.card.identityKey)
        )
        let otherKey = try PairSafetyNumber(
            SafetyNumber(address: alice.card.addresses[0], identityKey: Fixture.signingKey(3).publicKey),
            SafetyNumber(address: bob.card.addresses[0], identityKey: bob.card.identityKey)
        )
        let otherAddress = try PairSafetyNumber(
            SafetyNumber(address: alice.card.addresses[0], identityKey: alice.card.identityKey),
            SafetyNumber(address: Fixture.address("bob@example.org"), identityKey: bob.card.identityKey)
        )
        #expect(base.digits != otherKey.digits)
        #expect(base.digits != otherAddress.digits)
        // Every digit position takes many values over many keys (no stuck digits).
        var seen = [Set<Character>](repeating: [], count: 30)
        for seed in UInt8(0)..<UInt8(64) {
            let number = SafetyNumber(address: alice.card.addresses[0], identityKey: Fixture.signingKey(seed).publicKey)
            for (index, digit) in number.digits.enumerated() { seen[index].insert(digit) }
        }
        #expect(seen.allSatisfy { $0.count >= 8 })
    }

    /// [trust-verify-uri]: the payload parses back, strictly, and verifies the contact it names.
    @Test("the verification payload round-trips and marks the contact verified")
    func payload() async throws {
        let harness = try Harness(.memory)
        try await harness.observe(alice, id: "m1")
        let pair = try await harness.engine.safetyNumber(own: bob.card, contact: alice.card.addresses[0])
        let parsed = try VerificationPayload(parsing: pair.verificationURI)
        #expect(parsed.parties.map(\.address) == [pair.first.address, pair.second.address])
        #expect(try await harness.engine.markVerified(scanning: parsed, ownCard: bob.card) == alice.card.addresses[0])
        #expect(try await harness.binding("alice@example.org")?.state == .verified)
        // A payload made with an old key of ours is refused.
        let stale = try PairSafetyNumber(
            SafetyNumber(address: alice.card.addresses[0], identityKey: alice.card.identityKey),
            SafetyNumber(address: bob.card.addresses[0], identityKey: Fixture.signingKey(8).publicKey)
        )
        await #expect(throws: TrustDecisionError(.payloadMismatch, "")) {
            try await harness.engine.markVerified(
                scanning: try VerificationPayload(parsing: stale.verificationURI), ownCard: bob.card
            )
        }
        for bad in [
            "dialogue-verify:2/a@b/key-x/c@d/key-y", "dialogue-verify:1/a@b", "https://example.org/",
            pair.verificationURI.replacingOccurrences(of: "alice@", with: "Alice@"),
            pair.verificationURI.replacingOccurrences(of: "key-", with: "blob-"), pair.verificationURI + "/extra",
        ] {
            #expect(throws: VerificationPayload.ParseError.self) { try VerificationPayload(parsing: bad) }
        }
    }
}
