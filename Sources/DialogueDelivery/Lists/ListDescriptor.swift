internal import DialogueCBOR
public import DialogueCrypto
public import DialogueIdentifiers
public import DialogueMessages

/// A list's signed policy: its address, its list key, its owner, mode, posting and history
/// (Spec: lists.md#list-descriptor).
///
/// ```
/// list-descriptor-body = { 0: 1, 1: list, 2: list key, 3: owner, 4: mode, 5: posting, 6: history,
///                          7: revision, 8: created }
/// list-descriptor = [ bstr (body), bstr .size 64 ]    ; signed by the list key
/// ```
public struct ListDescriptor: Hashable, Sendable {
    /// The largest descriptor, in bytes (Spec: [list-descriptor-verify] step 1).
    public static let maximumSize = 2048

    /// The list's address.
    public let list: Address
    /// The list key: the Ed25519 identity key of the list's card, which signs.
    public let listKey: Ed25519.VerifyingKey
    /// The address of the person who runs the list.
    public let owner: Address
    /// Encrypted or public.
    public let mode: ListMode
    /// Who may post.
    public let posting: ListPosting
    /// What a member who joins later may read.
    public let history: ListHistory
    /// At least 1; each change of policy signs a larger one ([list-descriptor-revision]).
    public let revision: UInt64
    /// When it was signed, in seconds since 1970.
    public let created: UInt64
    /// The descriptor exactly as received or issued: `[body, signature]`.
    public let encodedBytes: [UInt8]

    /// The fingerprint of ``listKey`` (kind `key`).
    public var listKeyFingerprint: ContentIdentifier {
        ContentIdentifier.hashing(listKey.rawRepresentation, context: .identityKey)
    }

    /// Issues a descriptor signed with the list's identity key.
    ///
    /// - Throws: `malformed` for a descriptor a verifier would reject at steps 1 to 4.
    public init(
        list: Address, owner: Address, mode: ListMode = .encrypted, posting: ListPosting, history: ListHistory,
        revision: UInt64, created: UInt64, signingKey: Ed25519.SigningKey
    ) throws(DeliveryError) {
        let body = DeliveryWire.encode([
            .init(key: 0, value: 1), .init(key: 1, value: .text(list.text)),
            .init(key: 2, value: .bytes(signingKey.publicKey.rawRepresentation)),
            .init(key: 3, value: .text(owner.text)), .init(key: 4, value: .unsigned(mode.rawValue)),
            .init(key: 5, value: .unsigned(posting.rawValue)), .init(key: 6, value: .unsigned(history.rawValue)),
            .init(key: 7, value: .unsigned(revision)), .init(key: 8, value: .unsigned(created)),
        ])
        let signature = signingKey.signature(for: DeliveryWire.signatureInput(.listDescriptor, body))
        self = try ListDescriptor.parse(DeliveryWire.encodeSigned(body: body, signature: signature)).descriptor
    }

    /// Decodes and verifies a descriptor in the order of [list-descriptor-verify], reporting the
    /// first failure.
    ///
    /// - Parameters:
    ///   - list: The list the verifier asked for (step 6).
    ///   - listKeyFingerprint: The fingerprint of the list's identity key as the verifier knows it:
    ///     pinned from the list's card, or the list account's current key (step 7).
    ///   - now: The verifier's clock (step 8).
    public init(
        verifying bytes: some Collection<UInt8>, list: Address, listKeyFingerprint: ContentIdentifier, now: UInt64
    ) throws(DeliveryError) {
        let parsed = try ListDescriptor.parse(Array(bytes))
        let descriptor = parsed.descriptor
        try DeliveryWire.checkSignature(
            parsed.signature, by: descriptor.listKey, context: .listDescriptor, body: parsed.body,
            "the descriptor's signature does not verify under its list key")
        guard descriptor.list == list else {
            throw DeliveryError(.addressMismatch, "the descriptor is for \(descriptor.list), not \(list)")
        }
        guard descriptor.listKeyFingerprint == listKeyFingerprint else {
            throw DeliveryError(
                .unknownKey,
                "the descriptor's list key \(descriptor.listKeyFingerprint.text(kind: .identityKey)) is not "
                    + "\(listKeyFingerprint.text(kind: .identityKey)), the list's key")
        }
        try DeliveryWire.checkCreated(descriptor.created, now: now, "the descriptor")
        self = descriptor
    }

    /// Descriptors are equal when their bytes are.
    public static func == (lhs: ListDescriptor, rhs: ListDescriptor) -> Bool { lhs.encodedBytes == rhs.encodedBytes }

    /// Hashes the bytes.
    public func hash(into hasher: inout Hasher) { hasher.combine(encodedBytes) }

    private init(fields: Fields, encodedBytes: [UInt8]) {
        self.list = fields.list
        self.listKey = fields.listKey
        self.owner = fields.owner
        self.mode = fields.mode
        self.posting = fields.posting
        self.history = fields.history
        self.revision = fields.revision
        self.created = fields.created
        self.encodedBytes = encodedBytes
    }

    private struct Fields {
        var list: Address
        var listKey: Ed25519.VerifyingKey
        var owner: Address
        var mode: ListMode
        var posting: ListPosting
        var history: ListHistory
        var revision: UInt64
        var created: UInt64
    }

    /// Steps 1 to 4 of [list-descriptor-verify].
    private static func parse(_ encoded: [UInt8]) throws(DeliveryError) -> (
        descriptor: ListDescriptor, body: ArraySlice<UInt8>, signature: [UInt8]
    ) {
        let (fields, body, signature) = try DeliveryWire.parseSigned(
            encoded, maximumSize: maximumSize, "list descriptor"
        ) {
            (map) throws(DeliveryError) in
            return Fields(
                list: try map.address(1, "list"), listKey: try map.verifyingKey(2, "list key"),
                owner: try map.address(3, "owner"), mode: try map.choice(4, "mode", as: ListMode.self),
                posting: try map.choice(5, "posting", as: ListPosting.self),
                history: try map.choice(6, "history", as: ListHistory.self),
                revision: try map.unsigned(7, "revision"), created: try map.unsigned(8, "created"))
        }
        guard fields.mode == .encrypted || fields.history == .archive else {
            throw .malformed("a public list has no epochs: its history is the whole archive (0)")
        }
        guard fields.revision > 0 else { throw .malformed("a descriptor's revision is at least 1") }
        return (ListDescriptor(fields: fields, encodedBytes: encoded), body, signature)
    }
}
