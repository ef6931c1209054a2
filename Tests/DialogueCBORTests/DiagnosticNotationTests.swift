import DialogueCBOR
import Testing

@Suite("Diagnostic notation")
struct DiagnosticNotationTests {
    @Test("values print in RFC 8949 diagnostic notation")
    func printing() throws {
        let cases: [(CBORValue, String)] = [
            (0, "0"),
            (.unsigned(.max), "18446744073709551615"),
            (-1, "-1"),
            (.negative(.max), "-18446744073709551616"),
            (.integer(.min), "-9223372036854775808"),
            (.bytes([]), "h''"),
            (.bytes([0x00, 0xff, 0x0a]), "h'00ff0a'"),
            ("", "\"\""),
            ("a\"b\\c", #""a\"b\\c""#),
            ("\n\r\t\u{8}\u{c}", #""\n\r\t\b\f""#),
            ("\u{0}\u{1f}\u{7f}\u{9f}\u{2028}", #""\u0000\u001f\u007f\u009f\u2028""#),
            ("\u{fc}\u{6c34}\u{1f4ec}", "\"\u{fc}\u{6c34}\u{1f4ec}\""),
            ([], "[]"),
            ([1, [2, 3]], "[1, [2, 3]]"),
            ([:], "{}"),
            ([1: 2, "a": 3], #"{1: 2, "a": 3}"#),
            ([true, false, .null], "[true, false, null]"),
        ]
        for (value, text) in cases {
            #expect(value.diagnosticDescription == text)
            #expect(value.description == text)
            #expect(try CBORValue(diagnostic: text) == value, "\(text)")
        }
    }

    @Test("the parser accepts whitespace, upper-case hex, spaced hex and JSON escapes")
    func lenientSpellings() throws {
        #expect(
            try CBORValue(diagnostic: "  [ 1 ,\n\t-2 ,{ \"a\" : h' 00 FF\n0a ' } ]  ") == [
                1, -2, ["a": .bytes([0, 0xff, 0x0a])],
            ])
        #expect(try CBORValue(diagnostic: #""\u00e9\/\ud83d\udcec""#) == "\u{e9}/\u{1f4ec}")
        #expect(try CBORValue(diagnostic: "-18446744073709551616") == .negative(.max))
        #expect(try CBORValue(diagnostic: "18446744073709551615") == .unsigned(.max))
        #expect(try CBORValue(diagnostic: "{\"b\": 1, \"a\": 2}") == ["a": 2, "b": 1])
        // Duplicate keys parse; the encoder refuses them.
        let duplicate = try CBORValue(diagnostic: "{1: 1, 1: 2}")
        #expect(throws: CBORError(.duplicateMapKey)) { try duplicate.encoded() }
    }

    @Test("the parser rejects what is not in the subset, with an offset")
    func parseErrors() {
        let cases: [(String, Int)] = [
            ("", 0),
            ("   ", 3),
            ("[1, 2", 5),
            ("[1 2]", 3),
            ("[1,]", 3),
            ("{1}", 2),
            ("{1: 2,}", 6),
            ("1.5", 0),
            ("1e3", 0),
            ("NaN", 0),
            ("Infinity", 0),
            ("-Infinity", 1),
            ("undefined", 0),
            ("simple(16)", 0),
            ("1(2)", 0),
            ("(_ h'01')", 0),
            ("[_ 1]", 1),
            ("h'0'", 0),
            ("h'0g'", 3),
            ("h'00", 0),
            ("b64'AA=='", 0),
            ("\"abc", 0),
            ("\"a\u{1}\"", 2),
            (#""\x""#, 1),
            (#""\u12""#, 1),
            (#""\ud800""#, 1),
            (#""\udc00""#, 1),
            (#""\ud800\u0041""#, 1),
            ("007", 0),
            ("-0", 0),
            ("-", 1),
            ("18446744073709551616", 0),
            ("-18446744073709551617", 0),
            ("1 2", 2),
            ("tru", 0),
            ("truex", 0),
            ("nul", 0),
        ]
        for (text, offset) in cases {
            do throws(CBORError) {
                let value = try CBORValue(diagnostic: text)
                Issue.record("\(text) parsed as \(value)")
            } catch {
                #expect(error.code == .invalidDiagnostic, "\(text): \(error)")
                #expect(error.offset == offset, "\(text): \(error)")
            }
        }
    }

    @Test("enc-limits: the parser refuses nesting deeper than 16")
    func parseDepth() throws {
        #expect(
            try CBORValue(diagnostic: String(repeating: "[", count: 16) + String(repeating: "]", count: 16))
                == .nested([], levels: 15))
        #expect(throws: CBORError(.tooDeep)) {
            try CBORValue(diagnostic: String(repeating: "[", count: 17) + String(repeating: "]", count: 17))
        }
        #expect(throws: CBORError(.tooDeep)) { try CBORValue(diagnostic: String(repeating: "[", count: 100_000)) }
    }

    @Test("printing then parsing returns the same value, for thousands of random values")
    func roundTrip() throws {
        var generator = ValueGenerator(seed: 0xd1a6)
        for _ in 0..<1500 {
            let value = generator.value()
            let text = value.diagnosticDescription
            #expect(try CBORValue(diagnostic: text) == value, "\(text)")
        }
    }
}
