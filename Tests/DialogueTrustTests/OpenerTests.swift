import DialogueCrypto
import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Testing

@Suite("opening with a verdict")
struct OpenerTests {
    /// [trust-never-reject], [trust-statement-transport]: one call opens the message and judges its sender;
    /// statements travel as application/dialogue-statement parts.
    @Test("opening yields the message and its verdict; rotations travel as message parts")
    func openWithVerdict() async throws {
        let alice1 = Fixture.identity("alice@example.org", seed: 1)
        let alice2 = Fixture.identity("alice@example.org", seed: 2)
        let bob = Fixture.identity("bob@example.net", seed: 3)
        let blobs = MemoryBlobStore()
        let opener = TrustedOpener(
            engine: TrustEngine(store: MemoryTrustStore(), clock: ManualTrustClock(t0)), blobs: blobs
        )
        let first = try await MessageSealer(sender: alice1, store: blobs).seal(
            MessageDraft(recipients: [.init(card: bob.card)], date: t0, subject: "Hi", parts: [.text("Hello")])
        )
        let (message, verdict) = try await opener.open(first.envelopeBytes, as: bob)
        #expect(message.messageID == first.messageID)
        #expect(verdict == .firstContact(address: alice1.card.addresses[0], fingerprint: alice1.fingerprint))
        let (_, again) = try await opener.openAssessing(first.envelopeBytes, as: bob)
        #expect(again.isDuplicate && again.verdict == verdict)

        let rotation = Fixture.rotation(["alice@example.org"], from: 1, to: 2)
        let second = try await MessageSealer(sender: alice2, store: blobs).seal(
            MessageDraft(
                recipients: [.init(card: bob.card)], date: t0, subject: "New key",
                parts: [.text("I have a new key"), rotation.messagePart]
            )
        )
        let (_, rotated) = try await opener.openAssessing(second.envelopeBytes, as: bob)
        #expect(
            rotated.verdict
                == .rotated(address: alice1.card.addresses[0], from: alice1.fingerprint, to: alice2.fingerprint))
        #expect(rotated.statements.count == 1)

        // Without access to the parts, the same message is an unexpected key change, never a failure.
        let blind = TrustedOpener(
            engine: TrustEngine(store: MemoryTrustStore(), clock: ManualTrustClock(t0)), blobs: nil
        )
        _ = try await blind.open(first.envelopeBytes, as: bob)
        #expect(try await blind.open(second.envelopeBytes, as: bob).verdict.name == "key-changed")
        // A message that does not open is the messages layer's error, not a verdict.
        await #expect(throws: MessageError.self) { try await opener.open(first.envelopeBytes, as: alice1) }
    }
}
