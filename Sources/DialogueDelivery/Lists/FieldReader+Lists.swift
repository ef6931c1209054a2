internal import DialogueCBOR
internal import DialogueCrypto
internal import DialogueMessages

extension FieldReader {
    /// An unsigned integer that must be one of an enumeration's raw values; another value is
    /// `malformed`, since a version 1 object defines all of them (Spec: lists.md).
    mutating func choice<Choice: RawRepresentable & CaseIterable>(_ key: Int64, _ name: String, as: Choice.Type)
        throws(DeliveryError) -> Choice where Choice.RawValue == UInt64
    {
        let value = try unsigned(key, name)
        guard let choice = Choice(rawValue: value) else {
            throw .malformed("\(what) \(name) \(value) is not one of 0 to \(Choice.allCases.count - 1)")
        }
        return choice
    }

    /// An optional address: absent is `nil`.
    mutating func optionalAddress(_ key: Int64, _ name: String) throws(DeliveryError) -> Address? {
        guard let node = map.optional(key) else { return nil }
        let label = "\(what) \(name)"
        return try DeliveryWire.lift { () throws(MessageError) in try Schema.address(node, label) }
    }

    /// An optional byte string of exactly `count` bytes: absent is `nil`.
    mutating func optionalBytes(_ key: Int64, count: Int, _ name: String) throws(DeliveryError) -> [UInt8]? {
        guard let node = map.optional(key) else { return nil }
        let label = "\(what) \(name)"
        return try DeliveryWire.lift { () throws(MessageError) in try Schema.bytes(node, count: count, label) }
    }
}

extension DeliveryWire {
    /// Steps 1 to 4 of a singly signed object of Spec/lists.md: the size, the signed array, the
    /// version read first, then `read` over the body's fields, every key consumed.
    static func parseSigned<T>(
        _ encoded: [UInt8], maximumSize: Int, _ what: String, _ read: (inout FieldReader) throws(DeliveryError) -> T
    ) throws(DeliveryError) -> (fields: T, body: ArraySlice<UInt8>, signature: [UInt8]) {
        let (body, signature) = try DeliveryWire.signed(encoded, maximumSize: maximumSize, what)
        let node = try DeliveryWire.body(body, "\(what) body")
        let fields = try DeliveryWire.fields(node, "\(what) body") { (map) throws(DeliveryError) in
            _ = try map.unsigned(0, "version")
            return try read(&map)
        }
        return (fields, body, signature)
    }

    /// `created ≤ now + S` for an object of this chapter: `expired` otherwise (Spec: lists.md).
    static func checkCreated(_ created: UInt64, now: UInt64, _ what: String) throws(DeliveryError) {
        try checkNotFromTheFuture(created, now: now, what)
    }

    /// An Ed25519 key of 32 bytes as the lists' objects carry it.
    static func verifyingKey(_ raw: [UInt8], _ what: String) throws(DeliveryError) -> Ed25519.VerifyingKey {
        guard let key = try? Ed25519.VerifyingKey(rawRepresentation: raw) else {
            throw .malformed("\(what) must be 32 bytes")
        }
        return key
    }

    /// An X25519 public key of 32 bytes as the lists' objects carry it.
    static func x25519PublicKey(_ raw: [UInt8], _ what: String) throws(DeliveryError) -> X25519.PublicKey {
        guard let key = try? X25519.PublicKey(rawRepresentation: raw) else {
            throw .malformed("\(what) must be 32 bytes")
        }
        return key
    }
}
