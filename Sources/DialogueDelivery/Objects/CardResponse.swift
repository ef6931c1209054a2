internal import DialogueCBOR
public import DialogueMessages

/// A recipient's server's answer to `GET /cards/{address}`: the user's current card and the
/// statements that explain its key (Spec: delivery.md#dlv-card).
///
/// ```
/// card-response = { 0: bstr (card), 1: [* bstr (statement)] }    ; at most 16 statements
/// ```
///
/// The answer is not signed: the card is self-signed and authenticated by trust on first use,
/// so the user agent judges it and the statements with the rules of the Trust chapter before it
/// seals to the card (Spec: [dlv-card-judged]). This type checks the answer's shape only.
public struct CardResponse: Hashable, Sendable {
    /// The largest card response, in bytes (Spec: [dlv-card-response]).
    public static let maximumSize = 147_456
    /// The most statements a card response carries.
    public static let maximumStatements = 16

    /// The card's exact bytes.
    public let card: [UInt8]
    /// The rotation and revocation statements, oldest first, each as its exact bytes.
    public let statements: [[UInt8]]
    /// The response exactly as received or built.
    public let encodedBytes: [UInt8]

    /// Builds a response.
    ///
    /// - Throws: `limits-exceeded` for more than 16 statements or a response above ``maximumSize``.
    public init(card: IdentityCard, statements: [[UInt8]]) throws(DeliveryError) {
        let encoded = DeliveryWire.encode([
            .init(key: 0, value: .bytes(card.encodedBytes)),
            .init(key: 1, value: .array(statements.map(CBORValue.bytes))),
        ])
        self = try CardResponse(decoding: encoded)
    }

    /// Decodes a response: at most ``maximumSize`` bytes (checked before decoding), valid Dialogue
    /// CBOR, exactly the keys 0 and 1 with their types, at most 16 statements (Spec: [dlv-card-response]).
    public init(decoding bytes: some Collection<UInt8>) throws(DeliveryError) {
        let encoded = Array(bytes)
        let what = "card response"
        try DeliveryWire.checkSize(encoded, maximum: CardResponse.maximumSize, what)
        let node = try DeliveryWire.lift { () throws(MessageError) in try Schema.decode(encoded[...], what) }
        (card, statements) = try DeliveryWire.fields(node, what) { (map) throws(DeliveryError) in
            let card = try map.bytes(0, "card")
            var statements: [[UInt8]] = []
            for (index, element) in try map.array(1, "statements", maximumCount: CardResponse.maximumStatements)
                .enumerated()
            {
                statements.append(
                    Array(
                        try DeliveryWire.lift { () throws(MessageError) in
                            try Schema.bytes(element, "card response statement \(index + 1)")
                        }))
            }
            return (card, statements)
        }
        encodedBytes = encoded
    }

    /// The card, decoded and its signature verified (Spec: identities.md#card).
    public func decodedCard() throws(MessageError) -> IdentityCard { try IdentityCard(decoding: card) }
}
