import DialogueIdentifiers
import Testing

/// An identifier describes itself by its kind: `print(id)` shows `msg-…` for a message and
/// `key-…` for a fingerprint, not `blob-…` for everything (Spec: identifiers.md#id-kinds).
@Suite("identifier kinds")
struct IdentifierKindTests {
    let content = Array("hello".utf8)

    @Test("id-text-encode: hashing under a kind's context labels the identifier with that kind")
    func hashingLabels() {
        for kind in IdentifierKind.all {
            let id = ContentIdentifier.hashing(content, context: kind.context)
            #expect(id.kind == kind)
            #expect(id.description == id.text(kind: kind))
            #expect(id.description.hasPrefix(kind.prefix + "-"))
        }
        // A context that names no kind (a statement hash) leaves the kind unknown: the generic `blob`.
        let statement = ContentIdentifier.hashing(content, context: .statement)
        #expect(statement.kind == nil && statement.description.hasPrefix("blob-"))
    }

    @Test("id-text-strict: parsing a text form keeps its kind")
    func parsingLabels() throws {
        let message = ContentIdentifier.hashing(content, context: .message)
        let text = message.text(kind: .message)
        #expect(try ContentIdentifier(text: text, kind: .message).description == text)
        #expect(try ContentIdentifier.parse(text: text.uppercased()).identifier.description == text)
        let bare = try ContentIdentifier(binaryRepresentation: message.binaryRepresentation)
        #expect(bare.kind == nil && bare.description == message.text(kind: .blob))
        #expect(
            try ContentIdentifier(binaryRepresentation: message.binaryRepresentation, kind: .message).kind == .message)
    }

    @Test("id-binary: the kind is a label, not part of the name: equality and hashing ignore it")
    func equalityIgnoresKind() {
        let id = ContentIdentifier.hashing(content, context: .blob)
        let relabelled = id.labeled(.identityKey)
        #expect(relabelled == id && relabelled.kind == .identityKey)
        #expect(Set([id, relabelled, id.labeled(.message)]).count == 1)
        #expect(relabelled.binaryRepresentation == id.binaryRepresentation)
    }
}
