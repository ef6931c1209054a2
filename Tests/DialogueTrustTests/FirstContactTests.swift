import DialogueCrypto
import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Testing

@Suite("first contact, duplicates, consistent use")
struct FirstContactTests {
    let alice = Fixture.identity("alice@example.org", seed: 1)

    /// [trust-first-contact], [trust-explanation]: a stranger's signed message is pinned, not rejected,
    /// and the reader is told it is not yet authenticated and how to check later.
    @Test("a first message pins the key and says the sender is not yet authenticated", arguments: StoreKind.allCases)
    func firstContactPinsAndExplains(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        let assessment = try await harness.observe(alice, id: "m1")
        #expect(assessment.verdict == .firstContact(address: alice.card.addresses[0], fingerprint: alice.fingerprint))
        #expect(assessment.verdict.severity == .info)
        #expect(!assessment.isDuplicate)
        #expect(assessment.verdict.explanation.contains("not yet authenticated"))
        #expect(assessment.verdict.howToVerify.contains("safety number"))
        #expect(assessment.verdict.howToVerify.contains("in person"))
        let binding = try #require(try await harness.binding("alice@example.org"))
        #expect(binding.key == alice.card.identityKey)
        #expect(binding.state == .pinned)
        #expect(binding.messageCount == 1 && binding.firstSeen == t0)
        let events = try await harness.engine.events()
        #expect(events.map(\.kind) == ["pinned"])
        try await harness.expectSound()
    }

    /// [trust-transitions] rows 11 and 13: later messages with the pinned key are `known`, counted, info.
    @Test("later messages with the pinned key are known and counted", arguments: StoreKind.allCases)
    func consistentUseIsKnown(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        try await harness.observe(alice, id: "m1")
        harness.clock.advance(by: 3600)
        let second = try await harness.observe(alice, id: "m2")
        #expect(
            second.verdict
                == .known(
                    address: alice.card.addresses[0], fingerprint: alice.fingerprint, firstSeen: t0, messageCount: 2)
        )
        #expect(second.verdict.severity == .info)
        #expect(second.verdict.explanation.contains("not yet authenticated"))
        let binding = try #require(try await harness.binding("alice@example.org"))
        #expect(binding.lastSeen == t0 + 3600 && binding.messageCount == 2)
        #expect(try await harness.engine.events().count == 1)
    }

    /// [trust-duplicate]: a message delivered twice is counted once and gets the same verdict;
    /// nothing changes in the store.
    @Test("a duplicate delivery is counted once and returns the first verdict", arguments: StoreKind.allCases)
    func duplicateDeliveryCountedOnce(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        let first = try await harness.observe(alice, id: "m1")
        harness.clock.advance(by: 60)
        let again = try await harness.observe(alice, id: "m1")
        #expect(again.isDuplicate)
        #expect(again.verdict == first.verdict)
        #expect(again.receivedAt == t0)
        #expect(try await harness.binding("alice@example.org")?.messageCount == 1)
        // A duplicate of an alarming message does not alarm twice in the log, nor move anything.
        let mallory = Fixture.identity("alice@example.org", seed: 9)
        let changed = try await harness.observe(mallory, id: "m2")
        let eventsBefore = try await harness.engine.events()
        let changedAgain = try await harness.observe(mallory, id: "m2")
        #expect(changedAgain.verdict == changed.verdict && changedAgain.isDuplicate)
        #expect(try await harness.engine.events() == eventsBefore)
        #expect(try await harness.binding("alice@example.org")?.messageCount == 2)
    }

    /// [trust-duplicate]: the stored verdict survives reopening the SQLite store.
    @Test("a duplicate after reopening the SQLite store returns the stored verdict")
    func duplicateAfterReopen() async throws {
        let directory = TemporaryDirectory()
        let path = directory.file("trust.sqlite")
        let clock = ManualTrustClock(t0)
        let first = try await TrustEngine(store: SQLiteTrustStore(path: path), clock: clock).observe(
            TrustObservation.test(alice, id: "m1")
        )
        let reopened = TrustEngine(store: try SQLiteTrustStore(path: path), clock: clock)
        let again = try await reopened.observe(TrustObservation.test(alice, id: "m1"))
        #expect(again.isDuplicate && again.verdict == first.verdict)
    }

    /// [trust-card-expiry]: an expired card does not change the verdict; the key is what is pinned.
    @Test("an expired card changes nothing: the key is what is pinned", arguments: StoreKind.allCases)
    func expiredCardChangesNothing(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        let old = try SecretIdentity(
            signingKey: Fixture.signingKey(1), encryptionKey: X25519.PrivateKey(),
            addresses: [Fixture.address("alice@example.org")], created: t0 - 3 * 365 * 86_400,
            expires: t0 - 365 * 86_400
        )
        #expect(try await harness.observe(old, id: "m1").verdict.name == "first-contact")
        #expect(try await harness.observe(alice, id: "m2").verdict.name == "known")
        #expect(try await harness.observe(old, id: "m3").verdict.name == "known")
    }

    /// [trust-observe-order]: a batch gives the verdicts that observing one by one gives, duplicates included.
    @Test(
        "trust-batch: observing a batch in one transaction gives the same verdicts as one by one",
        arguments: StoreKind.allCases)
    func batchEqualsOneByOne(kind: StoreKind) async throws {
        let other = Fixture.identity("alice@example.org", seed: 9)
        let bob = Fixture.identity("bob@example.org", seed: 2)
        let single = try Harness(kind)
        let batched = try Harness(kind)
        let messages = [
            single.message(alice, id: "m1"), single.message(alice, id: "m2"), single.message(other, id: "m3"),
            single.message(bob, id: "m4"), single.message(alice, id: "m2"),
        ]
        var expected: [TrustAssessment] = []
        for message in messages { expected.append(try await single.engine.observe(message)) }
        #expect(try await batched.engine.observe(messages) == expected)
        #expect(expected.map(\.verdict.name) == ["first-contact", "known", "key-changed", "first-contact", "known"])
        #expect(expected.last?.isDuplicate == true)
        try await batched.expectSound()
    }

    /// [trust-blocked]: a blocked address gets `blocked`; statements and counts still work; unblock restores.
    @Test("blocking an address gives the blocked verdict until it is unblocked", arguments: StoreKind.allCases)
    func blockedAddress(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        try await harness.engine.block(Fixture.address("alice@example.org"))
        let blocked = try await harness.observe(alice, id: "m1")
        #expect(blocked.verdict == .blocked(address: Fixture.address("alice@example.org")))
        #expect(blocked.verdict.severity == .notice)
        #expect(try await harness.binding("alice@example.org") == nil)
        try await harness.engine.unblock(Fixture.address("alice@example.org"))
        #expect(try await harness.observe(alice, id: "m2").verdict.name == "first-contact")
        #expect(try await harness.engine.events().map(\.kind) == ["blocked", "unblocked", "pinned"])
    }
}

extension TrustObservation {
    /// Shorthand for tests that have no harness.
    static func test(_ identity: SecretIdentity, id: String) -> TrustObservation {
        TrustObservation(
            sender: identity.card.addresses[0], identityKey: identity.card.identityKey,
            cardAddresses: identity.card.addresses, messageID: Fixture.messageID(id), date: t0
        )
    }
}
