import DialogueCrypto
import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Testing

@Suite("unexpected key changes, verification, user decisions")
struct KeyChangeTests {
    let alice = Fixture.identity("alice@example.org", seed: 1)
    let impostor = Fixture.identity("alice@example.org", seed: 9)
    let address = Fixture.address("alice@example.org")

    /// [trust-key-change]: another key without a statement is an alarm; the pin is not replaced;
    /// the pinned key keeps working; the explanation does not accuse the sender.
    @Test("a key substituted without a statement alarms and does not replace the pin", arguments: StoreKind.allCases)
    func substitutionWithoutStatement(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        try await harness.observe(alice, id: "m1")
        let changed = try await harness.observe(impostor, id: "m2")
        #expect(
            changed.verdict
                == .keyChanged(
                    address: address, pinned: alice.fingerprint, presented: impostor.fingerprint, latched: false,
                    pinnedRevoked: false
                )
        )
        #expect(changed.verdict.severity == .alarm)
        #expect(changed.verdict.explanation.contains("new device"))
        #expect(!changed.verdict.explanation.lowercased().contains("attacker"))
        #expect(changed.verdict.howToVerify.contains("phone call"))
        var binding = try #require(try await harness.binding("alice@example.org"))
        #expect(binding.key == alice.card.identityKey && binding.pendingKey == impostor.card.identityKey)
        // The pinned key is still the one that counts; the other key alarms every time.
        #expect(try await harness.observe(alice, id: "m3").verdict.name == "known")
        #expect(try await harness.observe(impostor, id: "m4").verdict.name == "key-changed")
        // Accepting the change is the user's explicit decision.
        try await harness.engine.acceptKeyChange(address)
        binding = try #require(try await harness.binding("alice@example.org"))
        #expect(binding.key == impostor.card.identityKey && binding.pendingKey == nil && binding.state == .pinned)
        #expect(try await harness.observe(impostor, id: "m5").verdict.name == "known")
        #expect(try await harness.observe(alice, id: "m6").verdict.name == "key-changed")
        try await harness.expectSound()
    }

    /// [trust-latch]: after verification a key change latches: every message, even one signed with
    /// the verified key, alarms until the user accepts the change, verifies again, or withdraws.
    @Test("a key change after verification latches until the user acts", arguments: StoreKind.allCases)
    func substitutionAfterVerificationLatches(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        try await harness.observe(alice, id: "m1")
        try await harness.engine.markVerified(address, fingerprint: alice.fingerprint)
        #expect(
            try await harness.observe(alice, id: "m2").verdict
                == .verified(address: address, fingerprint: alice.fingerprint))
        let changed = try await harness.observe(impostor, id: "m3")
        guard case .keyChanged(_, _, _, let latched, _) = changed.verdict else {
            Issue.record("expected key-changed, got \(changed.verdict)")
            return
        }
        #expect(latched && changed.verdict.explanation.contains("stays on every message"))
        let stillLatched = try await harness.observe(alice, id: "m4")
        #expect(
            stillLatched.verdict
                == .keyChanged(
                    address: address, pinned: alice.fingerprint, presented: alice.fingerprint, latched: true,
                    pinnedRevoked: false
                )
        )
        #expect(try await harness.binding("alice@example.org")?.state == .keyChangeAlarm)
        // Verifying the original key again (the person confirmed it) ends the latch.
        try await harness.engine.markVerified(address, fingerprint: alice.fingerprint)
        #expect(try await harness.observe(alice, id: "m5").verdict.name == "verified")
        // Withdrawing turns a latched alarm into a plain one: the verified key is quiet again.
        #expect(try await harness.observe(impostor, id: "m6").verdict.severity == .alarm)
        try await harness.engine.withdrawVerification(address)
        #expect(try await harness.observe(alice, id: "m7").verdict.name == "known")
        await #expect(throws: TrustDecisionError(.notVerified, "")) {
            try await harness.engine.withdrawVerification(address)
        }
        try await harness.expectSound()
    }

    /// [trust-verify-current]: verifying anything but the currently pinned fingerprint is refused.
    @Test("verifying an outdated fingerprint is refused", arguments: StoreKind.allCases)
    func outdatedFingerprintRefused(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        let alice2 = Fixture.identity("alice@example.org", seed: 2)
        try await harness.observe(alice, id: "m1")
        try await harness.observe(
            alice2, id: "m2", statements: [Fixture.rotation(["alice@example.org"], from: 1, to: 2).encodedBytes]
        )
        await #expect(throws: TrustDecisionError(.outdatedFingerprint, "")) {
            try await harness.engine.markVerified(address, fingerprint: alice.fingerprint)
        }
        try await harness.engine.markVerified(address, fingerprint: alice2.fingerprint)
        #expect(try await harness.binding("alice@example.org")?.state == .verified)
        // A changed (pending) key cannot be verified before the change is accepted.
        try await harness.observe(impostor, id: "m3")
        do {
            try await harness.engine.markVerified(address, fingerprint: impostor.fingerprint)
            Issue.record("verifying the pending key should be refused")
        } catch let error as TrustDecisionError {
            #expect(error.code == .outdatedFingerprint && error.reason.contains("accept the change first"))
        }
        await #expect(throws: TrustDecisionError(.unknownAddress, "")) {
            try await harness.engine.markVerified(Fixture.address("nobody@example.org"), fingerprint: alice.fingerprint)
        }
        try await harness.engine.acceptKeyChange(address)
        await #expect(throws: TrustDecisionError(.noKeyChange, "")) {
            try await harness.engine.acceptKeyChange(address)
        }
    }

    /// [trust-decisions]: differently-cased input names the same binding; wire addresses are never folded.
    @Test("differently-cased addresses name one binding; upper case never arrives from the wire")
    func differentlyCasedAddresses() async throws {
        let harness = try Harness(.memory)
        try await harness.observe(alice, id: "m1")
        let typed = try Address(parsing: "Alice@Example.ORG")
        #expect(typed == address)
        try await harness.engine.markVerified(typed, fingerprint: alice.fingerprint)
        #expect(try await harness.binding("alice@example.org")?.state == .verified)
        #expect(throws: AddressError.self) { try Address(canonical: "Alice@example.org") }
        // A card listing an upper-case address does not decode, so it can never reach the trust layer.
        var card = alice.card.encodedBytes
        let lower = Array("alice@example.org".utf8)
        let start = try #require(card.firstRange(of: lower))
        card[start.lowerBound] = UInt8(ascii: "A")
        #expect(throws: MessageError.self) { try IdentityCard(decoding: card) }
        // The skeleton folds nothing that matters: the same address has one skeleton.
        #expect(AddressSkeleton.skeleton(of: typed) == AddressSkeleton.skeleton(of: address))
    }

    /// [trust-downgrade]: an unsigned message claiming an address whose sender signs is a downgrade.
    @Test("a signed-always sender going unsigned is a downgrade alarm", arguments: StoreKind.allCases)
    func unsignedFromSigningSender(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        #expect(try await harness.engine.observeUnsigned(claiming: address) == .unsigned(address: address))
        #expect(try await harness.binding("alice@example.org") == nil)
        try await harness.observe(alice, id: "m1")
        let gateway = Fixture.messageID("legacy-1")
        let downgrade = try await harness.engine.observeUnsigned(claiming: address, messageID: gateway)
        #expect(downgrade == .downgrade(address: address, pinned: alice.fingerprint))
        #expect(downgrade.severity == .alarm && downgrade.explanation.contains("not signed"))
        #expect(try await harness.engine.observeUnsigned(claiming: address, messageID: gateway) == downgrade)
        let binding = try #require(try await harness.binding("alice@example.org"))
        #expect(binding.unsignedCount == 1 && binding.key == alice.card.identityKey && binding.messageCount == 1)
        #expect(try await harness.observe(alice, id: "m2").verdict.name == "known")
    }
}
