import DialogueCBOR
import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import Testing

@Suite struct SubmissionTests {
    let now = Fixtures.now
    let alice = Fixtures.address("alice@example.org")

    func verify(_ bytes: [UInt8]) throws(DeliveryError) -> Submission {
        try Submission(verifying: bytes, account: alice, identityKey: Fixtures.alice.publicKey, now: now)
    }

    /// Spec: [dlv-submission-verify], [dlv-submission] — a built submission verifies with the same
    /// fields; chunks are listed once each, in bytewise order; the identifier hashes the exact bytes.
    @Test func builtSubmissionVerifiesWithItsFields() throws {
        let built = try Fixtures.submission()
        let verified = try verify(built.encodedBytes)
        #expect(verified == built)
        #expect(verified.sender == alice)
        #expect(verified.deliveries == (try Fixtures.deliveries()))
        #expect(verified.chunks == [Fixtures.blob("chunk 1"), Fixtures.blob("chunk 2")].sorted())
        #expect(verified.created == now - 60 && verified.expires == now + 86_400)
        #expect(verified.identifier == ContentIdentifier.hashing(built.encodedBytes, context: .submissionID))
        #expect(verified.identifier.text(kind: .submission).hasPrefix("sub-"))
    }

    /// Spec: [dlv-submission-verify] step 2 — every strict prefix is malformed (drip feed).
    @Test func everyPrefixIsMalformed() throws {
        Fixtures.expectEveryPrefixMalformed(try Fixtures.submission().encodedBytes) { (prefix) throws(DeliveryError) in
            _ = try verify(prefix)
        }
    }

    /// Spec: [dlv-submission-verify] step 1 — 4,194,305 bytes are refused before decoding; exactly
    /// 4,194,304 bytes pass the size check (and fail later, on the trailing bytes).
    @Test func sizeLimitBeforeDecoding() throws {
        let valid = try Fixtures.submission().encodedBytes
        let over = valid + [UInt8](repeating: 0, count: Submission.maximumSize + 1 - valid.count)
        #expect(Fixtures.failure { () throws(DeliveryError) in _ = try verify(over) } == .limitsExceeded)
        let at = valid + [UInt8](repeating: 0, count: Submission.maximumSize - valid.count)
        #expect(Fixtures.failure { () throws(DeliveryError) in _ = try verify(at) } == .malformed)
    }

    /// Spec: [dlv-submission-verify] step 4 — exactly 4,096 real deliveries are accepted, 4,097 are
    /// limits-exceeded (the vectors carry only the cheap count header).
    @Test func deliveryCountLimit() throws {
        let limit = try Fixtures.submission(deliveries: try Fixtures.deliveries(4096))
        #expect(try verify(limit.encodedBytes).deliveries.count == 4096)
        #expect(throws: DeliveryError(.limitsExceeded, "")) {
            try Fixtures.submission(deliveries: try Fixtures.deliveries(4097))
        }
    }

    /// Spec: [dlv-received-bytes] — the signature is checked over the received body: a changed byte
    /// that still decodes is a bad signature, and the kept bytes are the received ones.
    @Test func signatureCoversTheReceivedBytes() throws {
        let bytes = try Fixtures.submission().encodedBytes
        #expect(try verify(bytes).encodedBytes == bytes)
        let index = try #require(Fixtures.offset(of: Array("r0@".utf8), in: bytes))  // "r0@…" becomes "s0@…"
        var changed = bytes
        changed[index] += 1
        #expect(Fixtures.failure { () throws(DeliveryError) in _ = try verify(changed) } == .badSignature)
    }

    /// Spec: [dlv-submission-verify] steps 5 to 7, in order.
    @Test func accountChecksInOrder() throws {
        let bytes = try Fixtures.submission().encodedBytes
        #expect(
            Fixtures.failure { () throws(DeliveryError) in
                _ = try Submission(verifying: bytes, account: alice, identityKey: Fixtures.mallory.publicKey, now: now)
            } == .badSignature)
        #expect(
            Fixtures.failure { () throws(DeliveryError) in
                _ = try Submission(
                    verifying: bytes, account: Fixtures.address("bob@example.net"),
                    identityKey: Fixtures.alice.publicKey, now: now)
            } == .addressMismatch)
        #expect(
            Fixtures.failure { () throws(DeliveryError) in
                _ = try Submission(
                    verifying: bytes, account: alice, identityKey: Fixtures.alice.publicKey, now: now + 86_400)
            } == .expired)
    }

    /// Spec: [dlv-submission-verify] step 4 — a stanza index above 4,095 is refused when a delivery is made.
    @Test func stanzaIndexLimit() throws {
        #expect(throws: DeliveryError(.limitsExceeded, "")) {
            try Delivery(
                recipient: Fixtures.address("bob@example.net"), envelope: Fixtures.envelope,
                fingerprint: Fixtures.fingerprint(Fixtures.bob), stanzaIndex: 4096)
        }
    }
}
