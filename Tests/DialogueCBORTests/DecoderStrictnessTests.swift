import DialogueCBOR
import Testing

/// Hand-written inputs for every rule of Spec/encoding.md.
@Suite("Decoder strictness")
struct DecoderStrictnessTests {
    // MARK: [enc-shortest]

    @Test("enc-shortest: integers at every width boundary are accepted in their shortest form")
    func shortestBoundariesAccepted() {
        expectAccepted("17", 23)
        expectAccepted("1818", 24)
        expectAccepted("18ff", 255)
        expectAccepted("190100", 256)
        expectAccepted("19ffff", 65535)
        expectAccepted("1a00010000", 65536)
        expectAccepted("1affffffff", .unsigned(0xffff_ffff))
        expectAccepted("1b0000000100000000", .unsigned(0x1_0000_0000))
        expectAccepted("1bffffffffffffffff", .unsigned(.max))
        expectAccepted("37", -24)
        expectAccepted("3818", -25)
        expectAccepted("38ff", -256)
        expectAccepted("390100", -257)
        expectAccepted("3b7fffffffffffffff", .integer(.min))
        expectAccepted("3bffffffffffffffff", .negative(.max))
    }

    @Test("enc-shortest: non-shortest integers are rejected at every width, for both signs")
    func nonShortestIntegers() {
        for major: UInt8 in [0x00, 0x20] {
            for value: UInt8 in 0..<24 {
                expectRejected([major | 24, value], .nonShortestForm, offset: 0)
            }
            expectRejected([major | 25, 0x00, 0x00], .nonShortestForm, offset: 0)
            expectRejected([major | 25, 0x00, 0x17], .nonShortestForm, offset: 0)
            expectRejected([major | 25, 0x00, 0xff], .nonShortestForm, offset: 0)
            expectRejected([major | 26, 0x00, 0x00, 0x00, 0x00], .nonShortestForm, offset: 0)
            expectRejected([major | 26, 0x00, 0x00, 0xff, 0xff], .nonShortestForm, offset: 0)
            expectRejected([major | 27, 0, 0, 0, 0, 0, 0, 0, 0], .nonShortestForm, offset: 0)
            expectRejected([major | 27, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff], .nonShortestForm, offset: 0)
        }
    }

    @Test("enc-shortest: non-shortest lengths and counts are rejected for strings, arrays and maps")
    func nonShortestLengths() {
        expectRejected("5800", .nonShortestForm, offset: 0)
        expectRejected("581701" + String(repeating: "00", count: 22), .nonShortestForm, offset: 0)
        expectRejected("59000100", .nonShortestForm, offset: 0)
        expectRejected("5a0000000100", .nonShortestForm, offset: 0)
        expectRejected("5b000000000000000100", .nonShortestForm, offset: 0)
        expectRejected("7800", .nonShortestForm, offset: 0)
        expectRejected("79000161", .nonShortestForm, offset: 0)
        expectRejected("9800", .nonShortestForm, offset: 0)
        expectRejected("99000101", .nonShortestForm, offset: 0)
        expectRejected("9a0000000101", .nonShortestForm, offset: 0)
        expectRejected("b800", .nonShortestForm, offset: 0)
        expectRejected("b900010101", .nonShortestForm, offset: 0)
        expectRejected("bb00000000000000010101", .nonShortestForm, offset: 0)
        // Nested: the offset is that of the offending head.
        expectRejected("8201 1801", .nonShortestForm, offset: 2)
        expectRejected("a1 01 5800", .nonShortestForm, offset: 2)
    }

    // MARK: [enc-definite] and [enc-well-formed]

    @Test("enc-definite: indefinite-length strings, arrays and maps and the break code are rejected")
    func indefiniteLengths() {
        expectRejected("5fff", .indefiniteLength, offset: 0)
        expectRejected("5f4101ff", .indefiniteLength, offset: 0)
        expectRejected("7fff", .indefiniteLength, offset: 0)
        expectRejected("9fff", .indefiniteLength, offset: 0)
        expectRejected("bfff", .indefiniteLength, offset: 0)
        expectRejected("ff", .indefiniteLength, offset: 0)
        expectRejected("8101ff", .trailingBytes, offset: 2)
        expectRejected("82 01 ff", .indefiniteLength, offset: 2)
        expectRejected("a1 01 9f", .indefiniteLength, offset: 2)
    }

