/// `server_document_verify.json` (Spec: delivery.md#dlv-server-document).
enum ServerDocumentVectors {
    typealias Key = DeliveryForge.ServerKeySeed
    static let verify = "dlv-server-document-verify"
    static let now = DeliveryForge.now
    static let created = now - 3600
    static let expires = now + 604_800
    static let baseURL = "https://mail.example.org/dialogue/v1"

    static func entries(
        keys: [Key] = [DeliveryForge.orgKey], domain: String = "example.org", baseURL: String = baseURL,
        created: UInt64 = created, expires: UInt64 = expires, recipients: UInt64 = 1000,
        messageSize: UInt64 = 67_108_864
    ) -> Entries {
        Entries(items: [
            (0, C.uint(1)), (1, C.text(domain)), (2, C.text(baseURL)), (3, C.array(keys.map(\.entries.encoded))),
            (4, C.uint(created)), (5, C.uint(expires)), (6, C.uint(messageSize)), (7, C.uint(recipients)),
        ])
    }

    /// `[bstr body, [signature by each seed]]`.
    static func document(_ body: [UInt8], signers: [[UInt8]], context: String = "dialogue-v1/server-document")
        -> [UInt8]
    {
        C.array([C.bstr(body), C.array(signers.map { C.bstr(Construct.sign(seed: $0, context: context, body)) })])
    }

    static func document(_ entries: Entries, keys: [Key] = [DeliveryForge.orgKey]) -> [UInt8] {
        document(entries.encoded, signers: keys.map(\.seed))
    }

    static func input(
        _ bytes: [UInt8], domain: String = "example.org", now: UInt64 = now, allowHTTP: Bool = false
    ) -> JSONValue {
        .object([
            ("document", .string(Hex.encode(bytes))), ("domain", .string(domain)), ("now", .integer(Int64(now))),
            ("allow_http", .bool(allowHTTP)),
        ])
    }

    static func expected(
        keys: [Key] = [DeliveryForge.orgKey], baseURL: String = baseURL, created: UInt64 = created,
        expires: UInt64 = expires, recipients: UInt64 = 1000, messageSize: UInt64 = 67_108_864
    ) -> JSONValue {
        .object([
            ("domain", "example.org"), ("base_url", .string(baseURL)), ("keys", .array(keys.map(\.expected))),
            ("created", .integer(Int64(created))), ("expires", .integer(Int64(expires))),
            ("max_message_size", .exactly(messageSize)), ("max_recipients", .integer(Int64(recipients))),
        ])
    }

    /// The valid document of the specification's example (Spec: delivery.md#dlv-server-document).
    static var example: [UInt8] { document(entries()) }

