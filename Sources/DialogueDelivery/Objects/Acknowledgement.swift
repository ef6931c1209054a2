internal import DialogueCBOR
public import DialogueCrypto
public import DialogueIdentifiers
public import DialogueMessages

/// A recipient's signed word that it holds what it needs of a message (Spec: delivery.md#dlv-ack).
///
/// ```
/// ack-body = { 0: 1, 1: recipient, 2: envelope (blob), 3: sender, 4: identity key, 5: created }
/// ack = [ bstr (body), bstr .size 64 ]    ; signed by the recipient's identity key
/// ```
///
/// Only the holder of the identity key the sender sealed to can sign for a delivery, so a server
/// that relays an acknowledgement cannot forge one.
public struct Acknowledgement: Hashable, Sendable {
    /// The largest acknowledgement, in bytes (Spec: [dlv-ack-verify] step 1).
    public static let maximumSize = 1024

    /// The recipient's address.
    public let recipient: Address
    /// The identifier of the envelope the recipient opened.
    public let envelope: ContentIdentifier
    /// The sender's address.
    public let sender: Address
    /// The recipient's Ed25519 identity key, which signs.
    public let identityKey: Ed25519.VerifyingKey
    /// When it was signed, in seconds since 1970.
    public let created: UInt64
    /// The acknowledgement exactly as received or issued: `[body, signature]`.
    public let encodedBytes: [UInt8]

    /// The fingerprint of ``identityKey`` (kind `key`, Spec: identities.md#keys).
    public var fingerprint: ContentIdentifier {
        ContentIdentifier.hashing(identityKey.rawRepresentation, context: .identityKey)
    }

    /// Issues and signs an acknowledgement with the recipient's identity key.
    public init(
        recipient: Address, envelope: ContentIdentifier, sender: Address, created: UInt64,
        signingKey: Ed25519.SigningKey
    ) throws(DeliveryError) {
        let body = DeliveryWire.encode([
            .init(key: 0, value: 1), .init(key: 1, value: .text(recipient.text)),
            .init(key: 2, value: .bytes(envelope.binaryRepresentation)), .init(key: 3, value: .text(sender.text)),
            .init(key: 4, value: .bytes(signingKey.publicKey.rawRepresentation)),
            .init(key: 5, value: .unsigned(created)),
        ])
        let signature = signingKey.signature(for: DeliveryWire.signatureInput(.acknowledgement, body))
        self = try Acknowledgement.parse(DeliveryWire.encodeSigned(body: body, signature: signature)).ack
    }

    /// Decodes and verifies an acknowledgement against the delivery it should match, checking in
    /// the order of [dlv-ack-verify] and reporting the first failure.
    ///
    /// - Parameters:
    ///   - delivery: The delivery of the sender's server whose recipient and envelope the
    ///     acknowledgement should name (step 6: `not-a-recipient` otherwise, also when the signing
    ///     key's fingerprint is not the delivery's).
    ///   - sender: The sender of that delivery's submission (step 7).
    ///   - now: The verifier's clock, in seconds since 1970 (step 8).
    public init(verifying bytes: some Collection<UInt8>, delivery: Delivery, sender: Address, now: UInt64)
        throws(DeliveryError)
    {
        let parsed = try Acknowledgement.parse(Array(bytes))
        let ack = parsed.ack
        try DeliveryWire.checkSignature(
            parsed.signature, by: ack.identityKey, context: .acknowledgement, body: parsed.body,
            "the acknowledgement's signature does not verify under its identity key")
        guard ack.recipient == delivery.recipient, ack.envelope == delivery.envelope else {
            throw DeliveryError(
                .notARecipient, "no delivery of \(ack.envelope.text(kind: .blob)) to \(ack.recipient)")
        }
        guard ack.fingerprint == delivery.fingerprint else {
            throw DeliveryError(
                .notARecipient,
                "the acknowledgement is signed by \(ack.fingerprint.text(kind: .identityKey)), not by the key "
                    + "the message was sealed to")
        }
        guard ack.sender == sender else {
            throw DeliveryError(.addressMismatch, "the acknowledgement names the sender \(ack.sender), not \(sender)")
        }
        try DeliveryWire.checkNotFromTheFuture(ack.created, now: now, "the acknowledgement")
        self = ack
    }

    /// Decodes an acknowledgement and checks its own signature, steps 1 to 5 of [dlv-ack-verify],
    /// so that the sender's server learns which delivery it names; the server then runs every step
    /// with ``init(verifying:delivery:sender:now:)`` against that delivery.
    public init(verifyingSignature bytes: some Collection<UInt8>) throws(DeliveryError) {
        let parsed = try Acknowledgement.parse(Array(bytes))
        try DeliveryWire.checkSignature(
            parsed.signature, by: parsed.ack.identityKey, context: .acknowledgement, body: parsed.body,
            "the acknowledgement's signature does not verify under its identity key")
        self = parsed.ack
    }

    /// Acknowledgements are equal when their bytes are.
    public static func == (lhs: Acknowledgement, rhs: Acknowledgement) -> Bool {
        lhs.encodedBytes == rhs.encodedBytes
    }

    /// Hashes the bytes.
    public func hash(into hasher: inout Hasher) { hasher.combine(encodedBytes) }

    private init(
        recipient: Address, envelope: ContentIdentifier, sender: Address, identityKey: Ed25519.VerifyingKey,
        created: UInt64, encodedBytes: [UInt8]
    ) {
        self.recipient = recipient
        self.envelope = envelope
        self.sender = sender
        self.identityKey = identityKey
        self.created = created
        self.encodedBytes = encodedBytes
    }

    /// Steps 1 to 4 of [dlv-ack-verify].
    private static func parse(_ encoded: [UInt8]) throws(DeliveryError) -> (
        ack: Acknowledgement, body: ArraySlice<UInt8>, signature: [UInt8]
    ) {
        let (body, signature) = try DeliveryWire.signed(encoded, maximumSize: maximumSize, "acknowledgement")
        let node = try DeliveryWire.body(body, "acknowledgement body")
        let ack = try DeliveryWire.fields(node, "acknowledgement body") { (map) throws(DeliveryError) in
            _ = try map.unsigned(0, "version")
            return Acknowledgement(
                recipient: try map.address(1, "recipient"), envelope: try map.identifier(2, "envelope"),
                sender: try map.address(3, "sender"), identityKey: try map.verifyingKey(4, "identity key"),
                created: try map.unsigned(5, "created"), encodedBytes: encoded)
        }
        return (ack, body, signature)
    }
}