    @Test("enc-well-formed: reserved additional information 28 to 30 is not well-formed for every major type")
    func reservedAdditionalInformation() {
        for major: UInt8 in 0...7 {
            for additional: UInt8 in 28...30 {
                expectRejected([major << 5 | additional, 0, 0, 0, 0, 0, 0, 0, 0], .notWellFormed, offset: 0)
            }
        }
    }

    @Test("enc-well-formed: additional information 31 on integers and tags is not well-formed")
    func indefiniteOnIntegersAndTags() {
        expectRejected("1f", .notWellFormed, offset: 0)
        expectRejected("3f", .notWellFormed, offset: 0)
        expectRejected("df", .notWellFormed, offset: 0)
    }

    @Test("enc-well-formed: a simple value below 32 in the two-byte form is not well-formed")
    func twoByteSimpleBelow32() {
        for value: UInt8 in 0..<32 {
            expectRejected([0xf8, value], .notWellFormed, offset: 0)
        }
    }

    // MARK: [enc-types]

    @Test("enc-types: floats, undefined and every simple value but false, true and null are rejected")
    func disallowedMajorSeven() {
        for additional: UInt8 in 0..<24 where ![20, 21, 22].contains(additional) {
            expectRejected([0xe0 | additional], .typeNotAllowed, offset: 0)
        }
        for value: UInt8 in 32...255 {
            expectRejected([0xf8, value], .typeNotAllowed, offset: 0)
        }
        expectRejected("f90000", .typeNotAllowed, offset: 0)
        expectRejected("f97e00", .typeNotAllowed, offset: 0)
        expectRejected("fa00000000", .typeNotAllowed, offset: 0)
        expectRejected("fb0000000000000000", .typeNotAllowed, offset: 0)
        expectRejected("fb8000000000000000", .typeNotAllowed, offset: 0)
        expectAccepted("f4", false)
        expectAccepted("f5", true)
        expectAccepted("f6", .null)
    }

    @Test("enc-types: tags of every head width are rejected, before their head is checked for shortest form")
    func tags() {
        for additional: UInt8 in 0..<24 {
            expectRejected([0xc0 | additional, 0x00], .typeNotAllowed, offset: 0)
        }
        expectRejected("d82000", .typeNotAllowed, offset: 0)
        expectRejected("d80000", .typeNotAllowed, offset: 0)  // non-shortest tag: the type wins
        expectRejected("d9010000", .typeNotAllowed, offset: 0)
        expectRejected("da0001000000", .typeNotAllowed, offset: 0)
        expectRejected("db000000010000000000", .typeNotAllowed, offset: 0)
        expectRejected("8201c100", .typeNotAllowed, offset: 2)
    }

    // MARK: [enc-map-keys] and [enc-map-order]

    @Test("enc-map-keys: keys that are not integers or text strings are rejected")
    func invalidKeyTypes() {
        expectRejected("a1 4100 00", .invalidMapKey, offset: 1)
        expectRejected("a1 40 00", .invalidMapKey, offset: 1)
        expectRejected("a1 80 00", .invalidMapKey, offset: 1)
        expectRejected("a1 a0 00", .invalidMapKey, offset: 1)
        expectRejected("a1 f4 00", .invalidMapKey, offset: 1)
        expectRejected("a1 f5 00", .invalidMapKey, offset: 1)
        expectRejected("a1 f6 00", .invalidMapKey, offset: 1)
        // A disallowed type is reported as such, even as a key.
        expectRejected("a1 f7 00", .typeNotAllowed, offset: 1)
        expectRejected("a1 c000 00", .typeNotAllowed, offset: 1)
        // Head checks come before the key check.
        expectRejected("a1 5800 00", .nonShortestForm, offset: 1)
        // The key type is checked at the key's head, before its content.
        expectRejected("a1 42 00", .invalidMapKey, offset: 1)
        // Allowed key types.
        expectAccepted("a3 01 00 20 00 6161 00", [1: 0, -1: 0, "a": 0])
    }

    @Test("enc-map-order: keys sorted by their encodings are accepted; length comes first for text")
    func sortedKeysAccepted() {
        expectAccepted("a2 17 00 1818 00", [23: 0, 24: 0])
        expectAccepted("a3 20 00 37 00 3818 00", [-1: 0, -24: 0, -25: 0])
        expectAccepted("a2 1bffffffffffffffff 00 20 00", [.unsigned(.max): 0, -1: 0])
        expectAccepted("a2 6162 00 626161 00", ["b": 0, "aa": 0])
        expectAccepted("a2 6161 00 6162 00", ["a": 0, "b": 0])
        expectAccepted("a2 60 00 6100 00", ["": 0, "\u{0}": 0])
        expectAccepted("a2 3bffffffffffffffff 00 60 00", [.negative(.max): 0, "": 0])
    }