    static func build() async throws -> VectorFile {
        let file = FileBuilder("server-document.verify", "Decoding and verifying server documents")
        let org = DeliveryForge.orgKey
        let next = DeliveryForge.orgNextKey
        func bad(
            _ comment: String, _ flags: [String], _ spec: [String], _ bytes: [UInt8], _ error: String,
            domain: String = "example.org", now: UInt64 = now, allowHTTP: Bool = false
        ) async throws {
            try await file.invalid(
                comment, flags: flags, spec: [verify] + spec,
                input: input(bytes, domain: domain, now: now, allowHTTP: allowHTTP), error: error)
        }
        func good(
            _ comment: String, _ flags: [String] = ["Valid"], _ spec: [String], _ bytes: [UInt8], _ expected: JSONValue,
            now: UInt64 = now, allowHTTP: Bool = false
        ) async throws {
            try await file.valid(
                comment, flags: flags, spec: [verify] + spec, input: input(bytes, now: now, allowHTTP: allowHTTP),
                expected: expected)
        }

        file.group("valid documents")
        try await good(
            "one key: the example of the specification", ["Valid", "SpecExample"],
            [], example, expected())
        try await good(
            "two keys during a rollover, each signing in the order of the list", ["Valid"], [],
            document(entries(keys: [org, next]), keys: [org, next]), expected(keys: [org, next]))
        let eight = (1...8).map { Key("example.org/many/\($0)") }
        try await good(
            "eight keys, the limit, each signing", ["Valid", "Limit"], [], document(entries(keys: eight), keys: eight),
            expected(keys: eight))
        try await good(
            "an http base URL that a peers file allows (allow_http)", ["Valid"], ["dlv-base-url"],
            document(entries(baseURL: "http://10.0.0.5:8080/dialogue/v1")),
            expected(baseURL: "http://10.0.0.5:8080/dialogue/v1"), allowHTTP: true)
        for loopback in [
            "http://127.0.0.1:8080/dialogue/v1", "http://localhost:8025", "http://[::1]:8080/v1",
            "http://127.255.0.9",
        ] {
            try await good(
                "an http base URL on a loopback host without a peers file: \(loopback)", ["Valid", "EdgeCase"],
                ["dlv-base-url", "dlv-discovery-https"], document(entries(baseURL: loopback)),
                expected(baseURL: loopback))
        }
        let long = "https://mail.example.org/" + String(repeating: "a", count: 255 - 25)
        try await good(
            "a base URL of 255 bytes, the limit", ["Valid", "Limit"], ["dlv-base-url"],
            document(entries(baseURL: long)), expected(baseURL: long))
        for url in ["https://[2001:db8::1]:65535/a-b.c_d~e", "https://example.org", "https://x:1/A/B"] {
            try await good(
                "the base URL \(url)", ["Valid", "EdgeCase"], ["dlv-base-url"], document(entries(baseURL: url)),
                expected(baseURL: url))
        }
        try await good(
            "expires = now: the last second of the window", ["Valid", "Limit"],
            ["trust-skew"], document(entries(created: now - 100, expires: now)),
            expected(created: now - 100, expires: now))
        try await good(
            "created = now + 600, the skew bound S", ["Valid", "Limit"], ["trust-skew"],
            document(entries(created: now + 600, expires: now + 1200)),
            expected(created: now + 600, expires: now + 1200))
        try await good(
            "expires − created = 2,592,000 (30 days), the limit", ["Valid", "Limit"], [],
            document(entries(created: now - 10, expires: now - 10 + 2_592_000)),
            expected(created: now - 10, expires: now - 10 + 2_592_000))
        for recipients: UInt64 in [1, 4096] {
            try await good(
                "a recipient limit of \(recipients)", ["Valid", "Limit"], [], document(entries(recipients: recipients)),
                expected(recipients: recipients))
        }
        // Found by the differential fuzzer: the Swift adapter clamped the size to 2^63 − 1.
        try await good(
            "a message size limit of 2^64 − 1: the answer gives the number exactly", ["Valid", "Limit"], [],
            document(entries(messageSize: .max)), expected(messageSize: .max))

        let faults = SignedObjectFaults(
            file: file, input: { input($0) }, entries: entries(), sign: { document($0, signers: [org.seed]) },
            context: "dialogue-v1/server-document", verify: verify, maximumSize: 8192, requiredKeys: Array(1...7),
            signatureList: true)
        try await faults.all()

        file.group("step 4: the fields' types and forms (malformed)")
        let field = faults.field
        let types: [(String, Int, [UInt8], [String])] = [
            ("the domain as a byte string", 1, C.bstr(Array("example.org".utf8)), ["Layout"]),
            ("the domain in upper case", 1, C.text("Example.org"), ["Case"]),
            ("the domain with an empty label", 1, C.text("example..org"), ["Layout"]),
            ("the domain with a trailing dot", 1, C.text("example.org."), ["Layout"]),
            ("an address instead of a domain", 1, C.text("alice@example.org"), ["Layout"]),
            ("the base URL as a byte string", 2, C.bstr(Array(baseURL.utf8)), ["Layout"]),
            ("the keys as a map", 3, C.intMap([(0, org.entries.encoded)]), ["Layout"]),
            ("created as a text string", 4, C.text("1759996400"), ["Layout"]),
            ("created negative", 4, C.int(-1), ["Layout"]),
            ("expires as a byte string", 5, C.bstr([1]), ["Layout"]),
            ("the largest message negative", 6, C.int(-1), ["Layout"]),
            ("the recipient limit as a text string", 7, C.text("1000"), ["Layout"]),
        ]
        for (comment, key, value, flags) in types { try await bad(comment, flags, [], field(key, value), "malformed") }
        func key(_ edit: (inout Entries) -> Void) -> [UInt8] {
            var keyEntries = org.entries
            edit(&keyEntries)
            return field(3, C.array([keyEntries.encoded]))
        }
        try await bad("a key without key 2 (valid until)", ["Layout"], [], key { $0[2] = nil }, "malformed")
        try await bad("a key with an extra key 3", ["Layout"], [], key { $0[3] = C.uint(0) }, "malformed")
        try await bad(
            "a 31-byte public key", ["WrongLength"], [], key { $0[0] = C.bstr(Array(org.publicKey.prefix(31))) },
            "malformed")
        try await bad(
            "a 33-byte public key", ["WrongLength"], [], key { $0[0] = C.bstr(org.publicKey + [0]) }, "malformed")
        try await bad("valid from as a text string", ["Layout"], [], key { $0[1] = C.text("0") }, "malformed")
        try await bad(
            "a key that is an array", ["Layout"], [], field(3, C.array([C.array([C.bstr(org.publicKey)])])), "malformed"
        )

        file.group("step 4: base URLs that break dlv-base-url (malformed)")
        let urls: [(String, String)] = [
            ("a trailing '/'", "https://mail.example.org/dialogue/v1/"),
            ("an empty segment", "https://mail.example.org//v1"),
            ("a query", "https://mail.example.org/v1?x=1"),
            ("a fragment", "https://mail.example.org/v1#top"),
            ("user information", "https://user@mail.example.org/v1"),
            ("percent-encoding", "https://mail.example.org/dia%6cogue"),
            ("an upper-case scheme", "HTTPS://mail.example.org/v1"),
            ("an upper-case host", "https://Mail.example.org/v1"),
            ("another scheme", "ftp://mail.example.org/v1"),
            ("no scheme", "mail.example.org/v1"),
            ("no host", "https:///v1"),
            ("port 0", "https://mail.example.org:0/v1"),
            ("port 65536", "https://mail.example.org:65536/v1"),
            ("a port with a leading zero", "https://mail.example.org:0443/v1"),
            ("an empty port", "https://mail.example.org:/v1"),
            ("a six-digit port", "https://mail.example.org:100000"),
            ("a '.' segment", "https://mail.example.org/./v1"),
            ("a '..' segment", "https://mail.example.org/dialogue/../v1"),
            ("a space", "https://mail.example.org/dia logue"),
            ("upper-case hexadecimal in an IPv6 host", "https://[2001:DB8::1]/v1"),
            ("empty brackets", "https://[]/v1"),
            ("an unclosed bracket", "https://[::1/v1"),
            ("a non-ASCII host", "https://mäil.example.org/v1"),
            ("256 bytes, one more than the limit", "https://mail.example.org/" + String(repeating: "a", count: 231)),
            ("the empty string", ""),
        ]
        for (comment, url) in urls {
            try await bad(
                "a base URL with \(comment)", ["BaseURL"], ["dlv-base-url"], field(2, C.text(url)), "malformed")
        }

        file.group("step 4: limits (limits-exceeded), then the other rules (malformed)")
        let nine = (1...9).map { Key("example.org/many/\($0)") }
        try await bad(
            "nine keys, one more than the limit, each signing", ["Limits"], [],
            document(entries(keys: nine), keys: nine), "limits-exceeded")
        try await bad(
            "nine keys and created as a text string: the list's count is checked as the list is read, before key 4",
            ["Limits", "Precedence"], ["dlv-check-order", "conf-error-precedence"],
            {
                var edited = entries(keys: nine)
                edited[4] = C.text("x")
                return document(edited, keys: nine)
            }(), "limits-exceeded")
        try await bad(
            "an upper-case domain and nine keys: the domain (key 1) is read before the keys (key 3)",
            ["Precedence", "Case"], ["dlv-check-order", "conf-error-precedence"],
            document(entries(keys: nine, domain: "EXAMPLE.org"), keys: nine), "malformed")
        for recipients: UInt64 in [0, 4097] {
            try await bad(
                "a recipient limit of \(recipients)", ["Limits"], [], document(entries(recipients: recipients)),
                "limits-exceeded")
        }
        try await bad(
            "expires − created = 2,592,001, one second more than 30 days", ["Limits"], [],
            document(entries(created: now - 10, expires: now - 10 + 2_592_001)), "limits-exceeded")
        try await bad(
            "a recipient limit of 0 and expires before created: the limit comes first", ["Limits", "Precedence"],
            ["dlv-check-order", "conf-error-precedence"],
            document(entries(created: now, expires: now - 1, recipients: 0)), "limits-exceeded")
        try await bad("no key", ["Layout"], [], document(entries(keys: []).encoded, signers: [org.seed]), "malformed")
        try await bad(
            "the same key twice", ["Consistency"], [], document(entries(keys: [org, org]), keys: [org, org]),
            "malformed")
        let equalWindow = Key("example.org/1", validFrom: now, validUntil: now)
        try await bad(
            "a key whose valid until equals its valid from", ["Consistency"], [],
            document(entries(keys: [equalWindow]), keys: [equalWindow]), "malformed")
        let reversed = Key("example.org/1", validFrom: now, validUntil: now - 1)
        try await bad(
            "a key whose valid until is before its valid from", ["Consistency"], [],
            document(entries(keys: [reversed]), keys: [reversed]), "malformed")
        try await bad(
            "expires equal to created", ["Consistency"], [], document(entries(created: now, expires: now)), "malformed")
        try await bad(
            "expires before created", ["Consistency"], [], document(entries(created: now, expires: now - 1)),
            "malformed")

        file.group("step 4: an http base URL that neither a peers file nor a loopback host allows (malformed)")
        for url in [
            "http://mail.example.org/dialogue/v1", "http://10.0.0.5:8080/dialogue/v1", "http://127.0.0.1.example.org",
            "http://localhost.example.org", "http://128.0.0.1", "http://127.0.0.01", "http://127.0.0.256",
            "http://127.1",
            "http://[::2]",
        ] {
            try await bad(
                "\(url) with allow_http false", ["BaseURL"], ["dlv-base-url", "dlv-discovery-https"],
                document(entries(baseURL: url)), "malformed")
        }

        file.group("step 5: one signature per key")
        try await bad(
            "two keys, one signature", ["Layout"], [],
            document(entries(keys: [org, next]).encoded, signers: [org.seed]),
            "malformed")
        try await bad(
            "one key, two signatures", ["Layout"], [], document(entries().encoded, signers: [org.seed, org.seed]),
            "malformed")
        try await bad(
            "two keys, one signature, and that signature bad: the count comes first", ["Layout", "Precedence"],
            ["conf-error-precedence"], document(entries(keys: [org, next]).encoded, signers: [next.seed]),
            "malformed")

        file.group("step 6: each signature verifies under its key")
        let body = entries().encoded
        try await bad(
            "signed by another key", ["BadSignature"], [], document(body, signers: [DeliveryForge.otherKey.seed]),
            "bad-signature")
        try await bad(
            "signed under the notification context", ["BadSignature", "Context"], [],
            document(body, signers: [org.seed], context: "dialogue-v1/notification"), "bad-signature")
        try await bad(
            "the last signature byte changed", ["BadSignature"], [], example.flipping(-1), "bad-signature")
        let pair = entries(keys: [org, next]).encoded
        try await bad(
            "two keys, the second signature by the first key", ["BadSignature"], [],
            document(pair, signers: [org.seed, org.seed]), "bad-signature")
        try await bad(
            "two keys, signatures in the wrong order", ["BadSignature"], [],
            document(pair, signers: [next.seed, org.seed]), "bad-signature")
        try await bad(
            "a document claiming another server's key, signed by this server's key only", ["BadSignature", "Forgery"],
            [], document(entries(keys: [org, DeliveryForge.otherKey]).encoded, signers: [org.seed, org.seed]),
            "bad-signature")

        file.group("step 7: the domain is the one asked for")
        try await bad(
            "a document of example.org fetched for example.net", ["AddressMismatch"], [], example, "address-mismatch",
            domain: "example.net")
        try await bad(
            "a document of example.org fetched for mail.example.org", ["AddressMismatch"], [], example,
            "address-mismatch", domain: "mail.example.org")

        file.group("step 8: created ≤ now + 600 and now ≤ expires")
        try await bad(
            "created = now + 601", ["Clock"], ["trust-skew"],
            document(entries(created: now + 601, expires: now + 9000)),
            "expired")
        try await bad(
            "expires = now − 1", ["Clock"], [], document(entries(created: now - 9000, expires: now - 1)), "expired")

        file.group("the order of the checks")
        try await bad(
            "a bad signature and an expired document: bad-signature", ["Precedence", "BadSignature"],
            ["conf-error-precedence"],
            document(entries(created: now - 9000, expires: now - 1).encoded, signers: [DeliveryForge.otherKey.seed]),
            "bad-signature")
        try await bad(
            "a bad signature and another domain: bad-signature", ["Precedence", "BadSignature"],
            ["conf-error-precedence"], document(body, signers: [DeliveryForge.otherKey.seed]), "bad-signature",
            domain: "example.net")
        try await bad(
            "another domain and an expired document: address-mismatch", ["Precedence", "AddressMismatch"],
            ["conf-error-precedence"], document(entries(created: now - 9000, expires: now - 1)), "address-mismatch",
            domain: "example.net")
        try await bad(
            "a disallowed http base URL and a bad signature: malformed", ["Precedence", "BaseURL"],
            ["conf-error-precedence"],
            document(entries(baseURL: "http://mail.example.org").encoded, signers: [DeliveryForge.otherKey.seed]),
            "malformed")
        return file.file
    }
}
