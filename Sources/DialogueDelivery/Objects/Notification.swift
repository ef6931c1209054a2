internal import DialogueCBOR
public import DialogueCrypto
public import DialogueIdentifiers
public import DialogueMessages

/// A sender's server's signed announcement of a message to a recipient's server
/// (Spec: delivery.md#dlv-notification).
///
/// ```
/// notification-body = { 0: 1, 1: sender, 2: recipient, 3: envelope (blob), 4: envelope size,
///                       5: message size, 6: base URL, 7: created, 8: expires,
///                       9: server key fingerprint (srv), ? 10: stanza index }
/// notification = [ bstr (body), bstr .size 64 ]    ; signed by that server key
/// ```
///
/// It binds the sender, the recipient, the envelope and the signing server, and keeps the exact
/// bytes it was received as, which an inbox hands to the user agent (Spec: [dlv-received-bytes]).
public struct Notification: Hashable, Sendable {
    /// The largest notification, in bytes (Spec: [dlv-notification-verify] step 1).
    public static let maximumSize = 2048
    /// The largest envelope a notification announces, in bytes.
    public static let maximumEnvelopeSize: UInt64 = 16_777_216

    /// The sender's address.
    public let sender: Address
    /// The recipient's address.
    public let recipient: Address
    /// The envelope's identifier.
    public let envelope: ContentIdentifier
    /// The envelope's size in bytes: 1 to 16,777,216.
    public let envelopeSize: UInt64
    /// The message's total size (the envelope and every chunk), at least ``envelopeSize``.
    public let messageSize: UInt64
    /// Where to fetch the blobs from.
    public let baseURL: BaseURL
    /// When the notification was signed, in seconds since 1970.
    public let created: UInt64
    /// The submission's expiry: after it the blobs may be gone.
    public let expires: UInt64
    /// The fingerprint of the server key that signs (kind `srv`).
    public let serverKey: ContentIdentifier
    /// In encrypted mode, the recipient's stanza index; `nil` in public mode.
    public let stanzaIndex: Int?
    /// The notification exactly as received or issued: `[body, signature]`.
    public let encodedBytes: [UInt8]

    /// Issues a notification signed by a server key; ``serverKey`` is that key's fingerprint.
    ///
    /// - Throws: `malformed` or `limits-exceeded` for a notification a verifier would reject at steps 1 to 4.
    public init(
        sender: Address, recipient: Address, envelope: ContentIdentifier, envelopeSize: UInt64, messageSize: UInt64,
        baseURL: BaseURL, created: UInt64, expires: UInt64, stanzaIndex: Int? = nil, signingKey: Ed25519.SigningKey
    ) throws(DeliveryError) {
        let fingerprint = ContentIdentifier.hashing(signingKey.publicKey.rawRepresentation, context: .serverKey)
        var entries: [CBORValue.MapEntry] = [
            .init(key: 0, value: 1), .init(key: 1, value: .text(sender.text)),
            .init(key: 2, value: .text(recipient.text)), .init(key: 3, value: .bytes(envelope.binaryRepresentation)),
            .init(key: 4, value: .unsigned(envelopeSize)), .init(key: 5, value: .unsigned(messageSize)),
            .init(key: 6, value: .text(baseURL.text)), .init(key: 7, value: .unsigned(created)),
            .init(key: 8, value: .unsigned(expires)), .init(key: 9, value: .bytes(fingerprint.binaryRepresentation)),
        ]
        if let stanzaIndex {
            // A negative index has no encoding; an index above 4,095 is refused by the parse below.
            guard stanzaIndex >= 0 else { throw .malformed("a stanza index of \(stanzaIndex) is negative") }
            entries.append(.init(key: 10, value: .unsigned(UInt64(stanzaIndex))))
        }
        let body = DeliveryWire.encode(entries)
        let signature = signingKey.signature(for: DeliveryWire.signatureInput(.notification, body))
        self = try Notification.parse(DeliveryWire.encodeSigned(body: body, signature: signature)).notification
    }

