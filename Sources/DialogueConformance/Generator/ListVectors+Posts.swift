// MARK: - list-keys.verify

extension ListVectors {
    static let keysVerify = "list-keys-verify"
    static let keysContext = "dialogue-v1/list-keys"

    static func epochKeyEntry(_ epoch: UInt64, publicKey: [UInt8]? = nil, secret: [UInt8]? = nil) -> [UInt8] {
        C.intMap([
            (0, C.uint(epoch)), (1, C.bstr(publicKey ?? epochPublic(epoch))), (2, C.bstr(secret ?? epochSecret(epoch))),
        ])
    }

    static func keysEntries(list: String = list, keys: [[UInt8]]? = nil, created: UInt64 = created) -> Entries {
        Entries(items: [
            (0, C.uint(1)), (1, C.text(list)), (2, C.array(keys ?? [epochKeyEntry(0), epochKeyEntry(1)])),
            (3, C.uint(created)),
        ])
    }

    static func keysInput(_ bytes: [UInt8], listKey: Identity = listIdentity) -> JSONValue {
        .object([
            ("keys", .string(Hex.encode(bytes))), ("list", .string(list)),
            ("list_key", .string(Hex.encode(listKey.identityKey))), ("now", .integer(Int64(now))),
        ])
    }

    static func signKeys(_ body: [UInt8], _ identity: Identity = listIdentity) -> [UInt8] {
        signed(body, identity, keysContext)
    }

    static func keysExpected(epochs: [UInt64] = [0, 1], created: UInt64 = created) -> JSONValue {
        .object([
            ("list", .string(list)),
            (
                "epochs",
                .array(
                    epochs.map {
                        .object([("epoch", .integer(Int64($0))), ("public_key", .string(Hex.encode(epochPublic($0))))])
                    })
            ),
            ("created", .integer(Int64(created))),
        ])
    }

    /// The valid delivery of the specification's example (Spec: lists.md#list-keys).
    static var keysExample: [UInt8] { signKeys(keysEntries().encoded) }