    @Test("enc-map-order: unsorted keys are rejected at the first key lower than its predecessor")
    func unsortedKeys() {
        expectRejected("a2 02 00 01 00", .unsortedMapKeys, offset: 3)
        expectRejected("a2 1818 00 17 00", .unsortedMapKeys, offset: 4)
        expectRejected("a2 20 00 01 00", .unsortedMapKeys, offset: 3)
        expectRejected("a2 6161 00 01 00", .unsortedMapKeys, offset: 4)
        expectRejected("a2 626161 00 6162 00", .unsortedMapKeys, offset: 5)
        expectRejected("a2 6162 00 6161 00", .unsortedMapKeys, offset: 4)
        expectRejected("a3 01 00 03 00 02 00", .unsortedMapKeys, offset: 5)
        // The order is checked right after the key, before its value.
        expectRejected("a2 02 00 01 1c", .unsortedMapKeys, offset: 3)
        // Nested maps are checked too.
        expectRejected("81 a2 02 00 01 00", .unsortedMapKeys, offset: 4)
    }

    @Test("enc-map-order: duplicate keys are rejected")
    func duplicateKeys() {
        expectRejected("a2 01 00 01 00", .duplicateMapKey, offset: 3)
        expectRejected("a2 01 00 01 01", .duplicateMapKey, offset: 3)
        expectRejected("a2 6161 00 6161 00", .duplicateMapKey, offset: 4)
        expectRejected("a2 20 00 20 00", .duplicateMapKey, offset: 3)
        expectRejected("a3 01 00 02 00 02 00", .duplicateMapKey, offset: 5)
    }

    // MARK: [enc-utf8]

    @Test("enc-utf8: text strings at the edges of valid UTF-8 are accepted")
    func validUTF8Edges() {
        expectAccepted("6100", "\u{0}")
        expectAccepted("617f", "\u{7f}")
        expectAccepted("62c280", "\u{80}")
        expectAccepted("62dfbf", "\u{7ff}")
        expectAccepted("63e0a080", "\u{800}")
        expectAccepted("63ed9fbf", "\u{d7ff}")
        expectAccepted("63ee8080", "\u{e000}")
        expectAccepted("63efbfbf", "\u{ffff}")
        expectAccepted("63efbbbf", "\u{feff}")  // a BOM is a character like any other
        expectAccepted("64f0908080", "\u{10000}")
        expectAccepted("64f48fbfbf", "\u{10ffff}")
        // Multi-byte characters after more than eight ASCII bytes (past the fast path).
        expectAccepted("6b 616263646566676869 c3a9", "abcdefghi\u{e9}")
    }

    @Test("enc-utf8: overlongs, surrogates, values above U+10FFFF, stray and missing continuation bytes are rejected")
    func invalidUTF8() {
        let cases: [(String, Int)] = [
            ("61 80", 1),  // stray continuation byte
            ("61 bf", 1),
            ("62 c080", 1),  // overlong NUL
            ("62 c1bf", 1),  // overlong U+007F
            ("63 e08080", 1),  // overlong three-byte
            ("63 e09fbf", 1),  // overlong U+07FF
            ("64 f0808080", 1),  // overlong four-byte
            ("64 f08fbfbf", 1),  // overlong U+FFFF
            ("63 eda080", 1),  // U+D800, a surrogate
            ("63 edbfbf", 1),  // U+DFFF, a surrogate
            ("66 eda0bdedb8bf", 1),  // CESU-8 surrogate pair
            ("64 f4908080", 1),  // U+110000
            ("64 f7bfbfbf", 1),
            ("61 f5", 1),
            ("61 fe", 1),
            ("61 ff", 1),
            ("65 f888808080", 1),  // five-byte form
            ("61 c2", 1),  // sequence cut by the end of the string
            ("62 e282", 1),
            ("63 f09f98", 1),
            ("62 c241", 1),  // lead byte followed by ASCII
            ("63 e228a1", 1),
            ("64 f0288cbc", 1),
            ("64 f0908c28", 1),
            ("69 6162636465666768 ff", 9),  // offset of the bad byte after the fast path
            ("6a 616263646566676869 80", 10),
            ("64 61 c3a9 80", 4),
            ("82 6161 62 61 80", 5),  // in a nested string: the offset is in the whole input
        ]
        for (hex, offset) in cases {
            expectRejected(hex, .invalidUTF8, offset: offset)
        }
    }

