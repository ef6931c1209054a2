internal import DialogueCBOR
public import DialogueCrypto
public import DialogueIdentifiers
public import DialogueMessages

/// One entry of a list's append-only index, signed by the list server (Spec: lists.md#list-index).
///
/// ```
/// list-entry-body = { 0: 1, 1: list, 2: position, 3: kind, 4: object, 5: appended,
///                     6: server key fingerprint (srv) }
/// list-entry = [ bstr (body), bstr .size 64 ]    ; signed by that server key
/// ```
///
/// The object inside keeps its own signature; the server's signature adds only what the server
/// decides, the position and the time, so a member can show which entry the server put where.
public struct ListEntry: Hashable, Sendable {
    /// The largest entry, in bytes (Spec: [list-entry-verify] step 1).
    public static let maximumSize = 4096
    /// The largest object an entry holds, in bytes: the largest descriptor.
    public static let maximumObjectSize = 2048

    /// The list's address.
    public let list: Address
    /// 1 for the first entry, then one more for each entry.
    public let position: UInt64
    /// What ``object`` is.
    public let kind: ListEntryKind
    /// The descriptor, event or post, exactly as the server received it.
    public let object: [UInt8]
    /// When the server appended it, in seconds since 1970.
    public let appended: UInt64
    /// The fingerprint of the server key that signs (kind `srv`).
    public let serverKey: ContentIdentifier
    /// The entry exactly as received or issued: `[body, signature]`.
    public let encodedBytes: [UInt8]

    /// Issues an entry signed by a server key; ``serverKey`` is that key's fingerprint.
    ///
    /// - Throws: `malformed` or `limits-exceeded` for an entry a verifier would reject at steps 1 to 4.
    public init(
        list: Address, position: UInt64, kind: ListEntryKind, object: [UInt8], appended: UInt64,
        signingKey: Ed25519.SigningKey
    ) throws(DeliveryError) {
        let fingerprint = ContentIdentifier.hashing(signingKey.publicKey.rawRepresentation, context: .serverKey)
        let body = DeliveryWire.encode([
            .init(key: 0, value: 1), .init(key: 1, value: .text(list.text)), .init(key: 2, value: .unsigned(position)),
            .init(key: 3, value: .unsigned(kind.rawValue)), .init(key: 4, value: .bytes(object)),
            .init(key: 5, value: .unsigned(appended)), .init(key: 6, value: .bytes(fingerprint.binaryRepresentation)),
        ])
        let signature = signingKey.signature(for: DeliveryWire.signatureInput(.listEntry, body))
        self = try ListEntry.parse(DeliveryWire.encodeSigned(body: body, signature: signature)).entry
    }

    /// Decodes and verifies an entry in the order of [list-entry-verify], reporting the first failure.
    ///
    /// - Parameters:
    ///   - list: The list polled (step 7).
    ///   - serverKeys: The keys of the list domain's server document (step 5).
    ///   - after: The position of the last entry the reader holds, 0 at first (step 8,
    ///     [list-index-contiguous]).
    ///   - now: The verifier's clock (step 9).
    public init(
        verifying bytes: some Collection<UInt8>, list: Address, serverKeys: [ServerKey], after: UInt64, now: UInt64
    ) throws(DeliveryError) {
        let parsed = try ListEntry.parse(Array(bytes))
        let entry = parsed.entry
        let key = try ServerKey.find(entry.serverKey, in: serverKeys, at: entry.appended)
        try DeliveryWire.checkSignature(
            parsed.signature, by: key.publicKey, context: .listEntry, body: parsed.body,
            "the entry's signature does not verify under \(entry.serverKey.text(kind: .serverKey))")
        guard entry.list == list else {
            throw DeliveryError(.addressMismatch, "the entry is of \(entry.list), not \(list)")
        }
        let (next, overflow) = after.addingReportingOverflow(1)
        guard !overflow, entry.position == next else {
            throw .malformed(
                "the entry is at position \(entry.position), not \(after) + 1: the server skipped or reordered entries")
        }
        try DeliveryWire.checkCreated(entry.appended, now: now, "the entry")
        self = entry
    }

    /// Entries are equal when their bytes are.
    public static func == (lhs: ListEntry, rhs: ListEntry) -> Bool { lhs.encodedBytes == rhs.encodedBytes }

    /// Hashes the bytes.
    public func hash(into hasher: inout Hasher) { hasher.combine(encodedBytes) }

    private init(fields: Fields, encodedBytes: [UInt8]) {
        self.list = fields.list
        self.position = fields.position
        self.kind = fields.kind
        self.object = fields.object
        self.appended = fields.appended
        self.serverKey = fields.serverKey
        self.encodedBytes = encodedBytes
    }

    private struct Fields {
        var list: Address
        var position: UInt64
        var kind: ListEntryKind
        var object: [UInt8]
        var appended: UInt64
        var serverKey: ContentIdentifier
    }

    /// Steps 1 to 4 of [list-entry-verify].
    private static func parse(_ encoded: [UInt8]) throws(DeliveryError) -> (
        entry: ListEntry, body: ArraySlice<UInt8>, signature: [UInt8]
    ) {
        let (fields, body, signature) = try DeliveryWire.parseSigned(encoded, maximumSize: maximumSize, "list entry") {
            (map) throws(DeliveryError) in
            return Fields(
                list: try map.address(1, "list"), position: try map.unsigned(2, "position"),
                kind: try map.choice(3, "kind", as: ListEntryKind.self), object: try map.bytes(4, "object"),
                appended: try map.unsigned(5, "appended"), serverKey: try map.identifier(6, "server key"))
        }
        guard fields.object.count <= maximumObjectSize else {
            throw DeliveryError(
                .limitsExceeded, "an object of \(fields.object.count) bytes; at most \(maximumObjectSize)")
        }
        guard fields.position > 0 else { throw .malformed("an entry's position is at least 1") }
        return (ListEntry(fields: fields, encodedBytes: encoded), body, signature)
    }
}
