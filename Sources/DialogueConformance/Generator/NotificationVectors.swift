/// `notification_verify.json` (Spec: delivery.md#dlv-notification).
enum NotificationVectors {
    typealias Key = DeliveryForge.ServerKeySeed
    static let verify = "dlv-notification-verify"
    static let now = DeliveryForge.now
    static let created = now - 10
    static let expires = now + 2_592_000
    static let context = "dialogue-v1/notification"
    static let baseURL = "https://mail.example.org/dialogue/v1"

    static func entries(
        sender: String = "alice@example.org", recipient: String = "bob@example.net", envelopeSize: UInt64 = 3000,
        messageSize: UInt64 = 5_000_000, baseURL: String = baseURL, created: UInt64 = created,
        expires: UInt64 = expires, key: Key = DeliveryForge.orgKey, stanza: UInt64? = 0
    ) -> Entries {
        var entries = Entries(items: [
            (0, C.uint(1)), (1, C.text(sender)), (2, C.text(recipient)), (3, C.bstr(DeliveryForge.envelope)),
            (4, C.uint(envelopeSize)), (5, C.uint(messageSize)), (6, C.text(baseURL)), (7, C.uint(created)),
            (8, C.uint(expires)), (9, C.bstr(key.fingerprint)),
        ])
        if let stanza { entries[10] = C.uint(stanza) }
        return entries
    }

    static func sign(_ body: [UInt8], _ key: Key = DeliveryForge.orgKey) -> [UInt8] {
        DeliveryForge.signed(body, seed: key.seed, context: context)
    }

    static func input(
        _ bytes: [UInt8], signer: String = "example.org", keys: [Key] = [DeliveryForge.orgKey],
        served: [String] = ["example.net"], now: UInt64 = now
    ) -> JSONValue {
        .object([
            ("notification", .string(Hex.encode(bytes))), ("signer_domain", .string(signer)),
            ("server_keys", .array(keys.map(\.json))), ("served_domains", .array(served.map { .string($0) })),
            ("now", .integer(Int64(now))),
        ])
    }

    static func expected(
        recipient: String = "bob@example.net", envelopeSize: UInt64 = 3000, messageSize: UInt64 = 5_000_000,
        baseURL: String = baseURL, created: UInt64 = created, expires: UInt64 = expires,
        key: Key = DeliveryForge.orgKey, stanza: Int64? = 0
    ) -> JSONValue {
        .object([
            ("sender", "alice@example.org"), ("recipient", .string(recipient)),
            ("envelope", .string(DeliveryForge.blobText(DeliveryForge.envelope))),
            ("envelope_size", .integer(Int64(envelopeSize))), ("message_size", .integer(Int64(messageSize))),
            ("base_url", .string(baseURL)), ("created", .integer(Int64(created))),
            ("expires", .integer(Int64(expires))),
            ("server_key", .string(key.fingerprintText)), ("stanza_index", stanza.map { .integer($0) } ?? .null),
        ])
    }

    /// The valid notification of the specification's example (Spec: delivery.md#dlv-notification).
    static var example: [UInt8] { sign(entries().encoded) }

