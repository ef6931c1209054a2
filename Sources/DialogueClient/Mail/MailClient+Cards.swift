internal import DialogueCrypto
public import DialogueDelivery
public import DialogueIdentifiers
public import DialogueMessages
public import DialogueTrust

/// A recipient's card as fetched from its server and judged by trust on first use.
public struct JudgedCard: Sendable {
    /// The address the card was fetched for.
    public let address: Address
    /// The card.
    public let card: IdentityCard
    /// The verdict, with what became of the statements that came with the card.
    public let assessment: TrustAssessment
}

extension MailClient {
    /// Fetches `recipient`'s card from its server (`GET /cards/{address}`, [dlv-card]) and judges it
    /// with trust on first use, the statements that came with it included ([dlv-card-judged]): a first
    /// fetch pins the key (`first-contact`), a rotation the pinned key signed is a notice, and another
    /// key without one is the `key-changed` alarm.
    ///
    /// Each fetch is one observation with a fresh identifier, never a duplicate of an earlier one, so
    /// that its verdict reflects the binding now ([dlv-card-observation]).
    public func card(for recipient: Address) async throws -> JudgedCard {
        let base = try await directory.baseURL(for: String(recipient.domain))
        let url = base.endpoint("/cards/" + recipient.text)
        let answer = try await http.send("GET", url, limit: CardResponse.maximumSize)
        guard answer.status == 200 else {
            if answer.status == 404 {
                throw ClientError(.unknownRecipient, "\(base) has no user \(recipient)", status: 404)
            }
            throw answer.error("GET \(url)")
        }
        let response: CardResponse
        let card: IdentityCard
        do {
            response = try CardResponse(decoding: answer.body)
            card = try response.decodedCard()
        } catch let error as DeliveryError {
            throw ClientError(.init(error.code.name), "the card response of \(recipient): \(error.reason)")
        } catch let error as MessageError {
            throw ClientError(.init(error.code.name), "the card of \(recipient): \(error.reason)")
        }
        guard card.lists(recipient) else {
            throw ClientError(.addressMismatch, "the card \(base) served for \(recipient) does not list it")
        }
        let observation = TrustObservation(
            sender: recipient, identityKey: card.identityKey, cardAddresses: card.addresses,
            messageID: try ContentIdentifier(algorithm: .blake2b256, digest: SecureRandom.bytes(count: 32)),
            date: ClientClock.now(), statements: response.statements)
        return JudgedCard(address: recipient, card: card, assessment: try await trust.observe(observation))
    }
}

extension ClientError.Code {
    /// No such user at the recipient's server ([dlv-errors]).
    public static let unknownRecipient = ClientError.Code("unknown-recipient")
}