    /// Decodes and verifies a notification, checking in the order of [dlv-notification-verify] and
    /// reporting the first failure.
    ///
    /// - Parameters:
    ///   - signerDomain: The domain whose server signed the request that carried the notification
    ///     (the domain of its `keyid`), or, for a user agent, the sender's domain (step 7).
    ///   - serverKeys: The keys of that domain's server document (step 5, [dlv-server-key-validity]).
    ///   - servedDomains: The domains the receiving server serves (step 7).
    ///   - now: The verifier's clock, in seconds since 1970 (step 8).
    public init(
        verifying bytes: some Collection<UInt8>, signerDomain: String, serverKeys: [ServerKey],
        servedDomains: Set<String>, now: UInt64
    ) throws(DeliveryError) {
        let parsed = try Notification.parse(Array(bytes))
        let notification = parsed.notification
        let key = try ServerKey.find(notification.serverKey, in: serverKeys, at: notification.created)
        try DeliveryWire.checkSignature(
            parsed.signature, by: key.publicKey, context: .notification, body: parsed.body,
            "the notification's signature does not verify under \(notification.serverKey.text(kind: .serverKey))")
        guard notification.sender.domain == signerDomain else {
            throw DeliveryError(
                .addressMismatch, "the sender \(notification.sender) is not in the signing domain '\(signerDomain)'")
        }
        guard servedDomains.contains(String(notification.recipient.domain)) else {
            throw DeliveryError(
                .addressMismatch, "the recipient \(notification.recipient) is not in a domain this server serves")
        }
        try DeliveryWire.checkNotFromTheFuture(notification.created, now: now, "the notification")
        guard now < notification.expires else {
            throw DeliveryError(.expired, "the notification expired at \(notification.expires); now is \(now)")
        }
        self = notification
    }

    /// Notifications are equal when their bytes are.
    public static func == (lhs: Notification, rhs: Notification) -> Bool { lhs.encodedBytes == rhs.encodedBytes }

    /// Hashes the bytes.
    public func hash(into hasher: inout Hasher) { hasher.combine(encodedBytes) }

    private init(fields: Fields, encodedBytes: [UInt8]) {
        self.sender = fields.sender
        self.recipient = fields.recipient
        self.envelope = fields.envelope
        self.envelopeSize = fields.envelopeSize
        self.messageSize = fields.messageSize
        self.baseURL = fields.baseURL
        self.created = fields.created
        self.expires = fields.expires
        self.serverKey = fields.serverKey
        self.stanzaIndex = fields.stanzaIndex.map { Int($0) }
        self.encodedBytes = encodedBytes
    }

    private struct Fields {
        var sender: Address
        var recipient: Address
        var envelope: ContentIdentifier
        var envelopeSize: UInt64
        var messageSize: UInt64
        var baseURL: BaseURL
        var created: UInt64
        var expires: UInt64
        var serverKey: ContentIdentifier
        var stanzaIndex: UInt64?
    }

    /// Steps 1 to 4 of [dlv-notification-verify].
    private static func parse(_ encoded: [UInt8]) throws(DeliveryError) -> (
        notification: Notification, body: ArraySlice<UInt8>, signature: [UInt8]
    ) {
        let (body, signature) = try DeliveryWire.signed(encoded, maximumSize: maximumSize, "notification")
        let node = try DeliveryWire.body(body, "notification body")
        let fields = try DeliveryWire.fields(node, "notification body") { (map) throws(DeliveryError) in
            _ = try map.unsigned(0, "version")
            return Fields(
                sender: try map.address(1, "sender"), recipient: try map.address(2, "recipient"),
                envelope: try map.identifier(3, "envelope"), envelopeSize: try map.unsigned(4, "envelope size"),
                messageSize: try map.unsigned(5, "message size"), baseURL: try BaseURL(try map.text(6, "base URL")),
                created: try map.unsigned(7, "created"), expires: try map.unsigned(8, "expires"),
                serverKey: try map.identifier(9, "server key"),
                stanzaIndex: try map.optionalUnsigned(10, "stanza index"))
        }
        guard fields.envelopeSize <= maximumEnvelopeSize else {
            throw DeliveryError(
                .limitsExceeded, "an envelope of \(fields.envelopeSize) bytes; at most \(maximumEnvelopeSize)")
        }
        if let index = fields.stanzaIndex, index > UInt64(Delivery.maximumStanzaIndex) {
            throw DeliveryError(.limitsExceeded, "a stanza index of \(index) is outside 0 to 4,095")
        }
        guard fields.envelopeSize > 0 else { throw .malformed("an envelope is at least 1 byte") }
        guard fields.messageSize >= fields.envelopeSize else {
            throw .malformed("the message size (\(fields.messageSize)) is below the envelope size")
        }
        guard fields.expires > fields.created else {
            throw .malformed("the notification expires (\(fields.expires)) before it is created (\(fields.created))")
        }
        return (Notification(fields: fields, encodedBytes: encoded), body, signature)
    }
}