    static func buildKeys() async throws -> VectorFile {
        let file = FileBuilder("list-keys.verify", "Decoding and verifying epoch-key deliveries")
        let anchor = keysVerify
        func bad(_ comment: String, _ flags: [String], _ spec: [String], _ bytes: [UInt8], _ error: String)
            async throws
        {
            try await ListVectors.bad(file, anchor, comment, flags, spec, keysInput(bytes), error)
        }
        func sign(_ entries: Entries) -> [UInt8] { signKeys(entries.encoded) }
        let many = (0..<UInt64(1024)).map { epochKeyEntry($0) }

        file.group("valid deliveries")
        try await file.valid(
            "the keys of epochs 0 and 1 for a member who joins a list readable from the start: the example",
            flags: ["Valid", "SpecExample"], spec: [anchor, "dlv-received-bytes", "list-keys-to-members"],
            input: keysInput(keysExample), expected: keysExpected())
        try await file.valid(
            "the key of epoch 5 alone, after a roll", flags: ["Valid", "EpochRoll"],
            spec: [anchor, "list-keys-to-members"], input: keysInput(sign(keysEntries(keys: [epochKeyEntry(5)]))),
            expected: keysExpected(epochs: [5]))
        try await file.valid(
            "epochs 0 and 3: epochs need not be consecutive", flags: ["Valid", "EdgeCase"], spec: [anchor],
            input: keysInput(sign(keysEntries(keys: [epochKeyEntry(0), epochKeyEntry(3)]))),
            expected: keysExpected(epochs: [0, 3]))
        try await file.valid(
            "1,024 epoch keys, the most one delivery carries", flags: ["Valid", "Limit"], spec: [anchor],
            input: keysInput(sign(keysEntries(keys: many))), expected: keysExpected(epochs: Array(0..<1024)))
        try await file.valid(
            "created = now + 600, the skew bound S", flags: ["Valid", "Limit"], spec: [anchor, "trust-skew"],
            input: keysInput(sign(keysEntries(created: now + 600))), expected: keysExpected(created: now + 600))

        let faults = SignedObjectFaults(
            file: file, input: { keysInput($0) }, entries: keysEntries(), sign: { signKeys($0) },
            context: keysContext, verify: anchor, maximumSize: 131_072, requiredKeys: Array(1...3))
        try await faults.all()

        file.group("step 4: the fields' types and forms, the count, the order")
        let layout: [(String, [[UInt8]], [String])] = [
            ("no epoch key", [], ["Layout"]),
            ("epochs out of order (1, 0)", [epochKeyEntry(1), epochKeyEntry(0)], ["Layout"]),
            ("one epoch twice", [epochKeyEntry(1), epochKeyEntry(1)], ["Layout", "Duplicate"]),
            ("a 31-byte public key", [epochKeyEntry(0, publicKey: Array(epochPublic(0).prefix(31)))], ["WrongLength"]),
            ("a 33-byte secret key", [epochKeyEntry(0, secret: epochSecret(0) + [0])], ["WrongLength"]),
            (
                "an epoch key without its secret",
                [C.intMap([(0, C.uint(0)), (1, C.bstr(epochPublic(0)))])], ["Layout"]
            ),
            (
                "an epoch key with an extra key 3",
                [C.intMap([(0, C.uint(0)), (1, C.bstr(epochPublic(0))), (2, C.bstr(epochSecret(0))), (3, C.uint(0))])],
                ["Layout"]
            ),
            (
                "the epoch as a text string",
                [C.intMap([(0, C.text("0")), (1, C.bstr(epochPublic(0))), (2, C.bstr(epochSecret(0)))])], ["Layout"]
            ),
            ("an epoch key that is a byte string", [C.bstr(epochSecret(0))], ["Layout"]),
        ]
        for (comment, keys, flags) in layout {
            try await bad(comment, flags, ["dlv-check-order"], sign(keysEntries(keys: keys)), "malformed")
        }
        try await bad(
            "the list in upper case", ["Address", "Case"], ["addr-wire-canonical"],
            sign(keysEntries(list: "Dev@lists.example.org")), "malformed")
        try await bad(
            "1,025 epoch keys", ["Limits"], ["dlv-check-order"],
            sign(keysEntries(keys: many + [epochKeyEntry(1024)])), "limits-exceeded")
        try await bad(
            "1,025 epoch keys, the first malformed: the count is checked before the elements",
            ["Limits", "Precedence"], ["dlv-check-order", "conf-error-precedence"],
            sign(keysEntries(keys: [C.bstr([])] + many)), "limits-exceeded")

        try await faults.signatureFaults(step: "step 5", seed: listIdentity.seed, wrongSeed: Cast.mallory.seed)
        try await bad(
            "the list's server signs keys of its own making with a key of its own", ["BadSignature", "Forgery"],
            ["list-roles"], DeliveryForge.signed(keysEntries().encoded, seed: serverKey.seed, context: keysContext),
            "bad-signature")

        file.group("step 6: the list expected")
        try await bad(
            "the keys of another list", ["AddressMismatch"], [], sign(keysEntries(list: "ops@lists.example.org")),
            "address-mismatch")

        file.group("step 7: each public key is its secret key's")
        try await bad(
            "epoch 1's public key is another key's", ["EpochKey"], ["list-keys-match-index"],
            sign(keysEntries(keys: [epochKeyEntry(0), epochKeyEntry(1, publicKey: epochPublic(2))])),
            "authentication-failed")
        try await bad(
            "the public keys of epochs 0 and 1 swapped", ["EpochKey"], ["list-keys-match-index"],
            sign(
                keysEntries(keys: [
                    epochKeyEntry(0, publicKey: epochPublic(1)), epochKeyEntry(1, publicKey: epochPublic(0)),
                ])), "authentication-failed")
        try await bad(
            "an all-zero public key", ["EpochKey", "LowOrderKey"], ["list-keys-match-index"],
            sign(keysEntries(keys: [epochKeyEntry(0, publicKey: [UInt8](repeating: 0, count: 32))])),
            "authentication-failed")

        file.group("step 8: created ≤ now + 600")
        try await bad(
            "created = now + 601", ["Clock"], ["trust-skew"], sign(keysEntries(created: now + 601)), "expired")

        file.group("the order of the checks")
        let mismatched = [epochKeyEntry(0, publicKey: epochPublic(2))]
        try await bad(
            "a bad signature and a public key that is not its secret's: bad-signature", ["Precedence", "BadSignature"],
            ["conf-error-precedence"], signKeys(keysEntries(keys: mismatched).encoded, Cast.mallory), "bad-signature")
        try await bad(
            "another list and a public key that is not its secret's: address-mismatch",
            ["Precedence", "AddressMismatch"], ["conf-error-precedence"],
            sign(keysEntries(list: "ops@lists.example.org", keys: mismatched)), "address-mismatch")
        try await bad(
            "a public key that is not its secret's and a date from the future: authentication-failed",
            ["Precedence", "EpochKey"], ["conf-error-precedence"],
            sign(keysEntries(keys: mismatched, created: now + 601)), "authentication-failed")
        return file.file
    }
}

