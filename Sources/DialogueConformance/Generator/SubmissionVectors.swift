/// `submission_verify.json` (Spec: delivery.md#dlv-submission).
enum SubmissionVectors {
    static let verify = "dlv-submission-verify"
    static let now = DeliveryForge.now
    static let created = now - 60
    static let expires = now + 2_592_000
    static let context = "dialogue-v1/submission"

    static func delivery(
        _ identity: Identity, address: String? = nil, envelope: [UInt8] = DeliveryForge.envelope, stanza: UInt64?
    ) -> Entries {
        var entries = Entries(items: [
            (0, C.text(address ?? identity.addresses[0])), (1, C.bstr(envelope)),
            (2, C.bstr(identity.fingerprintBinary)),
        ])
        if let stanza { entries[3] = C.uint(stanza) }
        return entries
    }

    static let defaultDeliveries = [delivery(Cast.bob, stanza: 0), delivery(Cast.carol, stanza: 1)]

    static func entries(
        sender: String = "alice@example.org", deliveries: [Entries] = defaultDeliveries,
        chunks: [[UInt8]] = DeliveryForge.chunks, created: UInt64 = created, expires: UInt64 = expires
    ) -> Entries {
        Entries(items: [
            (0, C.uint(1)), (1, C.text(sender)), (2, C.array(deliveries.map(\.encoded))),
            (3, C.array(chunks.map(C.bstr))),
            (4, C.uint(created)), (5, C.uint(expires)),
        ])
    }

    static func sign(_ body: [UInt8], _ identity: Identity = Cast.alice) -> [UInt8] {
        DeliveryForge.signed(body, seed: identity.seed, context: context)
    }

    static func input(
        _ bytes: [UInt8], account: String = "alice@example.org", key: [UInt8] = Cast.alice.identityKey,
        now: UInt64 = now
    )
        -> JSONValue
    {
        .object([
            ("submission", .string(Hex.encode(bytes))),
            ("account", .object([("address", .string(account)), ("identity_key", .string(Hex.encode(key)))])),
            ("now", .integer(Int64(now))),
        ])
    }

    static func deliveryJSON(
        _ identity: Identity, address: String? = nil, envelope: [UInt8] = DeliveryForge.envelope, stanza: Int64?
    )
        -> JSONValue
    {
        .object([
            ("recipient", .string(address ?? identity.addresses[0])),
            ("envelope", .string(DeliveryForge.blobText(envelope))),
            ("fingerprint", .string(DeliveryForge.keyText(identity.fingerprintBinary))),
            ("stanza_index", stanza.map { .integer($0) } ?? .null),
        ])
    }

    static func expected(
        _ bytes: [UInt8],
        deliveries: [JSONValue] = [deliveryJSON(Cast.bob, stanza: 0), deliveryJSON(Cast.carol, stanza: 1)],
        chunks: [[UInt8]] = DeliveryForge.chunks, created: UInt64 = created, expires: UInt64 = expires
    ) -> JSONValue {
        .object([
            (
                "submission_id",
                .string("sub-" + IdentifierVectors.base32(Construct.identifier("dialogue-v1/submission-id", bytes)))
            ),
            ("sender", "alice@example.org"), ("deliveries", .array(deliveries)),
            ("chunks", .array(chunks.map { .string(DeliveryForge.blobText($0)) })),
            ("created", .integer(Int64(created))), ("expires", .integer(Int64(expires))),
        ])
    }

    /// The valid submission of the specification's example (Spec: delivery.md#dlv-submission).
    static var example: [UInt8] { sign(entries().encoded) }

