internal import DialogueCrypto

/// `safety_number.json` and `safety_parse.json` (Spec: trust.md#trust-safety-number, [trust-verify-uri]).
enum SafetyVectors {
    /// One party of a safety number: a canonical address and a 32-byte identity key.
    struct Party {
        var address: String
        var key: [UInt8]

        init(_ address: String, _ key: [UInt8]) {
            self.address = address
            self.key = key
        }

        init(_ address: String, seed: [UInt8]) { self.init(address, Construct.publicKey(ed25519: seed)) }

        /// `BLAKE2b-256("dialogue-v1/safety-number" || 0x00 || u16be(len) || address || key)`, 6 groups.
        var number: String {
            let address = Array(self.address.utf8)
            let h = BLAKE2b256.hash(
                Construct.separated("dialogue-v1/safety-number", C.bigEndian(UInt64(address.count), 2) + address + key)
            )
            var digits = ""
            for group in 0..<6 {
                let value = h[(5 * group)..<(5 * group + 5)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } % 100_000
                let text = String(value)
                digits += String(repeating: "0", count: 5 - text.count) + text
            }
            return digits
        }

        var fingerprint: String {
            "key-" + IdentifierVectors.base32(Construct.identifier("dialogue-v1/identity-key", key))
        }
    }

    /// The pair number and the payload: the smaller number first (on equality, the smaller address).
    static func pair(_ a: Party, _ b: Party) -> (pair: String, payload: String) {
        let (na, nb) = (a.number, b.number)
        let aFirst = na < nb || (na == nb && Array(a.address.utf8).lexicographicallyPrecedes(Array(b.address.utf8)))
        let (first, second) = aFirst ? (a, b) : (b, a)
        return (
            first.number + second.number,
            "dialogue-verify:1/\(first.address)/\(first.fingerprint)/\(second.address)/\(second.fingerprint)"
        )
    }

    static func numberInput(_ a: Party, _ b: Party) -> JSONValue {
        .object([
            ("address_a", .string(a.address)), ("identity_key_a", .string(Hex.encode(a.key))),
            ("address_b", .string(b.address)), ("identity_key_b", .string(Hex.encode(b.key))),
        ])
    }

    static func numberExpected(_ a: Party, _ b: Party) -> JSONValue {
        let (pair, payload) = pair(a, b)
        return .object([
            ("number_a", .string(a.number)), ("number_b", .string(b.number)), ("pair", .string(pair)),
            ("payload", .string(payload)),
        ])
    }

    // The specification's worked example (trust.md#trust-safety-example).
    static let exampleAlice = Party("alice@example.org", seed: [UInt8](repeating: 1, count: 32))
    static let exampleBob = Party("bob@example.net", seed: [UInt8](repeating: 2, count: 32))
    static let examplePayload =
        "dialogue-verify:1/bob@example.net/key-aho5cwiwl43u5lfjwuuy2lnav6rjmrpi7j4z2hrfwhritdgsh4do6/"
        + "alice@example.org/key-ag3khxw4qzluq7w5pwrqtwqbvoit2petcekkcdbzdzr52c7efiosg"

    /// The longest address: a 64-character local part and a 253-character domain (318 bytes).
    static let longestAddress =
        String(repeating: "a", count: 64) + "@" + String(repeating: "b", count: 63) + "."
        + String(repeating: "c", count: 63) + "." + String(repeating: "d", count: 63) + "."
        + String(repeating: "e", count: 61)

