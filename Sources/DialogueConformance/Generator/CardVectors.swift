/// `card_verify.json`, `card_issue.json` and `secret_decode.json` (Spec: identities.md).
enum CardVectors {
    static func cardInput(_ card: [UInt8]) -> JSONValue { .object([("card", .string(Hex.encode(card)))]) }

    static func cardExpected(_ identity: Identity, addresses: [String]? = nil, encryptionKey: [UInt8]? = nil)
        -> JSONValue
    {
        .object([
            ("addresses", .array((addresses ?? identity.addresses).map { .string($0) })),
            ("identity_key", .string(Hex.encode(identity.identityKey))),
            ("encryption_key", .string(Hex.encode(encryptionKey ?? identity.encryptionKey))),
            ("created", .exactly(identity.created)), ("expires", .exactly(identity.expires)),
            ("fingerprint", .string("key-" + IdentifierVectors.base32(identity.fingerprintBinary))),
        ])
    }

    /// The order of the group L of edwards25519, little-endian.
    static let groupOrder: [UInt8] = Hex.decode("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")!

    static func addLittleEndian(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: 32)
        var carry = 0
        for index in 0..<32 {
            let sum = Int(a[index]) + Int(b[index]) + carry
            result[index] = UInt8(truncatingIfNeeded: sum)
            carry = sum >> 8
        }
        return result
    }

    static func buildVerify() async throws -> VectorFile {
        let file = FileBuilder("card.verify", "Decoding and verifying identity cards")
        let alice = Cast.alice
        let aliceCard = alice.card
        func card(_ identity: Identity = Cast.alice, _ change: (inout Entries) -> Void) -> [UInt8] {
            var entries = identity.cardEntries()
            change(&entries)
            return identity.card(body: entries.encoded)
        }
        func resigned(_ body: [UInt8], _ identity: Identity = Cast.alice) -> [UInt8] { identity.card(body: body) }
        func bad(_ comment: String, _ flags: [String], _ spec: [String], _ bytes: [UInt8], _ error: String) async throws
        {
            try await file.invalid(comment, flags: flags, spec: spec, input: cardInput(bytes), error: error)
        }

        file.group("valid cards")
        try await file.valid(
            "a card with one address", spec: ["card-decode", "card-signature"], input: cardInput(aliceCard),
            expected: cardExpected(alice))
        try await file.valid(
            "a card with two addresses", spec: ["card-decode", "card-signature", "card-fields"],
            input: cardInput(Cast.bob.card), expected: cardExpected(Cast.bob))
        let sixteen = (0..<16).map { "user\(String($0 + 10))@example.org" }.sorted()
        try await file.valid(
            "a card with 16 addresses, the limit", flags: ["Valid", "Limit"], spec: ["card-decode", "card-fields"],
            input: cardInput(card { $0[1] = C.array(sixteen.map(C.text)) }),
            expected: cardExpected(alice, addresses: sixteen)
        )
        let early = Identity("alice", addresses: ["alice@example.org"], created: 0, expires: 1)
        try await file.valid(
            "created 0, expires 1", flags: ["Valid", "EdgeCase"], spec: ["card-fields"], input: cardInput(early.card),
            expected: cardExpected(early))
        try await file.valid(
            "an encryption key with bit 255 set: not a low-order point", flags: ["Valid", "EdgeCase"],
            spec: ["card-weak-key", "prim-x25519-public"],
            input: cardInput(card { $0[3] = C.bstr(Cast.alice.encryptionKey.flipping(31, 0x80)) }),
            expected: cardExpected(alice, encryptionKey: Cast.alice.encryptionKey.flipping(31, 0x80))
        )
        try await file.valid(
            "mallory's own card listing alice's address: opening does not judge the binding, trust does",
            flags: ["Valid", "EdgeCase"], spec: ["card-signature"],
            input: cardInput(
                Cast.mallory.card(body: Cast.mallory.cardEntries(addresses: ["alice@example.org"]).encoded))
        )

        file.group("every strict prefix of a card is malformed")
        for length in 0..<aliceCard.count {
            try await bad(
                "the first \(length) of \(aliceCard.count) bytes", ["Truncated", "DripFeed"], ["card-decode"],
                Array(aliceCard.prefix(length)), "malformed")
        }

        file.group("the outer array: [body, signature]")
        let body = alice.cardEntries().encoded
        let signature = Construct.sign(seed: alice.seed, context: "dialogue-v1/card", body)
        let outer: [(String, [UInt8], [String])] = [
            ("a byte after the card", aliceCard + [0x00], ["TrailingData"]),
            ("a map instead of an array", C.intMap([(0, C.bstr(body)), (1, C.bstr(signature))]), ["Layout"]),
            ("an array of one element", C.array([C.bstr(body)]), ["Layout"]),
            ("an array of three elements", C.array([C.bstr(body), C.bstr(signature), C.bstr([])]), ["Layout"]),
            (
                "the body as a text string", C.array([C.head(3, UInt64(body.count)) + body, C.bstr(signature)]),
                ["Layout"]
            ),
            ("the body as the decoded map, not a byte string", C.array([body, C.bstr(signature)]), ["Layout"]),
            ("a 63-byte signature", C.array([C.bstr(body), C.bstr(Array(signature.prefix(63)))]), ["WrongLength"]),
            ("a 65-byte signature", C.array([C.bstr(body), C.bstr(signature + [0])]), ["WrongLength"]),
            ("an empty signature", C.array([C.bstr(body), C.bstr([])]), ["WrongLength"]),
            ("the signature as a text string", C.array([C.bstr(body), C.head(3, 64) + signature]), ["Layout"]),
            (
                "the body's length not in shortest form",
                C.array([C.head(2, UInt64(body.count), width: 2) + body, C.bstr(signature)]),
                ["NonCanonical", "NonShortest"]
            ),
            (
                "an indefinite-length outer array", [[0x9f], C.bstr(body), C.bstr(signature), [0xff]].flatMap { $0 },
                ["NonCanonical", "Indefinite"]
            ),
            ("the signature first", C.array([C.bstr(signature), C.bstr(body)]), ["Layout"]),
        ]
        for (comment, bytes, flags) in outer {
            try await bad(comment, flags, ["card-decode", "enc-signed-bstr"], bytes, "malformed")
        }

        file.group(
            "the body: valid Dialogue CBOR, a map with exactly the keys 0 to 5 (signed, so only the structure is wrong)"
        )
        let unsorted = alice.cardEntries()
        let structural: [(String, [UInt8], [String])] = [
            ("a body with a trailing byte", body + [0x00], ["TrailingData"]),
            (
                "a body with its keys out of order",
                C.mapInOrder(unsorted.items.reversed().map { (C.uint(UInt64($0.0)), $0.1) }),
                ["NonCanonical", "MapOrder"]
            ),
            ("a body that is an array", C.array(unsorted.items.map(\.1)), ["Layout"]),
            ("a body cut short", Array(body.dropLast()), ["Truncated"]),
            (
                "a body with a non-shortest created time",
                C.mapInOrder(
                    unsorted.items.map { (C.uint(UInt64($0.0)), $0.0 == 4 ? C.head(0, alice.created, width: 8) : $0.1) }
                ), ["NonCanonical", "NonShortest"]
            ),
        ]
        for (comment, bytes, flags) in structural {
            try await bad(comment, flags, ["card-decode"], resigned(bytes), "malformed")
        }
        for key in 1...5 {
            try await bad("a body without key \(key)", ["Layout"], ["card-decode"], card { $0[key] = nil }, "malformed")
        }
        let types: [(String, (inout Entries) -> Void, [String])] = [
            ("an extra key 6", { $0[6] = C.uint(0) }, ["Layout"]),
            ("the addresses as a text string", { $0[1] = C.text("alice@example.org") }, ["Layout"]),
            ("an address as a byte string", { $0[1] = C.array([C.bstr(Array("alice@example.org".utf8))]) }, ["Layout"]),
            ("a 31-byte identity key", { $0[2] = C.bstr(Array(Cast.alice.identityKey.prefix(31))) }, ["WrongLength"]),
            ("a 33-byte identity key", { $0[2] = C.bstr(Cast.alice.identityKey + [0]) }, ["WrongLength"]),
            (
                "a 31-byte encryption key", { $0[3] = C.bstr(Array(Cast.alice.encryptionKey.prefix(31))) },
                ["WrongLength"]
            ),
            ("a 33-byte encryption key", { $0[3] = C.bstr(Cast.alice.encryptionKey + [0]) }, ["WrongLength"]),
            ("created as a text string", { $0[4] = C.text("1700000000") }, ["Layout"]),
            ("created negative", { $0[4] = C.int(-1) }, ["Layout"]),
            ("expires as a byte string", { $0[5] = C.bstr([1]) }, ["Layout"]),
            ("no addresses", { $0[1] = C.array([]) }, ["Layout"]),
            ("an upper-case address", { $0[1] = C.array([C.text("Alice@example.org")]) }, ["Address", "Case"]),
            ("an invalid address", { $0[1] = C.array([C.text("alice@@example.org")]) }, ["Address"]),
            ("an address with a space", { $0[1] = C.array([C.text("alice @example.org")]) }, ["Address"]),
        ]
        for (comment, change, flags) in types {
            try await bad(
                comment, flags,
                comment.contains("address") ? ["card-decode", "card-fields", "addr-wire-canonical"] : ["card-decode"],
                card(alice, change), "malformed")
        }
        try await bad(
            "an extra text key \"x\"", ["Layout"], ["card-decode"],
            resigned(
                C.map(alice.cardEntries().items.map { (C.uint(UInt64($0.0)), $0.1) } + [(C.text("x"), C.uint(0))])),
            "malformed"
        )
        try await bad(
            "17 addresses, one more than the limit", ["Limits"], ["card-decode", "card-fields"],
            card { $0[1] = C.array((0..<17).map { C.text("user\(String($0 + 10))@example.org") }) }, "limits-exceeded"
        )

        file.group("versions (card-version): read before the rest of the body")
        try await bad(
            "version 2", ["UnknownVersion"], ["card-version"], card { $0[0] = C.uint(2) }, "unsupported-version")
        try await bad(
            "version 0", ["UnknownVersion"], ["card-version"], card { $0[0] = C.uint(0) }, "unsupported-version")
        try await bad(
            "version 2^64-1", ["UnknownVersion"], ["card-version"], card { $0[0] = C.uint(UInt64.max) },
            "unsupported-version")
        try await bad(
            "version 2 with a different layout (no key 1, a key 9)", ["UnknownVersion", "Precedence"],
            ["card-version", "conf-error-precedence"],
            resigned(C.intMap([(0, C.uint(2)), (9, C.text("future"))])), "unsupported-version"
        )
        try await bad("no version", ["Layout"], ["card-decode", "card-version"], card { $0[0] = nil }, "malformed")
        try await bad(
            "the version as a text string", ["Layout"], ["card-decode", "card-version"], card { $0[0] = C.text("1") },
            "malformed")
        try await bad(
            "the version negative", ["Layout"], ["card-decode", "card-version"], card { $0[0] = C.int(-1) }, "malformed"
        )

        file.group("fields (card-fields), with a valid signature")
        try await bad(
            "expires equal to created", ["Consistency"], ["card-fields"], card { $0[5] = C.uint(Cast.alice.created) },
            "malformed")
        try await bad(
            "expires before created", ["Consistency"], ["card-fields"], card { $0[5] = C.uint(Cast.alice.created - 1) },
            "malformed")
        try await bad(
            "addresses out of bytewise order", ["Consistency"], ["card-fields"],
            card(Cast.bob) { $0[1] = C.array(["robert@example.net", "bob@example.net"].map(C.text)) }, "malformed"
        )
        try await bad(
            "the same address twice", ["Consistency"], ["card-fields"],
            card { $0[1] = C.array(["alice@example.org", "alice@example.org"].map(C.text)) }, "malformed"
        )

        file.group("signatures that do not verify (card-signature)")
        let sigOffset = aliceCard.count - 64
        try await bad(
            "the first signature byte changed", ["BadSignature"], ["card-signature"], aliceCard.flipping(sigOffset),
            "bad-signature")
        try await bad(
            "the last signature byte changed", ["BadSignature"], ["card-signature"], aliceCard.flipping(-1, 0x40),
            "bad-signature")
        try await bad(
            "a bit of the created time changed", ["BadSignature"],
            ["card-signature", "enc-signed-bstr", "enc-verify-received"],
            card(alice) { _ in }.flippingSigned(body: body, { $0[4] = C.uint(Cast.alice.created + 1) }), "bad-signature"
        )
        try await bad(
            "the addresses changed after signing", ["BadSignature"],
            ["card-signature", "enc-signed-bstr", "enc-verify-received"],
            C.array([C.bstr(Cast.alice.cardEntries(addresses: ["alice@example.net"]).encoded), C.bstr(signature)]),
            "bad-signature")
        try await bad(
            "the encryption key changed after signing", ["BadSignature"],
            ["card-signature", "enc-signed-bstr", "enc-verify-received"],
            C.array([
                C.bstr(Cast.alice.cardEntries(encryptionKey: Cast.mallory.encryptionKey).encoded), C.bstr(signature),
            ]), "bad-signature")
        try await bad(
            "signed by another key (mallory)", ["BadSignature"], ["card-signature"],
            C.array([C.bstr(body), C.bstr(Construct.sign(seed: Cast.mallory.seed, context: "dialogue-v1/card", body))]),
            "bad-signature")
        var swapped = alice.cardEntries()
        swapped[2] = C.bstr(Cast.mallory.identityKey)
        try await bad(
            "another identity key in the body, alice's signature", ["BadSignature"], ["card-signature"],
            C.array([C.bstr(swapped.encoded), C.bstr(signature)]), "bad-signature")
        try await bad(
            "signed under dialogue-v1/manifest instead of dialogue-v1/card", ["BadSignature", "Context"],
            ["card-signature", "id-registry-unique"],
            C.array([C.bstr(body), C.bstr(Construct.sign(seed: alice.seed, context: "dialogue-v1/manifest", body))]),
            "bad-signature")
        let bare = try! Ed25519Signer.sign(seed: alice.seed, body)
        try await bad(
            "signed without the context prefix", ["BadSignature", "Context"], ["card-signature", "id-registry-unique"],
            C.array([C.bstr(body), C.bstr(bare)]), "bad-signature")
        let malleable = Array(signature.prefix(32)) + addLittleEndian(Array(signature.suffix(32)), groupOrder)
        try await bad(
            "S replaced by S + L (a non-canonical, malleated signature)", ["BadSignature"],
            ["card-signature", "prim-ed25519-strict"], C.array([C.bstr(body), C.bstr(malleable)]), "bad-signature")
        try await bad(
            "an all-zero signature", ["BadSignature"], ["card-signature", "prim-ed25519-strict"],
            C.array([C.bstr(body), C.bstr([UInt8](repeating: 0, count: 64))]), "bad-signature")
        var identityPoint = alice.cardEntries()
        identityPoint[2] = C.bstr([1] + [UInt8](repeating: 0, count: 31))
        let identityBody = identityPoint.encoded
        try await bad(
            "a small-order identity key (the neutral point) with R = neutral point, S = 0", ["BadSignature"],
            ["card-signature", "prim-ed25519-strict"],
            C.array([C.bstr(identityBody), C.bstr([1] + [UInt8](repeating: 0, count: 63))]), "bad-signature")

        file.group("encryption keys of low order (card-weak-key), with a valid signature")
        for (name, point) in LowOrder.points {
            try await bad(
                "an encryption key of low order: \(name)", ["LowOrderKey"], ["card-weak-key", "prim-x25519-zero"],
                card { $0[3] = C.bstr(point) }, "weak-key"
            )
        }

        file.group("several faults: the first check in order decides")
        try await bad(
            "version 2 and a bad signature: the version is read first", ["Precedence", "UnknownVersion"],
            ["card-version", "conf-error-precedence"],
            C.array([C.bstr(card { $0[0] = C.uint(2) }.cardBody), C.bstr(signature)]), "unsupported-version")
        var missing = alice.cardEntries()
        missing[5] = nil
        try await bad(
            "no expiry and a bad signature: the layout is checked first", ["Precedence", "Layout"],
            ["card-decode", "conf-error-precedence"], C.array([C.bstr(missing.encoded), C.bstr(signature)]), "malformed"
        )
        var expired = alice.cardEntries()
        expired[5] = C.uint(1)
        try await bad(
            "expires before created and a bad signature: the signature is checked first",
            ["Precedence", "BadSignature"], ["card-signature", "card-fields", "conf-error-precedence"],
            C.array([C.bstr(expired.encoded), C.bstr(signature)]), "bad-signature")
        var reordered = Cast.bob.cardEntries()
        reordered[1] = C.array(["robert@example.net", "bob@example.net"].map(C.text))
        try await bad(
            "addresses out of order and a bad signature: the signature is checked first",
            ["Precedence", "BadSignature"], ["card-signature", "card-fields", "conf-error-precedence"],
            C.array([C.bstr(reordered.encoded), C.bstr(signature)]), "bad-signature")
        var weakUnsigned = alice.cardEntries()
        weakUnsigned[3] = C.bstr(LowOrder.points[0].1)
        try await bad(
            "a low-order encryption key and a bad signature: the signature is checked first",
            ["Precedence", "BadSignature", "LowOrderKey"],
            ["card-signature", "card-weak-key", "conf-error-precedence"],
            C.array([C.bstr(weakUnsigned.encoded), C.bstr(signature)]), "bad-signature"
        )
        try await bad(
            "a low-order encryption key and expires before created: the key is checked last",
            ["Precedence", "Consistency", "LowOrderKey"], ["card-fields", "card-weak-key", "conf-error-precedence"],
            card {
                $0[3] = C.bstr(LowOrder.points[1].1)
                $0[5] = C.uint(1)
            }, "malformed"
        )
        file.group("the address count against later faults: the body's keys are read in order, a list's count first")
        let seventeen = C.array((0..<17).map { C.text("u\(String($0 + 10))@example.org") })
        try await bad(
            "17 addresses and a 31-byte identity key: the count first", ["Limits", "Precedence"],
            ["card-decode", "conf-error-precedence"],
            card {
                $0[1] = seventeen
                $0[2] = C.bstr(Array(Cast.alice.identityKey.prefix(31)))
            }, "limits-exceeded")
        try await bad(
            "17 addresses, the first upper-case, and an extra key 6: the count first", ["Limits", "Precedence"],
            ["card-decode", "conf-error-precedence"],
            card {
                $0[1] = C.array(
                    [C.text("U10@example.org")] + (1..<17).map { C.text("u\(String($0 + 10))@example.org") })
                $0[6] = C.uint(0)
            }, "limits-exceeded")
        file.group("dates above 2^53 and 2^63: JSON integers are exact (conf-integers)")
        let far = Identity("alice", addresses: ["alice@example.org"], created: 1 << 63, expires: UInt64.max)
        try await file.valid(
            "created 2^63 and expires 2^64 - 1", flags: ["Valid", "EdgeCase"], spec: ["conf-integers", "card-fields"],
            input: cardInput(far.card), expected: cardExpected(far))
        let odd = Identity("alice", addresses: ["alice@example.org"], created: (1 << 53) + 1, expires: (1 << 53) + 3)
        try await file.valid(
            "created 2^53 + 1 and expires 2^53 + 3, which a double cannot hold", flags: ["Valid", "EdgeCase"],
            spec: ["conf-integers", "card-fields"], input: cardInput(odd.card), expected: cardExpected(odd))
        return file.file
    }

    static func issueInput(
        _ identity: Identity, addresses: [String]? = nil, created: UInt64? = nil, expires: UInt64? = nil,
        seed: [UInt8]? = nil, key: [UInt8]? = nil
    ) -> JSONValue {
        .object([
            ("identity_seed", .string(Hex.encode(seed ?? identity.seed))),
            ("encryption_public_key", .string(Hex.encode(key ?? identity.encryptionKey))),
            ("addresses", .array((addresses ?? identity.addresses).map { .string($0) })),
            ("created", .exactly(created ?? identity.created)),
            ("expires", .exactly(expires ?? identity.expires)),
        ])
    }

    static func buildIssue() async throws -> VectorFile {
        let file = FileBuilder(
            "card.issue", "Issuing identity cards: deterministic Ed25519 signatures make the bytes exact")
        file.group("valid cards")
        for identity in [Cast.alice, Cast.bob, Cast.carol, Cast.mallory] {
            try await file.valid(
                "the card of \(identity.name)",
                spec: ["card-decode", "card-signature", "card-fields", "prim-ed25519-pure"],
                input: issueInput(identity), expected: .object([("card", .string(Hex.encode(identity.card)))]))
        }
        try await file.valid(
            "addresses given out of order are written in bytewise order", flags: ["Valid", "EdgeCase"],
            spec: ["card-fields"],
            input: issueInput(Cast.bob, addresses: ["robert@example.net", "bob@example.net"]),
            expected: .object([("card", .string(Hex.encode(Cast.bob.card)))])
        )
        let sixteen = (0..<16).map { "user\(String($0 + 10))@example.org" }
        var entries = Cast.alice.cardEntries()
        entries[1] = C.array(sixteen.map(C.text))
        try await file.valid(
            "16 addresses, the limit", flags: ["Valid", "Limit"], spec: ["card-fields"],
            input: issueInput(Cast.alice, addresses: sixteen),
            expected: .object([("card", .string(Hex.encode(Cast.alice.card(body: entries.encoded))))]))
        let early = Identity("alice", addresses: ["alice@example.org"], created: 0, expires: 1)
        try await file.valid(
            "created 0, expires 1", flags: ["Valid", "EdgeCase"], spec: ["card-fields"], input: issueInput(early),
            expected: .object([("card", .string(Hex.encode(early.card)))]))
        file.group("cards that cannot be issued")
        let alice = Cast.alice
        let cases: [(String, JSONValue, String, [String], [String])] = [
            (
                "the same address twice", issueInput(alice, addresses: ["alice@example.org", "alice@example.org"]),
                "malformed", ["Consistency"], ["card-fields"]
            ),
            ("no address", issueInput(alice, addresses: []), "malformed", ["Layout"], ["card-decode"]),
            (
                "17 addresses", issueInput(alice, addresses: (0..<17).map { "user\(String($0 + 10))@example.org" }),
                "limits-exceeded", ["Limits"], ["card-decode"]
            ),
            (
                "an upper-case address", issueInput(alice, addresses: ["Alice@example.org"]), "malformed",
                ["Address", "Case"], ["addr-wire-canonical"]
            ),
            (
                "an invalid address", issueInput(alice, addresses: ["alice"]), "malformed", ["Address"],
                ["addr-wire-canonical"]
            ),
            (
                "expires equal to created", issueInput(alice, expires: alice.created), "malformed", ["Consistency"],
                ["card-fields"]
            ),
            (
                "expires before created", issueInput(alice, created: 10, expires: 9), "malformed", ["Consistency"],
                ["card-fields"]
            ),
            (
                "a 31-byte identity seed", issueInput(alice, seed: Array(alice.seed.prefix(31))), "malformed",
                ["WrongLength"], ["card-decode"]
            ),
            (
                "a 33-byte encryption key", issueInput(alice, key: alice.encryptionKey + [0]), "malformed",
                ["WrongLength"], ["card-decode"]
            ),
        ]
        for (name, point) in LowOrder.points.prefix(4) {
            try await file.invalid(
                "an encryption key of low order: \(name)", flags: ["LowOrderKey"], spec: ["card-weak-key"],
                input: issueInput(alice, key: point), error: "weak-key"
            )
        }
        for (comment, input, error, flags, spec) in cases {
            try await file.invalid(comment, flags: flags, spec: spec, input: input, error: error)
        }
        file.group("the issuer's checks in their order (card-issue)")
        let many = (0..<17).map { "user\(String($0 + 10))@example.org" }
        try await file.valid(
            "three addresses in reverse order are sorted", flags: ["Valid", "EdgeCase"], spec: ["card-issue"],
            input: issueInput(alice, addresses: ["c@example.org", "b@example.org", "a@example.org"]))
        let ordered: [(String, JSONValue, String, [String])] = [
            (
                "17 addresses, one of them repeated: the repeat first",
                issueInput(alice, addresses: Array(many.prefix(16)) + [many[3]]), "malformed", ["Consistency"]
            ),
            (
                "17 distinct addresses and expires before created: the count first",
                issueInput(alice, addresses: many, created: 10, expires: 9), "limits-exceeded", ["Limits"]
            ),
            (
                "a repeated address and an upper-case one: each address is canonical first",
                issueInput(alice, addresses: ["alice@example.org", "alice@example.org", "Bob@example.net"]),
                "malformed", ["Address", "Case"]
            ),
            (
                "expires before created and a low-order key: the dates first",
                issueInput(alice, created: 10, expires: 9, key: LowOrder.points[0].1), "malformed", ["LowOrderKey"]
            ),
        ]
        for (comment, input, error, flags) in ordered {
            try await file.invalid(
                comment, flags: flags + ["Precedence"], spec: ["card-issue", "conf-error-precedence"], input: input,
                error: error)
        }
        let far = Identity("alice", addresses: ["alice@example.org"], created: (1 << 53) + 1, expires: UInt64.max)
        try await file.valid(
            "created 2^53 + 1 and expires 2^64 - 1: JSON integers are exact", flags: ["Valid", "EdgeCase"],
            spec: ["conf-integers", "card-issue"], input: issueInput(far),
            expected: .object([("card", .string(Hex.encode(far.card)))]))
        return file.file
    }

    // MARK: Secret identity files

    static let passphrase = "correct horse battery staple"
    static let ops: UInt64 = 1
    static let mem: UInt64 = 8192

    static func secretBody(_ identity: Identity, seed: [UInt8]? = nil, secret: [UInt8]? = nil, card: [UInt8]? = nil)
        -> Entries
    {
        Entries(items: [
            (0, C.bstr(seed ?? identity.seed)), (1, C.bstr(secret ?? identity.encryptionSecret)),
            (2, C.bstr(card ?? identity.card)),
        ])
    }

    static func plainFile(_ body: [UInt8]) -> Entries {
        Entries(items: [(0, C.uint(1)), (1, C.uint(0)), (2, C.bstr(body))])
    }

    static func sealedFile(
        _ body: [UInt8], passphrase: String = CardVectors.passphrase, label: String,
        aad: String = "dialogue-v1/secret-identity", ops: UInt64 = CardVectors.ops, mem: UInt64 = CardVectors.mem
    ) -> Entries {
        let salt = Array(Seeds.bytes("secret/\(label)/salt").prefix(16))
        let nonce = Array(Seeds.bytes("secret/\(label)/nonce").prefix(24))
        let key = try! Argon2idKey.derive(
            passphrase: passphrase, salt: salt, ops: Int(CardVectors.ops), mem: Int(CardVectors.mem))
        let sealed = Construct.seal(key: key, nonce: nonce, body, aad: Array(aad.utf8))
        return Entries(items: [
            (0, C.uint(1)), (1, C.uint(1)), (2, C.bstr(sealed)), (3, C.bstr(salt)), (4, C.uint(ops)), (5, C.uint(mem)),
            (6, C.bstr(nonce)),
        ])
    }

    static func secretInput(_ file: [UInt8], _ passphrase: String?) -> JSONValue {
        .object([("file", .string(Hex.encode(file))), ("passphrase", passphrase.map { .string($0) } ?? .null)])
    }

    static func secretExpected(_ identity: Identity) -> JSONValue {
        .object([
            ("identity_key", .string(Hex.encode(identity.identityKey))),
            ("encryption_key", .string(Hex.encode(identity.encryptionKey))),
            ("card", .string(Hex.encode(identity.card))),
        ])
    }

    static func buildSecret() async throws -> VectorFile {
        let file = FileBuilder(
            "secret.decode",
            "Decoding secret identity files, plain and sealed with a passphrase (Argon2id at the minimum cost)")
        let alice = Cast.alice
        let body = secretBody(alice).encoded
        let plain = plainFile(body).encoded
        let sealed = sealedFile(body, label: "alice").encoded
        file.group("valid files")
        try await file.valid(
            "a plain file", spec: ["secret-consistency"], input: secretInput(plain, nil),
            expected: secretExpected(alice))
        try await file.valid(
            "a plain file of an identity with two addresses", spec: ["secret-consistency"],
            input: secretInput(plainFile(secretBody(Cast.bob).encoded).encoded, nil), expected: secretExpected(Cast.bob)
        )
        try await file.valid(
            "a plain file; a passphrase given is not used", flags: ["Valid", "EdgeCase"], spec: ["secret-consistency"],
            input: secretInput(plain, "unused"), expected: secretExpected(alice))
        try await file.valid(
            "a sealed file, opslimit 1 and memlimit 8192 (the floor)", flags: ["Valid", "Passphrase", "Limit"],
            spec: ["secret-limits", "prim-argon2id", "secret-wrong-passphrase"], input: secretInput(sealed, passphrase),
            expected: secretExpected(alice))
        let unicode = "p\u{e4}ssw\u{f6}rd \u{1f511}"
        try await file.valid(
            "a sealed file with a non-ASCII passphrase (its UTF-8 bytes)", flags: ["Valid", "Passphrase"],
            spec: ["prim-argon2id"],
            input: secretInput(sealedFile(body, passphrase: unicode, label: "unicode").encoded, unicode),
            expected: secretExpected(alice))

        file.group("wrong passphrases and tampering (secret-wrong-passphrase)")
        let sealedEntries = sealedFile(body, label: "alice")
        func change(_ entries: Entries, _ edit: (inout Entries) -> Void) -> [UInt8] {
            var copy = entries
            edit(&copy)
            return copy.encoded
        }
        let payload = Array(sealedEntries[2]!.dropFirst(2))
        let tampering: [(String, [UInt8], String?)] = [
            ("a wrong passphrase", sealed, "correct horse battery stapler"), ("an empty passphrase", sealed, ""),
            ("no passphrase for a sealed file", sealed, nil),
            ("the ciphertext changed", change(sealedEntries) { $0[2] = C.bstr(payload.flipping(3)) }, passphrase),
            ("the tag changed", change(sealedEntries) { $0[2] = C.bstr(payload.flipping(-1)) }, passphrase),
            (
                "the salt changed",
                change(sealedEntries) { $0[3] = C.bstr(Array(Seeds.bytes("other-salt").prefix(16))) }, passphrase
            ),
            (
                "the nonce changed",
                change(sealedEntries) { $0[6] = C.bstr(Array(Seeds.bytes("other-nonce").prefix(24))) }, passphrase
            ),
            (
                "the ciphertext cut by one byte", change(sealedEntries) { $0[2] = C.bstr(Array(payload.dropLast())) },
                passphrase
            ),
            (
                "sealed with the associated data dialogue-v1/card",
                sealedFile(body, label: "alice", aad: "dialogue-v1/card").encoded, passphrase
            ),
            ("sealed with no associated data", sealedFile(body, label: "alice", aad: "").encoded, passphrase),
        ]
        for (comment, bytes, passphrase) in tampering {
            try await file.invalid(
                comment, flags: ["Passphrase", "AEADTamper"], spec: ["secret-wrong-passphrase", "prim-aead-open"],
                input: secretInput(bytes, passphrase), error: "authentication-failed")
        }

        file.group("Argon2id limits, refused before Argon2id runs (secret-limits)")
        let limits: [(String, UInt64, UInt64, String?)] = [
            ("opslimit 0", 0, mem, passphrase), ("opslimit 11", 11, mem, passphrase),
            ("opslimit 2^32", 1 << 32, mem, passphrase),
            ("memlimit 8191", ops, 8191, passphrase), ("memlimit 2^30 + 1", ops, (1 << 30) + 1, passphrase),
            ("memlimit 0", ops, 0, passphrase),
            ("memlimit 2^64-1", ops, UInt64.max, passphrase),
            ("opslimit 2^64-1 with a wrong passphrase: the limit is checked first", UInt64.max, mem, "wrong"),
            ("memlimit 1 TiB and no passphrase: the limit is checked first", ops, 1 << 40, nil),
        ]
        for (comment, ops, mem, passphrase) in limits {
            try await file.invalid(
                comment, flags: comment.contains("first") ? ["Limits", "Precedence"] : ["Limits"],
                spec: ["secret-limits", "prim-argon2id"] + (comment.contains("first") ? ["conf-error-precedence"] : []),
                input: secretInput(
                    change(sealedEntries) {
                        $0[4] = C.uint(ops)
                        $0[5] = C.uint(mem)
                    }, passphrase), error: "limits-exceeded")
        }

        file.group("the file's layout, version and mode")
        let layout: [(String, [UInt8], String, [String])] = [
            ("version 2", change(plainFile(body)) { $0[0] = C.uint(2) }, "unsupported-version", ["UnknownVersion"]),
            (
                "version 2 with another layout", C.intMap([(0, C.uint(2)), (7, C.text("future"))]),
                "unsupported-version", ["UnknownVersion", "Precedence"]
            ),
            ("mode 2", change(plainFile(body)) { $0[1] = C.uint(2) }, "unsupported-version", ["UnknownVersion"]),
            // Found by the differential fuzzer: the Swift reader checked the layout before the mode.
            (
                "mode 2 without a payload: the mode is read before the layout",
                change(plainFile(body)) {
                    $0[1] = C.uint(2)
                    $0[2] = nil
                }, "unsupported-version", ["UnknownVersion", "Precedence"]
            ),
            ("no version", change(plainFile(body)) { $0[0] = nil }, "malformed", ["Layout"]),
            ("no mode", change(plainFile(body)) { $0[1] = nil }, "malformed", ["Layout"]),
            ("the payload as a text string", change(plainFile(body)) { $0[2] = C.text("x") }, "malformed", ["Layout"]),
            (
                "a plain file with a salt",
                change(plainFile(body)) { $0[3] = C.bstr([UInt8](repeating: 0, count: 16)) }, "malformed", ["Layout"]
            ),
            ("a sealed file without a nonce", change(sealedEntries) { $0[6] = nil }, "malformed", ["Layout"]),
            (
                "a 15-byte salt", change(sealedEntries) { $0[3] = C.bstr([UInt8](repeating: 0, count: 15)) },
                "malformed", ["WrongLength"]
            ),
            (
                "a 23-byte nonce", change(sealedEntries) { $0[6] = C.bstr([UInt8](repeating: 0, count: 23)) },
                "malformed", ["WrongLength"]
            ),
            ("a trailing byte", plain + [0], "malformed", ["TrailingData"]),
            ("an array instead of a map", C.array([C.uint(1), C.uint(0), C.bstr(body)]), "malformed", ["Layout"]),
        ]
        for (comment, bytes, error, flags) in layout {
            try await file.invalid(
                comment, flags: flags,
                spec: error == "unsupported-version"
                    ? ["secret-consistency", "conf-error-precedence"] : ["secret-consistency"],
                input: secretInput(bytes, passphrase), error: error)
        }
        for length in [0, 1, 3, 10, plain.count / 2, plain.count - 1] {
            try await file.invalid(
                "the first \(length) of \(plain.count) bytes", flags: ["Truncated", "DripFeed"],
                spec: ["secret-consistency"], input: secretInput(Array(plain.prefix(length)), nil), error: "malformed")
        }

        file.group("the body: keys that match a card that verifies (secret-consistency)")
        let bodies: [(String, [UInt8])] = [
            ("mallory's seed with alice's card", secretBody(alice, seed: Cast.mallory.seed).encoded),
            (
                "mallory's encryption secret with alice's card",
                secretBody(alice, secret: Cast.mallory.encryptionSecret).encoded
            ),
            ("mallory's card with alice's secrets", secretBody(alice, card: Cast.mallory.card).encoded),
            ("a card whose signature does not verify", secretBody(alice, card: alice.card.flipping(-1)).encoded),
            (
                "a card of version 2",
                secretBody(
                    alice,
                    card: alice.card(
                        body: {
                            var e = alice.cardEntries()
                            e[0] = C.uint(2)
                            return e.encoded
                        }())
                ).encoded
            ),
            ("a card that is not CBOR", secretBody(alice, card: [0xff]).encoded),
            ("a 31-byte seed", secretBody(alice, seed: Array(alice.seed.prefix(31))).encoded),
            ("a 33-byte encryption secret", secretBody(alice, secret: alice.encryptionSecret + [0]).encoded),
            (
                "no card",
                {
                    var e = secretBody(alice)
                    e[2] = nil
                    return e.encoded
                }()
            ),
            (
                "an extra key 3",
                {
                    var e = secretBody(alice)
                    e[3] = C.uint(0)
                    return e.encoded
                }()
            ),
            ("a body that is not CBOR", [0x1c]),
            ("a body with a trailing byte", body + [0]),
        ]
        for (comment, bytes) in bodies {
            try await file.invalid(
                comment, flags: ["Consistency"], spec: ["secret-consistency"],
                input: secretInput(plainFile(bytes).encoded, nil), error: "malformed")
        }
        try await file.invalid(
            "a sealed body whose card does not verify", flags: ["Consistency", "Passphrase"],
            spec: ["secret-consistency"],
            input: secretInput(
                sealedFile(secretBody(alice, card: alice.card.flipping(-1)).encoded, label: "bad-card").encoded,
                passphrase), error: "malformed")
        file.group("the Argon2id limits against the layout: the whole layout is checked first (secret-limits)")
        let layoutFirst: [(String, (inout Entries) -> Void)] = [
            (
                "opslimit 0 and a 23-byte nonce",
                {
                    $0[4] = C.uint(0)
                    $0[6] = C.bstr(Array(Seeds.bytes("secret/alice/nonce").prefix(23)))
                }
            ),
            (
                "memlimit 2^30 + 1 and an extra key 7",
                {
                    $0[5] = C.uint((1 << 30) + 1)
                    $0[7] = C.uint(0)
                }
            ),
            (
                "opslimit 2^64-1 and a 15-byte salt",
                {
                    $0[3] = C.bstr(Array(Seeds.bytes("secret/alice/salt").prefix(15)))
                    $0[4] = C.uint(UInt64.max)
                }
            ),
        ]
        for (comment, edit) in layoutFirst {
            try await file.invalid(
                comment + ": malformed", flags: ["Layout", "Limits", "Precedence"],
                spec: ["secret-limits", "conf-error-precedence"],
                input: secretInput(change(sealedEntries, edit), passphrase), error: "malformed")
        }
        return file.file
    }
}

extension Array where Element == UInt8 {
    /// The body (first element) of a card built by hand.
    var cardBody: [UInt8] {
        // [bstr body, bstr sig]: skip the array head and the body's head.
        var offset = 1
        let additional = self[offset] & 0x1f
        let length: Int
        switch additional {
        case 0..<24:
            length = Int(additional)
            offset += 1
        case 24:
            length = Int(self[offset + 1])
            offset += 2
        default:
            length = Int(self[offset + 1]) << 8 | Int(self[offset + 2])
            offset += 3
        }
        return Array(self[offset..<offset + length])
    }

    /// A card built from `body` changed by `edit`, keeping the original signature over `body`.
    func flippingSigned(body: [UInt8], _ edit: (inout Entries) -> Void) -> [UInt8] {
        var entries = Cast.alice.cardEntries()
        edit(&entries)
        let signature = Construct.sign(seed: Cast.alice.seed, context: "dialogue-v1/card", body)
        return C.array([C.bstr(entries.encoded), C.bstr(signature)])
    }
}
