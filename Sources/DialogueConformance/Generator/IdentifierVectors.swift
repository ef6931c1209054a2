/// `id_hash.json`, `id_parse.json` and `address_parse.json` (Spec: identifiers.md, identities.md#addr).
enum IdentifierVectors {
    static let contexts = [
        ("dialogue-v1/blob", "blob"), ("dialogue-v1/identity-key", "key"), ("dialogue-v1/card", "blob"),
        ("dialogue-v1/manifest", "blob"), ("dialogue-v1/message", "msg"), ("dialogue-v1/key-commitment", "blob"),
        ("dialogue-v1/header-key", "blob"), ("dialogue-v1/stanza", "blob"), ("dialogue-v1/secret-identity", "blob"),
    ]

    /// Lower-case unpadded RFC 4648 base32, with `fill` as the value of the fill bits.
    static func base32(_ bytes: [UInt8], fill: UInt32 = 0) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        var output = ""
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                output.append(alphabet[Int((buffer >> UInt32(bits)) & 0x1f)])
            }
        }
        if bits > 0 {
            let value = ((buffer << UInt32(5 - bits)) | fill) & 0x1f
            output.append(alphabet[Int(value)])
        }
        return output
    }

    static func hashInput(_ context: String, _ kind: String, _ data: [UInt8]) -> JSONValue {
        .object([("context", .string(context)), ("kind", .string(kind)), ("data", .string(Hex.encode(data)))])
    }

    static func buildHash() async throws -> VectorFile {
        let file = FileBuilder(
            "id.hash", "Content identifiers: the hash of exact bytes under a registry context, binary and text forms")
        file.group("every context of the registry")
        for (context, kind) in contexts {
            for (label, data) in [("empty content", [UInt8]()), ("\"hello\"", Array("hello".utf8))] {
                let binary = Construct.identifier(context, data)
                try await file.valid(
                    "\(context), \(label)",
                    spec: ["id-hash-context", "id-hash-exact", "id-text-encode", "id-registry-unique", "prim-blake2b"],
                    input: hashInput(context, kind, data),
                    expected: .object([
                        ("binary", .string(Hex.encode(binary))), ("text", .string("\(kind)-\(base32(binary))")),
                    ])
                )
            }
        }
        file.group("the specification's example and other contents and kinds")
        try await file.valid(
            "the blob identifier of the empty content, as in identifiers.md#id-text",
            spec: ["id-hash-exact", "id-text-encode"],
            input: hashInput("dialogue-v1/blob", "blob", []),
            expected: .object([("text", "blob-aei333vosise7xmygrkxmcmckps4sxn6yzjlw5viptbrjnek5vu7c")])
        )
        let binaryContent = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        for (label, data) in [("1000 bytes including zero bytes", binaryContent), ("a single zero byte", [0])] {
            let binary = Construct.identifier("dialogue-v1/blob", data)
            try await file.valid(
                "dialogue-v1/blob, \(label)", spec: ["id-hash-exact", "id-hash-context"],
                input: hashInput("dialogue-v1/blob", "blob", data),
                expected: .object([
                    ("binary", .string(Hex.encode(binary))), ("text", .string("blob-\(base32(binary))")),
                ])
            )
        }
        let key = Cast.alice.identityKey
        try await file.valid(
            "a fingerprint: the identity key under dialogue-v1/identity-key, kind key", spec: ["id-hash-context"],
            input: hashInput("dialogue-v1/identity-key", "key", key),
            expected: .object([("binary", .string(Hex.encode(Cast.alice.fingerprintBinary)))])
        )
        file.group("contexts outside the registry and unknown kinds are refused (id-registry-unique)")
        let badContexts = [
            "dialogue-v1/unknown", "dialogue-v2/blob", "Dialogue-v1/blob", "DIALOGUE-V1/BLOB", "dialogue-v1/blob ",
            " dialogue-v1/blob", "dialogue-v1/blob\u{0}", "dialogue-v1/", "dialogue-v1", "blob", "",
            "dialogue-v1/blob/extra",
        ]
        for context in badContexts {
            try await file.invalid(
                "the context \(JSONValue.string(context).compact()) is not in the registry", flags: ["Context"],
                spec: ["id-registry-unique", "id-hash-context"], input: hashInput(context, "blob", Array("hello".utf8)),
                error: "malformed"
            )
        }
        for kind in ["file", "BLOB", "", "blob-", "message", "fingerprint"] {
            try await file.invalid(
                "the kind \(JSONValue.string(kind).compact()) is not in the kind table", flags: ["Context"],
                spec: ["id-registry-unique"], input: hashInput("dialogue-v1/blob", kind, []), error: "malformed"
            )
        }
        return file.file
    }

    static func parseInput(_ text: String, _ kind: String) -> JSONValue {
        .object([("text", .string(text)), ("kind", .string(kind))])
    }

    static func buildParse() async throws -> VectorFile {
        let file = FileBuilder(
            "id.parse", "Parsing the text form of content identifiers, with the error order of id-text-strict")
        let sample = Construct.identifier("dialogue-v1/blob", Array("hello".utf8))
        let text = base32(sample)
        let expected: JSONValue = .object([("binary", .string(Hex.encode(sample)))])
        file.group("valid text forms, in any case")
        for kind in ["blob", "msg", "key"] {
            try await file.valid(
                "a \(kind) identifier", spec: ["id-text-encode", "id-text-strict"],
                input: parseInput("\(kind)-\(text)", kind),
                expected: expected
            )
        }
        try await file.valid(
            "the blob identifier of the empty content", spec: ["id-text-encode"],
            input: parseInput("blob-aei333vosise7xmygrkxmcmckps4sxn6yzjlw5viptbrjnek5vu7c", "blob"),
            expected: .object([("binary", .string(Hex.encode(Construct.identifier("dialogue-v1/blob", []))))])
        )
        try await file.valid(
            "upper case after the dash", flags: ["Valid", "Case"], spec: ["id-text-case"],
            input: parseInput("blob-\(text.uppercased())", "blob"), expected: expected
        )
        let mixed = String(
            text.enumerated().map { $0.offset % 2 == 0 ? Character($0.element.uppercased()) : $0.element })
        try await file.valid(
            "mixed case after the dash", flags: ["Valid", "Case"], spec: ["id-text-case"],
            input: parseInput("msg-\(mixed)", "msg"),
            expected: expected
        )
        try await file.valid(
            "upper-case kind and text", flags: ["Valid", "Case"], spec: ["id-text-case"],
            input: parseInput("KEY-\(text.uppercased())", "key"), expected: expected
        )

        file.group("each error of id-text-strict on its own")
        func bad(
            _ comment: String, _ flags: [String], _ text: String, _ kind: String, _ detail: String, spec: [String] = []
        ) async throws {
            try await file.invalid(
                comment, flags: flags, spec: ["id-text-strict"] + spec, input: parseInput(text, kind),
                error: detail == "unknown-algorithm" ? "unsupported-version" : "malformed", detail: detail
            )
        }
        for (value, comment) in [
            ("file-\(text)", "an unknown kind"), (text, "no dash at all"), ("", "empty text"),
            ("-\(text)", "an empty kind"),
            ("blobs-\(text)", "a kind with an extra letter"), ("blob_\(text)", "an underscore instead of the dash"),
            (" blob-\(text)", "a space before the kind"),
        ] {
            try await bad(comment, ["Identifier"], value, "blob", "unknown-kind")
        }
        for (value, kind, comment) in [
            ("msg-\(text)", "blob", "a msg identifier where a blob is asked for"),
            ("key-\(text)", "msg", "a key identifier where a msg is asked for"),
            ("blob-\(text)", "key", "a blob identifier where a key is asked for"),
        ] {
            try await bad(comment, ["Identifier"], value, kind, "wrong-kind")
        }
        let characters: [(String, String)] = [
            ("\(text)=", "a padding character"), (String(text.dropLast()) + "0", "the digit 0"),
            (String(text.dropLast()) + "1", "the digit 1"), (String(text.dropLast()) + "8", "the digit 8"),
            (String(text.dropLast()) + "9", "the digit 9"),
            (String(text.prefix(20)) + " " + String(text.dropFirst(21)), "a space inside"),
            ("\(text)\n", "a trailing line feed"), (String(text.dropLast()) + "é", "a non-ASCII letter"),
            (String(text.prefix(10)) + "-" + String(text.dropFirst(11)), "a second dash"),
        ]
        for (value, comment) in characters {
            try await bad(comment, ["Identifier"], "blob-\(value)", "blob", "invalid-character")
        }
        let lengths: [(String, String)] = [
            (String(text.dropLast()), "52 characters"), (text + "a", "54 characters"),
            ("", "no character after the dash"),
            ("a", "one character"), (base32(sample + [0, 0]), "35 bytes (56 characters)"),
            (base32(Array(sample.prefix(32))), "32 bytes (52 characters)"),
            (base32([0x01]), "the algorithm byte alone"),
        ]
        for (value, comment) in lengths {
            try await bad(comment, ["Identifier", "WrongLength"], "blob-\(value)", "blob", "wrong-length")
        }
        for fill in [UInt32(1)] {
            try await bad(
                "a non-zero fill bit in the last character", ["Identifier", "NonCanonical"],
                "blob-\(base32(sample, fill: fill))",
                "blob", "non-canonical"
            )
        }
        for code: UInt8 in [0x00, 0x02, 0x7f, 0x80, 0xff] {
            try await bad(
                "the algorithm byte 0x\(Hex.encode([code])), not assigned", ["Identifier", "UnknownVersion"],
                "blob-\(base32([code] + sample.dropFirst()))", "blob", "unknown-algorithm",
                spec: ["id-binary-algorithm"]
            )
        }

        file.group("several errors at once: the first in the table's order decides")
        let precedence: [(String, String, String, String)] = [
            ("file-\(text)=", "blob", "unknown-kind", "an unknown kind and a padding character"),
            ("msg-\(text)=", "blob", "wrong-kind", "the wrong kind and a padding character"),
            (
                "blob-8" + String(base32(sample, fill: 1).dropFirst()), "blob", "invalid-character",
                "a bad character and a non-zero fill bit"
            ),
            ("blob-\(text)=a", "blob", "invalid-character", "a bad character and the wrong length"),
            (
                "blob-\(base32([0x02] + sample.dropFirst()) + "a")", "blob", "wrong-length",
                "the wrong length and an unknown algorithm"
            ),
            (
                "blob-\(base32([0x02] + sample.dropFirst(), fill: 1))", "blob", "non-canonical",
                "a non-zero fill bit and an unknown algorithm"
            ),
            ("blob-\(base32(sample, fill: 1))a", "blob", "wrong-length", "the wrong length and a non-zero fill bit"),
        ]
        for (value, kind, detail, comment) in precedence {
            try await bad(comment, ["Identifier", "Precedence"], value, kind, detail, spec: ["conf-error-precedence"])
        }
        return file.file
    }

    static func addressInput(_ text: String, wire: Bool) -> JSONValue {
        .object([("text", .string(text)), ("wire", .bool(wire))])
    }

    static func buildAddress() async throws -> VectorFile {
        let file = FileBuilder(
            "address.parse", "Addresses: the canonical form on the wire, and case folding of typed input")
        let local64 = String(repeating: "l", count: 64)
        let label63 = String(repeating: "d", count: 63)
        let domain253 = [label63, label63, label63, String(repeating: "e", count: 61)].joined(separator: ".")
        file.group("canonical addresses")
        let canonical = [
            "alice@example.org", "a@b", "mail@localhost", "a.b-c_d+e@x-y.z", "123@456.789",
            "xn--bcher-kva@xn--bcher-kva.example", "\(local64)@example.org", "a@\(domain253)", "a@\(label63).org",
            "first.last@sub.domain.example",
        ]
        for address in canonical {
            for wire in [true, false] {
                try await file.valid(
                    "\(wire ? "wire" : "typed"): \(address.count > 40 ? "\(address.prefix(20))… (\(address.count) characters)" : address)",
                    flags: address.count > 60 ? ["Valid", "Limit"] : ["Valid"],
                    spec: wire ? ["addr-wire-canonical"] : ["addr-input"],
                    input: addressInput(address, wire: wire), expected: .object([("address", .string(address))])
                )
            }
        }
        file.group("typed input: ASCII upper case is folded")
        for (typed, folded) in [
            ("Alice@Example.ORG", "alice@example.org"), ("BOB@EXAMPLE.NET", "bob@example.net"), ("A@B", "a@b"),
        ] {
            try await file.valid(
                "typed: \(typed)", flags: ["Valid", "Case"], spec: ["addr-input"],
                input: addressInput(typed, wire: false),
                expected: .object([("address", .string(folded))])
            )
        }
        file.group("on the wire, upper case is not canonical and is rejected, never normalized")
        for typed in ["Alice@example.org", "alice@Example.org", "ALICE@EXAMPLE.ORG", "alice@example.orG"] {
            try await file.invalid(
                "wire: \(typed)", flags: ["Address", "Case"], spec: ["addr-wire-canonical"],
                input: addressInput(typed, wire: true),
                error: "malformed"
            )
        }
        file.group("not an address, whether typed or on the wire")
        let invalid: [(String, String)] = [
            ("", "empty"), ("alice", "no @"), ("alice@@example.org", "two @ in a row"), ("a@b@c", "two @"),
            (" alice@example.org", "a leading space"), ("alice@example.org ", "a trailing space"),
            ("alice @example.org", "a space in the local part"), ("al\tice@example.org", "a tab"),
            ("alice@example.org\n", "a trailing line feed"),
            ("al\u{ef}ce@example.org", "a non-ASCII letter in the local part"),
            ("alice@b\u{fc}cher.de", "a Unicode domain (not an A-label)"), (".alice@example.org", "a leading dot"),
            ("alice.@example.org", "a trailing dot in the local part"), ("al..ice@example.org", "two dots in a row"),
            ("l\(local64)@example.org", "a 65-character local part"),
            (
                "a@\([label63, label63, label63, String(repeating: "e", count: 62)].joined(separator: "."))",
                "a 254-character domain"
            ),
            ("a@d\(label63).org", "a 64-character label"), ("alice@", "an empty domain"),
            ("@example.org", "an empty local part"),
            ("alice@example..org", "an empty label"), ("alice@.example.org", "a leading dot in the domain"),
            ("alice@example.org.", "a trailing dot in the domain"),
            ("alice@-example.org", "a label starting with a hyphen"),
            ("alice@example-.org", "a label ending with a hyphen"),
            ("alice@exa_mple.org", "an underscore in the domain"),
            ("alice@exa+mple.org", "a plus in the domain"), ("\"alice\"@example.org", "a quoted local part"),
            ("alice(x)@example.org", "a comment"), ("alice@[127.0.0.1]", "an address literal"),
            ("Alice@Example.org\u{0}", "a NUL byte"), ("\u{c4}lice@example.org", "a non-ASCII capital"),
        ]
        for (text, comment) in invalid {
            for wire in [true, false] {
                try await file.invalid(
                    "\(wire ? "wire" : "typed"): \(comment)", flags: ["Address"],
                    spec: [wire ? "addr-wire-canonical" : "addr-input"],
                    input: addressInput(text, wire: wire), error: "malformed"
                )
            }
        }
        return file.file
    }
}
