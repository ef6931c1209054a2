import DialogueCrypto
import DialogueDelivery
import DialogueMessages
import Testing

/// Every single-bit change of a valid signed object is refused: the outer array, the body and the
/// signature are all covered, so no flipped bit survives as another valid object.
@Suite struct BitFlipTests {
    let now = Fixtures.now

    func expectEveryFlipRefused(_ bytes: [UInt8], _ verify: ([UInt8]) throws(DeliveryError) -> Void) throws {
        try verify(bytes)
        var refused = 0
        for index in bytes.indices {
            for bit in 0..<8 {
                var flipped = bytes
                flipped[index] ^= 1 << UInt8(bit)
                do {
                    try verify(flipped)
                    Issue.record("bit \(bit) of byte \(index) flipped was accepted")
                } catch {
                    refused += 1
                }
            }
        }
        #expect(refused == bytes.count * 8)
    }

    /// Spec: [dlv-server-document-verify], [dlv-received-bytes].
    @Test func serverDocument() throws {
        try expectEveryFlipRefused(try Fixtures.document().encodedBytes) { (bytes) throws(DeliveryError) in
            _ = try ServerDocument(verifying: bytes, domain: "example.org", now: now, allowingHTTP: false)
        }
    }

    /// Spec: [dlv-submission-verify], [dlv-received-bytes].
    @Test func submission() throws {
        try expectEveryFlipRefused(try Fixtures.submission().encodedBytes) { (bytes) throws(DeliveryError) in
            _ = try Submission(
                verifying: bytes, account: Fixtures.address("alice@example.org"),
                identityKey: Fixtures.alice.publicKey, now: now)
        }
    }

    /// Spec: [dlv-notification-verify], [dlv-received-bytes].
    @Test func notification() throws {
        try expectEveryFlipRefused(try Fixtures.notification().encodedBytes) { (bytes) throws(DeliveryError) in
            _ = try DialogueDelivery.Notification(
                verifying: bytes, signerDomain: "example.org", serverKeys: [Fixtures.serverKey],
                servedDomains: ["example.net"], now: now)
        }
    }

    /// Spec: [dlv-ack-verify], [dlv-received-bytes].
    @Test func acknowledgement() throws {
        try expectEveryFlipRefused(try Fixtures.acknowledgement().encodedBytes) { (bytes) throws(DeliveryError) in
            _ = try Acknowledgement(
                verifying: bytes, delivery: Fixtures.bobsDelivery, sender: Fixtures.address("alice@example.org"),
                now: now)
        }
    }
}