    static func buildNumber() async throws -> VectorFile {
        let file = FileBuilder(
            "safety.number", "Safety numbers, pair numbers and verification payloads of two bindings")
        let spec = ["trust-safety-number", "trust-verify-uri"]
        func valid(_ comment: String, _ a: Party, _ b: Party, flags: [String] = ["Valid"], expected: JSONValue? = nil)
            async throws
        {
            try await file.valid(
                comment, flags: flags, spec: spec, input: numberInput(a, b), expected: expected ?? numberExpected(a, b))
        }

        file.group("the worked example of trust.md#trust-safety-example, both ways round")
        let alice = exampleAlice
        let bob = exampleBob
        let exampleAliceNumber = "898524408458843150919673780091"
        let exampleBobNumber = "798685476800276653197528775276"
        precondition(alice.number == exampleAliceNumber && bob.number == exampleBobNumber)
        for (comment, a, b, na, nb) in [
            ("Alice (seed 01) as a, Bob (seed 02) as b", alice, bob, exampleAliceNumber, exampleBobNumber),
            ("Bob as a, Alice as b: the same pair and payload", bob, alice, exampleBobNumber, exampleAliceNumber),
        ] {
            try await valid(
                comment, a, b, flags: ["Valid", "SpecExample"],
                expected: .object([
                    ("number_a", .string(na)), ("number_b", .string(nb)),
                    ("pair", .string(exampleBobNumber + exampleAliceNumber)), ("payload", .string(examplePayload)),
                ])
            )
        }

        file.group("known values, each pair both ways round (symmetry)")
        let carol = Party(Cast.carol.addresses[0], Cast.carol.identityKey)
        let bobNet = Party(Cast.bob.addresses[0], Cast.bob.identityKey)
        let bobRobert = Party(Cast.bob.addresses[1], Cast.bob.identityKey)
        let castAlice = Party(Cast.alice.addresses[0], Cast.alice.identityKey)
        let mallory = Party(Cast.mallory.addresses[0], Cast.mallory.identityKey)
        let longest = Party(longestAddress, Cast.carol.identityKey)
        let single = Party("mail@localhost", Cast.mallory.identityKey)
        let pairs: [(String, Party, Party)] = [
            ("alice and carol", castAlice, carol), ("bob and mallory", bobNet, mallory),
            ("one key on two addresses (bob@example.net, robert@example.net)", bobNet, bobRobert),
            ("the longest address, 318 bytes: both length bytes are used", longest, castAlice),
            ("a single-label domain", single, carol),
        ]
        for (comment, a, b) in pairs {
            try await valid(comment, a, b)
            try await valid(comment + ", swapped", b, a)
        }

        file.group("every change of a key or an address changes the number")
        let changes: [(String, Party, Party)] = [
            (
                "Alice's address with Bob's key (seed 02)",
                Party("alice@example.org", seed: [UInt8](repeating: 2, count: 32)), bob
            ),
            (
                "Alice's key (seed 01) with a new key for Bob (seed 03)", alice,
                Party("bob@example.net", seed: [UInt8](repeating: 3, count: 32))
            ),
            ("Alice's key on another address (alice@example.com)", Party("alice@example.com", alice.key), bob),
            ("Bob's key on a look-alike address (b0b@example.net)", alice, Party("b0b@example.net", bob.key)),
            ("Alice's key with its last bit flipped", Party(alice.address, alice.key.flipping(31, 0x01)), bob),
            (
                "an all-zero key: any 32 bytes have a number", Party(alice.address, [UInt8](repeating: 0, count: 32)),
                bob
            ),
        ]
        for (comment, a, b) in changes {
            precondition(a.number != alice.number || b.number != bob.number)
            try await valid(comment, a, b, flags: ["Valid", "EdgeCase"])
        }

        file.group("inputs that are not a binding: malformed")
        let key = Hex.encode(alice.key)
        func bad(_ comment: String, _ flags: [String], _ a: String, _ keyA: String, _ b: String = "bob@example.net")
            async throws
        {
            try await file.invalid(
                comment, flags: flags, spec: ["trust-safety-number", "addr-wire-canonical"],
                input: .object([
                    ("address_a", .string(a)), ("identity_key_a", .string(keyA)), ("address_b", .string(b)),
                    ("identity_key_b", .string(Hex.encode(bob.key))),
                ]),
                error: "malformed"
            )
        }
        try await bad(
            "an upper-case address: safety numbers take the canonical form", ["Address", "Case"],
            "Alice@example.org", key)
        try await bad("an upper-case second address", ["Address", "Case"], "alice@example.org", key, "BOB@EXAMPLE.NET")
        try await bad("an address with a space", ["Address"], "alice @example.org", key)
        try await bad("an address without @", ["Address"], "alice.example.org", key)
        try await bad("an empty address", ["Address"], "", key)
        try await bad("a non-ASCII address", ["Address"], "alicé@example.org", key)
        for (comment, address) in [
            ("an address with two @", "alice@@example.org"), ("an empty local part", "@example.org"),
            ("an empty domain", "alice@"), ("a leading dot", ".alice@example.org"),
            ("a double dot", "alice..smith@example.org"), ("a trailing dot in the domain", "alice@example.org."),
            ("a label with a leading hyphen", "alice@-example.org"),
            ("an underscore in the domain", "alice@ex_ample.org"),
            ("a 65-character local part", String(repeating: "a", count: 65) + "@example.org"),
            (
                "a 254-character domain",
                "a@" + String(repeating: "b", count: 63) + "." + String(repeating: "c", count: 63)
                    + "." + String(repeating: "d", count: 63) + "." + String(repeating: "e", count: 62)
            ),
            ("a trailing line feed", "alice@example.org\n"), ("angle brackets", "<alice@example.org>"),
            ("a display name", "Alice <alice@example.org>"), ("an upper-case domain", "alice@EXAMPLE.org"),
        ] {
            try await bad(comment, ["Address"], address, key)
        }
        try await bad("an invalid second address", ["Address"], "alice@example.org", key, "bob@@example.net")
        try await bad("an empty second address", ["Address"], "alice@example.org", key, "")
        try await bad("a 31-byte key", ["WrongLength"], "alice@example.org", String(key.dropLast(2)))
        try await bad("a one-byte key", ["WrongLength"], "alice@example.org", "01")
        try await bad("a 16-byte key", ["WrongLength"], "alice@example.org", String(key.prefix(32)))
        try await bad("a 33-byte key", ["WrongLength"], "alice@example.org", key + "00")
        try await bad("an empty key", ["WrongLength"], "alice@example.org", "")
        try await bad("a 64-byte key (a secret key's size)", ["WrongLength"], "alice@example.org", key + key)
        try await file.invalid(
            "a 33-byte second key", flags: ["WrongLength"], spec: ["trust-safety-number"],
            input: .object([
                ("address_a", .string(alice.address)), ("identity_key_a", .string(key)),
                ("address_b", .string(bob.address)), ("identity_key_b", .string(Hex.encode(bob.key + [0]))),
            ]), error: "malformed")
        try await file.invalid(
            "an empty second key", flags: ["WrongLength"], spec: ["trust-safety-number"],
            input: .object([
                ("address_a", .string(alice.address)), ("identity_key_a", .string(key)),
                ("address_b", .string(bob.address)), ("identity_key_b", ""),
            ]), error: "malformed")
        file.group("two equal addresses: no pair, because its payload could not be parsed (trust-verify-uri)")
        for (comment, keyB) in [("and one key", key), ("and two keys", Hex.encode(bob.key))] {
            try await file.invalid(
                "two equal addresses \(comment)", flags: ["Address"],
                spec: ["trust-safety-number", "trust-verify-uri"],
                input: .object([
                    ("address_a", .string(alice.address)), ("identity_key_a", .string(key)),
                    ("address_b", .string(alice.address)), ("identity_key_b", .string(keyB)),
                ]), error: "malformed")
        }
        return file.file
    }

