internal import Foundation

extension RequestVectors {
    /// Steps 3 to 8, then requests with several faults.
    static func buildLaterSteps(_ file: FileBuilder, _ invalid: Invalid) async throws {
        let aliceFingerprint = fingerprint(Cast.alice)
        let serverFingerprint = netCurrent.fingerprint
        let unknownAlgorithm =
            "key-" + IdentifierVectors.base32([0x02] + Array(Cast.alice.fingerprintBinary.dropFirst()))
        file.group("step 3: the keyid is PRINCIPAL/FINGERPRINT (dlv-request-keyid)")
        let keyIDs: [(String, String)] = [
            ("an address with a server key fingerprint (srv-)", "alice@example.org/" + serverFingerprint),
            ("a domain with an identity key fingerprint (key-)", "example.net/" + aliceFingerprint),
            ("an address not in canonical form (upper case)", "Alice@example.org/" + aliceFingerprint),
            ("a domain not in canonical form (upper case)", "Example.net/" + serverFingerprint),
            ("a domain with a final dot", "example.net./" + serverFingerprint),
            ("a domain with an empty label", "example..net/" + serverFingerprint),
            ("the fingerprint in upper case", "alice@example.org/" + aliceFingerprint.uppercased()),
            ("the fingerprint's kind in upper case", "alice@example.org/KEY-" + aliceFingerprint.dropFirst(4)),
            ("no '/'", "alice@example.org " + aliceFingerprint),
            ("two '/'", "alice@example.org/" + aliceFingerprint + "/x"),
            ("an empty principal", "/" + aliceFingerprint),
            ("an empty fingerprint", "alice@example.org/"),
            ("a blob identifier as the fingerprint", "alice@example.org/blob-" + aliceFingerprint.dropFirst(4)),
            ("a fingerprint cut short", "alice@example.org/" + aliceFingerprint.dropLast(1)),
            (
                "a fingerprint of an unknown algorithm (0x02): malformed, not unsupported-version",
                "alice@example.org/" + unknownAlgorithm
            ),
            ("the keyid of RFC 9421's example", "test-key-ed25519"),
            ("an address with two '@'", "alice@x@example.org/" + aliceFingerprint),
        ]
        for (comment, keyID) in keyIDs {
            try await invalid(comment, ["KeyID"], ["dlv-request-keyid"], RequestDraft(keyID: keyID), "malformed")
        }

        file.group(
            "step 4: created < expires <= created + 300, and created - 60 <= now <= expires + 60 (dlv-request-time)")
        for (comment, lifetime) in [
            ("a lifetime of 0 (expires = created)", 0), ("a lifetime of 301 seconds", 301),
            ("a lifetime of 86,400 seconds", 86_400),
        ] {
            try await invalid(
                comment, ["Time", "Limits"], ["dlv-request-time"], RequestDraft(lifetime: UInt64(lifetime)), "malformed"
            )
        }
        var draft = RequestDraft()
        draft.set("expires", String(created - 1))
        try await invalid("expires before created", ["Time"], ["dlv-request-time"], draft, "malformed")
        for (comment, now) in [
            ("now = created - 61: from the future beyond the skew", created - 61),
            ("now = expires + 61", created + 361),
            ("now a day after expires", created + 86_400), ("now = 0", 0),
        ] {
            draft = RequestDraft()
            draft.now = now
            try await invalid(comment, ["Time", "Skew"], ["dlv-request-time"], draft, "expired")
        }

        file.group(
            "step 5: the key is a current key of a user of this server, or of the domain's server document (unknown-key)"
        )
        draft = RequestDraft(keyID: userKeyID("dave@example.org", Cast.dave))
        draft.seed = Cast.dave.seed
        try await invalid("a user this server does not have", ["UnknownKey"], [], draft, "unknown-key")
        draft = RequestDraft(keyID: userKeyID("alice@example.org", Cast.mallory))
        draft.seed = Cast.mallory.seed
        try await invalid(
            "alice's address with a key that is not her current one", ["UnknownKey"], [], draft, "unknown-key")
        draft = RequestDraft(keyID: userKeyID("carol@example.org", Cast.alice))
        try await invalid(
            "alice's key under carol's address (each user has her own key)", ["UnknownKey"], [], draft, "unknown-key")
        draft = RequestDraft(keyID: userKeyID("bob@example.net", Cast.bob))
        draft.seed = Cast.bob.seed
        try await invalid("a user of another domain", ["UnknownKey"], [], draft, "unknown-key")
        let stranger = ServerKey("example.net", "stranger", validFrom: 0, validUntil: 2_000_000_000)
        draft = .server(stranger)
        try await invalid(
            "a server key the domain's document does not list", ["UnknownKey"], ["dlv-server-key-validity"], draft,
            "unknown-key")
        let otherDomain = ServerKey("example.edu", "current", validFrom: 0, validUntil: 2_000_000_000)
        draft = .server(otherDomain)
        try await invalid("a domain whose server document is not held", ["UnknownKey"], [], draft, "unknown-key")
        draft = RequestDraft(keyID: "example.net/" + comKey.fingerprint)
        draft.seed = comKey.seed
        draft.targetURI = notifications
        try await invalid(
            "example.com's key claimed for example.net", ["UnknownKey"], ["dlv-server-key-validity"], draft,
            "unknown-key")
        draft = .server(netOld)
        try await invalid(
            "a key whose validity ended the second before created", ["UnknownKey", "Limit"],
            ["dlv-server-key-validity"],
            draft, "unknown-key")
        draft = .server(netNext)
        try await invalid(
            "a key whose validity starts the second after created", ["UnknownKey", "Limit"],
            ["dlv-server-key-validity"],
            draft, "unknown-key")

        file.group("step 6: the signature verifies over the signature base (bad-signature)")
        let signatureFaults: [(String, (inout RequestDraft) -> Void)] = [
            (
                "one bit of the signature flipped",
                { draft in
                    var bytes = draft.signatureBytes
                    bytes[10] ^= 0x04
                    draft.signature = bytes
                }
            ),
            ("signed by mallory under alice's keyid", { draft in draft.seed = Cast.mallory.seed }),
            ("signed for another target URI", { draft in draft.signedTargetURI = home + "/inbox" }),
            (
                "signed for the target URI with another host",
                { draft in
                    draft.signedTargetURI = "https://mail.example.com/dialogue/v1/submissions"
                }
            ),
            ("signed for another method", { draft in draft.signedMethod = "PUT" }),
            ("signed for the method in lower case", { draft in draft.signedMethod = "post" }),
            ("signed over another Content-Digest", { draft in draft.signedDigest = digestField([0x00]) }),
            (
                "signed over the parameters in another order than sent",
                { draft in
                    let p = draft.parameters
                    draft.signedParameters =
                        "(\"@method\" \"@target-uri\" \"content-digest\")"
                        + [p[1], p[0], p[2], p[3], p[4]].map { ";\($0.0)=\($0.1)" }.joined()
                }
            ),
            (
                "signed over the inner list as sent, with its extra spaces (the base re-serializes it)",
                { draft in
                    let sent = "(\"@method\"  \"@target-uri\" \"content-digest\")" + draft.parametersText
                    draft.signatureInputField = "dlg=" + sent
                    draft.signedParameters = sent
                }
            ),
            (
                "signed over the Content-Digest value with the spaces it was sent with",
                { draft in
                    draft.contentDigest = " " + digestField(draft.body)
                    draft.signedDigest = draft.contentDigest
                }
            ),
            (
                "signed with a final line feed after the base",
                { draft in
                    draft.transformBase = { Array(($0 + "\n").utf8) }
                }
            ),
            (
                "signed with CR LF between the lines",
                { draft in
                    draft.transformBase = { Array($0.replacingOccurrences(of: "\n", with: "\r\n").utf8) }
                }
            ),
            (
                "signed with a context prefix (dialogue-v1/request and 0x00)",
                { draft in
                    draft.transformBase = { Array("dialogue-v1/request".utf8) + [0] + Array($0.utf8) }
                }
            ),
            (
                "the target URI the client used differs from the server's (a proxy rewrote it)",
                { draft in
                    draft.signedTargetURI = "http://10.0.0.5:8080/dialogue/v1/submissions"
                }
            ),
        ]
        for (comment, change) in signatureFaults {
            draft = RequestDraft()
            change(&draft)
            try await invalid(comment, ["BadSignature"], [], draft, "bad-signature")
        }
        draft = .server()
        draft.seed = netOld.seed
        try await invalid(
            "a server request signed by another key of the same document", ["BadSignature"], [], draft, "bad-signature")

        // Found by the differential fuzzer: the Python verifier built a base around such a value.
        file.group("step 6: a component value the signature base cannot hold is malformed, signed or not")
        let unfit: [(String, String)] = [
            ("the target URI holds a non-ASCII character", RequestVectors.submissions + "?to=\u{e9}"),
            ("the target URI holds a space", RequestVectors.submissions + "?a b"),
            (
                "the target URI holds a line feed and a forged line of the base",
                RequestVectors.submissions + "\n\"@method\": GET"
            ),
        ]
        for (comment, uri) in unfit {
            draft = RequestDraft()
            draft.targetURI = uri
            try await invalid(comment + ", and the signature covers it", ["Precedence"], [], draft, "malformed")
        }

        file.group("step 7: the nonce was not accepted before under this keyid (dlv-request-replay)")
        draft = RequestDraft()
        draft.seen = [(aliceKeyID, nonce)]
        try await invalid(
            "the pair (keyid, nonce) was accepted before", ["Nonce"], ["dlv-request-replay"], draft, "replayed")
        draft = .server()
        draft.seen = [(aliceKeyID, "other-nonce-0000"), (netCurrent.keyID, nonce)]
        try await invalid("a server request replayed", ["Nonce"], ["dlv-request-replay"], draft, "replayed")

        file.group("step 8: the body's SHA-256 is the Content-Digest (authentication-failed)")
        let bodyFaults: [(String, (inout RequestDraft) -> Void)] = [
            (
                "one bit of the body flipped",
                { draft in
                    draft.contentDigest = digestField(draft.body)
                    draft.body[0] ^= 1
                }
            ),
            (
                "the body cut by one byte",
                { draft in
                    draft.contentDigest = digestField(draft.body)
                    draft.body.removeLast()
                }
            ),
            (
                "a byte added to the body",
                { draft in
                    draft.contentDigest = digestField(draft.body)
                    draft.body.append(0)
                }
            ),
            (
                "no body, the digest of a body",
                { draft in
                    draft.contentDigest = digestField(draft.body)
                    draft.body = []
                }
            ),
        ]
        for (comment, change) in bodyFaults {
            draft = RequestDraft()
            change(&draft)
            try await invalid(comment, ["Digest"], [], draft, "authentication-failed")
        }

        file.group("several faults: the first step that fails decides (conf-error-precedence)")
        let combined: [(String, String, (inout RequestDraft) -> Void)] = [
            (
                "the labels differ (2) and the keyid is malformed (3)", "malformed",
                { draft in
                    draft.set("keyid", "\"nobody\"")
                    draft.signatureField = "sig=:\(base64(draft.signatureBytes)):"
                }
            ),
            (
                "a signature of 63 bytes (2) and the request expired (4)", "malformed",
                { draft in
                    draft.signatureField = "dlg=:\(base64(Array(draft.signatureBytes.prefix(63)))):"
                    draft.now = created + 10_000
                }
            ),
            (
                "an address with srv- (3) and the request expired (4)", "malformed",
                { draft in
                    draft.set("keyid", "\"alice@example.org/\(serverFingerprint)\"")
                    draft.now = created + 10_000
                }
            ),
            (
                "a lifetime of 301 (4, malformed) checked before the window (4, expired)", "malformed",
                { draft in
                    draft.set("expires", String(created + 301))
                    draft.now = created + 10_000
                }
            ),
            (
                "expired (4) and an unknown user (5)", "expired",
                { draft in
                    draft.set("keyid", "\"\(userKeyID("dave@example.org", Cast.dave))\"")
                    draft.seed = Cast.dave.seed
                    draft.now = created + 10_000
                }
            ),
            (
                "expired (4) and a bad signature (6)", "expired",
                { draft in
                    draft.seed = Cast.mallory.seed
                    draft.now = created - 1_000
                }
            ),
            (
                "expired (4) and replayed (7)", "expired",
                { draft in
                    draft.seen = [(aliceKeyID, nonce)]
                    draft.now = created + 1_000
                }
            ),
            (
                "an unknown key (5) and a bad signature (6)", "unknown-key",
                { draft in
                    draft.set("keyid", "\"\(userKeyID("dave@example.org", Cast.dave))\"")
                }
            ),
            (
                "an unknown key (5) and replayed (7)", "unknown-key",
                { draft in
                    draft.set("keyid", "\"\(userKeyID("dave@example.org", Cast.dave))\"")
                    draft.seed = Cast.dave.seed
                    draft.seen = [(userKeyID("dave@example.org", Cast.dave), nonce)]
                }
            ),
            (
                "a bad signature (6) and replayed (7): the signature comes first", "bad-signature",
                { draft in
                    draft.seed = Cast.mallory.seed
                    draft.seen = [(aliceKeyID, nonce)]
                }
            ),
            (
                "a bad signature (6) and the body's digest (8)", "bad-signature",
                { draft in
                    draft.seed = Cast.mallory.seed
                    draft.contentDigest = digestField(draft.body)
                    draft.body = []
                }
            ),
            (
                "replayed (7) and the body's digest (8)", "replayed",
                { draft in
                    draft.seen = [(aliceKeyID, nonce)]
                    draft.contentDigest = digestField(draft.body)
                    draft.body = []
                }
            ),
            (
                "Content-Digest over 1,024 bytes (1) and the labels differ (2)", "limits-exceeded",
                { draft in
                    draft.contentDigest = String(repeating: " ", count: 1_100) + digestField(draft.body)
                    draft.signedDigest = digestField(draft.body)
                    draft.signatureField = "sig=:\(base64(draft.signatureBytes)):"
                }
            ),
            (
                "Content-Digest repeated (1) and a bad signature (6)", "malformed",
                { draft in
                    draft.seed = Cast.mallory.seed
                    draft.transformLines = { lines in lines + lines.filter { $0[0] == "content-digest" } }
                }
            ),
        ]
        for (comment, error, change) in combined {
            draft = RequestDraft()
            change(&draft)
            try await invalid(comment, ["Precedence"], ["conf-error-precedence"], draft, error)
        }
        // Found by the differential fuzzer: the Python verifier accepted tokens, decimals and booleans in a
        // field's parse and failed the next field's size instead.
        let outsideTheSubset: [(String, (inout RequestDraft) -> Void)] = [
            ("a token where created's number belongs", { $0.set("created", "q760000000") }),
            ("created as a decimal", { $0.set("created", "1760000000.0") }),
            ("a parameter without a value (a boolean)", { $0.signatureInputField = "dlg=\($0.innerList);sf" }),
        ]
        file.group("step 1: tokens, decimals and booleans fail the field's own parse, before the next field is read")
        for (comment, change) in outsideTheSubset {
            draft = RequestDraft()
            change(&draft)
            draft.signatureField = String(repeating: " ", count: 1_100) + "dlg=:\(base64(draft.signatureBytes)):"
            try await invalid(
                "Signature-Input with \(comment) and Signature over 1,024 bytes: malformed", ["Precedence", "Limits"],
                [], draft, "malformed")
        }
    }
}
