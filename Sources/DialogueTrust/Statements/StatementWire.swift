internal import DialogueCBOR
internal import DialogueCrypto
internal import DialogueIdentifiers
internal import DialogueMessages

/// The statement-specific parts of reading statements (Spec: trust.md#trust-statement-decode).
enum StatementWire {
    // The generic readers are DialogueMessages' `Schema`: statements and messages share the
    // encoding, the error classes and the way codec errors map onto them.

    static func key(_ node: CBORNode, _ what: String) throws(MessageError) -> Ed25519.VerifyingKey {
        let value = try Schema.bytes(node, what)
        guard value.count == 32, let key = try? Ed25519.VerifyingKey(rawRepresentation: value) else {
            throw .malformed("\(what) must be 32 bytes, not \(value.count)")
        }
        return key
    }

    static func addresses(_ node: CBORNode, _ what: String) throws(MessageError) -> [Address] {
        let elements = try Schema.reading(what) { () throws(CBORError) in try node.array() }
        guard (1...StatementLimits.maximumAddresses).contains(elements.count) else {
            throw .malformed(
                "\(what) lists \(elements.count) addresses; 1 to \(StatementLimits.maximumAddresses) are allowed")
        }
        var addresses: [Address] = []
        for element in elements {
            let text = try Schema.text(element, what)
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
        let version = try Schema.reading("statement body") { () throws(CBORError) in try body.mapValue(forKey: 0) }
        guard let version else { throw .malformed("the statement body has no version (key 0)") }
        let number = try Schema.unsigned(version, "statement version")
        guard number == 1 else {
            throw MessageError(.unsupportedVersion, "statement version \(number) is not 1")
        }
        let kind = try Schema.reading("statement body") { () throws(CBORError) in try body.mapValue(forKey: 1) }
        guard let kind else { throw .malformed("the statement body has no kind (key 1)") }
        let value = try Schema.unsigned(kind, "statement kind")
        guard value <= 1 else {
            throw MessageError(.unsupportedVersion, "statement kind \(value) is not 0 (rotation) or 1 (revocation)")
        }
        return value
    }

    /// The statement hash: `BLAKE2b-256("dialogue-v1/statement" || 0x00 || body)` (Spec: [trust-statement-hash]),
    /// hashed in place rather than over a copy.
    static func hash(body: some Collection<UInt8>) -> [UInt8] {
        ContentIdentifier.hashing(body, context: .statement).digest
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
