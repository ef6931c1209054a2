/// `cbor_decode.json`: Dialogue's deterministic CBOR (Spec: encoding.md, conformance.md#conf-errors).
enum CBORVectors {
    static func input(_ bytes: [UInt8]) -> JSONValue { .object([("data", .string(Hex.encode(bytes)))]) }
    static func input(_ hex: String) -> JSONValue { .object([("data", .string(hex))]) }

    /// RFC 8949 Appendix A: every example, with Dialogue's verdict.
    static let appendixA: [(String, String?, String)] = [
        // (hex, nil if accepted else detail, comment)
        ("00", nil, "0"), ("01", nil, "1"), ("0a", nil, "10"), ("17", nil, "23"), ("1818", nil, "24"),
        ("1819", nil, "25"), ("1864", nil, "100"), ("1903e8", nil, "1000"), ("1a000f4240", nil, "1000000"),
        ("1b000000e8d4a51000", nil, "1000000000000"), ("1bffffffffffffffff", nil, "18446744073709551615"),
        ("c249010000000000000000", "type-not-allowed", "bignum 18446744073709551616 (tag 2)"),
        ("3bffffffffffffffff", nil, "-18446744073709551616"),
        ("c349010000000000000000", "type-not-allowed", "bignum -18446744073709551617 (tag 3)"),
        ("20", nil, "-1"), ("29", nil, "-10"), ("3863", nil, "-100"), ("3903e7", nil, "-1000"),
        ("f90000", "type-not-allowed", "half float 0.0"), ("f98000", "type-not-allowed", "half float -0.0"),
        ("f93c00", "type-not-allowed", "half float 1.0"), ("fb3ff199999999999a", "type-not-allowed", "double 1.1"),
        ("f93e00", "type-not-allowed", "half float 1.5"), ("f97bff", "type-not-allowed", "half float 65504.0"),
        ("fa47c35000", "type-not-allowed", "single float 100000.0"),
        ("fa7f7fffff", "type-not-allowed", "single float 3.4028234663852886e+38"),
        ("fb7e37e43c8800759c", "type-not-allowed", "double 1.0e+300"),
        ("f90001", "type-not-allowed", "half float 5.960464477539063e-8"),
        ("f90400", "type-not-allowed", "half float 0.00006103515625"),
        ("f9c400", "type-not-allowed", "half float -4.0"),
        ("fbc010666666666666", "type-not-allowed", "double -4.1"), ("f97c00", "type-not-allowed", "half Infinity"),
        ("f97e00", "type-not-allowed", "half NaN"), ("f9fc00", "type-not-allowed", "half -Infinity"),
        ("fa7f800000", "type-not-allowed", "single Infinity"), ("fa7fc00000", "type-not-allowed", "single NaN"),
        ("faff800000", "type-not-allowed", "single -Infinity"),
        ("fb7ff0000000000000", "type-not-allowed", "double Infinity"),
        ("fb7ff8000000000000", "type-not-allowed", "double NaN"),
        ("fbfff0000000000000", "type-not-allowed", "double -Infinity"), ("f4", nil, "false"), ("f5", nil, "true"),
        ("f6", nil, "null"), ("f7", "type-not-allowed", "undefined"), ("f0", "type-not-allowed", "simple(16)"),
        ("f818", "not-well-formed", "simple(24), whose two-byte form RFC 8949 section 3.3 makes not well-formed"),
        ("f8ff", "type-not-allowed", "simple(255)"),
        (
            "c074323031332d30332d32315432303a30343a30305a", "type-not-allowed",
            "tag 0: 0(\"2013-03-21T20:04:00Z\")"
        ),
        ("c11a514b67b0", "type-not-allowed", "tag 1: 1(1363896240)"),
        ("c1fb41d452d9ec200000", "type-not-allowed", "tag 1: 1(1363896240.5)"),
        ("d74401020304", "type-not-allowed", "tag 23: 23(h'01020304')"),
        ("d818456449455446", "type-not-allowed", "tag 24: 24(h'6449455446')"),
        (
            "d82076687474703a2f2f7777772e6578616d706c652e636f6d", "type-not-allowed",
            "tag 32: 32(\"http://www.example.com\")"
        ),
        ("40", nil, "h''"), ("4401020304", nil, "h'01020304'"), ("60", nil, "\"\""), ("6161", nil, "\"a\""),
        ("6449455446", nil, "\"IETF\""), ("62225c", nil, "\"\\\"\\\\\""), ("62c3bc", nil, "\"\\u00fc\""),
        ("63e6b0b4", nil, "\"\\u6c34\""), ("64f0908591", nil, "\"\\ud800\\udd51\""), ("80", nil, "[]"),
        ("83010203", nil, "[1, 2, 3]"), ("8301820203820405", nil, "[1, [2, 3], [4, 5]]"),
        ("98190102030405060708090a0b0c0d0e0f101112131415161718181819", nil, "[1, 2, ..., 25]"),
        ("a0", nil, "{}"), ("a201020304", nil, "{1: 2, 3: 4}"),
        ("a26161016162820203", nil, "{\"a\": 1, \"b\": [2, 3]}"),
        ("826161a161626163", nil, "[\"a\", {\"b\": \"c\"}]"),
        ("a56161614161626142616361436164614461656145", nil, "{\"a\": \"A\", ..., \"e\": \"E\"}"),
        ("5f42010243030405ff", "indefinite-length", "(_ h'0102', h'030405')"),
        ("7f657374726561646d696e67ff", "indefinite-length", "(_ \"strea\", \"ming\")"),
        ("9fff", "indefinite-length", "[_ ]"), ("9f018202039f0405ffff", "indefinite-length", "[_ 1, [2, 3], [_ 4, 5]]"),
        ("9f01820203820405ff", "indefinite-length", "[_ 1, [2, 3], [4, 5]]"),
        ("83018202039f0405ff", "indefinite-length", "[1, [2, 3], [_ 4, 5]]"),
        ("83019f0203ff820405", "indefinite-length", "[1, [_ 2, 3], [4, 5]]"),
        ("9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff", "indefinite-length", "[_ 1, 2, ..., 25]"),
        ("bf61610161629f0203ffff", "indefinite-length", "{_ \"a\": 1, \"b\": [_ 2, 3]}"),
        ("826161bf61626163ff", "indefinite-length", "[\"a\", {_ \"b\": \"c\"}]"),
        ("bf6346756ef563416d7421ff", "indefinite-length", "{_ \"Fun\": true, \"Amt\": -2}"),
    ]

