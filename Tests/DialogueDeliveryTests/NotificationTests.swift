import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import Testing

@Suite struct NotificationTests {
    let now = Fixtures.now

    func verify(_ bytes: [UInt8], keys: [ServerKey] = [Fixtures.serverKey], served: Set<String> = ["example.net"])
        throws(DeliveryError) -> DialogueDelivery.Notification
    {
        try DialogueDelivery.Notification(
            verifying: bytes, signerDomain: "example.org", serverKeys: keys, servedDomains: served, now: now)
    }

    /// Spec: [dlv-notification-verify], [dlv-received-bytes] — a built notification verifies with the
    /// same fields and the same bytes.
    @Test func builtNotificationVerifiesWithItsFields() throws {
        let built = try Fixtures.notification()
        let verified = try verify(built.encodedBytes)
        #expect(verified.encodedBytes == built.encodedBytes)
        #expect(verified.sender.text == "alice@example.org" && verified.recipient.text == "bob@example.net")
        #expect(verified.envelope == Fixtures.envelope)
        #expect(verified.envelopeSize == 3000 && verified.messageSize == 5000)
        #expect(verified.baseURL == Fixtures.baseURL)
        #expect(verified.created == now - 10 && verified.expires == now + 86_400)
        #expect(verified.serverKey == Fixtures.serverKey.fingerprint)
        #expect(verified.stanzaIndex == 3)
    }

    /// Spec: [dlv-notification-verify] step 2 — every strict prefix is malformed (drip feed).
    @Test func everyPrefixIsMalformed() throws {
        Fixtures.expectEveryPrefixMalformed(try Fixtures.notification().encodedBytes) {
            (prefix) throws(DeliveryError) in
            _ = try verify(prefix)
        }
    }

    /// Spec: [dlv-server-key-validity] — the signing key must be valid at the notification's created,
    /// at both edges included.
    @Test func keyValidityWindowEdges() throws {
        let key = try ServerKey(publicKey: Fixtures.server.publicKey, validFrom: now - 100, validUntil: now + 100)
        for created in [key.validFrom, key.validUntil] {
            _ = try verify(try Fixtures.notification(created: created).encodedBytes, keys: [key])
        }
        for created in [key.validFrom - 1, key.validUntil + 1] {
            let bytes = try Fixtures.notification(created: created).encodedBytes
            #expect(Fixtures.failure { () throws(DeliveryError) in _ = try verify(bytes, keys: [key]) } == .unknownKey)
        }
    }

    /// Spec: [dlv-notification-verify] steps 5 to 7, in order: the key, the signature, the domains.
    @Test func checksInOrder() throws {
        let bytes = try Fixtures.notification().encodedBytes
        #expect(Fixtures.failure { () throws(DeliveryError) in _ = try verify(bytes, keys: []) } == .unknownKey)
        let other = try Fixtures.notification(signingKey: Fixtures.mallory).encodedBytes
        #expect(Fixtures.failure { () throws(DeliveryError) in _ = try verify(other) } == .unknownKey)
        #expect(Fixtures.failure { () throws(DeliveryError) in _ = try verify(bytes, served: []) } == .addressMismatch)
        #expect(
            Fixtures.failure { () throws(DeliveryError) in
                _ = try DialogueDelivery.Notification(
                    verifying: bytes, signerDomain: "example.com", serverKeys: [Fixtures.serverKey],
                    servedDomains: ["example.net"], now: now)
            } == .addressMismatch)
    }

    /// Spec: [dlv-notification-verify] step 4 — the issuer refuses what a verifier would refuse.
    @Test func issuerRefusesInvalidNotifications() throws {
        func make(envelopeSize: UInt64, messageSize: UInt64) throws {
            _ = try DialogueDelivery.Notification(
                sender: Fixtures.address("alice@example.org"), recipient: Fixtures.address("bob@example.net"),
                envelope: Fixtures.envelope, envelopeSize: envelopeSize, messageSize: messageSize,
                baseURL: Fixtures.baseURL, created: now, expires: now + 1, signingKey: Fixtures.server)
        }
        #expect(throws: DeliveryError(.limitsExceeded, "")) { try make(envelopeSize: 16_777_217, messageSize: 1 << 30) }
        #expect(throws: DeliveryError(.malformed, "")) { try make(envelopeSize: 0, messageSize: 0) }
        #expect(throws: DeliveryError(.malformed, "")) { try make(envelopeSize: 10, messageSize: 9) }
        try make(envelopeSize: 16_777_216, messageSize: 16_777_216)
    }
}

extension NotificationTests {
    /// Spec: [dlv-notification-verify] step 4 — a negative stanza index is refused, never clamped to 0.
    @Test func negativeStanzaIndexIsRefused() {
        #expect(throws: DeliveryError(.malformed, "")) {
            try DialogueDelivery.Notification(
                sender: Fixtures.address("alice@example.org"), recipient: Fixtures.address("bob@example.net"),
                envelope: Fixtures.envelope, envelopeSize: 1, messageSize: 1, baseURL: Fixtures.baseURL,
                created: now, expires: now + 1, stanzaIndex: -1, signingKey: Fixtures.server)
        }
        #expect(throws: DeliveryError(.malformed, "")) {
            try Delivery(
                recipient: Fixtures.address("bob@example.net"), envelope: Fixtures.envelope,
                fingerprint: Fixtures.fingerprint(Fixtures.bob), stanzaIndex: -1)
        }
    }
}
