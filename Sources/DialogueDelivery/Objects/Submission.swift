internal import DialogueCBOR
public import DialogueCrypto
public import DialogueIdentifiers
public import DialogueMessages

/// A user agent's signed hand-over of a sealed message to its home server: every recipient and
/// every blob (Spec: delivery.md#dlv-submission).
///
/// ```
/// submission-body = { 0: 1, 1: sender, 2: [+ delivery], 3: [* chunk identifier], 4: created, 5: expires }
/// submission = [ bstr (body), bstr .size 64 ]    ; signed by the sender's identity key
/// ```
///
/// The submission keeps the exact bytes it was decoded from or issued as; its identifier is the
/// hash of those bytes (Spec: [dlv-received-bytes]).
///
/// ```swift
/// let submission = try Submission(verifying: body, account: alice, identityKey: aliceKey, now: now)
/// submission.identifier.text(kind: .submission)  // "sub-…"
/// ```
public struct Submission: Hashable, Sendable {
    /// The largest submission, in bytes (4 MiB; Spec: [dlv-submission-verify] step 1).
    public static let maximumSize = 4_194_304
    /// The most deliveries of one submission.
    public static let maximumDeliveries = 4096
    /// The most chunk identifiers of one submission.
    public static let maximumChunks = 65536
    /// The longest a server keeps a message, `expires − created`, in seconds (90 days).
    public static let maximumLifetime: UInt64 = 7_776_000

    /// The sender: the address of the account that signs.
    public let sender: Address
    /// One delivery per recipient, recipients distinct, in the submission's order.
    public let deliveries: [Delivery]
    /// Every chunk blob the envelopes name, each once, in bytewise order.
    public let chunks: [ContentIdentifier]
    /// When the submission was made, in seconds since 1970.
    public let created: UInt64
    /// The server keeps the message at most until this second.
    public let expires: UInt64
    /// The submission exactly as received or issued: `[body, signature]`.
    public let encodedBytes: [UInt8]

    /// The submission identifier: the hash of the exact signed bytes under
    /// `dialogue-v1/submission-id`, written with the kind `sub` (Spec: [dlv-submission]).
    public var identifier: ContentIdentifier { ContentIdentifier.hashing(encodedBytes, context: .submissionID) }

    /// Issues and signs a submission with the sender's identity key.
    ///
    /// `chunks` may be in any order and name a chunk more than once (blind copies share their
    /// chunks): the submission lists each once, in bytewise order.
    ///
    /// - Throws: `malformed` or `limits-exceeded` for a submission a server would reject at steps 1 to 4.
    public init(
        sender: Address, deliveries: [Delivery], chunks: [ContentIdentifier], created: UInt64, expires: UInt64,
        signingKey: Ed25519.SigningKey
    ) throws(DeliveryError) {
        let body = DeliveryWire.encode([
            .init(key: 0, value: 1), .init(key: 1, value: .text(sender.text)),
            .init(key: 2, value: .array(deliveries.map(Submission.encode))),
            .init(key: 3, value: .array(Set(chunks).sorted().map { .bytes($0.binaryRepresentation) })),
            .init(key: 4, value: .unsigned(created)), .init(key: 5, value: .unsigned(expires)),
        ])
        let signature = signingKey.signature(for: DeliveryWire.signatureInput(.submission, body))
        self = try Submission.parse(DeliveryWire.encodeSigned(body: body, signature: signature)).submission
    }

    /// Decodes and verifies a submission that `account` signed the request for, checking in the
    /// order of [dlv-submission-verify] steps 1 to 7 and reporting the first failure. Steps 8 and 9
    /// (the blobs held, the server's limits) are the server's.
    ///
    /// - Parameters:
    ///   - account: The address of the account that signed the request (step 6).
    ///   - identityKey: That account's identity key (step 5).
    ///   - now: The server's clock, in seconds since 1970 (step 7).
    public init(
        verifying bytes: some Collection<UInt8>, account: Address, identityKey: Ed25519.VerifyingKey, now: UInt64
    )
        throws(DeliveryError)
    {
        let parsed = try Submission.parse(Array(bytes))
        try DeliveryWire.checkSignature(
            parsed.signature, by: identityKey, context: .submission, body: parsed.body,
            "the submission's signature does not verify under the account's identity key")
        let submission = parsed.submission
        guard submission.sender == account else {
            throw DeliveryError(
                .addressMismatch, "the submission's sender \(submission.sender) is not the account \(account)")
        }
        try DeliveryWire.checkNotFromTheFuture(submission.created, now: now, "the submission")
        guard now < submission.expires else {
            throw DeliveryError(.expired, "the submission expired at \(submission.expires); now is \(now)")
        }
        self = submission
    }