    static func build() async throws -> VectorFile {
        let file = FileBuilder("notification.verify", "Decoding and verifying notifications")
        let org = DeliveryForge.orgKey
        let next = DeliveryForge.orgNextKey
        func bad(
            _ comment: String, _ flags: [String], _ spec: [String], _ bytes: [UInt8], _ error: String,
            signer: String = "example.org", keys: [Key] = [DeliveryForge.orgKey], served: [String] = ["example.net"]
        ) async throws {
            try await file.invalid(
                comment, flags: flags, spec: [verify] + spec,
                input: input(bytes, signer: signer, keys: keys, served: served), error: error)
        }
        func good(
            _ comment: String, _ flags: [String] = ["Valid"], _ spec: [String], _ bytes: [UInt8],
            _ expected: JSONValue, keys: [Key] = [DeliveryForge.orgKey]
        ) async throws {
            try await file.valid(
                comment, flags: flags, spec: [verify] + spec, input: input(bytes, keys: keys), expected: expected)
        }

        file.group("valid notifications")
        try await good(
            "an encrypted message to bob: the example of the specification", ["Valid", "SpecExample"],
            ["dlv-received-bytes"], example, expected())
        try await good(
            "a public message: no stanza index", ["Valid", "PublicMode"], [], sign(entries(stanza: nil).encoded),
            expected(stanza: nil))
        try await good(
            "an envelope of 16,777,216 bytes, the limit", ["Valid", "Limit"], [],
            sign(entries(envelopeSize: 16_777_216, messageSize: 16_777_216).encoded),
            expected(envelopeSize: 16_777_216, messageSize: 16_777_216))
        try await good(
            "an envelope of 1 byte, the whole message", ["Valid", "Limit"], [],
            sign(entries(envelopeSize: 1, messageSize: 1).encoded), expected(envelopeSize: 1, messageSize: 1))
        try await good(
            "the stanza index 4,095, the limit", ["Valid", "Limit"], [], sign(entries(stanza: 4095).encoded),
            expected(stanza: 4095))
        try await good(
            "created = now + 600, the skew bound S", ["Valid", "Limit"], ["trust-skew"],
            sign(entries(created: now + 600).encoded), expected(created: now + 600))
        try await good(
            "expires = now + 1", ["Valid", "Limit"], [], sign(entries(created: now - 100, expires: now + 1).encoded),
            expected(created: now - 100, expires: now + 1))
        try await good(
            "created equal to the key's valid from", ["Valid", "Limit", "KeyValidity"], ["dlv-server-key-validity"],
            sign(entries(created: org.validFrom).encoded), expected(created: org.validFrom))
        let short = Key("example.org/1", validFrom: now - 864_000, validUntil: now - 5)
        try await good(
            "created equal to the key's valid until", ["Valid", "Limit", "KeyValidity"], ["dlv-server-key-validity"],
            sign(entries(created: now - 5).encoded), expected(created: now - 5), keys: [short])
        try await good(
            "signed by the second key of the document, during a rollover", ["Valid"], ["dlv-server-key-validity"],
            sign(entries(key: next).encoded, next), expected(key: next), keys: [org, next])
        try await good(
            "an http base URL: where to fetch is checked when fetching, not here", ["Valid", "EdgeCase"],
            ["dlv-base-url"], sign(entries(baseURL: "http://10.0.0.5:8080/dialogue/v1").encoded),
            expected(baseURL: "http://10.0.0.5:8080/dialogue/v1"))

        let faults = SignedObjectFaults(
            file: file, input: { input($0) }, entries: entries(), sign: { sign($0) }, context: context, verify: verify,
            maximumSize: 2048, requiredKeys: Array(1...9))
        try await faults.all()

        file.group("step 4: the fields' types and forms (malformed)")
        let field = faults.field
        let envelope = DeliveryForge.envelope
        let layout: [(String, Int, [UInt8], [String], [String])] = [
            ("the sender in upper case", 1, C.text("ALICE@example.org"), ["Address", "Case"], ["addr-wire-canonical"]),
            ("the recipient not an address", 2, C.text("bob"), ["Address"], ["addr-wire-canonical"]),
            ("the recipient as a byte string", 2, C.bstr(Array("bob@example.net".utf8)), ["Layout"], []),
            (
                "a 32-byte envelope identifier", 3, C.bstr(Array(envelope.prefix(32))), ["Identifier", "WrongLength"],
                ["dlv-identifier-form"]
            ),
            (
                "an envelope identifier with algorithm 0x02: malformed, not unsupported-version", 3,
                C.bstr(DeliveryForge.withAlgorithm(envelope, 2)), ["Identifier", "UnknownVersion"],
                ["dlv-identifier-form"]
            ),
            (
                "an envelope identifier with algorithm 0xff", 3, C.bstr(DeliveryForge.withAlgorithm(envelope, 0xff)),
                ["Identifier"], ["dlv-identifier-form"]
            ),
            ("the envelope size as a text string", 4, C.text("3000"), ["Layout"], []),
            ("the message size negative", 5, C.int(-1), ["Layout"], []),
            ("the base URL with a trailing '/'", 6, C.text(baseURL + "/"), ["BaseURL"], ["dlv-base-url"]),
            ("the base URL with a query", 6, C.text(baseURL + "?a=b"), ["BaseURL"], ["dlv-base-url"]),
            ("created as a byte string", 7, C.bstr([0]), ["Layout"], []),
            ("expires as a text string", 8, C.text("0"), ["Layout"], []),
            (
                "a 32-byte server key fingerprint", 9, C.bstr(Array(org.fingerprint.prefix(32))),
                ["Identifier", "WrongLength"], ["dlv-identifier-form"]
            ),
            (
                "a server key fingerprint with algorithm 0x02", 9,
                C.bstr(DeliveryForge.withAlgorithm(org.fingerprint, 2)), ["Identifier", "UnknownVersion"],
                ["dlv-identifier-form"]
            ),
            (
                "the server key itself instead of its fingerprint", 9, C.bstr(org.publicKey),
                ["Identifier", "WrongLength"], ["dlv-identifier-form"]
            ),
            ("the stanza index as a text string", 10, C.text("0"), ["Layout"], []),
            ("the stanza index negative", 10, C.int(-1), ["Layout"], []),
        ]
        for (comment, key, value, flags, spec) in layout {
            try await bad(comment, flags, spec, field(key, value), "malformed")
        }

        file.group("step 4: limits (limits-exceeded), then the other rules (malformed)")
        try await bad(
            "an envelope of 16,777,217 bytes", ["Limits"], [],
            sign(entries(envelopeSize: 16_777_217, messageSize: 20_000_000).encoded), "limits-exceeded")
        try await bad("a stanza index of 4,096", ["Limits"], [], sign(entries(stanza: 4096).encoded), "limits-exceeded")
        try await bad(
            "an envelope of 16,777,217 bytes and a message size below it: the limit first", ["Limits", "Precedence"],
            ["dlv-check-order", "conf-error-precedence"],
            sign(entries(envelopeSize: 16_777_217, messageSize: 1).encoded), "limits-exceeded")
        try await bad(
            "an envelope of 0 bytes", ["Consistency"], [], sign(entries(envelopeSize: 0, messageSize: 0).encoded),
            "malformed")
        try await bad(
            "a message size below the envelope size", ["Consistency"], [],
            sign(entries(envelopeSize: 3000, messageSize: 2999).encoded), "malformed")
        try await bad(
            "expires equal to created", ["Consistency"], [], sign(entries(created: now, expires: now).encoded),
            "malformed")

        file.group("step 5: a key of the sender domain's document, valid at created (dlv-server-key-validity)")
        try await bad(
            "signed by a key the document does not list", ["KeyValidity"], ["dlv-server-key-validity"],
            sign(entries(key: DeliveryForge.otherKey).encoded, DeliveryForge.otherKey), "unknown-key")
        try await bad(
            "no server key known", ["KeyValidity"], ["dlv-server-key-validity"], example, "unknown-key", keys: [])
        try await bad(
            "created one second before the key's valid from", ["KeyValidity", "Limit"], ["dlv-server-key-validity"],
            sign(entries(created: org.validFrom - 1).encoded), "unknown-key")
        try await bad(
            "created one second after the key's valid until", ["KeyValidity", "Limit"], ["dlv-server-key-validity"],
            sign(entries(created: now - 4).encoded), "unknown-key",
            keys: [Key("example.org/1", validFrom: now - 864_000, validUntil: now - 5)])
        try await bad(
            "signed by the new key before its valid from, during a rollover", ["KeyValidity"],
            ["dlv-server-key-validity"],
            sign(entries(created: next.validFrom - 1, key: next).encoded, next), "unknown-key", keys: [org, next])

        try await faults.signatureFaults(step: "step 6", seed: org.seed, wrongSeed: DeliveryForge.otherKey.seed)
        try await bad(
            "naming the first key, signed by the second", ["BadSignature"], [], sign(entries().encoded, next),
            "bad-signature", keys: [org, next])

        file.group("step 7: the sender in the signing domain, the recipient in a served domain")
        try await bad(
            "a sender of example.com, signed by example.org's server", ["AddressMismatch"], [],
            sign(entries(sender: "carol@example.com").encoded), "address-mismatch")
        try await bad(
            "a sender of a subdomain, mail.example.org", ["AddressMismatch"], [],
            sign(entries(sender: "alice@mail.example.org").encoded), "address-mismatch")
        try await bad(
            "a recipient in a domain this server does not serve", ["AddressMismatch"], [],
            sign(entries(recipient: "dave@example.com").encoded), "address-mismatch")
        try await bad(
            "a server that serves no domain", ["AddressMismatch"], [], example, "address-mismatch", served: [])

        file.group("step 8: created ≤ now + 600 and now < expires")
        try await bad(
            "created = now + 601", ["Clock"], ["trust-skew"], sign(entries(created: now + 601).encoded), "expired")
        try await bad(
            "expires = now", ["Clock", "Limit"], [], sign(entries(created: now - 100, expires: now).encoded), "expired")

        file.group("the order of the checks")
        try await bad(
            "a key not valid at created, and a bad signature: unknown-key", ["Precedence", "KeyValidity"],
            ["conf-error-precedence"],
            sign(entries(created: org.validFrom - 1).encoded, next), "unknown-key")
        try await bad(
            "a bad signature and a sender outside the signing domain: bad-signature", ["Precedence", "BadSignature"],
            ["conf-error-precedence"], sign(entries(sender: "carol@example.com").encoded, next), "bad-signature")
        try await bad(
            "a bad signature and an expired notification: bad-signature", ["Precedence", "BadSignature"],
            ["conf-error-precedence"], sign(entries(created: now - 100, expires: now).encoded, next), "bad-signature")
        try await bad(
            "a sender outside the signing domain and an expired notification: address-mismatch",
            ["Precedence", "AddressMismatch"], ["conf-error-precedence"],
            sign(entries(sender: "carol@example.com", created: now - 100, expires: now).encoded), "address-mismatch")
        try await bad(
            "an unknown key and a sender outside the signing domain: unknown-key", ["Precedence"],
            ["conf-error-precedence"],
            sign(entries(sender: "carol@example.com", key: DeliveryForge.otherKey).encoded, DeliveryForge.otherKey),
            "unknown-key")
        return file.file
    }
}
