import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import Testing

@Suite struct AcknowledgementTests {
    let now = Fixtures.now
    let alice = Fixtures.address("alice@example.org")

    func verify(_ bytes: [UInt8], delivery: Delivery = Fixtures.bobsDelivery) throws(DeliveryError) -> Acknowledgement {
        try Acknowledgement(verifying: bytes, delivery: delivery, sender: alice, now: now)
    }

    /// Spec: [dlv-ack-verify], [dlv-received-bytes] — a built acknowledgement verifies with the same fields.
    @Test func builtAcknowledgementVerifiesWithItsFields() throws {
        let built = try Fixtures.acknowledgement()
        let verified = try verify(built.encodedBytes)
        #expect(verified.encodedBytes == built.encodedBytes)
        #expect(verified.recipient.text == "bob@example.net" && verified.sender == alice)
        #expect(verified.envelope == Fixtures.envelope && verified.created == now - 5)
        #expect(verified.identityKey == Fixtures.bob.publicKey)
        #expect(verified.fingerprint == Fixtures.fingerprint(Fixtures.bob))
    }

    /// Spec: [dlv-ack-verify] step 2 — every strict prefix is malformed (drip feed).
    @Test func everyPrefixIsMalformed() throws {
        Fixtures.expectEveryPrefixMalformed(try Fixtures.acknowledgement().encodedBytes) {
            (prefix) throws(DeliveryError) in
            _ = try verify(prefix)
        }
    }

    /// Spec: [dlv-ack-verify] steps 6 to 8 — only the key the message was sealed to acknowledges,
    /// and an acknowledgement never expires, but cannot come from the future.
    @Test func onlyTheSealedToKeyAcknowledges() throws {
        let bytes = try Fixtures.acknowledgement().encodedBytes
        let carols = try Delivery(
            recipient: Fixtures.address("bob@example.net"), envelope: Fixtures.envelope,
            fingerprint: Fixtures.fingerprint(Fixtures.carol))
        #expect(
            Fixtures.failure { () throws(DeliveryError) in _ = try verify(bytes, delivery: carols) } == .notARecipient)
        #expect(
            Fixtures.failure { () throws(DeliveryError) in
                _ = try Acknowledgement(
                    verifying: bytes, delivery: Fixtures.bobsDelivery, sender: Fixtures.address("carol@example.com"),
                    now: now)
            } == .addressMismatch)
        _ = try verify(try Fixtures.acknowledgement(created: 0).encodedBytes)
        let future = try Fixtures.acknowledgement(created: now + 601).encodedBytes
        #expect(Fixtures.failure { () throws(DeliveryError) in _ = try verify(future) } == .expired)
    }
}
