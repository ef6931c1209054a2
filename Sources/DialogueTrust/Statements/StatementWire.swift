internal import DialogueCBOR
internal import DialogueCrypto
internal import DialogueIdentifiers
internal import DialogueMessages

/// Helpers that read the statements' CBOR and turn codec errors into statement errors.
enum StatementWire {
    static func decode(_ bytes: ArraySlice<UInt8>, _ what: String) throws(MessageError) -> CBORNode {
        try reading(what) { () throws(CBORError) in try CBORDecoder().decode(bytes) }
    }

    static func reading<T>(_ what: String, _ body: () throws(CBORError) -> T) throws(MessageError) -> T {
        do {
            return try body()
        } catch {
            if error.code == .tooLarge || error.code == .tooDeep {
                throw MessageError(.limitsExceeded, "\(what): \(error.reason)")
            }
            throw .malformed("\(what): \(error.code.name): \(error.reason)")
        }
    }

    static func map<T>(_ node: CBORNode, _ what: String, _ body: (inout CBORMapReader) throws(MessageError) -> T)
        throws(MessageError) -> T
    {
        var reader = try reading(what) { () throws(CBORError) in try CBORMapReader(node) }
        let result = try body(&reader)
        try reading(what) { () throws(CBORError) in try reader.finish() }
        return result
    }

    static func required(_ reader: inout CBORMapReader, _ key: Int64, _ what: String) throws(MessageError) -> CBORNode {
        try reading(what) { () throws(CBORError) in try reader.required(key) }
    }

    static func unsigned(_ node: CBORNode, _ what: String) throws(MessageError) -> UInt64 {
        try reading(what) { () throws(CBORError) in try node.unsignedInteger() }
    }

    static func text(_ node: CBORNode, _ what: String) throws(MessageError) -> String {
        try reading(what) { () throws(CBORError) in try node.textString() }
    }

    static func bytes(_ node: CBORNode, _ what: String) throws(MessageError) -> ArraySlice<UInt8> {
        try reading(what) { () throws(CBORError) in try node.byteString() }
    }

    static func key(_ node: CBORNode, _ what: String) throws(MessageError) -> Ed25519.VerifyingKey {
        let value = try bytes(node, what)
        guard value.count == 32, let key = try? Ed25519.VerifyingKey(rawRepresentation: value) else {
            throw .malformed("\(what) must be 32 bytes, not \(value.count)")
        }
        return key
    }

    static func addresses(_ node: CBORNode, _ what: String) throws(MessageError) -> [Address] {
        let elements = try reading(what) { () throws(CBORError) in try node.array() }
        guard (1...StatementLimits.maximumAddresses).contains(elements.count) else {
            throw .malformed(
                "\(what) lists \(elements.count) addresses; 1 to \(StatementLimits.maximumAddresses) are allowed")
        }
        var addresses: [Address] = []
        for element in elements {
            let text = try text(element, what)
            do {
                addresses.append(try Address(canonical: text))
            } catch {
                throw .malformed("\(what): \(error)")
            }
        }
        guard zip(addresses, addresses.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw .malformed("\(what) must be distinct and in bytewise order")
        }
        return addresses
    }

    /// Reads key 0 (the version) and key 1 (the kind) of a statement body before anything else.
    static func versionAndKind(_ body: CBORNode) throws(MessageError) -> UInt64 {
        let version = try reading("statement body") { () throws(CBORError) in try body.mapValue(forKey: 0) }
        guard let version else { throw .malformed("the statement body has no version (key 0)") }
        let number = try unsigned(version, "statement version")
        guard number == 1 else {
            throw MessageError(.unsupportedVersion, "statement version \(number) is not 1")
        }
        let kind = try reading("statement body") { () throws(CBORError) in try body.mapValue(forKey: 1) }
        guard let kind else { throw .malformed("the statement body has no kind (key 1)") }
        let value = try unsigned(kind, "statement kind")
        guard value <= 1 else {
            throw MessageError(.unsupportedVersion, "statement kind \(value) is not 0 (rotation) or 1 (revocation)")
        }
        return value
    }

    static func encode(_ value: CBORValue) -> [UInt8] {
        do {
            return try CBOREncoder().encode(value)
        } catch {
            preconditionFailure("statements always encode: \(error)")
        }
    }

    /// `context || 0x00 || body`: what a statement's signatures cover.
    static func signatureInput(_ context: DomainContext, _ body: some Collection<UInt8>) -> [UInt8] {
        var input = context.bytes
        input.reserveCapacity(input.count + 1 + body.count)
        input.append(0)
        input.append(contentsOf: body)
        return input
    }

    /// The statement hash: `BLAKE2b-256("dialogue-v1/statement" || 0x00 || body)` (Spec: [trust-statement-hash]).
    static func hash(body: some Collection<UInt8>) -> [UInt8] {
        BLAKE2b256.hash(signatureInput(.statement, body))
    }
}

/// Limits on statements (Spec: trust.md#trust-statement-decode).
public enum StatementLimits {
    /// The largest statement, in bytes.
    public static let maximumSize = 8192
    /// The most addresses a rotation lists (as many as a card).
    public static let maximumAddresses = 16
    /// The longest revocation reason, in bytes of UTF-8.
    public static let maximumReasonBytes = 1024
    /// The most statement parts read from one message.
    public static let maximumPartsPerMessage = 16
}