    static func parseInput(_ payload: String) -> JSONValue { .object([("payload", .string(payload))]) }

    static func parseExpected(_ first: Party, _ second: Party) -> JSONValue {
        .object([
            ("address_1", .string(first.address)), ("fingerprint_1", .string(first.fingerprint)),
            ("address_2", .string(second.address)), ("fingerprint_2", .string(second.fingerprint)),
        ])
    }

    static func buildParse() async throws -> VectorFile {
        let file = FileBuilder("safety.parse", "Reading verification payloads (dialogue-verify:1/…)")
        let spec = ["trust-verify-uri"]
        let alice = exampleAlice
        let bob = exampleBob
        let payload = examplePayload
        let expected = parseExpected(bob, alice)
        let rest = String(payload.dropFirst("dialogue-verify:".count))

        file.group("valid payloads")
        try await file.valid(
            "the worked example's payload", flags: ["Valid", "SpecExample"], spec: spec + ["trust-safety-number"],
            input: parseInput(payload), expected: expected)
        try await file.valid(
            "the scheme in upper case", flags: ["Valid", "Case"], spec: spec,
            input: parseInput("DIALOGUE-VERIFY:" + rest), expected: expected)
        try await file.valid(
            "the scheme in mixed case", flags: ["Valid", "Case"], spec: spec,
            input: parseInput("Dialogue-Verify:" + rest), expected: expected)
        try await file.valid(
            "the parties in the other order: a reader has no keys to check the order against",
            flags: ["Valid", "EdgeCase"],
            spec: spec,
            input: parseInput(
                "dialogue-verify:1/\(alice.address)/\(alice.fingerprint)/\(bob.address)/\(bob.fingerprint)"),
            expected: parseExpected(alice, bob)
        )
        try await file.valid(
            "fingerprints in upper case: text forms are read in any case (id-text-case); the output is lower case",
            flags: ["Valid", "Case"], spec: spec + ["id-text-case"],
            input: parseInput(
                "dialogue-verify:1/\(bob.address)/\(bob.fingerprint.uppercased())/\(alice.address)/"
                    + alice.fingerprint.uppercased()),
            expected: expected
        )
        let carol = Party(Cast.carol.addresses[0], Cast.carol.identityKey)
        let longest = Party(longestAddress, Cast.mallory.identityKey)
        for (comment, a, b) in [
            ("the payload of alice and carol", Party(Cast.alice.addresses[0], Cast.alice.identityKey), carol),
            (
                "one key on two addresses", Party("bob@example.net", Cast.bob.identityKey),
                Party("robert@example.net", Cast.bob.identityKey)
            ),
            ("the longest address", longest, carol),
        ] {
            let text = pair(a, b).payload
            let aFirst = text.hasPrefix("dialogue-verify:1/\(a.address)/")
            try await file.valid(
                comment, spec: spec, input: parseInput(text),
                expected: aFirst ? parseExpected(a, b) : parseExpected(b, a))
        }

        file.group("every rejection of trust-verify-uri is malformed")
        func bad(_ comment: String, _ flags: [String], _ text: String, spec extra: [String] = []) async throws {
            try await file.invalid(
                comment, flags: flags, spec: spec + extra, input: parseInput(text), error: "malformed")
        }
        let fields = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        func with(_ index: Int, _ value: String) -> String {
            var copy = fields
            copy[index] = value
            return "dialogue-verify:" + copy.joined(separator: "/")
        }
        // The scheme.
        for (comment, text) in [
            ("an empty payload", ""), ("the scheme alone", "dialogue-verify:"),
            ("the scheme without its colon", "dialogue-verify" + rest),
            ("another scheme", "dialogue-verified:" + rest), ("a shorter scheme", "dialogue:" + rest),
            ("a space before the scheme", " " + payload), ("a space after the colon", "dialogue-verify: " + rest),
            ("a URL-style scheme with //", "dialogue-verify://" + rest),
            ("a dotted capital I (U+0130) in the scheme: only ASCII letters fold", "DİALOGUE-VERIFY:" + rest),
            ("the payload without any scheme", rest),
        ] {
            try await bad(comment, ["Layout"], text)
        }
        // The version.
        for (comment, version) in [
            ("version 2", "2"), ("version 0", "0"), ("version 01", "01"), ("version 1.0", "1.0"),
            ("an empty version", ""), ("version v1", "v1"), ("version 11", "11"),
        ] {
            try await bad(comment, ["UnknownVersion"], with(0, version))
        }
        // The number of fields.
        let three = "dialogue-verify:1/\(bob.address)/\(bob.fingerprint)/\(alice.address)"
        for (comment, text) in [
            ("three fields after the version", three),
            ("five fields after the version", payload + "/carol@example.com"),
            ("a trailing slash", payload + "/"), ("a doubled slash", with(2, "/" + fields[2])),
            ("the version alone", "dialogue-verify:1"), ("the version and a slash", "dialogue-verify:1/"),
            ("one party only", "dialogue-verify:1/\(bob.address)/\(bob.fingerprint)"),
            ("a query string", payload + "?x=1"), ("a fragment", payload + "#top"),
            ("a trailing line feed", payload + "\n"), ("a trailing space", payload + " "),
        ] {
            try await bad(comment, ["Layout"], text)
        }
        // The addresses.
        for (comment, index, value) in [
            ("an upper-case first address", 1, "BOB@example.net"),
            ("an upper-case second address", 3, "Alice@Example.org"),
            ("a percent-encoded @", 1, "bob%40example.net"), ("an address without @", 3, "alice.example.org"),
            ("an empty address", 1, ""), ("an address with a space", 3, "alice @example.org"),
            ("an address in angle brackets", 1, "<bob@example.net>"), ("a non-ASCII address", 3, "alicé@example.org"),
        ] {
            try await bad(comment, ["Address"], with(index, value), spec: ["addr-wire-canonical"])
        }
        // The fingerprints.
        let binary = Construct.identifier("dialogue-v1/identity-key", bob.key)
        let base = IdentifierVectors.base32(binary)
        for (comment, value) in [
            ("a msg identifier instead of a fingerprint", "msg-" + base),
            ("a blob identifier instead of a fingerprint", "blob-" + base),
            ("an unknown kind", "fpr-" + base), ("no kind", base), ("an empty fingerprint", ""),
            ("the key in hexadecimal instead of its fingerprint", Hex.encode(bob.key)),
            ("a fingerprint one character short", "key-" + String(base.dropLast())),
            ("a fingerprint one character long", "key-" + base + "a"),
            ("padding after the fingerprint", "key-" + base + "="),
            ("the digit 1 in the fingerprint", "key-" + String(base.dropLast()) + "1"),
            ("a non-zero fill bit", "key-" + IdentifierVectors.base32(binary, fill: 1)),
            ("an unassigned algorithm byte (0x02)", "key-" + IdentifierVectors.base32([0x02] + binary.dropFirst())),
        ] {
            try await bad(comment, ["Identifier"], with(2, value), spec: ["id-text-strict"])
        }
        // Two equal addresses.
        try await bad(
            "two equal addresses with two fingerprints", ["Consistency"],
            "dialogue-verify:1/\(alice.address)/\(bob.fingerprint)/\(alice.address)/\(alice.fingerprint)")
        try await bad(
            "the same party twice", ["Consistency"],
            "dialogue-verify:1/\(alice.address)/\(alice.fingerprint)/\(alice.address)/\(alice.fingerprint)")
        try await bad(
            "two addresses equal but for case: the upper-case one is not canonical", ["Consistency", "Case"],
            "dialogue-verify:1/\(alice.address)/\(bob.fingerprint)/ALICE@EXAMPLE.ORG/\(alice.fingerprint)")
        return file.file
    }
}
