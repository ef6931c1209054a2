internal import DialogueCrypto

/// Rotation and revocation statements, written byte by byte (Spec: trust.md#trust-statements).
enum Statement {
    static let rotationContext = "dialogue-v1/rotation"
    static let revocationContext = "dialogue-v1/revocation"

    /// `BLAKE2b-256("dialogue-v1/statement" || 0x00 || body)` (Spec: [trust-statement-hash]).
    static func hash(_ body: [UInt8]) -> [UInt8] { BLAKE2b256.hash(Construct.separated("dialogue-v1/statement", body)) }

    /// A rotation from the key of `old` to the key of `new`.
    struct Rotation {
        var addresses: [String]
        var old: [UInt8]  // seed
        var new: [UInt8]  // seed
        var sequence: UInt64 = 1
        var previous: [UInt8] = []
        var created: UInt64
        var expires: UInt64

        var oldKey: [UInt8] { Construct.publicKey(ed25519: old) }
        var newKey: [UInt8] { Construct.publicKey(ed25519: new) }

        var entries: Entries {
            Entries(items: [
                (0, C.uint(1)), (1, C.uint(0)), (2, C.array(addresses.map(C.text))), (3, C.bstr(oldKey)),
                (4, C.bstr(newKey)), (5, C.uint(sequence)), (6, C.bstr(previous)), (7, C.uint(created)),
                (8, C.uint(expires)),
            ])
        }

        var body: [UInt8] { entries.encoded }
        var hash: [UInt8] { Statement.hash(body) }

        /// `[body, old signature, new signature]`, both over exactly `body`.
        func signed(body: [UInt8]) -> [UInt8] {
            C.array([
                C.bstr(body), C.bstr(Construct.sign(seed: old, context: rotationContext, body)),
                C.bstr(Construct.sign(seed: new, context: rotationContext, body)),
            ])
        }

        var bytes: [UInt8] { signed(body: body) }

        /// The same rotation with its entries changed, signed again by both keys.
        func edited(_ change: (inout Entries) -> Void) -> [UInt8] {
            var entries = self.entries
            change(&entries)
            return signed(body: entries.encoded)
        }

        var expected: JSONValue {
            .object([
                ("kind", "rotation"), ("hash", .string(Hex.encode(hash))),
                ("addresses", .array(addresses.map { .string($0) })), ("old_key", .string(Hex.encode(oldKey))),
                ("new_key", .string(Hex.encode(newKey))), ("sequence", .integer(Int64(sequence))),
                ("previous", .string(Hex.encode(previous))), ("created", .integer(Int64(created))),
                ("expires", .integer(Int64(expires))),
            ])
        }
    }

    /// A revocation of the key of `seed`.
    struct Revocation {
        var seed: [UInt8]
        var created: UInt64
        var reason: String

        var key: [UInt8] { Construct.publicKey(ed25519: seed) }

        var entries: Entries {
            Entries(items: [
                (0, C.uint(1)), (1, C.uint(1)), (2, C.bstr(key)), (3, C.uint(created)), (4, C.text(reason)),
            ])
        }

        var body: [UInt8] { entries.encoded }
        var hash: [UInt8] { Statement.hash(body) }

        func signed(body: [UInt8]) -> [UInt8] {
            C.array([C.bstr(body), C.bstr(Construct.sign(seed: seed, context: revocationContext, body))])
        }

        var bytes: [UInt8] { signed(body: body) }

        func edited(_ change: (inout Entries) -> Void) -> [UInt8] {
            var entries = self.entries
            change(&entries)
            return signed(body: entries.encoded)
        }

        var expected: JSONValue {
            .object([
                ("kind", "revocation"), ("hash", .string(Hex.encode(hash))), ("key", .string(Hex.encode(key))),
                ("created", .integer(Int64(created))), ("reason", .string(reason)),
            ])
        }
    }

    static func seed(_ byte: UInt8) -> [UInt8] { [UInt8](repeating: byte, count: 32) }

    /// The rotation of trust.md#trust-statement-example: seed 01 to seed 02 for alice@example.org.
    static let example = Rotation(
        addresses: ["alice@example.org"], old: seed(1), new: seed(2), created: 1_700_000_000, expires: 1_707_776_000)

    /// The revocation of trust.md#trust-statement-example.
    static let exampleRevocation = Revocation(seed: seed(1), created: 1_700_000_000, reason: "key compromised")
}

