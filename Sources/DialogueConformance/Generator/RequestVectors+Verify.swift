internal import DialogueCrypto
internal import Foundation

extension RequestVectors {
    static let verifySpec = ["dlv-request-verify"]

    /// `request_verify.json`: for every step of [dlv-request-verify] at least one request that
    /// fails exactly there, the valid variants the profile allows, and requests with several
    /// faults whose class pins the order of the steps.
    static func buildVerify() async throws -> VectorFile {
        let file = FileBuilder(
            "request.verify",
            "Verifying signed requests under the RFC 9421 profile, in the order of dlv-request-verify")
        let alice = "alice@example.org"
        func valid(
            _ comment: String, flags: [String] = ["Valid"], spec: [String] = [], _ draft: RequestDraft,
            kind: String = "user", principal: String = alice
        ) async throws {
            try await file.valid(
                comment, flags: flags, spec: verifySpec + spec, input: draft.input,
                expected: draft.expected(kind: kind, principal: principal))
        }
        func invalid(_ comment: String, flags: [String], spec: [String] = [], _ draft: RequestDraft, _ error: String)
            async throws
        {
            try await file.invalid(comment, flags: flags, spec: verifySpec + spec, input: draft.input, error: error)
        }

        file.group("valid requests, and the variants the profile allows")
        try await valid("a user request: alice submits", spec: ["dlv-request-keyid"], RequestDraft())
        try await valid(
            "a server request: example.net notifies", spec: ["dlv-request-keyid", "dlv-server-key-validity"],
            .server(), kind: "server", principal: "example.net")
        var draft = RequestDraft()
        draft.method = "GET"
        draft.targetURI = home + "/inbox?after=c-000042&wait=30"
        draft.body = []
        draft.otherLines = []
        try await valid(
            "a body-less request: the Content-Digest of the empty string, the specification's example", draft)
        draft = RequestDraft()
        draft.set("alg", "\"ed25519\"")
        try await valid("the optional alg parameter, \"ed25519\"", flags: ["Valid", "Profile"], draft)
        draft = RequestDraft()
        draft.transformLines = { lines in lines.map { [$0[0].uppercased(), $0[1]] } }
        try await valid("header names in upper case", flags: ["Valid", "Case"], draft)
        draft = RequestDraft()
        draft.transformLines = { lines in
            lines.map {
                [
                    [
                        "content-digest": "Content-Digest", "signature-input": "Signature-Input",
                        "signature": "SIGNATURE",
                    ][$0[0]] ?? $0[0], $0[1],
                ]
            }
        }
        try await valid("header names in mixed case", flags: ["Valid", "Case"], draft)
        draft = RequestDraft()
        draft.signatureInputField =
            "dlg=(  \"@method\"   \"@target-uri\" \"content-digest\" );created=\(created);  expires=\(created + 300);nonce=\"\(nonce)\";keyid=\"\(aliceKeyID)\";tag=\"dialogue-v1\""
        try await valid(
            "spaces inside the inner list and after ';': accepted, and the base holds the list re-serialized",
            flags: ["Valid", "Whitespace"], draft)
        draft = RequestDraft()
        draft.signatureInputField = "  dlg=\(draft.innerList)  "
        draft.signatureField = "   dlg=:\(base64(draft.signatureBytes)):"
        try await valid("leading and trailing spaces around the fields' values", flags: ["Valid", "Whitespace"], draft)
        draft = RequestDraft()
        draft.contentDigest = "  " + digestField(draft.body) + " "
        try await valid(
            "spaces around the Content-Digest value: the base holds the value without them (RFC 9421 section 2.1)",
            flags: ["Valid", "Whitespace"], draft)
        draft = RequestDraft()
        draft.parameters = [
            draft.parameters[4], draft.parameters[2], draft.parameters[3], draft.parameters[1], draft.parameters[0],
        ]
        try await valid(
            "the parameters in another order: the base keeps the order received", flags: ["Valid", "Profile"], draft)
        for label in ["sig1", "*a.b-c_d9", "x"] {
            draft = RequestDraft()
            draft.label = label
            try await valid("the label \(label): any label is accepted", flags: ["Valid", "Profile"], draft)
        }
        draft = RequestDraft()
        draft.seen = [(userKeyID("carol@example.org", Cast.carol), nonce), (netCurrent.keyID, nonce)]
        try await valid(
            "the nonce was accepted before under other keyids: not a replay", flags: ["Valid", "Nonce"],
            spec: ["dlv-request-replay"], draft)
        draft = RequestDraft(keyID: userKeyID("carol@example.org", Cast.carol))
        draft.seed = Cast.carol.seed
        try await valid("another user of the server", draft, principal: "carol@example.org")
        for (comment, nonceText) in [
            ("a nonce of 16 characters", "abcdefghijklmnop"),
            ("a nonce of 64 characters, every kind of character", "AZaz09-_" + String(repeating: "x", count: 56)),
        ] {
            draft = RequestDraft()
            draft.set("nonce", "\"\(nonceText)\"")
            try await valid(comment, flags: ["Valid", "Limit"], draft)
        }
        draft = RequestDraft(lifetime: 1)
        try await valid("a lifetime of 1 second", flags: ["Valid", "Limit"], spec: ["dlv-request-time"], draft)
        draft = RequestDraft(lifetime: 300)
        draft.now = created + 300
        try await valid(
            "a lifetime of 300 seconds, checked at expires", flags: ["Valid", "Limit"], spec: ["dlv-request-time"],
            draft)
        draft = RequestDraft()
        draft.now = created - 60
        try await valid(
            "now = created - 60: the skew allows it", flags: ["Valid", "Limit", "Skew"], spec: ["dlv-request-time"],
            draft)
        draft = RequestDraft()
        draft.now = created + 300 + 60
        try await valid(
            "now = expires + 60: the skew allows it", flags: ["Valid", "Limit", "Skew"], spec: ["dlv-request-time"],
            draft)
        for (comment, key, time) in [
            ("created = valid from of the next server key", netNext, netNext.validFrom),
            ("created = valid until of the old server key", netOld, netOld.validUntil),
        ] {
            draft = RequestDraft(keyID: key.keyID, created: time)
            draft.seed = key.seed
            draft.targetURI = notifications
            draft.body = notification
            draft.now = time + 10
            try await valid(
                comment, flags: ["Valid", "Limit"], spec: ["dlv-server-key-validity"], draft, kind: "server",
                principal: "example.net")
        }
        draft = RequestDraft()
        let padding = 1_024 - ("dlg=" + draft.innerList).utf8.count
        draft.signatureInputField =
            "dlg=(\"@method\"" + String(repeating: " ", count: padding + 1) + "\"@target-uri\" \"content-digest\")"
            + draft.parametersText
        try await valid("a Signature-Input of exactly 1,024 bytes", flags: ["Valid", "Limit", "Whitespace"], draft)

        try await buildStepOne(file, invalid)
        try await buildStepTwo(file, invalid)
        try await buildLaterSteps(file, invalid)
        return file.file
    }

