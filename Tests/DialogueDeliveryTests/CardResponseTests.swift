import DialogueCBOR
import DialogueCrypto
import DialogueDelivery
import DialogueMessages
import Testing

@Suite struct CardResponseTests {
    func card() throws -> IdentityCard {
        try IdentityCard(
            addresses: [Fixtures.address("bob@example.net")], signingKey: Fixtures.bob,
            encryptionKey: try X25519.PrivateKey(rawRepresentation: [UInt8](repeating: 7, count: 32)).publicKey,
            created: Fixtures.now, expires: Fixtures.now + 86_400)
    }

    /// Spec: [dlv-card-response], [dlv-card] — a response carries the card's and statements' exact bytes.
    @Test func roundTrip() throws {
        let card = try card()
        let statements = [[UInt8](repeating: 1, count: 40), [2, 3]]
        let built = try CardResponse(card: card, statements: statements)
        let decoded = try CardResponse(decoding: built.encodedBytes)
        #expect(decoded.card == card.encodedBytes)
        #expect(decoded.statements == statements)
        #expect(try decoded.decodedCard() == card)
    }

    /// Spec: [dlv-card-response] — the size before decoding, the layout, at most 16 statements.
    @Test func strictDecoding() throws {
        let card = try card()
        #expect(throws: DeliveryError(.limitsExceeded, "")) {
            try CardResponse(card: card, statements: Array(repeating: [1], count: 17))
        }
        #expect(throws: Never.self) { try CardResponse(card: card, statements: Array(repeating: [1], count: 16)) }
        let huge = [UInt8](repeating: 0, count: CardResponse.maximumSize + 1)
        #expect(throws: DeliveryError(.limitsExceeded, "")) { try CardResponse(decoding: huge) }
        let valid = try CardResponse(card: card, statements: []).encodedBytes
        #expect(throws: DeliveryError(.malformed, "")) { try CardResponse(decoding: valid + [0]) }
        let extra = try CBOREncoder().encode(.map([0: .bytes(card.encodedBytes), 1: .array([]), 2: 0]))
        #expect(throws: DeliveryError(.malformed, "")) { try CardResponse(decoding: extra) }
        let noStatements = try CBOREncoder().encode(.map([0: .bytes(card.encodedBytes)]))
        #expect(throws: DeliveryError(.malformed, "")) { try CardResponse(decoding: noStatements) }
        Fixtures.expectEveryPrefixMalformed(valid) { (prefix) throws(DeliveryError) in
            _ = try CardResponse(decoding: prefix)
        }
    }
}
