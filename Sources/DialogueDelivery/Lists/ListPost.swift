internal import DialogueCBOR
public import DialogueCrypto
public import DialogueIdentifiers
public import DialogueMessages

/// An author's signed word that an envelope is its post to a list (Spec: lists.md#list-post).
///
/// ```
/// list-post-body = { 0: 1, 1: list, 2: author, 3: author identity key, 4: envelope (blob),
///                    5: envelope size, 6: message size, 7: epoch, 8: created }
/// list-post = [ bstr (body), bstr .size 64 ]    ; signed by the author's identity key
/// ```
///
/// The list server cannot read an encrypted post, but it checks this signature and the policy;
/// a reader checks that the manifest was signed by the same author ([list-post-open]), so the
/// server cannot post in a member's name.
public struct ListPost: Hashable, Sendable {
    /// The largest post, in bytes (Spec: [list-post-verify] step 1).
    public static let maximumSize = 1024

    /// The list's address.
    public let list: Address
    /// The author's address.
    public let author: Address
    /// The author's Ed25519 identity key, which signs.
    public let authorKey: Ed25519.VerifyingKey
    /// The envelope's identifier.
    public let envelope: ContentIdentifier
    /// The envelope's size in bytes: 1 to 16,777,216.
    public let envelopeSize: UInt64
    /// The message's total size (the envelope and every chunk), at least ``envelopeSize``.
    public let messageSize: UInt64
    /// The epoch the post is sealed to; 0 in a public list.
    public let epoch: UInt64
    /// When it was signed, in seconds since 1970.
    public let created: UInt64
    /// The post exactly as received or issued: `[body, signature]`.
    public let encodedBytes: [UInt8]

    /// The fingerprint of ``authorKey`` (kind `key`).
    public var authorFingerprint: ContentIdentifier {
        ContentIdentifier.hashing(authorKey.rawRepresentation, context: .identityKey)
    }

    /// Issues a post signed with the author's identity key.
    ///
    /// - Throws: `malformed` or `limits-exceeded` for a post a verifier would reject at steps 1 to 4.
    public init(
        list: Address, author: Address, envelope: ContentIdentifier, envelopeSize: UInt64, messageSize: UInt64,
        epoch: UInt64, created: UInt64, signingKey: Ed25519.SigningKey
    ) throws(DeliveryError) {
        let body = DeliveryWire.encode([
            .init(key: 0, value: 1), .init(key: 1, value: .text(list.text)), .init(key: 2, value: .text(author.text)),
            .init(key: 3, value: .bytes(signingKey.publicKey.rawRepresentation)),
            .init(key: 4, value: .bytes(envelope.binaryRepresentation)),
            .init(key: 5, value: .unsigned(envelopeSize)), .init(key: 6, value: .unsigned(messageSize)),
            .init(key: 7, value: .unsigned(epoch)), .init(key: 8, value: .unsigned(created)),
        ])
        let signature = signingKey.signature(for: DeliveryWire.signatureInput(.listPost, body))
        self = try ListPost.parse(DeliveryWire.encodeSigned(body: body, signature: signature)).post
    }

    /// Decodes and verifies a post in the order of [list-post-verify] steps 1 to 8, reporting the
    /// first failure; the posting policy and the blobs (steps 9 and 10) are the server's.
    ///
    /// - Parameters:
    ///   - list: The list posted to (step 6).
    ///   - epoch: The list's epoch where the post stands: the current one for the server, the
    ///     epoch of the latest event before the post's entry for a reader (step 7).
    ///   - now: The verifier's clock (step 8).
    public init(verifying bytes: some Collection<UInt8>, list: Address, epoch: UInt64, now: UInt64)
        throws(DeliveryError)
    {
        let parsed = try ListPost.parse(Array(bytes))
        let post = parsed.post
        try DeliveryWire.checkSignature(
            parsed.signature, by: post.authorKey, context: .listPost, body: parsed.body,
            "the post's signature does not verify under its author's key")
        guard post.list == list else {
            throw DeliveryError(.addressMismatch, "the post is for \(post.list), not \(list)")
        }
        guard post.epoch == epoch else {
            throw DeliveryError(
                .expired, "the post is sealed to epoch \(post.epoch); the list's epoch there is \(epoch)")
        }
        try DeliveryWire.checkCreated(post.created, now: now, "the post")
        self = post
    }

    /// Posts are equal when their bytes are.
    public static func == (lhs: ListPost, rhs: ListPost) -> Bool { lhs.encodedBytes == rhs.encodedBytes }

    /// Hashes the bytes.
    public func hash(into hasher: inout Hasher) { hasher.combine(encodedBytes) }

    private init(fields: Fields, encodedBytes: [UInt8]) {
        self.list = fields.list
        self.author = fields.author
        self.authorKey = fields.authorKey
        self.envelope = fields.envelope
        self.envelopeSize = fields.envelopeSize
        self.messageSize = fields.messageSize
        self.epoch = fields.epoch
        self.created = fields.created
        self.encodedBytes = encodedBytes
    }

    private struct Fields {
        var list: Address
        var author: Address
        var authorKey: Ed25519.VerifyingKey
        var envelope: ContentIdentifier
        var envelopeSize: UInt64
        var messageSize: UInt64
        var epoch: UInt64
        var created: UInt64
    }

    /// Steps 1 to 4 of [list-post-verify].
    private static func parse(_ encoded: [UInt8]) throws(DeliveryError) -> (
        post: ListPost, body: ArraySlice<UInt8>, signature: [UInt8]
    ) {
        let (fields, body, signature) = try DeliveryWire.parseSigned(encoded, maximumSize: maximumSize, "list post") {
            (map) throws(DeliveryError) in
            return Fields(
                list: try map.address(1, "list"), author: try map.address(2, "author"),
                authorKey: try map.verifyingKey(3, "author key"), envelope: try map.identifier(4, "envelope"),
                envelopeSize: try map.unsigned(5, "envelope size"), messageSize: try map.unsigned(6, "message size"),
                epoch: try map.unsigned(7, "epoch"), created: try map.unsigned(8, "created"))
        }
        guard fields.envelopeSize <= Notification.maximumEnvelopeSize else {
            throw DeliveryError(
                .limitsExceeded,
                "an envelope of \(fields.envelopeSize) bytes; at most \(Notification.maximumEnvelopeSize)")
        }
        guard fields.envelopeSize > 0 else { throw .malformed("an envelope is at least 1 byte") }
        guard fields.messageSize >= fields.envelopeSize else {
            throw .malformed("the message size (\(fields.messageSize)) is below the envelope size")
        }
        return (ListPost(fields: fields, encodedBytes: encoded), body, signature)
    }
}
