internal import DialogueCrypto

extension RequestVectors {
    /// Step 2: the profile of delivery.md#dlv-request; every failure is `malformed`. Each request
    /// is signed over the base its own fields give.
    static func buildStepTwo(_ file: FileBuilder, _ invalid: Invalid) async throws {
        file.group("step 2: one signature, the three components in order, the parameters of the profile")
        let signature = base64(RequestDraft().signatureBytes)
        let faults: [(String, [String], (inout RequestDraft) -> Void)] = [
            (
                "two signatures, each in both fields", ["Profile"],
                { draft in
                    let member = "dlg=\(draft.innerList)"
                    draft.signatureInputField = member + ", two=" + draft.innerList
                    draft.signatureField =
                        "dlg=:\(base64(draft.signatureBytes)):, two=:\(base64(draft.signatureBytes)):"
                }
            ),
            (
                "one member in Signature-Input, two in Signature", ["Profile"],
                { draft in
                    draft.signatureField = "dlg=:\(base64(draft.signatureBytes)):, two=:\(signature):"
                }
            ),
            (
                "two members in Signature-Input, one in Signature", ["Profile"],
                { draft in
                    draft.signatureInputField = "dlg=\(draft.innerList), two=\(draft.innerList)"
                }
            ),
            (
                "the labels differ", ["Profile"],
                { draft in
                    draft.signatureField = "sig=:\(base64(draft.signatureBytes)):"
                }
            ),
            ("an empty Signature-Input", ["Profile"], { draft in draft.signatureInputField = "" }),
            ("an empty Content-Digest", ["Profile", "Digest"], { draft in draft.contentDigest = "" }),
            (
                "the Signature-Input member is a string, not an inner list", ["Profile"],
                { draft in
                    draft.signatureInputField = "dlg=\"@method\"" + draft.parametersText
                }
            ),
            (
                "the components out of order", ["Components"],
                { draft in
                    draft.components = ["@target-uri", "@method", "content-digest"]
                }
            ),
            ("content-digest not covered", ["Components"], { draft in draft.components = ["@method", "@target-uri"] }),
            ("@method not covered", ["Components"], { draft in draft.components = ["@target-uri", "content-digest"] }),
            ("no component at all", ["Components"], { draft in draft.components = [] }),
            (
                "content-type covered too", ["Components"],
                { draft in
                    draft.components = ["@method", "@target-uri", "content-digest", "content-type"]
                }
            ),
            (
                "@authority instead of @target-uri", ["Components"],
                { draft in
                    draft.components = ["@method", "@authority", "content-digest"]
                }
            ),
            (
                "@method covered twice", ["Components"],
                { draft in
                    draft.components = ["@method", "@target-uri", "content-digest", "@method"]
                }
            ),
            (
                "a component name in upper case", ["Components", "Case"],
                { draft in
                    draft.componentItems = ["\"@method\"", "\"@target-uri\"", "\"Content-Digest\""]
                }
            ),
            (
                "content-digest with a parameter (;key=\"sha-256\")", ["Components"],
                { draft in
                    draft.componentItems = ["\"@method\"", "\"@target-uri\"", "\"content-digest\";key=\"sha-256\""]
                }
            ),
            (
                "@method with a parameter (;req=1)", ["Components"],
                { draft in
                    draft.componentItems = ["\"@method\";req=1", "\"@target-uri\"", "\"content-digest\""]
                }
            ),
            (
                "a component as an integer", ["Components"],
                { draft in
                    draft.componentItems = ["\"@method\"", "\"@target-uri\"", "1"]
                }
            ),
            ("created missing", ["Parameters"], { draft in draft.remove("created") }),
            ("expires missing", ["Parameters"], { draft in draft.remove("expires") }),
            ("nonce missing", ["Parameters"], { draft in draft.remove("nonce") }),
            ("keyid missing", ["Parameters"], { draft in draft.remove("keyid") }),
            ("tag missing", ["Parameters"], { draft in draft.remove("tag") }),
            ("an extra parameter (context)", ["Parameters"], { draft in draft.set("context", "\"x\"") }),
            (
                "an extra parameter with the alg of the profile", ["Parameters"],
                { draft in
                    draft.set("alg", "\"ed25519\"")
                    draft.set("algorithm", "\"ed25519\"")
                }
            ),
            ("created as a string", ["Parameters"], { draft in draft.set("created", "\"\(created)\"") }),
            ("expires as a byte sequence", ["Parameters"], { draft in draft.set("expires", ":AAAA:") }),
            ("created negative", ["Parameters"], { draft in draft.set("created", "-1") }),
            ("nonce as an integer", ["Parameters", "Nonce"], { draft in draft.set("nonce", "123456789012345") }),
            ("keyid as a byte sequence", ["Parameters", "KeyID"], { draft in draft.set("keyid", ":AAAA:") }),
            ("tag as an integer", ["Parameters"], { draft in draft.set("tag", "1") }),
            ("the tag dialogue-v2", ["Parameters"], { draft in draft.set("tag", "\"dialogue-v2\"") }),
            ("the tag in upper case", ["Parameters", "Case"], { draft in draft.set("tag", "\"Dialogue-v1\"") }),
            ("an empty tag", ["Parameters"], { draft in draft.set("tag", "\"\"") }),
            ("alg rsa-pss-sha512", ["Parameters"], { draft in draft.set("alg", "\"rsa-pss-sha512\"") }),
            ("alg ED25519 in upper case", ["Parameters", "Case"], { draft in draft.set("alg", "\"ED25519\"") }),
            ("alg hmac-sha256", ["Parameters"], { draft in draft.set("alg", "\"hmac-sha256\"") }),
            ("alg as an integer", ["Parameters"], { draft in draft.set("alg", "25519") }),
            ("a nonce of 15 characters", ["Nonce", "Limits"], { draft in draft.set("nonce", "\"abcdefghijklmno\"") }),
            (
                "a nonce of 65 characters", ["Nonce", "Limits"],
                { draft in
                    draft.set("nonce", "\"" + String(repeating: "n", count: 65) + "\"")
                }
            ),
            ("a nonce with '+'", ["Nonce"], { draft in draft.set("nonce", "\"AAECAwQFBgcICQoLDA0+Dw\"") }),
            ("a nonce with '='", ["Nonce"], { draft in draft.set("nonce", "\"AAECAwQFBgcICQoLDA0ODw==\"") }),
            ("a nonce with a space", ["Nonce"], { draft in draft.set("nonce", "\"AAECAwQFBgcI CQoLDA0ODw\"") }),
            (
                "a signature of 63 bytes", ["WrongLength"],
                { draft in
                    draft.signatureField = "dlg=:\(base64(Array(draft.signatureBytes.prefix(63)))):"
                }
            ),
            (
                "a signature of 65 bytes", ["WrongLength"],
                { draft in
                    draft.signatureField = "dlg=:\(base64(draft.signatureBytes + [0])):"
                }
            ),
            ("an empty signature", ["WrongLength"], { draft in draft.signatureField = "dlg=::" }),
            (
                "the signature with a parameter", ["Profile"],
                { draft in
                    draft.signatureField = "dlg=:\(base64(draft.signatureBytes)):;alg=\"ed25519\""
                }
            ),
            (
                "the signature as an inner list", ["Profile"],
                { draft in
                    draft.signatureField = "dlg=(:\(base64(draft.signatureBytes)):)"
                }
            ),
            (
                "the signature as a string", ["Profile"],
                { draft in
                    draft.signatureField = "dlg=\"\(base64(draft.signatureBytes))\""
                }
            ),
            (
                "Content-Digest with sha-512 only", ["Digest"],
                { draft in
                    draft.contentDigest = "sha-512=:" + base64(Seeds.bytes("request/sha512", count: 64)) + ":"
                }
            ),
            (
                "Content-Digest with sha-256 and sha-512", ["Digest"],
                { draft in
                    draft.contentDigest =
                        digestField(draft.body) + ", sha-512=:" + base64(Seeds.bytes("request/sha512", count: 64)) + ":"
                }
            ),
            (
                "Content-Digest with sha-512 first, then sha-256", ["Digest"],
                { draft in
                    draft.contentDigest =
                        "sha-512=:" + base64(Seeds.bytes("request/sha512", count: 64)) + ":, " + digestField(draft.body)
                }
            ),
            (
                "a sha-256 digest of 31 bytes", ["Digest", "WrongLength"],
                { draft in
                    draft.contentDigest = "sha-256=:" + base64(Array(SHA256.hash(draft.body).prefix(31))) + ":"
                }
            ),
            (
                "a sha-256 digest of 33 bytes", ["Digest", "WrongLength"],
                { draft in
                    draft.contentDigest = "sha-256=:" + base64(SHA256.hash(draft.body) + [0]) + ":"
                }
            ),
            (
                "the sha-256 member with a parameter", ["Digest"],
                { draft in
                    draft.contentDigest = digestField(draft.body) + ";x=1"
                }
            ),
            (
                "the sha-256 member as a string", ["Digest"],
                { draft in
                    draft.contentDigest = "sha-256=\"" + base64(SHA256.hash(draft.body)) + "\""
                }
            ),
            (
                "the member id-sha-256 (RFC 3230's name)", ["Digest"],
                { draft in
                    draft.contentDigest = "id-sha-256=:" + base64(SHA256.hash(draft.body)) + ":"
                }
            ),
        ]
        for (comment, flags, change) in faults {
            var draft = RequestDraft()
            change(&draft)
            try await invalid(comment, flags, [], draft, "malformed")
        }
    }
}
