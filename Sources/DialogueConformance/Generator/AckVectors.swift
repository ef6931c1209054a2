/// `ack_verify.json` (Spec: delivery.md#dlv-ack).
enum AckVectors {
    static let verify = "dlv-ack-verify"
    static let now = DeliveryForge.now
    static let created = now - 5
    static let context = "dialogue-v1/acknowledgement"

    static func entries(
        recipient: String = "bob@example.net", envelope: [UInt8] = DeliveryForge.envelope,
        sender: String = "alice@example.org", key: Identity = Cast.bob, created: UInt64 = created
    ) -> Entries {
        Entries(items: [
            (0, C.uint(1)), (1, C.text(recipient)), (2, C.bstr(envelope)), (3, C.text(sender)),
            (4, C.bstr(key.identityKey)), (5, C.uint(created)),
        ])
    }

    static func sign(_ body: [UInt8], _ identity: Identity = Cast.bob) -> [UInt8] {
        DeliveryForge.signed(body, seed: identity.seed, context: context)
    }

    static func input(
        _ bytes: [UInt8], sender: String = "alice@example.org", recipient: String = "bob@example.net",
        envelope: [UInt8] = DeliveryForge.envelope, fingerprint: Identity = Cast.bob, now: UInt64 = now
    ) -> JSONValue {
        .object([
            ("ack", .string(Hex.encode(bytes))),
            (
                "delivery",
                .object([
                    ("sender", .string(sender)), ("recipient", .string(recipient)),
                    ("envelope", .string(DeliveryForge.blobText(envelope))),
                    ("fingerprint", .string(DeliveryForge.keyText(fingerprint.fingerprintBinary))),
                ])
            ),
            ("now", .integer(Int64(now))),
        ])
    }

    static func expected(recipient: String = "bob@example.net", created: UInt64 = created) -> JSONValue {
        .object([
            ("recipient", .string(recipient)), ("envelope", .string(DeliveryForge.blobText(DeliveryForge.envelope))),
            ("sender", "alice@example.org"), ("identity_key", .string(Hex.encode(Cast.bob.identityKey))),
            ("fingerprint", .string(DeliveryForge.keyText(Cast.bob.fingerprintBinary))),
            ("created", .integer(Int64(created))),
        ])
    }

    /// The valid acknowledgement of the specification's example (Spec: delivery.md#dlv-ack).
    static var example: [UInt8] { sign(entries().encoded) }