/// `statement_verify.json` (Spec: trust.md#trust-statement-decode).
enum StatementVectors {
    static func input(_ bytes: [UInt8]) -> JSONValue { .object([("statement", .string(Hex.encode(bytes)))]) }

    static func build() async throws -> VectorFile {
        let file = FileBuilder("statement.verify", "Decoding and verifying rotation and revocation statements")
        let decode = ["trust-statement-decode"]
        let rotation = Statement.example
        let revocation = Statement.exampleRevocation
        precondition(
            Hex.encode(rotation.hash) == "4ad8ec11150db5bf00d4b1ef42ef134ca44c3c01faef032541aa84e5d0b16d81"
                && rotation.body.count == 111 && rotation.bytes.count == 246,
            "the example rotation of trust.md#trust-statement-example")
        precondition(
            Hex.encode(revocation.bytes)
                == "82583fa5000101010258208a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c"
                + "031a6553f100046f6b657920636f6d70726f6d697365645840f97d6f84a0b3d0b215ee9de4e67cbeefa256a4"
                + "4c0913a46d7579c862eb244097b094e5ebadb8d45efbfc843b4b056611272f3646c145e5451c282d4a282baa02",
            "the example revocation of trust.md#trust-statement-example")

        func valid(
            _ comment: String, flags: [String] = ["Valid"], spec: [String] = [], _ bytes: [UInt8], _ expected: JSONValue
        )
            async throws
        {
            try await file.valid(
                comment, flags: flags, spec: decode + ["trust-statement-hash"] + spec, input: input(bytes),
                expected: expected)
        }
        func bad(_ comment: String, _ flags: [String], _ bytes: [UInt8], _ error: String, spec: [String] = [])
            async throws
        {
            try await file.invalid(comment, flags: flags, spec: decode + spec, input: input(bytes), error: error)
        }

        file.group("valid rotations")
        try await valid(
            "the example rotation of trust.md (seed 01 to seed 02, sequence 1)", flags: ["Valid", "SpecExample"],
            rotation.bytes, rotation.expected)
        var second = Rotation2.make(previous: rotation.hash)
        try await valid(
            "the next rotation (seed 02 to seed 03, sequence 2, previous = the example's hash)",
            second.bytes, second.expected)
        let bob = Statement.Rotation(
            addresses: Cast.bob.addresses, old: Cast.bob.seed, new: Seeds.bytes("statement/bob-2"),
            created: 1_700_000_000, expires: 1_707_776_000)
        try await valid("a rotation listing two addresses", bob.bytes, bob.expected)
        let sixteen = Statement.Rotation(
            addresses: (0..<16).map { "user\(String($0 + 10))@example.org" }, old: Cast.carol.seed,
            new: Seeds.bytes("statement/carol-2"), created: 1_700_000_000, expires: 1_707_776_000)
        try await valid(
            "16 addresses, the limit", flags: ["Valid", "Limit"], sixteen.bytes,
            sixteen.expected)
        let longest = Statement.Rotation(
            addresses: [SafetyVectors.longestAddress], old: Cast.carol.seed, new: Seeds.bytes("statement/carol-2"),
            created: 1_700_000_000, expires: 1_707_776_000)
        try await valid(
            "the longest address (318 bytes)", flags: ["Valid", "Limit"], longest.bytes,
            longest.expected)
        var tight = rotation
        tight.expires = tight.created + 1
        try await valid(
            "expires one second after created", flags: ["Valid", "EdgeCase"], tight.bytes,
            tight.expected)
        var wide = rotation
        wide.created = 0
        wide.expires = 4_102_444_800
        try await valid(
            "created 0, expires in 2100 (an 8-byte integer)", flags: ["Valid", "EdgeCase"],
            wide.bytes, wide.expected)
        second.sequence = 1000
        try await valid(
            "sequence 1000: decoding does not check the chain, processing does", flags: ["Valid", "EdgeCase"],
            second.bytes, second.expected)

        file.group("valid revocations")
        try await valid(
            "the example revocation of trust.md (seed 01, \"key compromised\")", flags: ["Valid", "SpecExample"],
            revocation.bytes, revocation.expected)
        for (comment, reason, flags) in [
            ("an empty reason", "", ["Valid", "EdgeCase"]),
            ("a reason of 1,024 bytes, the limit", String(repeating: "r", count: 1024), ["Valid", "Limit"]),
            ("a reason of 1,024 bytes of two-byte characters", String(repeating: "é", count: 512), ["Valid", "Limit"]),
            ("a reason in Japanese", "鍵が漏洩しました", ["Valid"]),
        ] {
            var other = revocation
            other.reason = reason
            try await valid(comment, flags: flags, other.bytes, other.expected)
        }
        var zero = revocation
        zero.created = 0
        zero.seed = Cast.mallory.seed
        try await valid(
            "mallory's key, created 0", flags: ["Valid", "EdgeCase"], zero.bytes,
            zero.expected)

        file.group("size: at most 8,192 bytes, checked first")
        try await bad("8,193 zero bytes", ["Limits"], [UInt8](repeating: 0, count: 8193), "limits-exceeded")
        let padded = rotation.edited { $0[9] = C.bstr([UInt8](repeating: 0x55, count: 8000)) }
        try await bad(
            "a signed rotation with an extra key of 8,000 bytes: the size decides, not the layout",
            ["Limits", "Precedence"], padded, "limits-exceeded", spec: ["conf-error-precedence"])
        try await bad(
            "the example rotation followed by zero bytes up to 8,193 bytes", ["Limits", "Precedence", "TrailingData"],
            rotation.bytes + [UInt8](repeating: 0, count: 8193 - rotation.bytes.count), "limits-exceeded",
            spec: ["conf-error-precedence"])

        file.group("every strict prefix of the example rotation is malformed")
        for length in 0..<rotation.bytes.count {
            try await bad(
                "the first \(length) of \(rotation.bytes.count) bytes", ["Truncated", "DripFeed"],
                Array(rotation.bytes.prefix(length)), "malformed")
        }
        file.group("every strict prefix of the example revocation is malformed")
        for length in 0..<revocation.bytes.count {
            try await bad(
                "the first \(length) of \(revocation.bytes.count) bytes", ["Truncated", "DripFeed"],
                Array(revocation.bytes.prefix(length)), "malformed")
        }

        file.group("the outer array: [body, signature, signature] or [body, signature]")
        let body = rotation.body
        let oldSignature = Construct.sign(seed: rotation.old, context: Statement.rotationContext, body)
        let newSignature = Construct.sign(seed: rotation.new, context: Statement.rotationContext, body)
        let revocationSignature = Construct.sign(
            seed: revocation.seed, context: Statement.revocationContext, revocation.body)
        let outer: [(String, [UInt8], [String])] = [
            ("a byte after the rotation", rotation.bytes + [0x00], ["TrailingData"]),
            ("a byte after the revocation", revocation.bytes + [0xf6], ["TrailingData"]),
            ("an empty array", C.array([]), ["Layout"]),
            ("an array of one element (the body alone)", C.array([C.bstr(body)]), ["Layout"]),
            (
                "an array of four elements",
                C.array([
                    C.bstr(body), C.bstr(oldSignature), C.bstr(newSignature),
                    C.bstr(newSignature),
                ]), ["Layout"]
            ),
            ("a map instead of an array", C.intMap([(0, C.bstr(body)), (1, C.bstr(oldSignature))]), ["Layout"]),
            ("a byte string instead of an array", C.bstr(body), ["Layout"]),
            ("an integer", C.uint(1), ["Layout"]),
            (
                "the body as a text string",
                C.array([C.head(3, UInt64(body.count)) + body, C.bstr(oldSignature), C.bstr(newSignature)]), ["Layout"]
            ),
            (
                "the body as the decoded map, not a byte string",
                C.array([body, C.bstr(oldSignature), C.bstr(newSignature)]), ["Layout"]
            ),
            (
                "the old signature as a text string",
                C.array([C.bstr(body), C.head(3, 64) + oldSignature, C.bstr(newSignature)]), ["Layout"]
            ),
            (
                "the new signature as an array of bytes",
                C.array([C.bstr(body), C.bstr(oldSignature), C.array(newSignature.map { C.uint(UInt64($0)) })]),
                ["Layout"]
            ),
            (
                "a 63-byte old signature",
                C.array([C.bstr(body), C.bstr(Array(oldSignature.prefix(63))), C.bstr(newSignature)]), ["WrongLength"]
            ),
            (
                "a 65-byte new signature", C.array([C.bstr(body), C.bstr(oldSignature), C.bstr(newSignature + [0])]),
                ["WrongLength"]
            ),
            ("an empty new signature", C.array([C.bstr(body), C.bstr(oldSignature), C.bstr([])]), ["WrongLength"]),
            (
                "a 63-byte revocation signature",
                C.array([C.bstr(revocation.body), C.bstr(Array(revocationSignature.prefix(63)))]), ["WrongLength"]
            ),
            (
                "a 128-byte revocation signature (two signatures in one)",
                C.array([C.bstr(revocation.body), C.bstr(revocationSignature + revocationSignature)]), ["WrongLength"]
            ),
            (
                "the signatures first, the body last",
                C.array([C.bstr(oldSignature), C.bstr(newSignature), C.bstr(body)]), ["Layout"]
            ),
            (
                "the body's length not in shortest form",
                C.array([C.head(2, UInt64(body.count), width: 2) + body, C.bstr(oldSignature), C.bstr(newSignature)]),
                ["NonCanonical", "NonShortest"]
            ),
            (
                "the array's count not in shortest form",
                C.head(4, 3, width: 1) + C.bstr(body) + C.bstr(oldSignature) + C.bstr(newSignature),
                ["NonCanonical", "NonShortest"]
            ),
            (
                "an indefinite-length outer array",
                [0x9f] + C.bstr(body) + C.bstr(oldSignature) + C.bstr(newSignature) + [0xff],
                ["NonCanonical", "Indefinite"]
            ),
            (
                "the body as an indefinite-length byte string of one chunk",
                C.array([[0x5f] + C.bstr(body) + [0xff], C.bstr(oldSignature), C.bstr(newSignature)]),
                ["NonCanonical", "Indefinite"]
            ),
            (
                "a tagged body (tag 24, encoded CBOR)",
                C.array([[0xd8, 0x18] + C.bstr(body), C.bstr(oldSignature), C.bstr(newSignature)]), ["Layout"]
            ),
        ]
        for (comment, bytes, flags) in outer {
            try await bad(comment, flags, bytes, "malformed")
        }

        file.group("the body: valid Dialogue CBOR, a map (signed by both keys, so only the encoding is wrong)")
        let entries = rotation.entries
        let structural: [(String, [UInt8], [String])] = [
            ("a body with a trailing byte", body + [0x00], ["TrailingData"]),
            ("a body cut short", Array(body.dropLast()), ["Truncated"]),
            ("an empty body", [], ["Truncated"]),
            (
                "a body with its keys out of order",
                C.mapInOrder(entries.items.reversed().map { (C.uint(UInt64($0.0)), $0.1) }),
                ["NonCanonical", "MapOrder"]
            ),
            (
                "a body with key 7 twice",
                C.mapInOrder(entries.items.map { (C.uint(UInt64($0.0)), $0.1) } + [(C.uint(7), C.uint(1))]),
                ["NonCanonical", "MapOrder"]
            ),
            ("a body that is an array", C.array(entries.items.map(\.1)), ["Layout"]),
            ("a body that is null", C.null, ["Layout"]),
            (
                "a non-shortest created time",
                C.mapInOrder(
                    entries.items.map {
                        (C.uint(UInt64($0.0)), $0.0 == 7 ? C.head(0, rotation.created, width: 8) : $0.1)
                    }),
                ["NonCanonical", "NonShortest"]
            ),
            (
                "a non-shortest version (0x18 0x01)",
                C.mapInOrder(entries.items.map { (C.uint(UInt64($0.0)), $0.0 == 0 ? C.head(0, 1, width: 1) : $0.1) }),
                ["NonCanonical", "NonShortest"]
            ),
            (
                "an indefinite-length map",
                [0xbf] + entries.items.flatMap { C.uint(UInt64($0.0)) + $0.1 } + [0xff], ["NonCanonical", "Indefinite"]
            ),
            (
                "an extra text key \"x\"",
                C.map(entries.items.map { (C.uint(UInt64($0.0)), $0.1) } + [(C.text("x"), C.uint(0))]),
                ["Layout"]
            ),
            (
                "an address with invalid UTF-8",
                C.intMap(entries.items.map { ($0.0, $0.0 == 2 ? C.array([C.head(3, 2) + [0xc3, 0x28]]) : $0.1) }),
                ["InvalidUTF8"]
            ),
            (
                "a float for created (1.7e9 as a double)",
                C.intMap(
                    entries.items.map {
                        ($0.0, $0.0 == 7 ? [0xfb, 0x41, 0xd9, 0x54, 0xfc, 0x40, 0x00, 0x00, 0x00] : $0.1)
                    }),
                ["Layout"]
            ),
        ]
        for (comment, bytes, flags) in structural {
            try await bad(comment, flags, rotation.signed(body: bytes), "malformed")
        }
        try await bad(
            "a revocation body with its keys out of order",
            ["NonCanonical", "MapOrder"],
            revocation.signed(
                body: C.mapInOrder(revocation.entries.items.reversed().map { (C.uint(UInt64($0.0)), $0.1) })),
            "malformed")
        try await bad(
            "a revocation reason with invalid UTF-8", ["InvalidUTF8"],
            revocation.edited { $0[4] = C.head(3, 3) + [0x61, 0xff, 0x62] }, "malformed")

        file.group("version and kind: read first; an unknown one is unsupported-version whatever the layout")
        let versions: [(String, (inout Entries) -> Void)] = [
            ("version 2", { $0[0] = C.uint(2) }), ("version 0", { $0[0] = C.uint(0) }),
            ("version 2^64-1", { $0[0] = C.uint(UInt64.max) }), ("kind 2", { $0[1] = C.uint(2) }),
            ("kind 255", { $0[1] = C.uint(255) }),
        ]
        for (comment, change) in versions {
            try await bad(
                "a rotation with \(comment)", ["UnknownVersion"], rotation.edited(change), "unsupported-version")
        }
        try await bad(
            "a revocation with version 2", ["UnknownVersion"], revocation.edited { $0[0] = C.uint(2) },
            "unsupported-version")
        try await bad(
            "kind 2 in an array of two elements", ["UnknownVersion", "Precedence"],
            revocation.edited { $0[1] = C.uint(2) }, "unsupported-version", spec: ["conf-error-precedence"])
        try await bad(
            "version 2 with another layout (only keys 0, 1 and 9)", ["UnknownVersion", "Precedence"],
            rotation.signed(body: C.intMap([(0, C.uint(2)), (1, C.uint(0)), (9, C.text("future"))])),
            "unsupported-version", spec: ["conf-error-precedence"])
        try await bad(
            "kind 7 with another layout and no signature that verifies", ["UnknownVersion", "Precedence"],
            C.array([
                C.bstr(C.intMap([(0, C.uint(1)), (1, C.uint(7))])), C.bstr([UInt8](repeating: 0, count: 64)),
                C.bstr([UInt8](repeating: 0, count: 64)),
            ]), "unsupported-version", spec: ["conf-error-precedence"])
        let layout: [(String, (inout Entries) -> Void)] = [
            ("no version", { $0[0] = nil }), ("no kind", { $0[1] = nil }),
            ("the version as a text string", { $0[0] = C.text("1") }),
            ("the version negative", { $0[0] = C.int(-1) }),
            ("the kind as a text string", { $0[1] = C.text("rotation") }),
            ("the kind negative", { $0[1] = C.int(-1) }), ("the kind as a byte string", { $0[1] = C.bstr([0]) }),
        ]
        for (comment, change) in layout {
            try await bad("a rotation with \(comment)", ["Layout"], rotation.edited(change), "malformed")
        }
        try await bad(
            "a body that is an empty map", ["Layout"], rotation.signed(body: C.intMap([])), "malformed")

        file.group("the number of signatures follows the kind")
        try await bad(
            "a rotation without the new key's signature", ["Layout"], C.array([C.bstr(body), C.bstr(oldSignature)]),
            "malformed")
        try await bad(
            "a rotation without the old key's signature", ["Layout"], C.array([C.bstr(body), C.bstr(newSignature)]),
            "malformed")
        try await bad(
            "a revocation with a second signature", ["Layout"],
            C.array([C.bstr(revocation.body), C.bstr(revocationSignature), C.bstr(revocationSignature)]), "malformed", )
        try await bad(
            "a rotation body marked as a revocation (kind 1), signed by both keys", ["Layout"],
            rotation.edited { $0[1] = C.uint(1) }, "malformed")
        try await bad(
            "a revocation body marked as a rotation (kind 0), with one signature", ["Layout"],
            revocation.edited { $0[1] = C.uint(0) }, "malformed")

        file.group("rotation fields (signed by both keys): exactly the keys 0 to 8, with their rules")
        for key in 2...8 {
            try await bad(
                "a rotation without key \(key)", ["Layout"], rotation.edited { $0[key] = nil }, "malformed")
        }
        let other = Construct.publicKey(ed25519: Statement.seed(3))
        let rotationFields: [(String, [String], (inout Entries) -> Void)] = [
            ("an extra key 9", ["Layout"], { $0[9] = C.uint(0) }),
            ("no addresses", ["Layout"], { $0[2] = C.array([]) }),
            (
                "17 addresses, one more than the limit", ["Limits"],
                { $0[2] = C.array((0..<17).map { C.text("user\(String($0 + 10))@example.org") }) }
            ),
            (
                "two addresses out of bytewise order", ["Address"],
                { $0[2] = C.array([C.text("bob@example.net"), C.text("alice@example.org")]) }
            ),
            (
                "the same address twice", ["Address"],
                { $0[2] = C.array([C.text("alice@example.org"), C.text("alice@example.org")]) }
            ),
            ("an upper-case address", ["Address", "Case"], { $0[2] = C.array([C.text("Alice@example.org")]) }),
            ("an invalid address", ["Address"], { $0[2] = C.array([C.text("alice@@example.org")]) }),
            ("an address with a space", ["Address"], { $0[2] = C.array([C.text("alice@example.org ")]) }),
            ("the addresses as one text string", ["Layout"], { $0[2] = C.text("alice@example.org") }),
            ("an address as a byte string", ["Layout"], { $0[2] = C.array([C.bstr(Array("alice@example.org".utf8))]) }),
            ("a 31-byte old key", ["WrongLength"], { $0[3] = C.bstr(Array(rotation.oldKey.prefix(31))) }),
            ("a 33-byte old key", ["WrongLength"], { $0[3] = C.bstr(rotation.oldKey + [0]) }),
            ("a 31-byte new key", ["WrongLength"], { $0[4] = C.bstr(Array(rotation.newKey.prefix(31))) }),
            ("a 33-byte new key", ["WrongLength"], { $0[4] = C.bstr(rotation.newKey + [0]) }),
            ("the old key as a text string", ["Layout"], { $0[3] = C.head(3, 32) + rotation.oldKey }),
            ("the new key equal to the old key", ["Consistency"], { $0[4] = C.bstr(rotation.oldKey) }),
            ("sequence 0", ["Consistency"], { $0[5] = C.uint(0) }),
            ("sequence negative", ["Layout"], { $0[5] = C.int(-1) }),
            ("sequence as a text string", ["Layout"], { $0[5] = C.text("1") }),
            ("sequence 1 with a 32-byte previous hash", ["Consistency"], { $0[6] = C.bstr(other) }),
            ("sequence 2 with an empty previous hash", ["Consistency"], { $0[5] = C.uint(2) }),
            (
                "sequence 2 with a 31-byte previous hash", ["WrongLength"],
                {
                    $0[5] = C.uint(2)
                    $0[6] = C.bstr(Array(other.prefix(31)))
                }
            ),
            (
                "sequence 2 with a 33-byte previous hash", ["WrongLength"],
                {
                    $0[5] = C.uint(2)
                    $0[6] = C.bstr(other + [0])
                }
            ),
            ("the previous hash as a text string", ["Layout"], { $0[6] = C.text("") }),
            ("expires equal to created", ["Consistency"], { $0[8] = C.uint(rotation.created) }),
            ("expires before created", ["Consistency"], { $0[8] = C.uint(rotation.created - 1) }),
            ("created negative", ["Layout"], { $0[7] = C.int(-1) }),
            ("expires as a text string", ["Layout"], { $0[8] = C.text("1707776000") }),
        ]
        for (comment, flags, change) in rotationFields {
            try await bad(
                "a rotation with \(comment)", flags, rotation.edited(change), "malformed",
                spec: comment.contains("address") ? ["addr-wire-canonical"] : [])
        }

        file.group("revocation fields (signed): exactly the keys 0 to 4, with their rules")
        for key in 2...4 {
            try await bad(
                "a revocation without key \(key)", ["Layout"], revocation.edited { $0[key] = nil }, "malformed")
        }
        let revocationFields: [(String, [String], (inout Entries) -> Void)] = [
            ("an extra key 5", ["Layout"], { $0[5] = C.text("") }),
            ("a 31-byte key", ["WrongLength"], { $0[2] = C.bstr(Array(revocation.key.prefix(31))) }),
            ("a 33-byte key", ["WrongLength"], { $0[2] = C.bstr(revocation.key + [0]) }),
            ("a reason of 1,025 bytes", ["Limits"], { $0[4] = C.text(String(repeating: "r", count: 1025)) }),
            ("the reason as a byte string", ["Layout"], { $0[4] = C.bstr(Array("key compromised".utf8)) }),
            ("created negative", ["Layout"], { $0[3] = C.int(-1) }),
            ("created as a text string", ["Layout"], { $0[3] = C.text("1700000000") }),
            ("the key as an array", ["Layout"], { $0[2] = C.array([C.bstr(revocation.key)]) }),
        ]
        for (comment, flags, change) in revocationFields {
            try await bad(
                "a revocation with \(comment)", flags, revocation.edited(change), "malformed")
        }

        file.group("signatures: each missing or wrong signature (trust-rotation, trust-revocation)")
        let mallory = Cast.mallory.seed
        func rotationWith(_ first: [UInt8], _ second: [UInt8], body: [UInt8] = rotation.body) -> [UInt8] {
            C.array([C.bstr(body), C.bstr(first), C.bstr(second)])
        }
        let signatures: [(String, [UInt8])] = [
            (
                "the old key's signature made by another key",
                rotationWith(
                    Construct.sign(seed: mallory, context: Statement.rotationContext, body), newSignature)
            ),
            (
                "the new key's signature made by another key",
                rotationWith(
                    oldSignature, Construct.sign(seed: mallory, context: Statement.rotationContext, body))
            ),
            (
                "both signatures made by other keys",
                rotationWith(
                    Construct.sign(seed: mallory, context: Statement.rotationContext, body),
                    Construct.sign(seed: Cast.carol.seed, context: Statement.rotationContext, body))
            ),
            ("the two signatures swapped", rotationWith(newSignature, oldSignature)),
            ("the old key's signature twice (the new key never signed)", rotationWith(oldSignature, oldSignature)),
            ("the new key's signature twice (the old key never signed)", rotationWith(newSignature, newSignature)),
            (
                "the old key's signature under the revocation context",
                rotationWith(
                    Construct.sign(seed: rotation.old, context: Statement.revocationContext, body), newSignature)
            ),
            (
                "the new key's signature under the card context",
                rotationWith(
                    oldSignature, Construct.sign(seed: rotation.new, context: "dialogue-v1/card", body))
            ),
            (
                "the old key's signature without the context prefix",
                rotationWith(
                    try Ed25519Signer.sign(seed: rotation.old, body), newSignature)
            ),
            (
                "the new key's signature over context || body without the zero byte",
                rotationWith(
                    oldSignature,
                    try Ed25519Signer.sign(seed: rotation.new, Array(Statement.rotationContext.utf8) + body))
            ),
            ("the old key's signature with one bit flipped", rotationWith(oldSignature.flipping(0), newSignature)),
            (
                "the new key's signature with its last bit flipped",
                rotationWith(oldSignature, newSignature.flipping(63, 0x80))
            ),
            ("an all-zero old signature", rotationWith([UInt8](repeating: 0, count: 64), newSignature)),
            (
                "both signatures of the next rotation (sequence 2)",
                Rotation2.make(previous: rotation.hash).signedParts(
                    with: body)
            ),
        ]
        for (comment, bytes) in signatures {
            try await bad(comment, ["BadSignature"], bytes, "bad-signature")
        }
        let tampered: [(String, (inout Entries) -> Void)] = [
            ("another address than the signed one", { $0[2] = C.array([C.text("alice@example.com")]) }),
            (
                "an address added after signing",
                { $0[2] = C.array([C.text("alice@example.org"), C.text("mallory@example.org")]) }
            ),
            ("a later expiry than the signed one", { $0[8] = C.uint(rotation.expires + 1) }),
            (
                "another sequence number than the signed one",
                {
                    $0[5] = C.uint(2)
                    $0[6] = C.bstr(rotation.hash)
                }
            ),
            ("another new key than the signed one", { $0[4] = C.bstr(Cast.mallory.identityKey) }),
        ]
        for (comment, change) in tampered {
            var changed = rotation.entries
            change(&changed)
            try await bad(
                "a rotation with \(comment)", ["BadSignature"],
                C.array([C.bstr(changed.encoded), C.bstr(oldSignature), C.bstr(newSignature)]), "bad-signature")
        }
        var zeroKey = rotation.entries
        zeroKey[3] = C.bstr([UInt8](repeating: 0, count: 32))
        try await bad(
            "an all-zero old key (not a usable public key)", ["BadSignature", "EdgeCase"],
            C.array([
                C.bstr(zeroKey.encoded), C.bstr([UInt8](repeating: 0, count: 64)),
                C.bstr(Construct.sign(seed: rotation.new, context: Statement.rotationContext, zeroKey.encoded)),
            ]), "bad-signature")
        let revocations: [(String, [UInt8])] = [
            (
                "a revocation signed by another key",
                C.array([
                    C.bstr(revocation.body),
                    C.bstr(
                        Construct.sign(
                            seed: mallory, context: Statement.revocationContext,
                            revocation.body)),
                ])
            ),
            (
                "a revocation signed under the rotation context",
                C.array([
                    C.bstr(revocation.body),
                    C.bstr(
                        Construct.sign(
                            seed: revocation.seed, context: Statement.rotationContext,
                            revocation.body)),
                ])
            ),
            (
                "a revocation signature without the context prefix",
                C.array([
                    C.bstr(revocation.body), C.bstr(try Ed25519Signer.sign(seed: revocation.seed, revocation.body)),
                ])
            ),
            (
                "a revocation signature with one bit flipped",
                C.array([
                    C.bstr(revocation.body), C.bstr(revocationSignature.flipping(10)),
                ])
            ),
            (
                "another reason than the signed one",
                C.array([
                    C.bstr(revocation.entries.replacing(4, C.text("key lost")).encoded), C.bstr(revocationSignature),
                ])
            ),
            (
                "another key than the signed one (bob's key, alice's signature)",
                C.array([
                    C.bstr(revocation.entries.replacing(2, C.bstr(Cast.bob.identityKey)).encoded),
                    C.bstr(revocationSignature),
                ])
            ),
            (
                "another created time than the signed one",
                C.array([
                    C.bstr(revocation.entries.replacing(3, C.uint(1_600_000_000)).encoded), C.bstr(revocationSignature),
                ])
            ),
        ]
        for (comment, bytes) in revocations {
            try await bad(comment, ["BadSignature"], bytes, "bad-signature")
        }

        file.group("several faults: the first in the order of trust-statement-decode decides")
        let precedence: [(String, [UInt8], String)] = [
            (
                "version 2 and a 63-byte signature: the outer array (step 3) comes first",
                C.array([
                    C.bstr(rotation.entries.replacing(0, C.uint(2)).encoded), C.bstr(Array(oldSignature.prefix(63))),
                    C.bstr(newSignature),
                ]), "malformed"
            ),
            (
                "version 2 and a body with a trailing byte: the body must decode (step 2) first",
                rotation.signed(body: rotation.entries.replacing(0, C.uint(2)).encoded + [0]), "malformed"
            ),
            (
                "kind 2, a missing key and a bad signature: the kind (step 4) comes first",
                C.array([
                    C.bstr(rotation.entries.replacing(1, C.uint(2)).removing(5).encoded),
                    C.bstr(oldSignature), C.bstr(newSignature),
                ]), "unsupported-version"
            ),
            (
                "17 addresses and bad signatures: the fields (step 6) come before the signatures",
                C.array([
                    C.bstr(
                        rotation.entries.replacing(
                            2, C.array((0..<17).map { C.text("u\(String($0 + 10))@example.org") })
                        ).encoded),
                    C.bstr(oldSignature), C.bstr(newSignature),
                ]), "malformed"
            ),
            (
                "a rotation of two elements with a bad signature: the count (step 5) comes first",
                C.array([C.bstr(body), C.bstr(newSignature)]), "malformed"
            ),
            (
                "old equal to new and bad signatures: the fields come first",
                C.array([
                    C.bstr(rotation.entries.replacing(4, C.bstr(rotation.oldKey)).encoded), C.bstr(oldSignature),
                    C.bstr(newSignature),
                ]), "malformed"
            ),
        ]
        for (comment, bytes, error) in precedence {
            try await bad(comment, ["Precedence"], bytes, error, spec: ["conf-error-precedence"])
        }
        return file.file
    }
}

/// The rotation after the example: seed 02 to seed 03, sequence 2.
enum Rotation2 {
    static func make(previous: [UInt8]) -> Statement.Rotation {
        Statement.Rotation(
            addresses: ["alice@example.org"], old: Statement.seed(2), new: Statement.seed(3), sequence: 2,
            previous: previous, created: 1_700_086_400, expires: 1_707_862_400)
    }
}

extension Statement.Rotation {
    /// `body` with this rotation's two signatures, which are over another body.
    func signedParts(with body: [UInt8]) -> [UInt8] {
        C.array([
            C.bstr(body), C.bstr(Construct.sign(seed: old, context: Statement.rotationContext, self.body)),
            C.bstr(Construct.sign(seed: new, context: Statement.rotationContext, self.body)),
        ])
    }
}

extension Entries {
    func replacing(_ key: Int, _ value: [UInt8]) -> Entries {
        var copy = self
        copy[key] = value
        return copy
    }

    func removing(_ key: Int) -> Entries {
        var copy = self
        copy[key] = nil
        return copy
    }
}