    /// Submissions are equal when their bytes are.
    public static func == (lhs: Submission, rhs: Submission) -> Bool { lhs.encodedBytes == rhs.encodedBytes }

    /// Hashes the bytes.
    public func hash(into hasher: inout Hasher) { hasher.combine(encodedBytes) }

    private init(
        sender: Address, deliveries: [Delivery], chunks: [ContentIdentifier], created: UInt64, expires: UInt64,
        encodedBytes: [UInt8]
    ) {
        self.sender = sender
        self.deliveries = deliveries
        self.chunks = chunks
        self.created = created
        self.expires = expires
        self.encodedBytes = encodedBytes
    }

    private static func encode(_ delivery: Delivery) -> CBORValue {
        var entries: [CBORValue.MapEntry] = [
            .init(key: 0, value: .text(delivery.recipient.text)),
            .init(key: 1, value: .bytes(delivery.envelope.binaryRepresentation)),
            .init(key: 2, value: .bytes(delivery.fingerprint.binaryRepresentation)),
        ]
        if let index = delivery.stanzaIndex { entries.append(.init(key: 3, value: .unsigned(UInt64(index)))) }
        return .map(entries)
    }

    /// Steps 1 to 4 of [dlv-submission-verify].
    private static func parse(_ encoded: [UInt8]) throws(DeliveryError) -> (
        submission: Submission, body: ArraySlice<UInt8>, signature: [UInt8]
    ) {
        let (body, signature) = try DeliveryWire.signed(encoded, maximumSize: maximumSize, "submission")
        let node = try DeliveryWire.body(body, "submission body")
        typealias RawDelivery = (
            recipient: Address, envelope: ContentIdentifier, fingerprint: ContentIdentifier, stanza: UInt64?
        )
        var sender = Address?.none
        var rawDeliveries: [RawDelivery] = []
        var chunks: [ContentIdentifier] = []
        var created: UInt64 = 0
        var expires: UInt64 = 0
        try DeliveryWire.fields(node, "submission body") { (map) throws(DeliveryError) in
            _ = try map.unsigned(0, "version")
            sender = try map.address(1, "sender")
            let list = try map.array(2, "deliveries", maximumCount: maximumDeliveries)
            rawDeliveries.reserveCapacity(list.count)
            for (index, element) in list.enumerated() {
                rawDeliveries.append(
                    try element.deliveryFields("delivery \(index + 1)") { (delivery) throws(DeliveryError) in
                        (
                            try delivery.address(0, "recipient"), try delivery.identifier(1, "envelope"),
                            try delivery.identifier(2, "fingerprint"), try delivery.optionalUnsigned(3, "stanza index")
                        )
                    })
            }
            let chunkList = try map.array(3, "chunks", maximumCount: maximumChunks)
            chunks.reserveCapacity(chunkList.count)
            for (index, element) in chunkList.enumerated() {
                chunks.append(try element.deliveryIdentifier("submission chunk \(index + 1)"))
            }
            created = try map.unsigned(4, "created")
            expires = try map.unsigned(5, "expires")
        }
        if let index = rawDeliveries.firstIndex(where: { ($0.stanza ?? 0) > UInt64(Delivery.maximumStanzaIndex) }) {
            throw DeliveryError(
                .limitsExceeded,
                "delivery \(index + 1) has the stanza index \(rawDeliveries[index].stanza!); at most 4,095")
        }
        guard !DeliveryWire.lifetime(created: created, expires: expires, exceeds: maximumLifetime) else {
            throw DeliveryError(
                .limitsExceeded, "the submission is kept for \(expires - created) s; at most \(maximumLifetime) s")
        }
        guard !rawDeliveries.isEmpty else { throw .malformed("a submission has at least one delivery") }
        var recipients = Set<Address>()
        for raw in rawDeliveries where !recipients.insert(raw.recipient).inserted {
            throw .malformed("two deliveries have the recipient \(raw.recipient)")
        }
        guard zip(chunks, chunks.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw .malformed("the chunk identifiers are not in strictly increasing bytewise order")
        }
        guard expires > created else {
            throw .malformed("the submission expires (\(expires)) before it is created (\(created))")
        }
        var deliveries: [Delivery] = []
        deliveries.reserveCapacity(rawDeliveries.count)
        for raw in rawDeliveries {
            deliveries.append(
                try Delivery(
                    recipient: raw.recipient, envelope: raw.envelope, fingerprint: raw.fingerprint,
                    stanzaIndex: raw.stanza.map { Int($0) }))
        }
        guard let sender else { throw .malformed("the submission has no sender") }
        let submission = Submission(
            sender: sender, deliveries: deliveries, chunks: chunks, created: created, expires: expires,
            encodedBytes: encoded)
        return (submission, body, signature)
    }
}