    // MARK: [enc-truncated]

    @Test("enc-truncated: an empty input and heads cut short are truncated")
    func truncatedHeads() {
        expectRejected([], .truncated, offset: 0)
        for hex in [
            "18", "1901", "1a000100", "1b00000001000000", "38", "58", "59", "5a", "5b", "78", "98", "b8", "f8", "f900",
            "fa0000", "fb", "d8", "d900",
        ] {
            expectRejected(hex, .truncated, offset: 0)
        }
    }

    @Test("enc-truncated: lengths and counts beyond the end of the input are truncated")
    func lengthsBeyondInput() {
        expectRejected("41", .truncated, offset: 0)
        expectRejected("4201", .truncated, offset: 0)
        expectRejected("64616263", .truncated, offset: 0)
        expectRejected("81", .truncated, offset: 0)
        expectRejected("8201", .truncated, offset: 0)
        expectRejected("a1", .truncated, offset: 0)
        expectRejected("a101", .truncated, offset: 0)
        expectRejected("a20102", .truncated, offset: 0)
        // A count that fits the remaining bytes, but an element cut short.
        expectRejected("820142", .truncated, offset: 2)
        expectRejected("830101", .truncated, offset: 0)
        // A count larger than the remaining bytes is truncated before any
        // element is looked at, even a malformed one.
        expectRejected("831c00", .truncated, offset: 0)
        expectRejected("821c00", .notWellFormed, offset: 1)
    }

    @Test("enc-truncated: huge declared lengths are rejected without allocating")
    func hugeDeclaredLengths() {
        expectRejected("5bffffffffffffffff", .truncated, offset: 0)
        expectRejected("5b7fffffffffffffff00", .truncated, offset: 0)
        expectRejected("7bffffffffffffffff", .truncated, offset: 0)
        expectRejected("9bffffffffffffffff", .truncated, offset: 0)
        expectRejected("bbffffffffffffffff", .truncated, offset: 0)
        expectRejected("5affffffff00", .truncated, offset: 0)
        expectRejected("9a00010000" + String(repeating: "00", count: 100), .truncated, offset: 0)
        expectRejected("9b0000000100000000" + String(repeating: "00", count: 100), .truncated, offset: 0)
        expectRejected("81 5bffffffffffffffff", .truncated, offset: 1)
    }

    @Test("enc-truncated: every strict prefix of a valid input is truncated (drip-feed)")
    func dripFeed() throws {
        let value: CBORValue = [
            1: .bytes(Array(repeating: 0xab, count: 300)),
            2: "dialogue \u{1f4ec}",
            3: [.unsigned(.max), .negative(.max), 65536, -257, true, false, .null],
            -1: ["nested": ["deeper": [[[]]]]],
            "k": .bytes([]),
        ]
        var inputs = [try CBOREncoder().encode(value)]
        for hex in ["1bffffffffffffffff", "3903e7", "64f0908591", "8301820203820405", "a26161016162820203"] {
            inputs.append(bytes(hex))
        }
        for input in inputs {
            _ = try CBORDecoder().decode(input)
            for length in 0..<input.count {
                expectRejected(Array(input[0..<length]), .truncated, label: "prefix \(length) of \(hexString(input))")
            }
        }
    }

    // MARK: [enc-one-item]

    @Test("enc-one-item: bytes after the top-level item are rejected, whatever they are")
    func trailingBytes() {
        expectRejected("0000", .trailingBytes, offset: 1)
        expectRejected("80 00", .trailingBytes, offset: 1)
        expectRejected("f6 f6", .trailingBytes, offset: 1)
        expectRejected("a0 ff", .trailingBytes, offset: 1)
        expectRejected("4101 1c", .trailingBytes, offset: 2)
        expectRejected("820102 03", .trailingBytes, offset: 3)
    }

    // MARK: [enc-limits]

