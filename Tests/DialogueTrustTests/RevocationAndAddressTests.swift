import DialogueCrypto
import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Testing

@Suite("revocation, shared keys, look-alike addresses")
struct RevocationAndAddressTests {
    let alice0 = Fixture.identity("alice@example.org", seed: 1)
    let alice1 = Fixture.identity("alice@example.org", seed: 2)
    let alice2 = Fixture.identity("alice@example.org", seed: 3)
    let address = Fixture.address("alice@example.org")

    /// [trust-revocation-final]: a key that revokes itself stays revoked; replaying older statements
    /// cannot bring it back, and it cannot be verified or rotated from.
    @Test(
        "a self-revocation sticks, and replaying older statements after it changes nothing",
        arguments: StoreKind.allCases)
    func selfRevocationAndReplay(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        let introduction = Fixture.rotation(["alice@example.org"], from: 1, to: 2)
        try await harness.observe(alice0, id: "m1")
        try await harness.observe(alice1, id: "m2", statements: [introduction.encodedBytes])
        let revocation = try RevocationStatement(revoking: Fixture.signingKey(2), created: t0, reason: "laptop stolen")
        let revoked = try await harness.observe(alice1, id: "m3", statements: [revocation.encodedBytes])
        #expect(revoked.verdict == .revoked(address: address, fingerprint: alice1.fingerprint, reason: "laptop stolen"))
        #expect(revoked.verdict.severity == .alarm && revoked.verdict.explanation.contains("laptop stolen"))
        #expect(
            revoked.statements == [
                .revocationApplied(key: alice1.fingerprint, reason: "laptop stolen", affected: [address])
            ])
        #expect(try await harness.binding("alice@example.org")?.state == .revoked)
        // Replays: the revocation itself, the rotation that introduced the key: nothing changes.
        #expect(try await harness.engine.apply(statement: revocation.encodedBytes) == .ignored(.replay))
        #expect(try await harness.engine.apply(statement: introduction.encodedBytes) == .ignored(.replay))
        #expect(try await harness.observe(alice1, id: "m4").verdict.name == "revoked")
        // A rotation from (or to) the revoked key is a rollback.
        let escape = Fixture.rotation(["alice@example.org"], from: 2, to: 3, sequence: 2, previous: introduction.hash)
        guard case .problem(.rollback) = try await harness.engine.apply(statement: escape.encodedBytes) else {
            Issue.record("a rotation from a revoked key must be refused")
            return
        }
        let back = Fixture.rotation(["alice@example.org"], from: 3, to: 2)
        guard case .problem(.rollback) = try await harness.engine.apply(statement: back.encodedBytes) else {
            Issue.record("a rotation to a revoked key must be refused")
            return
        }
        // A second, different revocation of the same key is quiet.
        let again = try RevocationStatement(revoking: Fixture.signingKey(2), created: t0 + 5, reason: "again")
        #expect(try await harness.engine.apply(statement: again.encodedBytes) == .ignored(.alreadyRevoked))
        await #expect(throws: TrustDecisionError(.revokedKey, "")) {
            try await harness.engine.markVerified(address, fingerprint: alice1.fingerprint)
        }
        // The owner's new key has no link to the revoked one: an alarm, with the revocation said plainly.
        let next = try await harness.observe(alice2, id: "m5")
        #expect(
            next.verdict
                == .keyChanged(
                    address: address, pinned: alice1.fingerprint, presented: alice2.fingerprint, latched: false,
                    pinnedRevoked: true
                )
        )
        #expect(next.verdict.explanation.contains("revoked"))
        try await harness.engine.acceptKeyChange(address)
        #expect(try await harness.observe(alice2, id: "m6").verdict.name == "known")
        // The revoked key is never pinned again, not even for a new address.
        let other = Fixture.identity("alice@other.example", seed: 2)
        #expect(try await harness.observe(other, id: "m7").verdict.name == "revoked")
        #expect(try await harness.binding("alice@other.example") == nil)
        try await harness.expectSound()
    }

    /// [trust-revocation]: a revocation must be signed by the key it revokes.
    @Test("a revocation signed by another key is refused as invalid")
    func forgedRevocation() async throws {
        let harness = try Harness(.memory)
        try await harness.observe(alice0, id: "m1")
        let genuine = try RevocationStatement(revoking: Fixture.signingKey(1), created: t0, reason: "")
        var forged = genuine.encodedBytes
        forged[forged.count - 1] ^= 0x01
        guard case .problem(.invalid) = try await harness.engine.apply(statement: forged) else {
            Issue.record("a revocation with a bad signature must be invalid")
            return
        }
        #expect(try await harness.binding("alice@example.org")?.state == .pinned)
    }

    /// [trust-shared-key]: one key claimed by two addresses that are not on one card is pointed out once.
    @Test("one key claimed by two addresses not on one card is a shared-key notice", arguments: StoreKind.allCases)
    func sharedKeyAcrossCards(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        let work = Fixture.identity("alice@work.example", seed: 1)  // same key as alice0, another card
        try await harness.observe(alice0, id: "m1")
        let shared = try await harness.observe(work, id: "m2")
        #expect(
            shared.verdict
                == .sharedKey(
                    address: Fixture.address("alice@work.example"), fingerprint: alice0.fingerprint,
                    alsoUsedBy: [address])
        )
        #expect(shared.verdict.severity == .notice)
        #expect(try await harness.observe(work, id: "m3").verdict.name == "known")
        // Both addresses on one card: an ordinary first contact.
        let both = Fixture.identity(["bob@example.org", "bob@home.example"], seed: 4)
        try await harness.observe(both, as: "bob@example.org", id: "m4")
        #expect(try await harness.observe(both, as: "bob@home.example", id: "m5").verdict.name == "first-contact")
    }

    /// [trust-look-alike]: an address whose skeleton matches a known contact's, with another key, alarms until verified.
    @Test("a look-alike of a known contact alarms until it is verified", arguments: StoreKind.allCases)
    func lookAlikeAddress(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        let paypal = Fixture.identity("paypal@example.com", seed: 5)
        let fake = Fixture.identity("paypa1@example.com", seed: 6)
        try await harness.observe(paypal, id: "m1")
        let first = try await harness.observe(fake, id: "m2")
        #expect(
            first.verdict
                == .lookAlike(
                    address: Fixture.address("paypa1@example.com"), fingerprint: fake.fingerprint,
                    resembles: Fixture.address("paypal@example.com")
                )
        )
        #expect(first.verdict.severity == .alarm)
        #expect(try await harness.observe(fake, id: "m3").verdict.name == "look-alike")
        try await harness.engine.markVerified(Fixture.address("paypa1@example.com"), fingerprint: fake.fingerprint)
        #expect(try await harness.observe(fake, id: "m4").verdict.name == "verified")
    }

    /// [trust-look-alike]: the skeleton table.
    @Test(
        "look-alike skeletons match confusable addresses and nothing else",
        arguments: [
            ("paypal@example.com", "paypa1@example.com", true),
            ("modern@example.com", "rnodern@example.com", true),
            ("www@example.com", "vvvvvv@example.com", true),
            ("bob@example.com", "b0b@example.com", true),
            ("alice@example.com", "a1ice@example.com", true),
            ("sales@example.com", "5ales@example.com", true),
            ("dan@example.com", "clan@example.com", true),
            ("john.smith@example.com", "john_smith@example.com", true),
            ("alice@example.com", "alice@examp1e.com", true),
            ("alice@example.com", "alice@example.com", false),
            ("alice@example.com", "alicia@example.com", false),
            ("bob@example.com", "rob@example.com", false),
        ]
    )
    func skeletons(a: String, b: String, alike: Bool) {
        #expect(AddressSkeleton.lookAlike(Fixture.address(a), Fixture.address(b)) == alike)
    }
}