// MARK: - list-post.verify

extension ListVectors {
    static let postVerify = "list-post-verify"
    static let postContext = "dialogue-v1/list-post"

    static func postEntries(
        list: String = list, author: String = "bob@example.net", key: Identity = Cast.bob,
        envelope: [UInt8] = DeliveryForge.envelope, envelopeSize: UInt64 = 3000, messageSize: UInt64 = 5_000_000,
        epoch: UInt64 = 1, created: UInt64 = created
    ) -> Entries {
        Entries(items: [
            (0, C.uint(1)), (1, C.text(list)), (2, C.text(author)), (3, C.bstr(key.identityKey)),
            (4, C.bstr(envelope)), (5, C.uint(envelopeSize)), (6, C.uint(messageSize)), (7, C.uint(epoch)),
            (8, C.uint(created)),
        ])
    }

    static func postInput(_ bytes: [UInt8], list: String = list, epoch: UInt64 = 1) -> JSONValue {
        .object([
            ("post", .string(Hex.encode(bytes))), ("list", .string(list)), ("epoch", .integer(Int64(epoch))),
            ("now", .integer(Int64(now))),
        ])
    }

    static func signPost(_ body: [UInt8], _ identity: Identity = Cast.bob) -> [UInt8] {
        signed(body, identity, postContext)
    }

    static func postExpected(
        envelopeSize: Int64 = 3000, messageSize: Int64 = 5_000_000, epoch: UInt64 = 1, created: UInt64 = created
    ) -> JSONValue {
        .object([
            ("list", .string(list)), ("author", "bob@example.net"),
            ("author_key", .string(Hex.encode(Cast.bob.identityKey))),
            ("fingerprint", .string(DeliveryForge.keyText(Cast.bob.fingerprintBinary))),
            ("envelope", .string(DeliveryForge.blobText(DeliveryForge.envelope))),
            ("envelope_size", .integer(envelopeSize)), ("message_size", .integer(messageSize)),
            ("epoch", .integer(Int64(epoch))), ("created", .integer(Int64(created))),
        ])
    }

    /// The valid post of the specification's example (Spec: lists.md#list-post).
    static var postExample: [UInt8] { signPost(postEntries().encoded) }