    @Test("enc-limits: depth 16 is accepted and depth 17 is too deep")
    func depthLimit() {
        expectAccepted(String(repeating: "81", count: 15) + "00", CBORValue.nested(0, levels: 15))
        expectAccepted(String(repeating: "81", count: 15) + "80", CBORValue.nested([], levels: 15))
        expectRejected(String(repeating: "81", count: 16) + "00", .tooDeep, offset: 16)
        expectRejected(String(repeating: "81", count: 16) + "80", .tooDeep, offset: 16)
        // The key of the sixteenth map already has depth 17.
        expectRejected(String(repeating: "a101", count: 16) + "00", .tooDeep, offset: 31)
        // The depth is checked before the item's head.
        expectRejected(String(repeating: "81", count: 16) + "1c", .tooDeep, offset: 16)
        expectRejected(String(repeating: "81", count: 1000) + "00", .tooDeep, offset: 16)
        // A tighter limit.
        let limits = CBORLimits(maximumDepth: 2)
        #expect(throws: Never.self) { try CBORDecoder(limits: limits).decode(bytes("8180")) }
        expectRejected("818180", .tooDeep, offset: 2, limits: limits)
    }

    @Test("enc-limits: 262,144 items are accepted and one more is too large; keys and values count")
    func itemLimit() throws {
        let header = bytes("9a0003ffff")  // an array of 262,143 elements: 262,144 items
        let ok = header + Array(repeating: 0, count: 262_143)
        #expect(try CBORDecoder().decode(ok).array().count == 262_143)
        let tooMany = bytes("9a00040000") + Array(repeating: 0, count: 262_144)
        expectRejected(tooMany, .tooLarge, offset: 5 + 262_143)
        let limits = CBORLimits(maximumItemCount: 3)
        #expect(throws: Never.self) { try CBORDecoder(limits: limits).decode(bytes("820000")) }
        #expect(throws: Never.self) { try CBORDecoder(limits: limits).decode(bytes("a10000")) }
        expectRejected("83000000", .tooLarge, offset: 3, limits: limits)
        expectRejected("a2 00 00 01 00", .tooLarge, offset: 3, limits: limits)
    }

    @Test("enc-limits: 16 MiB are accepted and one more byte is too large, before parsing")
    func sizeLimit() throws {
        let size = 1 << 24
        let ok = bytes("5a") + [0x00, 0xff, 0xff, 0xfb] + Array(repeating: 0x55, count: size - 5)
        #expect(ok.count == size)
        #expect(try CBORDecoder().decode(ok).byteString().count == size - 5)
        // One byte too many, even though the first item is complete and valid.
        expectRejected(ok + [0], .tooLarge, offset: 0)
        let limits = CBORLimits(maximumEncodedSize: 3)
        #expect(throws: Never.self) { try CBORDecoder(limits: limits).decode(bytes("420102")) }
        expectRejected("43010203", .tooLarge, offset: 0, limits: limits)
    }

    @Test("enc-limits: limits can only be tightened")
    func limitsClamp() {
        let loose = CBORLimits(maximumDepth: 1000, maximumItemCount: 1 << 40, maximumEncodedSize: 1 << 40)
        #expect(loose == .default)
        let zero = CBORLimits(maximumDepth: 0, maximumItemCount: -5, maximumEncodedSize: 0)
        #expect(zero.maximumDepth == 1 && zero.maximumItemCount == 1 && zero.maximumEncodedSize == 1)
        #expect(CBORLimits.default.maximumDepth == 16)
        #expect(CBORLimits.default.maximumItemCount == 262_144)
        #expect(CBORLimits.default.maximumEncodedSize == 16_777_216)
    }

    // MARK: [enc-error-order]

    @Test("enc-error-order: the first violation in reading order wins, with the documented order inside a head")
    func errorOrder() {
        expectRejected("1c", .notWellFormed, offset: 0)  // reserved before anything else
        expectRejected("f8", .truncated, offset: 0)  // head incomplete before its value is judged
        expectRejected("f818", .notWellFormed, offset: 0)
        expectRejected("f820", .typeNotAllowed, offset: 0)
        expectRejected("c0", .typeNotAllowed, offset: 0)  // tag content is never looked at
        expectRejected("82 1c 1801", .notWellFormed, offset: 1)
        expectRejected("82 1801 1c", .nonShortestForm, offset: 1)
        expectRejected("a2 01 1c 00 00", .notWellFormed, offset: 2)
        expectRejected("61 80 00", .invalidUTF8, offset: 1)  // the item's own error before trailing bytes
    }
}

extension CBORValue {
    /// `value` wrapped in `levels` one-element arrays.
    static func nested(_ value: CBORValue, levels: Int) -> CBORValue {
        var result = value
        for _ in 0..<levels { result = [result] }
        return result
    }
}
