import DialogueCBOR
import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import Testing

@Suite struct ServerDocumentTests {
    let now = Fixtures.now

    /// Spec: [dlv-server-document-verify], [dlv-received-bytes] — what is issued verifies, with the
    /// same fields, and keeps the bytes it was given.
    @Test func issuedDocumentVerifiesWithItsFields() throws {
        let issued = try Fixtures.document(
            keys: [Fixtures.serverKey, Fixtures.nextServerKey], signers: [Fixtures.server, Fixtures.nextServer])
        let verified = try ServerDocument(
            verifying: issued.encodedBytes, domain: "example.org", now: now, allowingHTTP: false)
        #expect(verified.encodedBytes == issued.encodedBytes)
        #expect(verified.domain == "example.org")
        #expect(verified.baseURL == Fixtures.baseURL)
        #expect(verified.keys == [Fixtures.serverKey, Fixtures.nextServerKey])
        #expect(verified.created == now - 60 && verified.expires == now + 86_400)
        #expect(verified.maximumMessageSize == 1 << 26 && verified.maximumRecipients == 1000)
        #expect(verified.keys[0].fingerprint.text(kind: .serverKey).hasPrefix("srv-"))
    }

    /// Spec: [dlv-server-document-verify] step 2 — every strict prefix is malformed (drip feed).
    @Test func everyPrefixIsMalformed() throws {
        let bytes = try Fixtures.document().encodedBytes
        Fixtures.expectEveryPrefixMalformed(bytes) { (prefix) throws(DeliveryError) in
            _ = try ServerDocument(verifying: prefix, domain: "example.org", now: now, allowingHTTP: false)
        }
    }

    /// Spec: [dlv-received-bytes] — the signatures cover the bytes received: one changed byte of the
    /// body that still decodes is a bad signature, never a re-encoded success.
    @Test func signaturesCoverTheReceivedBytes() throws {
        let bytes = try Fixtures.document().encodedBytes
        // Key 7, the recipient limit 1000: 07 19 03 e8; 1001 still decodes.
        let offset = try #require(Fixtures.offset(of: [0x07, 0x19, 0x03, 0xe8], in: bytes))
        var changed = bytes
        changed[offset + 3] ^= 0x01
        #expect(
            Fixtures.failure { () throws(DeliveryError) in
                _ = try ServerDocument(verifying: changed, domain: "example.org", now: now, allowingHTTP: false)
            } == .badSignature)
    }

    /// Spec: [dlv-server-key-validity] — a key is found by fingerprint only inside its window.
    @Test func keysAreUsedOnlyInsideTheirWindow() throws {
        let document = try Fixtures.document()
        let fingerprint = Fixtures.serverKey.fingerprint
        #expect(try document.key(fingerprint, at: Fixtures.serverKey.validFrom) == Fixtures.serverKey)
        #expect(try document.key(fingerprint, at: Fixtures.serverKey.validUntil) == Fixtures.serverKey)
        for time in [Fixtures.serverKey.validFrom - 1, Fixtures.serverKey.validUntil + 1] {
            #expect(
                Fixtures.failure { () throws(DeliveryError) in _ = try document.key(fingerprint, at: time) }
                    == .unknownKey)
        }
        #expect(
            Fixtures.failure { () throws(DeliveryError) in
                _ = try document.key(Fixtures.nextServerKey.fingerprint, at: now)
            }
                == .unknownKey)
    }

    /// Spec: [dlv-base-url], [dlv-discovery-https] — an http base URL is refused without a peers file
    /// unless its host is a loopback address.
    @Test func httpNeedsAPeersFileOrLoopback() throws {
        let http = try Fixtures.document(baseURL: try BaseURL("http://mail.example.org/v1")).encodedBytes
        #expect(
            Fixtures.failure { () throws(DeliveryError) in
                _ = try ServerDocument(verifying: http, domain: "example.org", now: now, allowingHTTP: false)
            } == .malformed)
        _ = try ServerDocument(verifying: http, domain: "example.org", now: now, allowingHTTP: true)
        let loopback = try Fixtures.document(baseURL: try BaseURL("http://127.0.0.1:8080")).encodedBytes
        _ = try ServerDocument(verifying: loopback, domain: "example.org", now: now, allowingHTTP: false)
    }

    /// Spec: [dlv-server-document-verify] — the issuer refuses what a verifier would refuse, and the
    /// signing keys must be the listed keys.
    @Test func issuerRefusesInvalidDocuments() throws {
        #expect(throws: DeliveryError(.malformed, "")) { try Fixtures.document(signers: [Fixtures.mallory]) }
        #expect(throws: DeliveryError(.malformed, "")) { try Fixtures.document(keys: [], signers: []) }
        #expect(throws: DeliveryError(.limitsExceeded, "")) {
            try Fixtures.document(created: now, expires: now + 2_592_001)
        }
        let nine = (1...9).map { Fixtures.key("nine/\($0)") }
        #expect(throws: DeliveryError(.limitsExceeded, "")) {
            try Fixtures.document(
                keys: nine.map { try ServerKey(publicKey: $0.publicKey, validFrom: 0, validUntil: 1) }, signers: nine)
        }
        #expect(throws: DeliveryError(.malformed, "")) {
            try ServerKey(publicKey: Fixtures.server.publicKey, validFrom: 5, validUntil: 5)
        }
    }
}