    static func build() async throws -> VectorFile {
        let file = FileBuilder("ack.verify", "Decoding and verifying acknowledgements")
        func bad(
            _ comment: String, _ flags: [String], _ spec: [String], _ bytes: [UInt8], _ error: String,
            sender: String = "alice@example.org", recipient: String = "bob@example.net",
            envelope: [UInt8] = DeliveryForge.envelope, fingerprint: Identity = Cast.bob
        ) async throws {
            try await file.invalid(
                comment, flags: flags, spec: [verify] + spec,
                input: input(bytes, sender: sender, recipient: recipient, envelope: envelope, fingerprint: fingerprint),
                error: error)
        }

        file.group("valid acknowledgements")
        try await file.valid(
            "bob acknowledges alice's message: the example of the specification", flags: ["Valid", "SpecExample"],
            spec: [verify, "dlv-received-bytes"], input: input(example), expected: expected())
        try await file.valid(
            "created = now + 600, the skew bound S", flags: ["Valid", "Limit"], spec: [verify, "trust-skew"],
            input: input(sign(entries(created: now + 600).encoded)), expected: expected(created: now + 600))
        try await file.valid(
            "created 0: an acknowledgement has no expiry, a late one is still the recipient's word",
            flags: ["Valid", "EdgeCase"], spec: [verify], input: input(sign(entries(created: 0).encoded)),
            expected: expected(created: 0))
        try await file.valid(
            "bob's second address, with the same key", flags: ["Valid", "EdgeCase"], spec: [verify],
            input: input(sign(entries(recipient: "robert@example.net").encoded), recipient: "robert@example.net"),
            expected: expected(recipient: "robert@example.net"))

        let faults = SignedObjectFaults(
            file: file, input: { input($0) }, entries: entries(), sign: { sign($0) }, context: context, verify: verify,
            maximumSize: 1024, requiredKeys: Array(1...5))
        try await faults.all()

        file.group("step 4: the fields' types and forms (malformed)")
        let field = faults.field
        let envelope = DeliveryForge.envelope
        let layout: [(String, Int, [UInt8], [String], [String])] = [
            (
                "the recipient in upper case", 1, C.text("Bob@example.net"), ["Address", "Case"],
                ["addr-wire-canonical"]
            ),
            ("the sender not an address", 3, C.text("example.org"), ["Address"], ["addr-wire-canonical"]),
            (
                "a 32-byte envelope identifier", 2, C.bstr(Array(envelope.prefix(32))), ["Identifier", "WrongLength"],
                ["dlv-identifier-form"]
            ),
            (
                "an envelope identifier with algorithm 0x02: malformed, not unsupported-version", 2,
                C.bstr(DeliveryForge.withAlgorithm(envelope, 2)), ["Identifier", "UnknownVersion"],
                ["dlv-identifier-form"]
            ),
            (
                "the envelope identifier in its text form", 2, C.text(DeliveryForge.blobText(envelope)),
                ["Identifier", "Layout"], ["dlv-identifier-form"]
            ),
            ("a 31-byte identity key", 4, C.bstr(Array(Cast.bob.identityKey.prefix(31))), ["WrongLength"], []),
            (
                "the identity key's fingerprint instead of the key", 4, C.bstr(Cast.bob.fingerprintBinary),
                ["WrongLength"], []
            ),
            ("created as a text string", 5, C.text("1759999995"), ["Layout"], []),
            ("created negative", 5, C.int(-1), ["Layout"], []),
        ]
        for (comment, key, value, flags, spec) in layout {
            try await bad(comment, flags, spec, field(key, value), "malformed")
        }

        try await faults.signatureFaults(step: "step 5", seed: Cast.bob.seed, wrongSeed: Cast.mallory.seed)

        file.group("step 6: a delivery with this recipient and envelope, and the key the message was sealed to")
        try await bad(
            "an acknowledgement by carol of bob's delivery", ["WrongRecipient"], [],
            sign(entries(recipient: "carol@example.com", key: Cast.carol).encoded, Cast.carol), "not-a-recipient")
        try await bad(
            "an acknowledgement of another envelope", ["WrongRecipient"], [],
            sign(entries(envelope: DeliveryForge.blindEnvelope).encoded), "not-a-recipient")
        try await bad(
            "mallory signs with her own key an acknowledgement in bob's name", ["WrongRecipient", "Forgery"], [],
            sign(entries(key: Cast.mallory).encoded, Cast.mallory), "not-a-recipient")
        try await bad(
            "bob, after rotating his identity key, acknowledges a message sealed to the old one", ["WrongRecipient"],
            [], example, "not-a-recipient", fingerprint: Cast.dave)

        file.group("step 7: the sender is the submission's sender")
        try await bad(
            "an acknowledgement naming another sender", ["AddressMismatch"], [],
            sign(entries(sender: "mallory@example.org").encoded), "address-mismatch")

        file.group("step 8: created ≤ now + 600")
        try await bad(
            "created = now + 601", ["Clock"], ["trust-skew"], sign(entries(created: now + 601).encoded), "expired")
        try await bad(
            "created = 2^64 − 1", ["Clock"], ["trust-skew"], sign(entries(created: UInt64.max).encoded), "expired")

        file.group("the order of the checks")
        try await bad(
            "a bad signature and no such delivery: bad-signature", ["Precedence", "BadSignature"],
            ["conf-error-precedence"], sign(entries(recipient: "carol@example.com").encoded, Cast.mallory),
            "bad-signature")
        try await bad(
            "no such delivery and another sender: not-a-recipient", ["Precedence", "WrongRecipient"],
            ["conf-error-precedence"],
            sign(entries(envelope: DeliveryForge.blindEnvelope, sender: "mallory@example.org").encoded),
            "not-a-recipient")
        try await bad(
            "another sender and a date from the future: address-mismatch", ["Precedence", "AddressMismatch"],
            ["conf-error-precedence"], sign(entries(sender: "mallory@example.org", created: now + 601).encoded),
            "address-mismatch")
        try await bad(
            "a bad signature and a date from the future: bad-signature", ["Precedence", "BadSignature"],
            ["conf-error-precedence"], sign(entries(created: now + 601).encoded, Cast.mallory), "bad-signature")
        return file.file
    }
}