    static let classOf: [String: String] = [
        "truncated": "truncated", "too-deep": "limits-exceeded", "too-large": "limits-exceeded",
    ]

    static func errorClass(_ detail: String) -> String { classOf[detail] ?? "malformed" }

    static func anchor(_ detail: String) -> [String] {
        switch detail {
        case "truncated": return ["enc-truncated"]
        case "trailing-bytes": return ["enc-one-item"]
        case "non-shortest-form": return ["enc-shortest-decode", "enc-shortest"]
        case "indefinite-length": return ["enc-definite"]
        case "unsorted-map-keys", "duplicate-map-key": return ["enc-map-order"]
        case "invalid-map-key": return ["enc-map-keys"]
        case "invalid-utf8": return ["enc-utf8"]
        case "too-deep", "too-large": return ["enc-limits"]
        case "type-not-allowed": return ["enc-types"]
        default: return ["enc-well-formed"]
        }
    }

    static func build() async throws -> VectorFile {
        let file = FileBuilder(
            "cbor.decode", "Decoding Dialogue's deterministic CBOR: accepted items and every rule of the subset")
        func bad(_ comment: String, _ flags: [String], _ hex: String, _ detail: String, spec extra: [String] = [])
            async throws
        {
            try await file.invalid(
                comment, flags: flags, spec: anchor(detail) + extra + ["enc-reject"], input: input(hex),
                error: errorClass(detail),
                detail: detail
            )
        }

        file.group("RFC 8949 Appendix A: every example, accepted with its value or rejected by Dialogue's rules")
        for (hex, detail, comment) in appendixA {
            if let detail {
                let flags = [
                    "AppendixA",
                    detail == "indefinite-length"
                        ? "Indefinite" : detail == "not-well-formed" ? "NotWellFormed" : "TypeNotAllowed",
                ]
                try await bad("Appendix A: \(comment)", flags, hex, detail)
            } else {
                try await file.valid(
                    "Appendix A: \(comment)", flags: ["Valid", "AppendixA"],
                    spec: ["enc-types", "enc-shortest", "enc-canonical"],
                    input: input(hex)
                )
            }
        }

        file.group("more accepted items: every major type, limits met exactly, bytewise key order")
        let accepted: [(String, String)] = [
            (
                "a2 1818 00 20 00".filter { $0 != " " },
                "map keys in bytewise order of their encodings: 24 (0x1818) before -1 (0x20)"
            ),
            (
                "a2 61 62 00 62 6161 00".filter { $0 != " " },
                "text keys: \"b\" (0x6162) before \"aa\" (0x626161), shorter encoding first"
            ),
            ("a3 00 00 20 00 61 61 00".filter { $0 != " " }, "mixed keys 0, -1, \"a\" in bytewise order"),
            ("3bfffffffffffffffe", "-18446744073709551615"), ("18ff", "255 in one byte"),
            ("190100", "256 in two bytes"), ("19ffff", "65535"), ("1a00010000", "65536 in four bytes"),
            ("1affffffff", "4294967295"), ("1b0000000100000000", "4294967296 in eight bytes"),
            ("5818" + String(repeating: "ab", count: 24), "a byte string of 24 bytes (one-byte length)"),
            ("7818" + String(repeating: "61", count: 24), "a text string of 24 bytes"),
            ("62c2a0", "a text string holding U+00A0"),
            ("63efbfbf", "a text string holding U+FFFF (a noncharacter is valid UTF-8)"),
            ("64f48fbfbf", "a text string holding U+10FFFF"), ("6100", "a text string holding U+0000"),
            ("a1 01 a1 02 a0".filter { $0 != " " }, "nested maps"), ("82 f5 f4".filter { $0 != " " }, "[true, false]"),
        ]
        for (hex, comment) in accepted {
            try await file.valid(
                comment, spec: ["enc-types", "enc-shortest", "enc-map-order", "enc-utf8", "enc-canonical"],
                input: input(hex))
        }
        let depth16 = String(repeating: "81", count: 15) + "00"
        try await file.valid(
            "nesting depth 16, the limit", flags: ["Valid", "Limit"], spec: ["enc-limits"], input: input(depth16)
        )

        file.group("not the shortest form, for every head size and major type (enc-shortest)")
        let nonShortest: [(String, String)] = [
            ("1817", "23 in a one-byte argument"), ("1800", "0 in a one-byte argument"), ("190017", "23 in two bytes"),
            ("1900ff", "255 in two bytes"), ("1a0000ffff", "65535 in four bytes"), ("1a00000000", "0 in four bytes"),
            ("1b00000000ffffffff", "4294967295 in eight bytes"), ("1b0000000000000000", "0 in eight bytes"),
            ("3817", "-24 in a one-byte argument"), ("39007f", "-128 in two bytes"),
            ("3b00000000ffffffff", "-4294967296 in eight bytes"),
            ("5800", "an empty byte string with a one-byte length"),
            ("590001" + "aa", "a byte string with a two-byte length 1"),
            ("7801" + "61", "a text string with a one-byte length 1"),
            ("7a00000001" + "61", "a text string with a four-byte length"),
            ("9800", "an empty array with a one-byte count"), ("990001" + "01", "an array with a two-byte count 1"),
            ("b800", "an empty map with a one-byte count"), ("b90001" + "0102", "a map with a two-byte count 1"),
            ("a1" + "1801" + "02", "a map key 1 in a one-byte argument"),
            ("82" + "01" + "1802", "an array element 2 in a one-byte argument"),
        ]
        for (hex, comment) in nonShortest {
            try await bad(comment, ["NonCanonical", "NonShortest"], hex, "non-shortest-form")
        }

        file.group("indefinite lengths and break codes (enc-definite)")
        let indefinite: [(String, String)] = [
            ("5fff", "an empty indefinite byte string"), ("7fff", "an empty indefinite text string"),
            ("9f01ff", "an indefinite array"), ("bf0102ff", "an indefinite map"), ("ff", "a lone break code"),
            ("8201ff", "a break code as an array element"), ("a101ff", "a break code as a map value"),
        ]
        for (hex, comment) in indefinite {
            try await bad(comment, ["NonCanonical", "Indefinite"], hex, "indefinite-length")
        }

        file.group("map keys out of order or repeated (enc-map-order)")
        let order: [(String, String, String)] = [
            ("a2020001 00", "unsorted-map-keys", "integer keys 2, 1"),
            ("a2 20 00 1818 00", "unsorted-map-keys", "keys in length-first order: -1 (0x20) before 24 (0x1818)"),
            ("a2 6161 00 01 00", "unsorted-map-keys", "a text key before an integer key"),
            ("a2 626161 00 6162 00", "unsorted-map-keys", "\"aa\" before \"b\": sorted as strings, not by encoding"),
            ("a2 6162 00 6161 00", "unsorted-map-keys", "\"b\" before \"a\""),
            ("a2 0100 0102", "duplicate-map-key", "the key 1 twice"),
            ("a2 6161 00 6161 01", "duplicate-map-key", "the key \"a\" twice"),
            ("a3 01 00 02 00 01 00", "unsorted-map-keys", "a repeated key after a larger one"),
            ("a1 00 a2 02 00 01 00", "unsorted-map-keys", "an unsorted map nested in a sorted one"),
        ]
        for (hex, detail, comment) in order {
            try await bad(comment, ["NonCanonical", "MapOrder"], hex.filter { $0 != " " }, detail)
        }

        file.group("map keys of other types (enc-map-keys)")
        let keys: [(String, String)] = [
            ("a1 41 61 00", "a byte-string key"), ("a1 80 00", "an array key"), ("a1 a0 00", "a map key"),
            ("a1 f4 00", "a false key"), ("a1 f5 00", "a true key"), ("a1 f6 00", "a null key"),
        ]
        for (hex, comment) in keys {
            try await bad(comment, ["MapKeyType"], hex.filter { $0 != " " }, "invalid-map-key")
        }

        file.group("text strings that are not UTF-8 (enc-utf8)")
        let utf8: [(String, String)] = [
            ("61ff", "the byte 0xff"), ("61 80", "a lone continuation byte"), ("62 c0af", "an overlong '/'"),
            ("63 e08080", "an overlong three-byte U+0000"), ("63 eda080", "a surrogate U+D800"),
            ("63 edbfbf", "a surrogate U+DFFF"), ("64 f4908080", "U+110000, above the Unicode range"),
            ("62 c328", "a two-byte sequence cut by an ASCII byte"), ("61 c3", "a two-byte sequence cut by the end"),
            ("63 f09085", "a four-byte sequence cut by the end of the string"),
            ("a1 62 c328 00", "an invalid text-string map key"),
        ]
        for (hex, comment) in utf8 { try await bad(comment, ["InvalidUTF8"], hex.filter { $0 != " " }, "invalid-utf8") }

        file.group("types Dialogue does not allow (enc-types) and items that are not well-formed (enc-well-formed)")
        let types: [(String, String, String)] = [
            ("c0 00", "type-not-allowed", "tag 0 on an integer"),
            ("d9d9f7 00", "type-not-allowed", "the self-describe tag 55799"),
            ("f8 20", "type-not-allowed", "simple(32)"), ("e0", "type-not-allowed", "simple(0)"),
            ("f3", "type-not-allowed", "simple(19)"), ("82 01 f7", "type-not-allowed", "undefined inside an array"),
            ("1c", "not-well-formed", "reserved additional information 28"),
            ("3d", "not-well-formed", "reserved additional information 29 on a negative integer"),
            ("5e", "not-well-formed", "reserved additional information 30 on a byte string"),
            ("fc", "not-well-formed", "reserved additional information 28 in major type 7"),
            ("1f", "not-well-formed", "an indefinite unsigned integer"),
            ("3f", "not-well-formed", "an indefinite negative integer"),
            ("df 00", "not-well-formed", "an indefinite tag"),
            ("f8 18", "not-well-formed", "simple(24) in the two-byte form"),
            ("f8 00", "not-well-formed", "simple(0) in the two-byte form"),
        ]
        for (hex, detail, comment) in types {
            try await bad(
                comment, [detail == "type-not-allowed" ? "TypeNotAllowed" : "NotWellFormed"], hex.filter { $0 != " " },
                detail)
        }

        file.group("truncated items (enc-truncated) and trailing data (enc-one-item)")
        let truncated: [(String, String)] = [
            ("", "empty input"), ("18", "a one-byte argument missing"), ("19 01", "a two-byte argument cut"),
            ("1a 000000", "a four-byte argument cut"), ("1b 00000000000000", "an eight-byte argument cut"),
            ("42 01", "a byte string one byte short"), ("62 61", "a text string one byte short"),
            ("5a ffffffff 00", "a byte string declaring 4294967295 bytes"), ("83 01 02", "an array one element short"),
            ("9b ffffffffffffffff 00", "an array declaring 2^64-1 elements"), ("a1 01", "a map value missing"),
            ("a2 01 02", "a map entry missing"), ("bb ffffffffffffffff 00", "a map declaring 2^64-1 entries"),
            ("82 01 82 02", "a nested array cut"),
        ]
        for (hex, comment) in truncated { try await bad(comment, ["Truncated"], hex.filter { $0 != " " }, "truncated") }
        let trailing: [(String, String)] = [
            ("00 00", "two items"), ("80 00", "a byte after an empty array"), ("a0 ff", "a break code after a map"),
            ("4100 00", "a byte after a byte string"), ("f6 f6", "null twice"),
        ]
        for (hex, comment) in trailing {
            try await bad(comment, ["TrailingData"], hex.filter { $0 != " " }, "trailing-bytes")
        }

        file.group("every strict prefix of a real object (an identity card) is truncated")
        let card = Cast.alice.card
        for length in 0..<card.count {
            try await bad(
                "the first \(length) of the \(card.count) bytes of an identity card", ["Truncated", "DripFeed"],
                Hex.encode(card.prefix(length)), "truncated"
            )
        }

        file.group("resource limits (enc-limits)")
        try await bad(
            "nesting depth 17, one more than the limit", ["Limits"], String(repeating: "81", count: 16) + "00",
            "too-deep"
        )
        try await bad(
            "nesting depth 17 in a map value", ["Limits"], "a101" + String(repeating: "81", count: 15) + "00",
            "too-deep"
        )
        try await bad(
            "262,145 data items, one more than the limit of 262,144", ["Limits"],
            "9a00040000" + String(repeating: "f6", count: 262_144), "too-large"
        )

        file.group("several faults: the first found reading from the first byte decides (enc-error-order)")
        let precedence: [(String, String, String)] = [
            ("1817 00", "non-shortest-form", "a non-shortest integer followed by trailing data"),
            ("a2 02 00 01 18", "unsorted-map-keys", "unsorted keys, then a value cut off by the end"),
            ("82 1817 5f", "non-shortest-form", "a non-shortest element, then an indefinite string"),
            ("82 f7 1817", "type-not-allowed", "undefined, then a non-shortest integer"),
            ("a1 41 00 ff", "invalid-map-key", "a byte-string key, then a break code"),
            ("83 61 ff 1c", "invalid-utf8", "invalid UTF-8, then a reserved initial byte"),
            ("82 1c 61 ff", "not-well-formed", "a reserved initial byte, then invalid UTF-8"),
            ("9f 01 18", "indefinite-length", "an indefinite array whose content is then cut"),
            ("81 18", "truncated", "an array whose element's argument is cut, no other fault"),
            (
                String(repeating: "81", count: 16) + "1817", "too-deep",
                "depth 17 reached before the non-shortest integer at the bottom"
            ),
        ]
        for (hex, detail, comment) in precedence {
            try await bad(
                comment, ["Precedence"], hex.filter { $0 != " " }, detail,
                spec: ["enc-error-order", "conf-error-precedence"])
        }
        return file.file
    }
}