    static func buildPost() async throws -> VectorFile {
        let file = FileBuilder("list-post.verify", "Decoding and verifying list posts")
        let anchor = postVerify
        func bad(
            _ comment: String, _ flags: [String], _ spec: [String], _ bytes: [UInt8], _ error: String,
            epoch: UInt64 = 1
        ) async throws {
            try await ListVectors.bad(file, anchor, comment, flags, spec, postInput(bytes, epoch: epoch), error)
        }
        func sign(_ entries: Entries) -> [UInt8] { signPost(entries.encoded) }

        file.group("valid posts")
        try await file.valid(
            "bob posts a message of 5,000,000 bytes sealed to epoch 1: the example of the specification",
            flags: ["Valid", "SpecExample"], spec: [anchor, "dlv-received-bytes", "list-post-seal"],
            input: postInput(postExample), expected: postExpected())
        try await file.valid(
            "a post to a public list, epoch 0", flags: ["Valid", "PublicMode"], spec: [anchor, "list-public"],
            input: postInput(sign(postEntries(epoch: 0)), epoch: 0), expected: postExpected(epoch: 0))
        try await file.valid(
            "an envelope of 16,777,216 bytes and nothing else", flags: ["Valid", "Limit"], spec: [anchor],
            input: postInput(sign(postEntries(envelopeSize: 16_777_216, messageSize: 16_777_216))),
            expected: postExpected(envelopeSize: 16_777_216, messageSize: 16_777_216))
        try await file.valid(
            "created = now + 600, the skew bound S", flags: ["Valid", "Limit"], spec: [anchor, "trust-skew"],
            input: postInput(sign(postEntries(created: now + 600))), expected: postExpected(created: now + 600))

        let faults = SignedObjectFaults(
            file: file, input: { postInput($0) }, entries: postEntries(), sign: { signPost($0) },
            context: postContext, verify: anchor, maximumSize: 1024, requiredKeys: Array(1...8))
        try await faults.all()

        file.group("step 4: the fields' types and forms (malformed), the envelope's size")
        let field = faults.field
        let envelope = DeliveryForge.envelope
        let layout: [(String, Int, [UInt8], [String], [String])] = [
            ("the author in upper case", 2, C.text("Bob@example.net"), ["Address", "Case"], ["addr-wire-canonical"]),
            ("the list not an address", 1, C.text("lists.example.org"), ["Address"], ["addr-wire-canonical"]),
            ("a 31-byte author key", 3, C.bstr(Array(Cast.bob.identityKey.prefix(31))), ["WrongLength"], []),
            (
                "a 32-byte envelope identifier", 4, C.bstr(Array(envelope.prefix(32))), ["Identifier", "WrongLength"],
                ["dlv-identifier-form"]
            ),
            (
                "an envelope identifier with algorithm 0x02: malformed, not unsupported-version", 4,
                C.bstr(DeliveryForge.withAlgorithm(envelope, 2)), ["Identifier", "UnknownVersion"],
                ["dlv-identifier-form"]
            ),
            ("the epoch negative", 7, C.int(-1), ["Layout"], []),
        ]
        for (comment, key, value, flags, spec) in layout {
            try await bad(comment, flags, spec, field(key, value), "malformed")
        }
        try await bad(
            "an envelope of 16,777,217 bytes", ["Limits"], [],
            sign(postEntries(envelopeSize: 16_777_217, messageSize: 16_777_217)), "limits-exceeded")
        try await bad(
            "an envelope of 0 bytes", ["Layout"], [], sign(postEntries(envelopeSize: 0)), "malformed")
        try await bad(
            "a message smaller than its envelope", ["Layout"], [], sign(postEntries(messageSize: 2999)), "malformed")
        try await bad(
            "an envelope of 16,777,217 bytes and a message smaller than it: limits-exceeded first",
            ["Limits", "Precedence"], ["dlv-check-order", "conf-error-precedence"],
            sign(postEntries(envelopeSize: 16_777_217, messageSize: 1)), "limits-exceeded")

        try await faults.signatureFaults(step: "step 5", seed: Cast.bob.seed, wrongSeed: Cast.mallory.seed)
        try await bad(
            "the list's owner signs a post in bob's name with bob's key in it", ["BadSignature", "Forgery"],
            ["list-roles"], signPost(postEntries().encoded, listIdentity), "bad-signature")

        file.group("step 6: the list posted to")
        try await bad(
            "bob's post to another list, replayed here", ["AddressMismatch"], [],
            sign(postEntries(list: "ops@lists.example.org")), "address-mismatch")

        file.group("step 7: the epoch is the list's where the post stands")
        try await bad(
            "a post sealed to epoch 0 after the roll to epoch 1: a removed member could read it", ["EpochKey"],
            ["list-epoch-roll"], sign(postEntries(epoch: 0)), "expired")
        try await bad(
            "a post sealed to epoch 2 while the list is at epoch 1", ["EpochKey"], [], sign(postEntries(epoch: 2)),
            "expired")
        try await bad(
            "a post sealed to epoch 1 read where the list was at epoch 2", ["EpochKey"], ["list-epoch-roll"],
            postExample, "expired", epoch: 2)

        file.group("step 8: created ≤ now + 600")
        try await bad(
            "created = now + 601", ["Clock"], ["trust-skew"], sign(postEntries(created: now + 601)), "expired")

        file.group("the order of the checks")
        try await bad(
            "a bad signature and another list: bad-signature", ["Precedence", "BadSignature"],
            ["conf-error-precedence"], signPost(postEntries(list: "ops@lists.example.org").encoded, Cast.mallory),
            "bad-signature")
        try await bad(
            "another list and an old epoch: address-mismatch", ["Precedence", "AddressMismatch"],
            ["conf-error-precedence"], sign(postEntries(list: "ops@lists.example.org", epoch: 0)), "address-mismatch")
        try await bad(
            "an envelope of 0 bytes and a bad signature: malformed comes first", ["Precedence", "Layout"],
            ["conf-error-precedence"], signPost(postEntries(envelopeSize: 0).encoded, Cast.mallory), "malformed")
        return file.file
    }
}

// MARK: - list-entry.verify

extension ListVectors {
    static let entryVerify = "list-entry-verify"
    static let entryContext = "dialogue-v1/list-entry"

