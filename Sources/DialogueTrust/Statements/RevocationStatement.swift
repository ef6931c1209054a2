internal import DialogueCBOR
public import DialogueCrypto
internal import DialogueIdentifiers
public import DialogueMessages

/// A revocation: the holder of an identity key declares it must no longer be trusted
/// (Spec: trust.md#trust-revocation).
///
/// ```
/// body = { 0: 1, 1: 1, 2: revoked key, 3: created, 4: reason (text) }
/// statement = [ body, Ed25519(revoked key, "dialogue-v1/revocation" || 0x00 || body) ]
/// ```
public struct RevocationStatement: Hashable, Sendable {
    /// The key that is revoked, and that signed.
    public let key: Ed25519.VerifyingKey
    /// When it was made (the sender's clock).
    public let created: UInt64
    /// Why, in the holder's words (may be empty).
    public let reason: String
    /// The statement exactly as encoded: `[body, signature]`.
    public let encodedBytes: [UInt8]
    /// The statement hash (Spec: [trust-statement-hash]).
    public let hash: [UInt8]

    /// Makes and signs a revocation of `key`.
    public init(revoking key: Ed25519.SigningKey, created: UInt64, reason: String) throws(MessageError) {
        guard reason.utf8.count <= StatementLimits.maximumReasonBytes else {
            throw .malformed("a revocation reason has at most \(StatementLimits.maximumReasonBytes) bytes")
        }
        let body = Schema.encode(
            .map([
                .init(key: 0, value: 1),
                .init(key: 1, value: 1),
                .init(key: 2, value: .bytes(key.publicKey.rawRepresentation)),
                .init(key: 3, value: .unsigned(created)),
                .init(key: 4, value: .text(reason)),
            ])
        )
        let signature = key.signature(for: Schema.signatureInput(.revocation, body))
        self.key = key.publicKey
        self.created = created
        self.reason = reason
        self.encodedBytes = Schema.encode(.array([.bytes(body), .bytes(signature.rawRepresentation)]))
        self.hash = StatementWire.hash(body: body)
    }

    /// Decodes a revocation and verifies its signature (Spec: [trust-statement-decode]).
    public init(decoding bytes: [UInt8]) throws(MessageError) {
        switch try KeyStatement(decoding: bytes) {
        case .revocation(let revocation): self = revocation
        case .rotation: throw .malformed("this is a rotation, not a revocation")
        }
    }

    init(body: ArraySlice<UInt8>, node: CBORNode, signatures: [ArraySlice<UInt8>], encoded: [UInt8])
        throws(MessageError)
    {
        guard signatures.count == 1 else {
            throw .malformed("a revocation is [body, signature]; found \(signatures.count + 1) elements")
        }
        var key: Ed25519.VerifyingKey?
        var created: UInt64 = 0
        var reason = ""
        try Schema.map(node, "revocation body") { (reader: inout CBORMapReader) throws(MessageError) in
            _ = try Schema.required(&reader, 0, "version")
            _ = try Schema.required(&reader, 1, "kind")
            key = try StatementWire.key(Schema.required(&reader, 2, "revoked key"), "revoked key")
            created = try Schema.unsigned(Schema.required(&reader, 3, "created"), "created")
            reason = try Schema.text(Schema.required(&reader, 4, "reason"), "reason")
        }
        guard let key else { throw .malformed("a revocation names a key") }
        guard reason.utf8.count <= StatementLimits.maximumReasonBytes else {
            throw .malformed("a revocation reason has at most \(StatementLimits.maximumReasonBytes) bytes")
        }
        guard key.isValidSignature(signatures[0], for: Schema.signatureInput(.revocation, body)) else {
            throw MessageError(.badSignature, "the revocation is not signed by the key it revokes")
        }
        self.key = key
        self.created = created
        self.reason = reason
        self.encodedBytes = encoded
        self.hash = StatementWire.hash(body: body)
    }

    /// The part that carries this statement in a message (Spec: [trust-statement-transport]).
    public var messagePart: MessageDraft.Part {
        MessageDraft.Part(mediaType: KeyStatement.mediaType, content: .bytes(encodedBytes))
    }

    /// Compares bytes.
    public static func == (lhs: RevocationStatement, rhs: RevocationStatement) -> Bool {
        lhs.encodedBytes == rhs.encodedBytes
    }

    /// Hashes bytes.
    public func hash(into hasher: inout Hasher) { hasher.combine(encodedBytes) }
}
