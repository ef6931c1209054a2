import DialogueCBOR
import Testing

/// The examples of Spec/encoding.md, section "Examples", exactly as printed.
@Suite("Spec/encoding.md examples")
struct SpecExamplesTests {
    @Test("enc-examples: a map with integer keys")
    func integerKeyedMap() throws {
        let value = try CBORValue(diagnostic: #"{1: 7, 2: h'cafe', 3: "subject"}"#)
        #expect(hexString(try value.encoded()) == "a3" + "0107" + "0242cafe" + "03677375626a656374")
    }

    @Test("enc-examples: entries are sorted by their key encodings")
    func sortedEntries() throws {
        let value = try CBORValue(diagnostic: #"{"b": 2, "a": 1, 10: 0, -1: 0}"#)
        let encoded = try value.encoded()
        #expect(hexString(encoded) == "a40a002000616101616202")
        #expect(try CBORDecoder().decode(encoded).diagnosticDescription == #"{10: 0, -1: 0, "a": 1, "b": 2}"#)
    }

    @Test("enc-examples: integer boundaries")
    func integerBoundaries() throws {
        let cases: [(String, String)] = [
            ("23", "17"), ("24", "1818"), ("-25", "3818"), ("65536", "1a00010000"),
            ("18446744073709551615", "1bffffffffffffffff"), ("-18446744073709551616", "3bffffffffffffffff"),
        ]
        for (diagnostic, hex) in cases {
            #expect(hexString(try CBORValue(diagnostic: diagnostic).encoded()) == hex)
            #expect(try CBORDecoder().decode(bytes(hex)).diagnosticDescription == diagnostic)
        }
    }

    @Test("enc-examples: the table of rejected inputs")
    func rejectedInputs() {
        expectRejected("", .truncated, offset: 0)
        expectRejected("18 17", .nonShortestForm, offset: 0)
        expectRejected("59 00 01 00", .nonShortestForm, offset: 0)
        expectRejected("5f 41 01 ff", .indefiniteLength, offset: 0)
        expectRejected("f9 3c 00", .typeNotAllowed, offset: 0)
        expectRejected("c1 1a 51 4b 67 b0", .typeNotAllowed, offset: 0)
        expectRejected("f8 18", .notWellFormed, offset: 0)
        expectRejected("a2 02 00 01 00", .unsortedMapKeys, offset: 3)
        expectRejected("a2 01 00 01 01", .duplicateMapKey, offset: 3)
        expectRejected("a1 41 00 00", .invalidMapKey, offset: 1)
        expectRejected("63 ed a0 80", .invalidUTF8, offset: 1)
        expectRejected("00 00", .trailingBytes, offset: 1)
        expectRejected("5b ff ff ff ff ff ff ff ff", .truncated, offset: 0)
        expectRejected("83 1c 00", .truncated, offset: 0)
        expectRejected(String(repeating: "81", count: 16) + "00", .tooDeep, offset: 16)
    }

    @Test("enc-error-order: the error code table lists every decoding code")
    func errorTable() {
        let decoding = CBORError.Code.allCases.prefix(12).map(\.name)
        #expect(
            decoding == [
                "truncated", "trailing-bytes", "non-shortest-form", "indefinite-length", "unsorted-map-keys",
                "duplicate-map-key", "invalid-map-key", "invalid-utf8", "too-deep", "too-large", "type-not-allowed",
                "not-well-formed",
            ]
        )
    }
}