    static func entryEntries(
        list: String = list, position: UInt64 = 4, kind: UInt64 = 2, object: [UInt8]? = nil,
        appended: UInt64 = now - 50, key: DeliveryForge.ServerKeySeed = serverKey
    ) -> Entries {
        Entries(items: [
            (0, C.uint(1)), (1, C.text(list)), (2, C.uint(position)), (3, C.uint(kind)),
            (4, C.bstr(object ?? postExample)), (5, C.uint(appended)), (6, C.bstr(key.fingerprint)),
        ])
    }

    static func entryInput(
        _ bytes: [UInt8], after: UInt64 = 3, keys: [DeliveryForge.ServerKeySeed] = [serverKey, nextServerKey]
    ) -> JSONValue {
        .object([
            ("entry", .string(Hex.encode(bytes))), ("list", .string(list)),
            ("server_keys", .array(keys.map(\.json))), ("after", .integer(Int64(after))),
            ("now", .integer(Int64(now))),
        ])
    }

    static func signEntry(_ body: [UInt8], _ key: DeliveryForge.ServerKeySeed = serverKey) -> [UInt8] {
        DeliveryForge.signed(body, seed: key.seed, context: entryContext)
    }

    static func entryExpected(
        position: Int64 = 4, kind: String = "post", object: [UInt8]? = nil, appended: UInt64 = now - 50,
        key: DeliveryForge.ServerKeySeed = serverKey
    ) -> JSONValue {
        .object([
            ("list", .string(list)), ("position", .integer(position)), ("kind", .string(kind)),
            ("object", .string(Hex.encode(object ?? postExample))), ("appended", .integer(Int64(appended))),
            ("server_key", .string(key.fingerprintText)),
        ])
    }

    /// The valid entry of the specification's example (Spec: lists.md#list-index).
    static var entryExample: [UInt8] { signEntry(entryEntries().encoded) }