    static func build() async throws -> VectorFile {
        let file = FileBuilder("submission.verify", "Decoding and verifying submissions (steps 1 to 7)")
        func bad(
            _ comment: String, _ flags: [String], _ spec: [String], _ bytes: [UInt8], _ error: String,
            account: String = "alice@example.org", key: [UInt8] = Cast.alice.identityKey, now: UInt64 = now
        ) async throws {
            try await file.invalid(
                comment, flags: flags, spec: [verify] + spec, input: input(bytes, account: account, key: key, now: now),
                error: error)
        }
        func good(
            _ comment: String, _ flags: [String] = ["Valid"], _ spec: [String], _ bytes: [UInt8], _ expected: JSONValue
        ) async throws {
            try await file.valid(comment, flags: flags, spec: [verify] + spec, input: input(bytes), expected: expected)
        }

        file.group("valid submissions")
        try await good(
            "two recipients of an encrypted message: the example of the specification", ["Valid", "SpecExample"],
            ["dlv-received-bytes"], example, expected(example))
        let publicMode = sign(entries(deliveries: [delivery(Cast.bob, stanza: nil)]).encoded)
        try await good(
            "a public message: no stanza index", ["Valid", "PublicMode"], [], publicMode,
            expected(publicMode, deliveries: [deliveryJSON(Cast.bob, stanza: nil)]))
        let blind = sign(
            entries(deliveries: [
                delivery(Cast.bob, stanza: 0), delivery(Cast.dave, envelope: DeliveryForge.blindEnvelope, stanza: 0),
            ]).encoded)
        try await good(
            "a blind copy: its delivery names the blind copy's envelope, the chunks are listed once",
            ["Valid", "BlindCopy"],
            [], blind,
            expected(
                blind,
                deliveries: [
                    deliveryJSON(Cast.bob, stanza: 0),
                    deliveryJSON(Cast.dave, envelope: DeliveryForge.blindEnvelope, stanza: 0),
                ]))
        let noChunks = sign(entries(chunks: []).encoded)
        try await good(
            "no chunk (every part empty or in the envelope)", ["Valid", "EdgeCase"], [], noChunks,
            expected(noChunks, chunks: []))
        let robert = sign(entries(deliveries: [delivery(Cast.bob, address: "robert@example.net", stanza: 0)]).encoded)
        try await good(
            "a recipient's second address, with the same fingerprint", ["Valid", "EdgeCase"], [], robert,
            expected(robert, deliveries: [deliveryJSON(Cast.bob, address: "robert@example.net", stanza: 0)]))
        let high = sign(entries(deliveries: [delivery(Cast.bob, stanza: 4095)]).encoded)
        try await good(
            "the stanza index 4,095, the limit", ["Valid", "Limit"], [], high,
            expected(high, deliveries: [deliveryJSON(Cast.bob, stanza: 4095)]))
        let longest = sign(entries(created: now - 10, expires: now - 10 + 7_776_000).encoded)
        try await good(
            "expires − created = 7,776,000 (90 days), the limit", ["Valid", "Limit"], [], longest,
            expected(longest, created: now - 10, expires: now - 10 + 7_776_000))
        let future = sign(entries(created: now + 600, expires: now + 6000).encoded)
        try await good(
            "created = now + 600, the skew bound S", ["Valid", "Limit"], ["trust-skew"], future,
            expected(future, created: now + 600, expires: now + 6000))
        let lastSecond = sign(entries(created: now - 6000, expires: now + 1).encoded)
        try await good(
            "expires = now + 1: still live", ["Valid", "Limit"], [], lastSecond,
            expected(lastSecond, created: now - 6000, expires: now + 1))

        let faults = SignedObjectFaults(
            file: file, input: { input($0) }, entries: entries(), sign: { sign($0) }, context: context, verify: verify,
            maximumSize: 4_194_304, requiredKeys: Array(1...5))
        try await faults.all()

        file.group("step 4: the fields' types and forms (malformed)")
        let field = faults.field
        func oneDelivery(_ edit: (inout Entries) -> Void) -> [UInt8] {
            var edited = delivery(Cast.bob, stanza: 0)
            edit(&edited)
            return sign(entries(deliveries: [edited]).encoded)
        }
        let envelope = DeliveryForge.envelope
        let layout: [(String, [UInt8], [String], [String])] = [
            (
                "the sender in upper case", field(1, C.text("Alice@example.org")), ["Address", "Case"],
                ["addr-wire-canonical"]
            ),
            ("the sender not an address", field(1, C.text("alice")), ["Address"], ["addr-wire-canonical"]),
            (
                "the deliveries as a map", field(2, C.intMap([(0, delivery(Cast.bob, stanza: 0).encoded)])), ["Layout"],
                []
            ),
            ("the chunks as a byte string", field(3, C.bstr(DeliveryForge.chunks[0])), ["Layout"], []),
            ("created as a text string", field(4, C.text("1759999940")), ["Layout"], []),
            ("expires negative", field(5, C.int(-1)), ["Layout"], []),
            ("a delivery without a recipient", oneDelivery { $0[0] = nil }, ["Layout"], []),
            ("a delivery without an envelope", oneDelivery { $0[1] = nil }, ["Layout"], []),
            ("a delivery without a fingerprint", oneDelivery { $0[2] = nil }, ["Layout"], []),
            ("a delivery with an extra key 4", oneDelivery { $0[4] = C.uint(0) }, ["Layout"], []),
            ("a delivery that is an array", field(2, C.array([C.array([C.text("bob@example.net")])])), ["Layout"], []),
            (
                "a recipient in upper case", oneDelivery { $0[0] = C.text("Bob@example.net") }, ["Address", "Case"],
                ["addr-wire-canonical"]
            ),
            (
                "a 32-byte envelope identifier", oneDelivery { $0[1] = C.bstr(Array(envelope.prefix(32))) },
                ["Identifier", "WrongLength"], ["dlv-identifier-form"]
            ),
            (
                "a 34-byte envelope identifier", oneDelivery { $0[1] = C.bstr(envelope + [0]) },
                ["Identifier", "WrongLength"], ["dlv-identifier-form"]
            ),
            (
                "an envelope identifier with algorithm 0x02: malformed, not unsupported-version",
                oneDelivery { $0[1] = C.bstr(DeliveryForge.withAlgorithm(envelope, 2)) },
                ["Identifier", "UnknownVersion"], ["dlv-identifier-form"]
            ),
            (
                "a fingerprint with algorithm 0x00",
                oneDelivery { $0[2] = C.bstr(DeliveryForge.withAlgorithm(Cast.bob.fingerprintBinary, 0)) },
                ["Identifier"], ["dlv-identifier-form"]
            ),
            (
                "a fingerprint with algorithm 0x02",
                oneDelivery { $0[2] = C.bstr(DeliveryForge.withAlgorithm(Cast.bob.fingerprintBinary, 2)) },
                ["Identifier", "UnknownVersion"], ["dlv-identifier-form"]
            ),
            (
                "the envelope identifier in its text form",
                oneDelivery { $0[1] = C.text(DeliveryForge.blobText(envelope)) }, ["Identifier", "Layout"],
                ["dlv-identifier-form"]
            ),
            (
                "a chunk identifier with algorithm 0x02",
                field(3, C.array([C.bstr(DeliveryForge.withAlgorithm(DeliveryForge.chunks[0], 2))])),
                ["Identifier", "UnknownVersion"], ["dlv-identifier-form"]
            ),
            (
                "an empty chunk identifier", field(3, C.array([C.bstr([])])), ["Identifier", "WrongLength"],
                ["dlv-identifier-form"]
            ),
            ("a stanza index as a text string", oneDelivery { $0[3] = C.text("0") }, ["Layout"], []),
            ("a stanza index negative", oneDelivery { $0[3] = C.int(-1) }, ["Layout"], []),
            ("a stanza index null", oneDelivery { $0[3] = C.null }, ["Layout"], []),
        ]
        for (comment, bytes, flags, spec) in layout { try await bad(comment, flags, spec, bytes, "malformed") }

        file.group("step 4: limits (limits-exceeded), a count checked before its elements are read")
        try await bad(
            "4,097 deliveries, each the integer 0: the count is refused before any element is read",
            ["Limits", "Precedence"], ["dlv-check-order"],
            field(2, C.head(4, 4097) + [UInt8](repeating: 0, count: 4097)), "limits-exceeded")
        try await bad(
            "65,537 chunk identifiers, each the integer 0: the count is refused before any element is read",
            ["Limits", "Precedence"], ["dlv-check-order"],
            field(3, C.head(4, 65537) + [UInt8](repeating: 0, count: 65537)), "limits-exceeded")
        try await bad(
            "a stanza index of 4,096", ["Limits"], [], oneDelivery { $0[3] = C.uint(4096) }, "limits-exceeded")
        try await bad(
            "a stanza index of 2^64 − 1", ["Limits"], [], oneDelivery { $0[3] = C.uint(UInt64.max) }, "limits-exceeded")
        try await bad(
            "expires − created = 7,776,001, one second more than 90 days", ["Limits"], [],
            sign(entries(created: now - 10, expires: now - 10 + 7_776_001).encoded), "limits-exceeded")

        file.group("step 4: the other rules (malformed)")
        try await bad("no delivery", ["Layout"], [], sign(entries(deliveries: []).encoded), "malformed")
        try await bad(
            "two deliveries to the same recipient", ["Consistency"], [],
            sign(entries(deliveries: [delivery(Cast.bob, stanza: 0), delivery(Cast.bob, stanza: 1)]).encoded),
            "malformed")
        try await bad(
            "chunk identifiers in decreasing order", ["Consistency"], [],
            sign(entries(chunks: DeliveryForge.chunks.reversed()).encoded), "malformed")
        try await bad(
            "a chunk identifier listed twice", ["Consistency"], [],
            sign(entries(chunks: [DeliveryForge.chunks[0], DeliveryForge.chunks[0]]).encoded), "malformed")
        try await bad(
            "expires equal to created", ["Consistency"], [], sign(entries(created: now, expires: now).encoded),
            "malformed")
        try await bad(
            "expires before created", ["Consistency"], [], sign(entries(created: now, expires: now - 1).encoded),
            "malformed")

        try await faults.signatureFaults(step: "step 5", seed: Cast.alice.seed, wrongSeed: Cast.mallory.seed)
        try await bad(
            "a valid submission, but the account has another identity key", ["BadSignature", "WrongRecipient"], [],
            example,
            "bad-signature", key: Cast.mallory.identityKey)

        file.group("step 6: the sender is the account's address")
        try await bad(
            "alice's key signs a submission from mallory@example.org", ["AddressMismatch"], [],
            sign(entries(sender: "mallory@example.org").encoded), "address-mismatch")
        try await bad(
            "a submission by alice, for the account of another address of the same key", ["AddressMismatch"], [],
            example, "address-mismatch", account: "alice.other@example.org")

        file.group("step 7: created ≤ now + 600 and now < expires")
        try await bad(
            "created = now + 601", ["Clock"], ["trust-skew"],
            sign(entries(created: now + 601, expires: now + 6000).encoded),
            "expired")
        try await bad(
            "expires = now: no longer live", ["Clock", "Limit"], [],
            sign(entries(created: now - 6000, expires: now).encoded),
            "expired")

        file.group("the order of the checks")
        try await bad(
            "a bad signature and an expired submission: bad-signature", ["Precedence", "BadSignature"],
            ["conf-error-precedence"], sign(entries(created: now - 6000, expires: now).encoded, Cast.mallory),
            "bad-signature")
        try await bad(
            "a bad signature and another sender: bad-signature", ["Precedence", "BadSignature"],
            ["conf-error-precedence"],
            sign(entries(sender: "mallory@example.org").encoded, Cast.mallory), "bad-signature")
        try await bad(
            "another sender and an expired submission: address-mismatch", ["Precedence", "AddressMismatch"],
            ["conf-error-precedence"],
            sign(entries(sender: "mallory@example.org", created: now - 6000, expires: now).encoded),
            "address-mismatch")
        try await bad(
            "4,097 deliveries and created as a text string: the count (key 2) is read before key 4",
            ["Precedence", "Limits"],
            ["dlv-check-order", "conf-error-precedence"],
            {
                var edited = entries()
                edited[2] = C.head(4, 4097) + [UInt8](repeating: 0, count: 4097)
                edited[4] = C.text("x")
                return sign(edited.encoded)
            }(), "limits-exceeded")
        try await bad(
            "an envelope identifier with algorithm 0x02 and a stanza index of 4,096: the layout before the limits",
            ["Precedence", "Identifier"], ["dlv-check-order", "dlv-identifier-form", "conf-error-precedence"],
            oneDelivery {
                $0[1] = C.bstr(DeliveryForge.withAlgorithm(envelope, 2))
                $0[3] = C.uint(4096)
            }, "malformed")
        try await bad(
            "two deliveries to one recipient and a lifetime of 90 days and a second: the limit before the rule",
            ["Precedence", "Limits"], ["dlv-check-order", "conf-error-precedence"],
            sign(
                entries(
                    deliveries: [delivery(Cast.bob, stanza: 0), delivery(Cast.bob, stanza: 1)], created: now - 10,
                    expires: now - 10 + 7_776_001
                ).encoded), "limits-exceeded")
        return file.file
    }
}
