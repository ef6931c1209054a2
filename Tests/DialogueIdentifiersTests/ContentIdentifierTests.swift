import DialogueCrypto
import DialogueIdentifiers
import Testing

@Suite("Content identifiers")
struct ContentIdentifierTests {
    /// The example in identifiers.md#id-text, recomputed here from its definition with the
    /// crypto module directly: BLAKE2b-256("dialogue-v1/blob" || 0x00 || "").
    @Test("id-hash: the digest is BLAKE2b-256 over context, a zero byte and the content")
    func digestDefinition() throws {
        let content = Array("hello, world".utf8)
        let expected = BLAKE2b256.hash(Array("dialogue-v1/blob".utf8) + [0] + content)
        let id = ContentIdentifier.hashing(content, context: .blob)
        #expect(id.digest == expected)
        #expect(id.algorithm == .blake2b256)
        #expect(id.binaryRepresentation == [0x01] + expected)
    }

    @Test("id-text: the specification's example for the empty blob")
    func emptyBlobExample() {
        #expect(
            ContentIdentifier.hashing([], context: .blob).text(kind: .blob)
                == "blob-aei333vosise7xmygrkxmcmckps4sxn6yzjlw5viptbrjnek5vu7c"
        )
    }

    @Test("id-hash-context: the same bytes under two contexts have different identifiers")
    func contextsSeparate() {
        let registry = DomainContext.registry
        #expect(Set(registry.map(\.bytes)).count == registry.count)
        let ids = registry.map { ContentIdentifier.hashing([1, 2, 3], context: $0) }
        #expect(Set(ids).count == registry.count)
        for context in registry {
            #expect(context.description.hasPrefix("dialogue-v1/"))
            #expect(!context.bytes.contains(0))
        }
    }

    @Test("id-hash: streaming in pieces equals hashing at once")
    func streaming() {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<50 {
            let count = Int(generator.next() % 5000)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            var hasher = ContentHasher(context: .blob)
            var offset = 0
            while offset < count {
                let step = min(count - offset, Int(generator.next() % 700) + 1)
                hasher.update(bytes[offset..<offset + step])
                offset += step
            }
            #expect(hasher.finalize() == ContentIdentifier.hashing(bytes, context: .blob))
        }
    }

    @Test("id-text-encode: text round trips, lower case, 53 characters after the kind")
    func textRoundTrip() throws {
        for kind in IdentifierKind.all {
            let id = ContentIdentifier.hashing(Array(kind.prefix.utf8), context: kind.context)
            let text = id.text(kind: kind)
            #expect(text.hasPrefix(kind.prefix + "-"))
            #expect(text.count == kind.prefix.count + 1 + 53)
            #expect(text == text.lowercased())
            #expect(try ContentIdentifier(text: text, kind: kind) == id)
            let parsed = try ContentIdentifier.parse(text: text)
            #expect(parsed.kind == kind && parsed.identifier == id)
        }
    }

    @Test("id-text-case: upper and mixed case parse to the same identifier")
    func caseInsensitive() throws {
        let id = ContentIdentifier.hashing([9, 9, 9], context: .blob)
        let text = id.text(kind: .blob)
        #expect(try ContentIdentifier(text: text.uppercased(), kind: .blob) == id)
        let mixed = String(
            text.enumerated().map { $0.offset % 2 == 0 ? Character($0.element.uppercased()) : $0.element })
        #expect(try ContentIdentifier(text: mixed, kind: .blob) == id)
    }

    @Test("id-text-strict: each malformed text form has its own error")
    func strictText() {
        let text = ContentIdentifier.hashing([1], context: .blob).text(kind: .blob)
        let body = String(text.dropFirst(5))
        let cases: [(String, IdentifierError.Code)] = [
            ("nokind" + body, .unknownKind),
            ("mail-" + body, .unknownKind),
            ("-" + body, .unknownKind),
            ("msg-" + body, .wrongKind),
            ("blob-" + body.dropLast() + "1", .invalidCharacter),
            ("blob-" + body + "=", .invalidCharacter),
            ("blob-" + body.prefix(20) + " " + body.dropFirst(21), .invalidCharacter),
            ("blob-" + body.dropLast(), .wrongLength),
            ("blob-" + body + "a", .wrongLength),
            ("blob-" + body + "aaaaaaaa", .wrongLength),
            ("blob-", .wrongLength),
            ("blob-a", .wrongLength),
        ]
        for (input, code) in cases {
            #expect(throws: IdentifierError.self, "\(input)") { try ContentIdentifier(text: input, kind: .blob) }
            do {
                _ = try ContentIdentifier(text: input, kind: .blob)
            } catch {
                #expect(error.code == code, "\(input): \(error)")
            }
        }
    }

    @Test("id-text-strict: non-zero fill bits are non-canonical")
    func fillBits() throws {
        let text = ContentIdentifier.hashing([2], context: .blob).text(kind: .blob)
        // 264 bits in 53 characters: the last character carries 4 bits and one zero fill bit.
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        let last = alphabet.firstIndex(of: text.last!)!
        #expect(last & 1 == 0)
        let altered = String(text.dropLast()) + String(alphabet[last | 1])
        #expect(throws: IdentifierError(.nonCanonical)) { try ContentIdentifier(text: altered, kind: .blob) }
    }

    @Test("id-binary-algorithm, id-binary-length: binary form is checked")
    func binaryForm() throws {
        let id = ContentIdentifier.hashing([3], context: .blob)
        #expect(try ContentIdentifier(binaryRepresentation: id.binaryRepresentation) == id)
        #expect(throws: IdentifierError(.wrongLength)) { try ContentIdentifier(binaryRepresentation: [UInt8]()) }
        #expect(throws: IdentifierError(.wrongLength)) {
            try ContentIdentifier(binaryRepresentation: id.binaryRepresentation.dropLast())
        }
        #expect(throws: IdentifierError(.wrongLength)) {
            try ContentIdentifier(binaryRepresentation: id.binaryRepresentation + [0])
        }
        for code: UInt8 in [0x00, 0x02, 0x7f, 0x80, 0xff] {
            #expect(throws: IdentifierError(.unknownAlgorithm)) {
                try ContentIdentifier(binaryRepresentation: [code] + id.digest)
            }
        }
        // An unknown algorithm in text form is reported as such, not as a length problem:
        // 53 characters of "a" decode to a first byte of 0x00.
        #expect(throws: IdentifierError(.unknownAlgorithm)) {
            try ContentIdentifier(text: "blob-a" + String(repeating: "a", count: 52), kind: .blob)
        }
    }

    @Test("id-verify: content is checked against its identifier")
    func verify() {
        let id = ContentIdentifier.hashing([1, 2, 3], context: .blob)
        #expect(id.isIdentifier(of: [1, 2, 3], context: .blob))
        #expect(!id.isIdentifier(of: [1, 2, 4], context: .blob))
        #expect(!id.isIdentifier(of: [1, 2, 3], context: .message))
    }
}

/// A small deterministic generator for repeatable tests.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