    static func buildEntry() async throws -> VectorFile {
        let file = FileBuilder("list-entry.verify", "Decoding and verifying list index entries")
        let anchor = entryVerify
        func bad(
            _ comment: String, _ flags: [String], _ spec: [String], _ bytes: [UInt8], _ error: String,
            after: UInt64 = 3, keys: [DeliveryForge.ServerKeySeed] = [serverKey, nextServerKey]
        ) async throws {
            try await ListVectors.bad(
                file, anchor, comment, flags, spec, entryInput(bytes, after: after, keys: keys), error)
        }
        func sign(_ entries: Entries) -> [UInt8] { signEntry(entries.encoded) }
        let largest = [UInt8](repeating: 0x61, count: 2048)

        file.group("valid entries")
        try await file.valid(
            "bob's post as the list's fourth entry: the example of the specification",
            flags: ["Valid", "SpecExample"], spec: [anchor, "dlv-received-bytes", "list-index-contiguous"],
            input: entryInput(entryExample), expected: entryExpected())
        try await file.valid(
            "the descriptor as entry 1, for a member who reads from the start", flags: ["Valid"],
            spec: [anchor, "list-index-contiguous", "list-ep-index"],
            input: entryInput(sign(entryEntries(position: 1, kind: 0, object: descriptorExample)), after: 0),
            expected: entryExpected(position: 1, kind: "descriptor", object: descriptorExample))
        try await file.valid(
            "bob's join as entry 3", flags: ["Valid"], spec: [anchor],
            input: entryInput(sign(entryEntries(position: 3, kind: 1, object: eventExample)), after: 2),
            expected: entryExpected(position: 3, kind: "event", object: eventExample))
        try await file.valid(
            "signed by the server's next key, valid since an hour", flags: ["Valid", "KeyValidity"],
            spec: [anchor, "dlv-server-key-validity"],
            input: entryInput(signEntry(entryEntries(key: nextServerKey).encoded, nextServerKey)),
            expected: entryExpected(key: nextServerKey))
        try await file.valid(
            "an object of 2,048 bytes, the largest", flags: ["Valid", "Limit"], spec: [anchor],
            input: entryInput(sign(entryEntries(object: largest))), expected: entryExpected(object: largest))
        try await file.valid(
            "appended = now + 600, the skew bound S", flags: ["Valid", "Limit"], spec: [anchor, "trust-skew"],
            input: entryInput(sign(entryEntries(appended: now + 600))), expected: entryExpected(appended: now + 600))

        let faults = SignedObjectFaults(
            file: file, input: { entryInput($0) }, entries: entryEntries(), sign: { signEntry($0) },
            context: entryContext, verify: anchor, maximumSize: 4096, requiredKeys: Array(1...6))
        try await faults.all()

        file.group("step 4: the fields' types and forms (malformed), the object's size")
        let field = faults.field
        let fingerprint = serverKey.fingerprint
        let layout: [(String, Int, [UInt8], [String], [String])] = [
            (
                "the list in upper case", 1, C.text("Dev@lists.example.org"), ["Address", "Case"],
                ["addr-wire-canonical"]
            ),
            ("kind 3", 3, C.uint(3), ["Layout"], []),
            ("position 0", 2, C.uint(0), ["Layout"], ["list-index-contiguous"]),
            ("the object as a text string", 4, C.text("post"), ["Layout"], []),
            (
                "a 32-byte server key fingerprint", 6, C.bstr(Array(fingerprint.prefix(32))),
                ["Identifier", "WrongLength"], ["dlv-identifier-form"]
            ),
            (
                "the fingerprint with algorithm 0x02", 6, C.bstr(DeliveryForge.withAlgorithm(fingerprint, 2)),
                ["Identifier", "UnknownVersion"], ["dlv-identifier-form"]
            ),
        ]
        for (comment, key, value, flags, spec) in layout {
            try await bad(comment, flags, spec, field(key, value), "malformed")
        }
        try await bad(
            "an object of 2,049 bytes", ["Limits"], [], sign(entryEntries(object: largest + [0x61])), "limits-exceeded")
        try await bad(
            "an object of 2,049 bytes at position 0: the limit comes before the rule", ["Limits", "Precedence"],
            ["dlv-check-order", "conf-error-precedence"], sign(entryEntries(position: 0, object: largest + [0x61])),
            "limits-exceeded")

        file.group("step 5: the fingerprint names a key of the list domain, valid when the entry was appended")
        let other = DeliveryForge.otherKey
        try await bad(
            "signed by a key of another server", ["UnknownKey"], ["dlv-server-key-validity"],
            signEntry(entryEntries(key: other).encoded, other), "unknown-key")
        try await bad(
            "appended before the next key was valid", ["UnknownKey", "KeyValidity"], ["dlv-server-key-validity"],
            signEntry(entryEntries(appended: now - 7200, key: nextServerKey).encoded, nextServerKey), "unknown-key")
        try await bad(
            "a verifier that holds no key of the list's server", ["UnknownKey"], [], entryExample, "unknown-key",
            keys: [])

        try await faults.signatureFaults(step: "step 6", seed: serverKey.seed, wrongSeed: nextServerKey.seed)
        try await bad(
            "signed by the list key instead of a server key", ["BadSignature", "Forgery"], ["list-roles"],
            signed(entryEntries().encoded, listIdentity, entryContext), "bad-signature")

        file.group("step 7: the list polled")
        try await bad(
            "an entry of another list on the same server", ["AddressMismatch"], [],
            sign(entryEntries(list: "ops@lists.example.org")), "address-mismatch")

        file.group("step 8: one more than the last position held (list-index-contiguous)")
        try await bad(
            "entry 4 after entry 2: the server skipped entry 3", ["Sequence"], ["list-index-contiguous"],
            entryExample, "malformed", after: 2)
        try await bad(
            "entry 4 again after entry 4", ["Sequence"], ["list-index-contiguous"], entryExample, "malformed", after: 4)
        try await bad(
            "entry 4 after entry 5: the server reordered", ["Sequence"], ["list-index-contiguous"], entryExample,
            "malformed", after: 5)

        file.group("step 9: appended ≤ now + 600")
        try await bad(
            "appended = now + 601", ["Clock"], ["trust-skew"], sign(entryEntries(appended: now + 601)), "expired")

        file.group("the order of the checks")
        try await bad(
            "an unknown key and a bad signature: unknown-key", ["Precedence", "UnknownKey"], ["conf-error-precedence"],
            signEntry(entryEntries(key: other).encoded, serverKey), "unknown-key")
        try await bad(
            "a bad signature and another list: bad-signature", ["Precedence", "BadSignature"],
            ["conf-error-precedence"], signEntry(entryEntries(list: "ops@lists.example.org").encoded, nextServerKey),
            "bad-signature")
        try await bad(
            "another list and a gap: address-mismatch", ["Precedence", "AddressMismatch"], ["conf-error-precedence"],
            sign(entryEntries(list: "ops@lists.example.org")), "address-mismatch", after: 1)
        try await bad(
            "a gap and a date from the future: malformed", ["Precedence", "Sequence"], ["conf-error-precedence"],
            sign(entryEntries(appended: now + 601)), "malformed", after: 0)
        return file.file
    }
}
