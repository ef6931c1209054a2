extension RequestVectors {
    /// `request_sign.json`: the exact three field values and signature base of a profile signer
    /// (Spec: [dlv-request-sign]), and each input outside the profile.
    static func buildSign() async throws -> VectorFile {
        let file = FileBuilder(
            "request.sign", "Signing requests under the RFC 9421 profile: the exact field values a signer emits")
        func input(_ draft: RequestDraft, keyID: String? = nil, seed: [UInt8]? = nil) -> JSONValue {
            func value(_ key: String) -> String { draft.parameters.first { $0.0 == key }!.1 }
            return .object([
                ("method", .string(draft.method)), ("target_uri", .string(draft.targetURI)),
                ("body", .string(Hex.encode(draft.body))),
                ("keyid", .string(keyID ?? String(value("keyid").dropFirst().dropLast()))),
                ("signing_seed", .string(Hex.encode(seed ?? draft.seed))),
                ("created", .integer(Int64(value("created"))!)), ("expires", .integer(Int64(value("expires"))!)),
                ("nonce", .string(String(value("nonce").dropFirst().dropLast()))),
            ])
        }
        func valid(_ comment: String, flags: [String] = ["Valid"], _ draft: RequestDraft) async throws {
            try await file.valid(
                comment, flags: flags, spec: ["dlv-request-sign", "dlv-request-keyid"], input: input(draft),
                expected: .object([
                    ("content_digest", .string(draft.digest)), ("signature_input", .string("dlg=" + draft.innerList)),
                    ("signature", .string("dlg=:" + base64(draft.signatureBytes) + ":")),
                    ("signature_base", .string(draft.signatureBase)),
                ]))
        }
        func invalid(_ comment: String, flags: [String], spec: [String] = [], _ input: JSONValue) async throws {
            try await file.invalid(
                comment, flags: flags, spec: ["dlv-request-sign"] + spec, input: input, error: "malformed")
        }

        file.group("exact outputs")
        try await valid("a user request: alice submits", RequestDraft())
        try await valid("a server request: example.net notifies", .server())
        var draft = RequestDraft()
        draft.method = "GET"
        draft.targetURI = home + "/inbox?after=c-000042&wait=30"
        draft.body = []
        try await valid("a body-less request", draft)
        draft = RequestDraft()
        draft.method = "PUT"
        draft.body = Seeds.bytes("request/blob", count: 5_000)
        draft.targetURI =
            home + "/blobs/blob-" + IdentifierVectors.base32(Construct.identifier("dialogue-v1/blob", draft.body))
        try await valid("an upload of 5,000 bytes", draft)
        for (comment, nonceText) in [
            ("a nonce of 16 characters", "abcdefghijklmnop"),
            ("a nonce of 64 characters", String(repeating: "Z_-9", count: 16)),
        ] {
            draft = RequestDraft()
            draft.set("nonce", "\"\(nonceText)\"")
            try await valid(comment, flags: ["Valid", "Limit"], draft)
        }
        for lifetime in [1, 300] as [UInt64] {
            try await valid("a lifetime of \(lifetime) s", flags: ["Valid", "Limit"], RequestDraft(lifetime: lifetime))
        }
        draft = RequestDraft(created: 0, lifetime: 300)
        try await valid("created = 0", flags: ["Valid", "EdgeCase"], draft)

        file.group("inputs outside the profile are malformed")
        let serverFingerprint = netCurrent.fingerprint
        let aliceFingerprint = fingerprint(Cast.alice)
        for (comment, keyID) in [
            ("a keyid: an address with a server key fingerprint", "alice@example.org/" + serverFingerprint),
            ("a keyid: a domain with an identity key fingerprint", "example.org/" + aliceFingerprint),
            ("a keyid: an address in upper case", "ALICE@example.org/" + aliceFingerprint),
            ("a keyid: the fingerprint in upper case", "alice@example.org/" + aliceFingerprint.uppercased()),
            ("a keyid without '/'", "alice@example.org"), ("an empty keyid", ""),
        ] {
            try await invalid(
                comment, flags: ["KeyID"], spec: ["dlv-request-keyid"], input(RequestDraft(), keyID: keyID))
        }
        try await invalid(
            "a keyid that does not name the signing key (alice's keyid, mallory's seed)", flags: ["KeyID"],
            input(RequestDraft(), seed: Cast.mallory.seed))
        try await invalid(
            "a server keyid with the identity-key fingerprint of the same key", flags: ["KeyID"],
            input(RequestDraft(), keyID: "example.org/srv-" + aliceFingerprint.dropFirst(4)))
        for (comment, nonceText) in [
            ("a nonce of 15 characters", "abcdefghijklmno"),
            ("a nonce of 65 characters", String(repeating: "n", count: 65)),
            ("a nonce with '/'", "AAECAwQFBgcICQoL/A0ODw"), ("an empty nonce", ""),
        ] {
            draft = RequestDraft()
            draft.set("nonce", "\"\(nonceText)\"")
            try await invalid(comment, flags: ["Nonce"], input(draft))
        }
        for (comment, lifetime) in [("a lifetime of 0", 0), ("a lifetime of 301 s", 301)] as [(String, UInt64)] {
            try await invalid(
                comment, flags: ["Time"], spec: ["dlv-request-time"], input(RequestDraft(lifetime: lifetime)))
        }
        draft = RequestDraft()
        draft.set("expires", String(created - 300))
        try await invalid("expires before created", flags: ["Time"], spec: ["dlv-request-time"], input(draft))
        draft = RequestDraft(created: 999_999_999_999_800, lifetime: 300)
        try await invalid(
            "expires beyond the 15 digits of an RFC 8941 integer", flags: ["Time", "Limits"], input(draft))
        for count in [31, 33, 0] {
            try await invalid(
                "a seed of \(count) bytes", flags: ["WrongLength"],
                input(RequestDraft(), seed: Seeds.bytes("request/short-seed", count: count)))
        }
        for (comment, method) in [
            ("an empty method", ""), ("a method with a space", "PO ST"), ("a method with a line feed", "POST\n"),
        ] {
            draft = RequestDraft()
            draft.method = method
            try await invalid(comment, flags: ["Profile"], input(draft))
        }
        for (comment, target) in [
            ("an empty target URI", ""), ("a target URI with a space", home + "/inbox?after=a b"),
            ("a target URI with a line feed that would forge a line of the base", submissions + "\n\"@method\": GET"),
        ] {
            draft = RequestDraft()
            draft.targetURI = target
            try await invalid(comment, flags: ["Profile"], input(draft))
        }
        return file.file
    }
}
