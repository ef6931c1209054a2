internal import DialogueCBOR
public import DialogueMessages

/// A rotation or a revocation, decoded from bytes whose kind is not known in advance
/// (Spec: trust.md#trust-statements).
public enum KeyStatement: Hashable, Sendable {
    /// A rotation, signed by the old and the new key.
    case rotation(RotationStatement)
    /// A revocation, signed by the revoked key.
    case revocation(RevocationStatement)

    /// The media type of a message part whose content is one statement (Spec: [trust-statement-transport]).
    public static let mediaType = "application/dialogue-statement"

    /// Decodes and verifies a statement, checking in the order of trust.md#trust-statement-decode:
    /// size, encoding, outer shape, version and kind, body layout and fields, signatures.
    public init(decoding bytes: [UInt8]) throws(MessageError) {
        guard bytes.count <= StatementLimits.maximumSize else {
            throw MessageError(
                .limitsExceeded, "a statement has at most \(StatementLimits.maximumSize) bytes, not \(bytes.count)"
            )
        }
        let outer = try Schema.decode(bytes[...], "statement")
        let elements = try Schema.reading("statement") { () throws(CBORError) in try outer.array() }
        guard (2...3).contains(elements.count) else {
            throw .malformed("a statement is an array of 2 or 3 byte strings, not \(elements.count) elements")
        }
        var signatures: [ArraySlice<UInt8>] = []
        let body = try Schema.bytes(elements[0], "statement body")
        for element in elements.dropFirst() {
            let signature = try Schema.bytes(element, "statement signature")
            guard signature.count == 64 else { throw .malformed("a signature is 64 bytes, not \(signature.count)") }
            signatures.append(signature)
        }
        let node = try Schema.decode(body, "statement body")
        switch try StatementWire.versionAndKind(node) {
        case 0:
            self = .rotation(try RotationStatement(body: body, node: node, signatures: signatures, encoded: bytes))
        default:
            self = .revocation(try RevocationStatement(body: body, node: node, signatures: signatures, encoded: bytes))
        }
    }

    /// The statement hash (Spec: [trust-statement-hash]).
    public var hash: [UInt8] {
        switch self {
        case .rotation(let rotation): rotation.hash
        case .revocation(let revocation): revocation.hash
        }
    }

    /// The encoded statement.
    public var encodedBytes: [UInt8] {
        switch self {
        case .rotation(let rotation): rotation.encodedBytes
        case .revocation(let revocation): revocation.encodedBytes
        }
    }
}
