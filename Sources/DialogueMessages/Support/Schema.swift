package import DialogueCBOR
package import DialogueIdentifiers

/// Helpers that read Dialogue's CBOR structures and turn codec errors into the
/// specification's error classes (Spec: messages.md#msg-errors).
package enum Schema {
    /// Decodes one item, mapping the codec's limits to `limits-exceeded` and everything else to `malformed`.
    package static func decode(_ bytes: ArraySlice<UInt8>, _ what: String) throws(MessageError) -> CBORNode {
        try reading(what) { () throws(CBORError) in try CBORDecoder().decode(bytes) }
    }

    /// Runs `body`, turning a `CBORError` into a `MessageError` that names `what` was being read.
    package static func reading<T>(_ what: String, _ body: () throws(CBORError) -> T) throws(MessageError) -> T {
        do {
            return try body()
        } catch {
            if error.code == .tooLarge || error.code == .tooDeep {
                throw MessageError(.limitsExceeded, "\(what): \(error.reason)")
            }
            throw MessageError(.malformed, "\(what): \(error.code.name): \(error.reason)")
        }
    }

    /// Reads a map whose every key must be consumed by `body`.
    package static func map<T>(
        _ node: CBORNode, _ what: String, _ body: (inout CBORMapReader) throws(MessageError) -> T
    )
        throws(MessageError) -> T
    {
        var reader = try reading(what) { () throws(CBORError) in try CBORMapReader(node) }
        let result = try body(&reader)
        try reading(what) { () throws(CBORError) in try reader.finish() }
        return result
    }

    /// Reads key 0 of a map, the version, before anything else, so that an unknown version is
    /// reported as `unsupported-version` rather than as an unknown layout (Spec: [msg-open-order]).
    package static func requireVersion(_ node: CBORNode, _ what: String, supported: UInt64 = 1) throws(MessageError) {
        let versionNode = try reading(what) { () throws(CBORError) in try node.mapValue(forKey: 0) }
        guard let versionNode else { throw .malformed("\(what) has no version (key 0)") }
        let version = try unsigned(versionNode, "\(what) version")
        guard version == supported else {
            throw MessageError(.unsupportedVersion, "\(what) version \(version) is not \(supported)")
        }
    }

    package static func required(_ reader: inout CBORMapReader, _ key: Int64, _ what: String) throws(MessageError)
        -> CBORNode
    {
        try reading(what) { () throws(CBORError) in try reader.required(key) }
    }

    package static func unsigned(_ node: CBORNode, _ what: String) throws(MessageError) -> UInt64 {
        try reading(what) { () throws(CBORError) in try node.unsignedInteger() }
    }

    package static func text(_ node: CBORNode, _ what: String) throws(MessageError) -> String {
        try reading(what) { () throws(CBORError) in try node.textString() }
    }

    package static func bytes(_ node: CBORNode, _ what: String) throws(MessageError) -> ArraySlice<UInt8> {
        try reading(what) { () throws(CBORError) in try node.byteString() }
    }

    package static func bytes(_ node: CBORNode, count: Int, _ what: String) throws(MessageError) -> [UInt8] {
        Array(try slice(node, count: count, what))
    }

    /// A byte string of exactly `count` bytes, as a slice of the input (no copy).
    package static func slice(_ node: CBORNode, count: Int, _ what: String) throws(MessageError) -> ArraySlice<UInt8> {
        let value = try bytes(node, what)
        guard value.count == count else {
            throw .malformed("\(what) must be \(count) bytes, not \(value.count)")
        }
        return value
    }

    package static func array(_ node: CBORNode, _ what: String, maximumCount: Int) throws(MessageError) -> [CBORNode] {
        let elements = try reading(what) { () throws(CBORError) in try node.array() }
        guard elements.count <= maximumCount else {
            throw .limits("\(what) has \(elements.count) elements; at most \(maximumCount) are allowed")
        }
        return elements
    }

    package static func address(_ node: CBORNode, _ what: String) throws(MessageError) -> Address {
        let text = try text(node, what)
        do {
            return try Address(canonical: text)
        } catch {
            throw .malformed("\(what): \(error)")
        }
    }

    package static func identifier(_ node: CBORNode, _ what: String, kind: IdentifierKind) throws(MessageError)
        -> ContentIdentifier
    {
        let value = try bytes(node, what)
        do {
            return try ContentIdentifier(binaryRepresentation: value, kind: kind)
        } catch {
            throw .malformed("\(what): \(error)")
        }
    }

    /// A two-element array `[payload bstr, signature bstr .size 64]`: the shape of every signed object.
    package static func signed(_ node: CBORNode, _ what: String) throws(MessageError) -> (
        payload: ArraySlice<UInt8>, signature: [UInt8]
    ) {
        let elements = try reading(what) { () throws(CBORError) in try node.array() }
        guard elements.count == 2 else {
            throw .malformed("\(what) must be an array of 2 elements, not \(elements.count)")
        }
        return (try bytes(elements[0], "\(what) payload"), try bytes(elements[1], count: 64, "\(what) signature"))
    }

    /// Encodes a value built by this module; such values are always within the codec's limits.
    package static func encode(_ value: CBORValue) -> [UInt8] {
        do {
            return try CBOREncoder().encode(value)
        } catch {
            preconditionFailure("Dialogue structures always encode: \(error)")
        }
    }

    /// `[payload, signature]`, encoded.
    package static func encodeSigned(payload: [UInt8], signature: [UInt8]) -> [UInt8] {
        encode(.array([.bytes(payload), .bytes(signature)]))
    }

    /// The bytes a signature covers: `context || 0x00 || payload` (Spec: identifiers.md#id-registry).
    package static func signatureInput(_ context: DomainContext, _ payload: some Collection<UInt8>) -> [UInt8] {
        var input = context.bytes
        input.reserveCapacity(input.count + 1 + payload.count)
        input.append(0)
        input.append(contentsOf: payload)
        return input
    }
}
