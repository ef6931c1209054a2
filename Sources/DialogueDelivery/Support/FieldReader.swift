internal import DialogueCBOR
internal import DialogueCrypto
internal import DialogueIdentifiers
internal import DialogueMessages

/// Reads the fields of one map of a delivery object by key, with the object's error classes.
///
/// The fields are read in the order of their keys, and a list's count is checked as the list is
/// read, before its elements (Spec: [dlv-check-order]).
struct FieldReader {
    var map: CBORMapReader
    let what: String

    private mutating func node(_ key: Int64, _ name: String) throws(DeliveryError) -> CBORNode {
        let what = self.what
        return try DeliveryWire.lift { () throws(MessageError) in try Schema.required(&map, key, "\(what) \(name)") }
    }

    private func label(_ name: String) -> String { "\(what) \(name)" }

    mutating func unsigned(_ key: Int64, _ name: String) throws(DeliveryError) -> UInt64 {
        let node = try node(key, name)
        return try DeliveryWire.lift { () throws(MessageError) in try Schema.unsigned(node, label(name)) }
    }

    /// An optional unsigned integer: absent is `nil`.
    mutating func optionalUnsigned(_ key: Int64, _ name: String) throws(DeliveryError) -> UInt64? {
        guard let node = map.optional(key) else { return nil }
        return try DeliveryWire.lift { () throws(MessageError) in try Schema.unsigned(node, label(name)) }
    }

    mutating func text(_ key: Int64, _ name: String) throws(DeliveryError) -> String {
        let node = try node(key, name)
        return try DeliveryWire.lift { () throws(MessageError) in try Schema.text(node, label(name)) }
    }

    mutating func address(_ key: Int64, _ name: String) throws(DeliveryError) -> Address {
        let node = try node(key, name)
        return try DeliveryWire.lift { () throws(MessageError) in try Schema.address(node, label(name)) }
    }

    mutating func bytes(_ key: Int64, _ name: String) throws(DeliveryError) -> [UInt8] {
        let node = try node(key, name)
        return Array(try DeliveryWire.lift { () throws(MessageError) in try Schema.bytes(node, label(name)) })
    }

    mutating func bytes(_ key: Int64, count: Int, _ name: String) throws(DeliveryError) -> [UInt8] {
        let node = try node(key, name)
        return try DeliveryWire.lift { () throws(MessageError) in try Schema.bytes(node, count: count, label(name)) }
    }

    mutating func identifier(_ key: Int64, _ name: String) throws(DeliveryError) -> ContentIdentifier {
        let node = try node(key, name)
        return try DeliveryWire.identifier(
            try DeliveryWire.lift { () throws(MessageError) in try Schema.bytes(node, label(name)) }, label(name))
    }

    mutating func verifyingKey(_ key: Int64, _ name: String) throws(DeliveryError) -> Ed25519.VerifyingKey {
        let raw = try bytes(key, count: 32, name)
        guard let key = try? Ed25519.VerifyingKey(rawRepresentation: raw) else {
            throw .malformed("\(label(name)) must be 32 bytes")
        }
        return key
    }

    /// A list whose count is checked before its elements are read: more than `maximumCount` is
    /// `limits-exceeded`.
    mutating func array(_ key: Int64, _ name: String, maximumCount: Int) throws(DeliveryError) -> [CBORNode] {
        let node = try node(key, name)
        return try DeliveryWire.lift { () throws(MessageError) in
            try Schema.array(node, label(name), maximumCount: maximumCount)
        }
    }
}

extension CBORNode {
    /// A byte string element of a list, as an identifier of the delivery form.
    func deliveryIdentifier(_ what: String) throws(DeliveryError) -> ContentIdentifier {
        try DeliveryWire.identifier(
            try DeliveryWire.lift { () throws(MessageError) in try Schema.bytes(self, what) }, what)
    }

    /// The fields of a map element of a list.
    func deliveryFields<T>(_ what: String, _ read: (inout FieldReader) throws(DeliveryError) -> T)
        throws(DeliveryError) -> T
    {
        try DeliveryWire.fields(self, what, read)
    }
}
