public import DialogueIdentifiers
public import DialogueMessages

/// One recipient of a submission: who, which envelope it opens, and the identity key its
/// acknowledgement must be signed with (Spec: delivery.md#dlv-submission).
///
/// ```
/// delivery = { 0: address, 1: envelope (blob), 2: fingerprint (key), ? 3: stanza index }
/// ```
public struct Delivery: Hashable, Sendable {
    /// The highest stanza index of an encrypted envelope.
    public static let maximumStanzaIndex = 4095

    /// The recipient's address.
    public let recipient: Address
    /// The envelope this recipient opens: the primary, or its blind copy.
    public let envelope: ContentIdentifier
    /// The recipient's identity key fingerprint, from the card the message was sealed to.
    public let fingerprint: ContentIdentifier
    /// In encrypted mode, the recipient's stanza index in the envelope; `nil` in public mode.
    public let stanzaIndex: Int?

    /// A delivery; a stanza index above 4,095 is `limits-exceeded` (Spec: [dlv-submission-verify]
    /// step 4), a negative one `malformed`.
    public init(
        recipient: Address, envelope: ContentIdentifier, fingerprint: ContentIdentifier, stanzaIndex: Int? = nil
    ) throws(DeliveryError) {
        if let stanzaIndex {
            guard stanzaIndex >= 0 else { throw .malformed("a stanza index of \(stanzaIndex) is negative") }
            guard stanzaIndex <= Delivery.maximumStanzaIndex else {
                throw DeliveryError(.limitsExceeded, "a stanza index of \(stanzaIndex) is outside 0 to 4,095")
            }
        }
        self.recipient = recipient
        self.envelope = envelope
        self.fingerprint = fingerprint
        self.stanzaIndex = stanzaIndex
    }
}