    /// Adds one invalid vector: comment, flags, anchors beyond dlv-request-verify, request, class.
    typealias Invalid = (String, [String], [String], RequestDraft, String) async throws -> Void

    /// Step 1: the three fields, present once, at most 1,024 bytes, strict RFC 8941 dictionaries.
    static func buildStepOne(
        _ file: FileBuilder, _ invalid: Invalid
    ) async throws {
        file.group("step 1: each field once, at most 1,024 bytes, a strict RFC 8941 dictionary")
        for name in ["signature-input", "signature", "content-digest"] {
            var draft = RequestDraft()
            draft.transformLines = { lines in lines.filter { $0[0] != name } }
            try await invalid("the \(name) field is missing", ["Header"], [], draft, "malformed")
            draft = RequestDraft()
            draft.transformLines = { lines in lines + lines.filter { $0[0] == name } }
            try await invalid(
                "the \(name) field is sent twice, the same line both times", ["Header"], [], draft, "malformed")
        }
        var draft = RequestDraft()
        draft.transformLines = { lines in
            lines.map { $0[0] == "signature" ? ["Signature", $0[1]] : $0 } + [["signature", "x=:AAAA:"]]
        }
        try await invalid(
            "two Signature lines, their names in different case", ["Header", "Case"], [], draft, "malformed")
        // Over the limit: the extra bytes are whitespace the parser would skip, so only the limit refuses them.
        draft = RequestDraft()
        let field = "dlg=" + draft.innerList
        draft.signatureInputField =
            "dlg=(\"@method\"" + String(repeating: " ", count: 1_025 - field.utf8.count + 1)
            + "\"@target-uri\" \"content-digest\")" + draft.parametersText
        try await invalid(
            "a Signature-Input of 1,025 bytes (spaces inside the list)", ["Limits"], [], draft, "limits-exceeded")
        draft = RequestDraft()
        let signatureMember = "dlg=:\(base64(draft.signatureBytes)):"
        draft.signatureField = String(repeating: " ", count: 1_025 - signatureMember.utf8.count) + signatureMember
        try await invalid("a Signature of 1,025 bytes (leading spaces)", ["Limits"], [], draft, "limits-exceeded")
        draft = RequestDraft()
        draft.contentDigest =
            String(repeating: " ", count: 1_025 - digestField(draft.body).utf8.count) + digestField(draft.body)
        draft.signedDigest = digestField(draft.body)
        try await invalid("a Content-Digest of 1,025 bytes (leading spaces)", ["Limits"], [], draft, "limits-exceeded")

        let signature = base64(RequestDraft().signatureBytes)
        let dictionaryFaults: [(String, (inout RequestDraft) -> Void)] = [
            (
                "the label twice in Signature-Input, the same member both times (RFC 8941 would keep the last)",
                { draft in
                    draft.signatureInputField = "dlg=\(draft.innerList), dlg=\(draft.innerList)"
                }
            ),
            (
                "the label twice in Signature, the same member both times",
                { draft in
                    draft.signatureField =
                        "dlg=:\(base64(draft.signatureBytes)):, dlg=:\(base64(draft.signatureBytes)):"
                }
            ),
            (
                "sha-256 twice in Content-Digest, the same digest both times",
                { draft in
                    draft.contentDigest = digestField(draft.body) + ", " + digestField(draft.body)
                    draft.signedDigest = digestField(draft.body)
                }
            ),
            (
                "created twice among the parameters, the same value both times",
                { draft in
                    draft.parameters.append(("created", String(created)))
                }
            ),
            (
                "nonce twice among the parameters, different values",
                { draft in
                    draft.parameters.append(("nonce", "\"BBECAwQFBgcICQoLDA0ODw\""))
                }
            ),
            ("a label in upper case (not an RFC 8941 key)", { draft in draft.label = "DLG" }),
            ("a label starting with a digit", { draft in draft.label = "1dlg" }),
            ("a trailing comma after the member", { draft in draft.signatureInputField = "dlg=\(draft.innerList)," }),
            (
                "the inner list is not closed",
                { draft in
                    draft.signatureInputField =
                        "dlg=(\"@method\" \"@target-uri\" \"content-digest\"" + draft.parametersText
                }
            ),
            (
                "components without their quotes",
                { draft in draft.componentItems = ["@method", "@target-uri", "content-digest"] }
            ),
            (
                "a component as a boolean-valued item",
                { draft in draft.componentItems = ["\"@method\"", "\"@target-uri\"", "?1"] }
            ),
            (
                "a space before ';'",
                { draft in
                    draft.signatureInputField =
                        "dlg=(\"@method\" \"@target-uri\" \"content-digest\") ;created=\(created)"
                }
            ),
            ("a member without a value (a boolean)", { draft in draft.signatureInputField = "dlg" }),
            (
                "a parameter without a value (a boolean)",
                { draft in draft.signatureInputField = "dlg=\(draft.innerList);sf" }
            ),
            ("created with 16 digits", { draft in draft.set("created", "1760000000000000") }),
            ("created as a decimal", { draft in draft.set("created", "1760000000.0") }),
            ("a string with a control character", { draft in draft.set("nonce", "\"AAECAwQFBgcI\tCQoLDA0ODw\"") }),
            (
                "a string with a backslash escaping a letter",
                { draft in draft.set("nonce", "\"AAECAwQFBgcI\\CQoLDA0ODw\"") }
            ),
            (
                "a string that is not closed",
                { draft in
                    draft.signatureInputField = "dlg=\(draft.innerList.dropLast(1))"
                }
            ),
            ("a keyid with a non-ASCII character", { draft in draft.set("keyid", "\"alicé@example.org/key-a\"") }),
            ("a Signature member that is a token", { draft in draft.signatureField = "dlg=abc" }),
            ("a byte sequence that is not closed", { draft in draft.signatureField = "dlg=:\(signature)" }),
            (
                "a second member after ';' instead of ',' (read as a parameter of the first)",
                { draft in
                    draft.signatureField = "dlg=:\(signature):; x=:AAAA:"
                }
            ),
        ]
        for (comment, change) in dictionaryFaults {
            var draft = RequestDraft()
            change(&draft)
            try await invalid(comment, ["StructuredField"], [], draft, "malformed")
        }
        file.group("step 1: byte sequences in canonical base64 only (padding present, zero fill bits)")
        let digest = SHA256.hash(RequestDraft().body)
        let canonicalDigest = base64(digest)
        let base64Faults: [(String, (inout RequestDraft) -> Void)] = [
            (
                "the signature without its padding",
                { draft in
                    draft.signatureField = "dlg=:\(base64(draft.signatureBytes).dropLast(2)):"
                }
            ),
            (
                "the signature with non-zero fill bits",
                { draft in
                    draft.signatureField = "dlg=:\(RequestVectors.setFillBit(base64(draft.signatureBytes))):"
                }
            ),
            (
                "the signature in the base64url alphabet",
                { draft in
                    let text = base64(draft.signatureBytes)
                    precondition(text.contains("+") || text.contains("/"), "the signature has no character to change")
                    draft.signatureField =
                        "dlg=:\(text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")):"
                }
            ),
            (
                "the signature with a space inside",
                { draft in
                    let text = base64(draft.signatureBytes)
                    draft.signatureField = "dlg=:\(text.prefix(40)) \(text.dropFirst(40)):"
                }
            ),
            (
                "the signature with one '=' too many",
                { draft in draft.signatureField = "dlg=:\(base64(draft.signatureBytes))=:" }
            ),
            (
                "the digest without its padding",
                { draft in
                    draft.contentDigest = "sha-256=:\(canonicalDigest.dropLast()):"
                    draft.signedDigest = draft.contentDigest
                }
            ),
            (
                "the digest with non-zero fill bits",
                { draft in
                    draft.contentDigest = "sha-256=:\(RequestVectors.setFillBit(canonicalDigest)):"
                    draft.signedDigest = draft.contentDigest
                }
            ),
        ]
        for (comment, change) in base64Faults {
            var draft = RequestDraft()
            change(&draft)
            try await invalid(comment, ["Base64"], [], draft, "malformed")
        }
        file.group("step 1: the fields are read in the order Signature-Input, Signature, Content-Digest")
        draft = RequestDraft()
        draft.signatureInputField =
            "dlg=(\"@method\"" + String(repeating: " ", count: 1_100) + "\"@target-uri\" \"content-digest\")"
            + draft.parametersText
        draft.transformLines = { lines in lines.filter { $0[0] != "signature" } }
        try await invalid(
            "Signature-Input over 1,024 bytes and Signature missing: limits-exceeded", ["Precedence", "Limits"], [],
            draft,
            "limits-exceeded")
        draft = RequestDraft()
        draft.label = "DLG"
        draft.signatureField = String(repeating: " ", count: 1_100) + "DLG=:\(signature):"
        try await invalid(
            "Signature-Input does not parse and Signature is over 1,024 bytes: malformed", ["Precedence", "Limits"], [],
            draft,
            "malformed")
        draft = RequestDraft()
        draft.signatureField = String(repeating: " ", count: 1_100) + "dlg=:\(signature):"
        draft.transformLines = { lines in lines.filter { $0[0] != "content-digest" } }
        try await invalid(
            "Signature over 1,024 bytes and Content-Digest missing: limits-exceeded", ["Precedence", "Limits"], [],
            draft,
            "limits-exceeded")
        // Found by the differential fuzzer: the Python verifier checked canonical base64 at step 2.
        draft = RequestDraft()
        draft.contentDigest = String(repeating: " ", count: 1_100) + digestField(draft.body)
        draft.signatureField = "dlg=:\(base64(draft.signatureBytes).dropLast(2)):"
        try await invalid(
            "Signature without its base64 padding and Content-Digest over 1,024 bytes: malformed",
            ["Precedence", "Limits"], [], draft, "malformed")
        // Found by the differential fuzzer: the Python verifier stripped a leading tab too.
        draft = RequestDraft()
        draft.signatureField = "\tdlg=:\(base64(draft.signatureBytes)):"
        try await invalid(
            "a tab before the Signature's value: RFC 8941 discards leading spaces only", ["Layout"], [], draft,
            "malformed")
    }

    /// `text` (canonical base64 ending in padding) with a fill bit of its last character set.
    static func setFillBit(_ text: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var characters = Array(text)
        let padding = characters.reversed().prefix { $0 == "=" }.count
        let last = characters.count - padding - 1
        characters[last] = alphabet[alphabet.firstIndex(of: characters[last])! | 1]
        return String(characters)
    }
}
