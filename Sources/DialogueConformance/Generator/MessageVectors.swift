/// `message_open.json` (Spec: messages.md#msg-open, each step and their order).
enum MessageVectors {
    static func openInput(_ envelope: [UInt8], _ who: Identity, addresses: [String]? = nil, stanza: Int? = nil)
        -> JSONValue
    {
        .object([
            ("envelope", .string(Hex.encode(envelope))),
            ("encryption_secret", .string(Hex.encode(who.encryptionSecret))),
            ("addresses", .array((addresses ?? who.addresses).map { .string($0) })),
            ("stanza_index", stanza.map { .integer(Int64($0)) } ?? .null),
        ])
    }

    /// How an envelope was made: the message key and the ephemeral secret (encrypted mode).
    static func construction(_ forge: MessageForge) -> JSONValue? {
        guard forge.mode == 0 else { return nil }
        return .object([
            ("message_key", .string(Hex.encode(forge.messageKey))),
            ("ephemeral_secret", .string(Hex.encode(forge.ephemeralSecret))),
        ])
    }

    static func base(_ label: String = "base", to recipients: [Identity] = [Cast.bob]) -> MessageForge {
        MessageForge(from: Cast.alice, to: recipients, label: label)
    }

    static func forge(
        _ label: String = "base", to recipients: [Identity] = [Cast.bob], _ edit: (inout MessageForge) -> Void
    ) -> MessageForge {
        var forge = base(label, to: recipients)
        edit(&forge)
        return forge
    }

    static func build() async throws -> VectorFile {
        let file = FileBuilder(
            "message.open",
            "Opening envelopes as a recipient: every step of msg-open, each fault alone and in combination")
        let bob = Cast.bob
        func valid(
            _ comment: String, _ forge: MessageForge, as who: Identity = Cast.bob, addresses: [String]? = nil,
            stanza: Int? = nil, flags: [String] = ["Valid"], spec: [String]
        ) async throws {
            let output = try await file.valid(
                comment, flags: flags, spec: spec,
                input: openInput(forge.envelope(), who, addresses: addresses, stanza: stanza),
                construction: construction(forge))
            let id = "msg-" + IdentifierVectors.base32(forge.messageID)
            guard output["message_id"]?.stringValue == id else {
                throw GenerationError(
                    description: "\(comment): the reference's message_id differs from the construction's")
            }
        }
        func bad(
            _ comment: String, _ flags: [String], _ spec: [String], _ forge: MessageForge, _ error: String,
            as who: Identity = Cast.bob, addresses: [String]? = nil, stanza: Int? = nil
        ) async throws {
            try await file.invalid(
                comment, flags: flags, spec: spec,
                input: openInput(forge.envelope(), who, addresses: addresses, stanza: stanza), error: error,
                construction: construction(forge))
        }
        func badBytes(_ comment: String, _ flags: [String], _ spec: [String], _ envelope: [UInt8], _ error: String)
            async throws
        {
            try await file.invalid(comment, flags: flags, spec: spec, input: openInput(envelope, bob), error: error)
        }

        // MARK: valid
        file.group("messages that open")
        try await valid(
            "alice to bob, one text part", base(),
            spec: [
                "msg-open-order", "msg-commitment", "msg-manifest-decode", "id-hash-exact", "prim-hkdf", "prim-hmac",
                "prim-aead-open",
            ])
        try await valid(
            "the same with the stanza index from the notification", base(), stanza: 0, spec: ["msg-open-order"])
        let two = base("two", to: [Cast.bob, Cast.carol])
        try await valid("two recipients, opened by the second", two, as: Cast.carol, spec: ["msg-open-order"])
        let reversed = forge("reversed", to: [Cast.bob, Cast.carol]) {
            $0.sealTo = [Cast.carol.encryptionKey, Cast.bob.encryptionKey]
        }
        try await valid(
            "stanzas in another order than the recipients: bob's stanza is the second", reversed,
            spec: ["msg-stanza-order"])
        try await valid(
            "bob's address is his second one", forge { $0.recipients[0].address = "robert@example.net" },
            spec: ["msg-open-order"])
        let rich = forge("rich", to: [Cast.bob, Cast.carol]) {
            $0.recipients[1].role = 1
            $0.headers = [
                ("subject", "Quarterly report"), ("x-priority", "1"), ("content-language", "en"), ("x-empty", ""),
            ]
            $0.parts.append(
                Construct.part(
                    Seeds.bytes("rich/pdf", count: 300), key: Seeds.bytes("rich/P1"), mediaType: "application/pdf",
                    fileName: "report.pdf"))
            $0.parts.append(
                Construct.part(
                    [], key: Seeds.bytes("rich/P2"), mediaType: "application/octet-stream", fileName: "empty.bin"))
            $0.inReplyTo = [Construct.identifier("dialogue-v1/message", Array("earlier".utf8))]
            $0.references = [
                Construct.identifier("dialogue-v1/message", Array("first".utf8)),
                Construct.identifier("dialogue-v1/message", Array("earlier".utf8)),
            ]
        }
        try await valid(
            "three parts (one empty), four headers, a cc recipient, in-reply-to and references", rich,
            spec: ["msg-manifest-decode", "msg-references"])
        try await valid(
            "no parts and no headers",
            forge {
                $0.parts = []
                $0.headers = []
            }, flags: ["Valid", "EdgeCase"], spec: ["msg-manifest-decode"])
        try await valid(
            "a date of 0", forge { $0.date = 0 }, flags: ["Valid", "EdgeCase"], spec: ["msg-manifest-decode"])
        let big = Construct.part(
            (0..<(Construct.chunkSize + 1)).map { UInt8(truncatingIfNeeded: $0 &* 31) }, key: Seeds.bytes("big/P0"),
            mediaType: "application/octet-stream", fileName: "big.bin")
        try await valid(
            "a part of CHUNK + 1 bytes lists two chunks", forge { $0.parts = [big] }, flags: ["Valid", "MultiChunk"],
            spec: ["msg-manifest-consistency"])
        try await valid(
            "an ephemeral key with bit 255 set: X25519 ignores the bit, the salt keeps the bytes",
            forge("highbit") { $0.ephemeralEncoding = { $0.flipping(31, 0x80) } }, flags: ["Valid", "EdgeCase"],
            spec: ["prim-x25519-public"])
        try await valid(
            "the other recipient's stanza is damaged: bob's still opens",
            forge("damaged", to: [Cast.carol, Cast.bob]) { $0.stanzas = { $0[0] = $0[0].flipping(5) } },
            spec: ["msg-open-order"])
        let expired = Identity("alice", addresses: ["alice@example.org"], created: 1_000, expires: 2_000).card
        try await valid(
            "the sender's card expired before the date: old mail stays readable", forge { $0.senderCard = expired },
            flags: ["Valid", "EdgeCase"], spec: ["card-fields"])
        try await valid(
            "a public message, opened by someone it does not list", forge("public") { $0.mode = 1 }, as: Cast.mallory,
            flags: ["Valid", "PublicMode"], spec: ["msg-public-not-default", "msg-envelope-decode"]
        )
        let blind = forge("bcc", to: [Cast.carol, Cast.bob]) {
            $0.recipients[1].role = 2
            $0.sealTo = [Cast.bob.encryptionKey]
        }
        try await valid(
            "a blind copy: it lists the visible recipient and bob as bcc, sealed to bob alone", blind,
            flags: ["Valid", "BlindCopy"], spec: ["msg-bcc-separate"])
        let headers256 = (0..<256).map { ("h\(String($0 + 100))", "v") }
        try await valid(
            "256 headers, the limit", forge { $0.headers = headers256 }, flags: ["Valid", "Limit"], spec: ["msg-limits"]
        )
        try await valid(
            "a 64-byte header name and a 16,384-byte value",
            forge { $0.headers = [(String(repeating: "n", count: 64), String(repeating: "v", count: 16_384))] },
            flags: ["Valid", "Limit"], spec: ["msg-limits"])
        try await valid(
            "a 255-byte media type and a 255-byte file name",
            forge {
                $0.parts[0].mediaType = "text/plain; x=" + String(repeating: "m", count: 241)
                $0.parts[0].fileName = String(repeating: "\u{e9}", count: 127) + "f"
            },
            flags: ["Valid", "Limit"], spec: ["msg-limits"]
        )

        // MARK: step 1
        file.group("step 1: the envelope is Dialogue CBOR within the size, depth and item limits")
        let envelope = base().envelope()
        for length in [
            0, 1, 2, 3, 4, 5, 6, 8, 16, 32, 64, 100, envelope.count / 2, envelope.count - 200, envelope.count - 100,
            envelope.count - 50, envelope.count - 33, envelope.count - 1,
        ] {
            try await badBytes(
                "the first \(length) of \(envelope.count) bytes", ["Truncated", "DripFeed"],
                ["msg-envelope-decode", "msg-open-order"], Array(envelope.prefix(length)), "malformed")
        }
        try await badBytes(
            "a byte after the envelope", ["TrailingData"], ["msg-envelope-decode"], envelope + [0], "malformed")
        try await bad(
            "the envelope's keys out of order", ["NonCanonical", "MapOrder"], ["msg-envelope-decode"],
            forge {
                $0.envelopeBytes = { bytes in
                    let e = base().envelope()
                    _ = bytes
                    // Swap the entries 0: 1 and 1: 0 (the first four bytes after the map head).
                    return [e[0], e[3], e[4], e[1], e[2]] + e.dropFirst(5)
                }
            }, "malformed")
        try await bad(
            "the sealed manifest's length not in shortest form", ["NonCanonical", "NonShortest"],
            ["msg-envelope-decode"],
            forge {
                $0.envelopeEntries = { entries in
                    let payload = Array(entries[2]!.dropFirst(entries[2]![0] & 0x1f == 24 ? 2 : 3))
                    entries[2] = C.head(2, UInt64(payload.count), width: 4) + payload
                }
            }, "malformed")
        try await bad(
            "a tag around the envelope", ["TypeNotAllowed"], ["msg-envelope-decode"],
            forge { $0.envelopeBytes = { [0xd8, 0x18] + $0 } }, "malformed")
        try await bad(
            "nesting deeper than 16 in an extra key", ["Limits"], ["msg-limits", "msg-open-order"],
            forge { $0.envelopeEntries = { $0[6] = Array(repeating: 0x81, count: 16) + [0] } }, "limits-exceeded")

        // MARK: step 2
        file.group("step 2: version and mode, checked before the layout")
        let versions: [(String, (inout Entries) -> Void, String, [String])] = [
            ("version 2", { $0[0] = C.uint(2) }, "unsupported-version", ["UnknownVersion"]),
            ("version 0", { $0[0] = C.uint(0) }, "unsupported-version", ["UnknownVersion"]),
            ("mode 2", { $0[1] = C.uint(2) }, "unsupported-version", ["UnknownVersion"]),
            ("mode 255", { $0[1] = C.uint(255) }, "unsupported-version", ["UnknownVersion"]),
            (
                "version 2 with a layout of its own (no key 2, a key 9)",
                {
                    $0[2] = nil
                    $0[9] = C.text("future")
                }, "unsupported-version", ["UnknownVersion", "Precedence"]
            ),
            (
                "mode 7 with no stanzas",
                {
                    $0[1] = C.uint(7)
                    $0[4] = nil
                }, "unsupported-version", ["UnknownVersion", "Precedence"]
            ),
            ("no version", { $0[0] = nil }, "malformed", ["Layout"]),
            ("the version as a text string", { $0[0] = C.text("1") }, "malformed", ["Layout"]),
            ("the version negative", { $0[0] = C.int(-1) }, "malformed", ["Layout"]),
            ("no mode", { $0[1] = nil }, "malformed", ["Layout"]),
            ("the mode as a text string", { $0[1] = C.text("encrypted") }, "malformed", ["Layout"]),
            (
                "no version, and mode 5",
                {
                    $0[0] = nil
                    $0[1] = C.uint(5)
                }, "malformed", ["Layout", "Precedence"]
            ),
        ]
        for (comment, edit, error, flags) in versions {
            let wrapped: (inout Entries) -> Void = { entries in
                edit(&entries)
                if comment.hasPrefix("version 2 with") { entries[0] = C.uint(2) }
            }
            try await bad(
                comment, flags,
                ["msg-envelope-version", "msg-open-order"]
                    + (flags.contains("Precedence") ? ["conf-error-precedence"] : []),
                forge { $0.envelopeEntries = wrapped }, error)
        }
        try await badBytes(
            "an array instead of a map", ["Layout"], ["msg-envelope-decode"], C.array([C.uint(1), C.uint(0)]),
            "malformed")
        try await badBytes(
            "a byte string instead of a map", ["Layout"], ["msg-envelope-decode"], C.bstr(envelope), "malformed")

        // MARK: step 3
        file.group("step 3: the layout of the envelope")
        let layout: [(String, (inout Entries) -> Void, [String])] = [
            ("no sealed manifest (key 2)", { $0[2] = nil }, ["Layout"]),
            ("no ephemeral key (key 3)", { $0[3] = nil }, ["Layout"]),
            ("no stanzas (key 4)", { $0[4] = nil }, ["Layout"]),
            ("no key commitment (key 5)", { $0[5] = nil }, ["Layout"]),
            ("an extra key 6", { $0[6] = C.uint(0) }, ["Layout"]),
            ("an extra text key", { $0.items.append((24, C.uint(0))) }, ["Layout"]),
            ("a 31-byte ephemeral key", { $0[3] = C.bstr(Array(Seeds.bytes("E31").prefix(31))) }, ["WrongLength"]),
            ("a 33-byte ephemeral key", { $0[3] = C.bstr(Seeds.bytes("E33", count: 33)) }, ["WrongLength"]),
            ("a 31-byte commitment", { $0[5] = C.bstr(Array(Seeds.bytes("c31").prefix(31))) }, ["WrongLength"]),
            ("a 33-byte commitment", { $0[5] = C.bstr(Seeds.bytes("c33", count: 33)) }, ["WrongLength"]),
            ("an empty stanza list", { $0[4] = C.array([]) }, ["Layout"]),
            ("the stanzas as one byte string", { $0[4] = C.bstr(Seeds.bytes("s", count: 48)) }, ["Layout"]),
            ("the sealed manifest as a text string", { $0[2] = C.text("manifest") }, ["Layout"]),
            ("the ephemeral key as a text string", { $0[3] = C.text(String(repeating: "e", count: 32)) }, ["Layout"]),
        ]
        for (comment, edit, flags) in layout {
            try await bad(comment, flags, ["msg-envelope-decode"], forge { $0.envelopeEntries = edit }, "malformed")
        }
        try await bad(
            "a 47-byte stanza", ["WrongLength"], ["msg-envelope-decode"],
            forge { $0.stanzas = { $0[0] = Array($0[0].dropLast()) } }, "malformed")
        try await bad(
            "a 49-byte stanza", ["WrongLength"], ["msg-envelope-decode"],
            forge { $0.stanzas = { $0[0] = $0[0] + [0] } }, "malformed")
        try await bad(
            "a second stanza of 47 bytes", ["WrongLength"], ["msg-envelope-decode"],
            forge { $0.stanzas = { $0.append(Seeds.bytes("short", count: 47)) } }, "malformed")
        try await bad(
            "4,097 stanzas, one more than the limit", ["Limits"], ["msg-limits", "msg-envelope-decode"],
            forge { $0.stanzas = { list in list += Array(repeating: Seeds.bytes("filler", count: 48), count: 4096) } },
            "limits-exceeded")
        for (key, comment) in [(3, "an ephemeral key"), (4, "stanzas"), (5, "a key commitment")] {
            try await bad(
                "a public envelope with \(comment)", ["Layout", "PublicMode"],
                ["msg-envelope-decode", "msg-public-not-default"],
                forge("public") {
                    $0.mode = 1
                    let real = base()
                    $0.envelopeEntries = {
                        $0[key] =
                            key == 4
                            ? C.array([C.bstr(Seeds.bytes("s", count: 48))])
                            : C.bstr(key == 3 ? real.ephemeralKey : real.commitment)
                    }
                }, "malformed")
        }

        // MARK: step 4
        file.group("step 4: the ephemeral key, the stanzas and the key commitment")
        for (name, point) in LowOrder.points {
            try await bad(
                "an ephemeral key of low order: \(name)", ["LowOrderKey"], ["prim-x25519-zero", "msg-open-order"],
                forge { $0.ephemeralPublic = point }, "malformed")
        }
        try await bad(
            "mallory opens a message sealed to bob", ["WrongRecipient"], ["msg-open-order"], base(), "not-a-recipient",
            as: Cast.mallory)
        try await bad(
            "alice, the sender, opens her message to bob", ["WrongRecipient"], ["msg-open-order"], base(),
            "not-a-recipient", as: Cast.alice)
        try await bad(
            "bob's stanza changed", ["WrongRecipient", "AEADTamper"], ["msg-open-order", "prim-aead-open"],
            forge { $0.stanzas = { $0[0] = $0[0].flipping(0) } }, "not-a-recipient")
        try await bad(
            "the tag of bob's stanza changed", ["WrongRecipient", "AEADTamper"], ["msg-open-order", "prim-aead-open"],
            forge { $0.stanzas = { $0[0] = $0[0].flipping(47) } }, "not-a-recipient")
        try await bad(
            "the stanza index points past the stanzas", ["WrongRecipient"], ["msg-open-order"], base(),
            "not-a-recipient", stanza: 1)
        try await bad(
            "the stanza index points to carol's stanza", ["WrongRecipient"], ["msg-open-order"], two, "not-a-recipient",
            stanza: 1)
        try await bad(
            "a stanza wrapped without the salt E || R", ["WrongRecipient"], ["msg-open-order"],
            forge { forge in
                let key = Construct.hkdf(
                    ikm: Construct.x25519(forge.ephemeralSecret, Cast.bob.encryptionKey)!, salt: [],
                    info: "dialogue-v1/stanza")
                let k = forge.messageKey
                forge.stanzas = { $0[0] = Construct.seal(key: key, nonce: Construct.zeroNonce, k) }
            }, "not-a-recipient")
        try await bad(
            "a stanza wrapped under the info dialogue-v1/header-key", ["WrongRecipient", "Context"],
            ["msg-open-order", "id-registry-unique"],
            forge { forge in
                let e = forge.ephemeralKey
                let key = Construct.hkdf(
                    ikm: Construct.x25519(forge.ephemeralSecret, Cast.bob.encryptionKey)!,
                    salt: e + Cast.bob.encryptionKey, info: "dialogue-v1/header-key")
                let k = forge.messageKey
                forge.stanzas = { $0[0] = Construct.seal(key: key, nonce: Construct.zeroNonce, k) }
            }, "not-a-recipient")
        let otherKey = Seeds.bytes("message/other/K")
        try await bad(
            "the envelope's commitment changed", ["KeyCommitment"], ["msg-commitment", "msg-open-order"],
            forge { $0.envelopeEntries = { $0[5] = C.bstr(Seeds.bytes("not-the-commitment")) } },
            "authentication-failed")
        try await bad(
            "the commitment changed in the envelope and the manifest alike", ["KeyCommitment"], ["msg-commitment"],
            forge { forge in
                let fake = C.bstr(Seeds.bytes("not-the-commitment"))
                forge.envelopeEntries = { $0[5] = fake }
                forge.manifestEntries = { $0[11] = fake }
            }, "authentication-failed")
        try await bad(
            "stanzas from another message (another message key) with this message's commitment", ["KeyCommitment"],
            ["msg-commitment"],
            forge { forge in
                var other = forge
                other.messageKey = otherKey
                let stanzas = other.stanzaList()
                forge.stanzas = { $0 = stanzas }
            }, "authentication-failed")
        try await bad(
            "a stanza wrapping a 31-byte message key", ["KeyCommitment"], ["msg-commitment"],
            forge { forge in
                let key = Construct.hkdf(
                    ikm: Construct.x25519(forge.ephemeralSecret, Cast.bob.encryptionKey)!,
                    salt: forge.ephemeralKey + Cast.bob.encryptionKey, info: "dialogue-v1/stanza")
                let short = Array(forge.messageKey.prefix(31))
                forge.stanzas = { $0[0] = Construct.seal(key: key, nonce: Construct.zeroNonce, short) + [0] }
            }, "not-a-recipient")

        // MARK: step 5
        file.group("step 5: the sealed manifest")
        let sealedTampers: [(String, ([UInt8]) -> [UInt8])] = [
            ("its first byte changed", { $0.flipping(0) }),
            ("a byte in the middle changed", { $0.flipping($0.count / 2) }),
            ("its tag changed", { $0.flipping(-1) }), ("its last byte removed", { Array($0.dropLast()) }),
            ("a byte appended", { $0 + [0] }), ("emptied", { _ in [] }), ("cut to 15 bytes", { Array($0.prefix(15)) }),
            ("cut to its tag", { Array($0.suffix(16)) }),
        ]
        for (comment, change) in sealedTampers {
            try await bad(
                "the sealed manifest: \(comment)", ["AEADTamper"], ["msg-open-order", "prim-aead-open"],
                forge { $0.sealedManifest = change }, "authentication-failed")
        }
        try await bad(
            "the manifest sealed under another message's header key", ["AEADTamper"], ["msg-open-order"],
            forge { forge in
                var other = forge
                other.messageKey = otherKey
                let signed = other.signed()
                let headerKey = Construct.hkdf(ikm: otherKey, salt: [], info: "dialogue-v1/header-key")
                forge.sealedManifest = { _ in Construct.seal(key: headerKey, nonce: Construct.zeroNonce, signed) }
            }, "authentication-failed")
        try await bad(
            "the manifest sealed with nonce 1 instead of 0", ["AEADTamper"], ["msg-open-order"],
            forge { forge in
                let signed = forge.signed()
                let headerKey = Construct.hkdf(ikm: forge.messageKey, salt: [], info: "dialogue-v1/header-key")
                forge.sealedManifest = { _ in
                    Construct.seal(key: headerKey, nonce: [1] + [UInt8](repeating: 0, count: 23), signed)
                }
            }, "authentication-failed")
        try await bad(
            "the manifest sealed under the message key itself, not the derived header key", ["AEADTamper", "Context"],
            ["msg-open-order", "id-registry-unique"],
            forge { forge in
                let signed = forge.signed()
                let k = forge.messageKey
                forge.sealedManifest = { _ in Construct.seal(key: k, nonce: Construct.zeroNonce, signed) }
            }, "authentication-failed")

        // MARK: step 6
        file.group("step 6: the signed manifest, [manifest, signature]")
        let signedShapes: [(String, ([UInt8]) -> [UInt8], [String])] = [
            ("a byte after it", { $0 + [0] }, ["TrailingData"]),
            ("its last byte removed", { Array($0.dropLast()) }, ["Truncated"]),
            ("an array of three", { [0x83] + $0.dropFirst() + [0x40] }, ["Layout"]),
            ("an array of one", { bytes in C.array([C.bstr(base().manifest())]) }, ["Layout"]),
            ("a map instead of an array", { [0xa1, 0x00] + $0 }, ["Layout"]),
            ("not CBOR", { _ in [0x1c] }, ["NotWellFormed"]),
        ]
        for (comment, change, flags) in signedShapes {
            try await bad(
                "the signed manifest: \(comment)", flags, ["msg-open-order", "msg-manifest-decode"],
                forge { $0.signedManifest = change }, "malformed")
        }
        try await bad(
            "a 63-byte signature", ["WrongLength"], ["msg-manifest-decode"],
            forge { $0.signature = { Array($0.prefix(63)) } }, "malformed")
        try await bad(
            "a 65-byte signature", ["WrongLength"], ["msg-manifest-decode"], forge { $0.signature = { $0 + [0] } },
            "malformed")

        // MARK: step 7
        file.group("step 7: the manifest's version, layout and limits (validly signed, so only the structure is wrong)")
        func manifest(
            _ comment: String, _ flags: [String], _ error: String, spec: [String] = ["msg-manifest-decode"],
            label: String = "base", _ edit: @escaping (inout Entries) -> Void
        ) async throws {
            try await bad(comment, flags, spec, forge(label) { $0.manifestEntries = edit }, error)
        }
        try await manifest("manifest version 2", ["UnknownVersion"], "unsupported-version", spec: ["msg-open-order"]) {
            $0[0] = C.uint(2)
        }
        try await manifest(
            "manifest version 2 with a layout of its own", ["UnknownVersion", "Precedence"], "unsupported-version",
            spec: ["msg-open-order", "conf-error-precedence"]
        ) { $0.items = [(0, C.uint(2)), (20, C.text("future"))] }
        try await manifest("manifest mode 2", ["UnknownVersion"], "unsupported-version", spec: ["msg-open-order"]) {
            $0[1] = C.uint(2)
        }
        try await manifest("no manifest version", ["Layout"], "malformed") { $0[0] = nil }
        try await bad(
            "the manifest's keys out of order", ["NonCanonical", "MapOrder"], ["msg-manifest-decode"],
            forge {
                $0.manifestBytes = { bytes in
                    let e = base().manifest()
                    _ = bytes
                    return [e[0], e[3], e[4], e[1], e[2]] + e.dropFirst(5)
                }
            }, "malformed")
        try await bad(
            "a byte after the manifest, inside its byte string", ["TrailingData"], ["msg-manifest-decode"],
            forge { $0.manifestBytes = { $0 + [0] } }, "malformed")
        for key in [2, 3, 4, 5, 6, 7, 8, 9, 10, 11] {
            try await manifest("no key \(key)", ["Layout"], "malformed") { $0[key] = nil }
        }
        let structure: [(String, (inout Entries) -> Void, [String])] = [
            ("an extra key 12", { $0[12] = C.uint(0) }, ["Layout"]),
            (
                "a public manifest's layout (no keys 10 and 11) with mode 0",
                {
                    $0[10] = nil
                    $0[11] = nil
                }, ["Layout"]
            ),
            ("the date negative", { $0[5] = C.int(-1) }, ["Layout"]),
            ("the date as a text string", { $0[5] = C.text("2023-11-14") }, ["Layout"]),
            ("the headers as an array", { $0[6] = C.array([C.text("subject"), C.text("Hello")]) }, ["Layout"]),
            ("a header value that is an integer", { $0[6] = C.map([(C.text("subject"), C.uint(1))]) }, ["Layout"]),
            ("a header name that is an integer", { $0[6] = C.map([(C.uint(1), C.text("Hello"))]) }, ["Layout"]),
            (
                "a header name in upper case", { $0[6] = C.map([(C.text("Subject"), C.text("Hello"))]) },
                ["Layout", "Case"]
            ),
            ("a header name with a space", { $0[6] = C.map([(C.text("x subject"), C.text("Hello"))]) }, ["Layout"]),
            (
                "a header name with an underscore", { $0[6] = C.map([(C.text("x_subject"), C.text("Hello"))]) },
                ["Layout"]
            ),
            ("the sender's card as an array, not a byte string", { $0[3] = C.array([]) }, ["Layout"]),
            ("the sender address in upper case", { $0[2] = C.text("Alice@example.org") }, ["Address", "Case"]),
            ("the sender address invalid", { $0[2] = C.text("alice") }, ["Address"]),
            ("the recipients as a map", { $0[4] = C.intMap([]) }, ["Layout"]),
            (
                "a recipient role 3",
                {
                    $0[4] = C.array([
                        C.intMap([(0, C.text("bob@example.net")), (1, C.uint(3)), (2, C.bstr(Cast.bob.encryptionKey))])
                    ])
                }, ["Layout"]
            ),
            (
                "a recipient without a key",
                { $0[4] = C.array([C.intMap([(0, C.text("bob@example.net")), (1, C.uint(0))])]) }, ["Layout"]
            ),
            (
                "a recipient with an extra key 3",
                {
                    $0[4] = C.array([
                        C.intMap([
                            (0, C.text("bob@example.net")), (1, C.uint(0)), (2, C.bstr(Cast.bob.encryptionKey)),
                            (3, C.uint(0)),
                        ])
                    ])
                }, ["Layout"]
            ),
            (
                "a recipient key of 31 bytes",
                {
                    $0[4] = C.array([
                        C.intMap([
                            (0, C.text("bob@example.net")), (1, C.uint(0)),
                            (2, C.bstr(Array(Cast.bob.encryptionKey.prefix(31)))),
                        ])
                    ])
                }, ["WrongLength"]
            ),
            (
                "a recipient address in upper case",
                {
                    $0[4] = C.array([
                        C.intMap([(0, C.text("Bob@example.net")), (1, C.uint(0)), (2, C.bstr(Cast.bob.encryptionKey))])
                    ])
                }, ["Address", "Case"]
            ),
            (
                "a 31-byte ephemeral key in the manifest", { $0[10] = C.bstr(Array(Seeds.bytes("E").prefix(31))) },
                ["WrongLength"]
            ),
            (
                "in-reply-to holding a 32-byte identifier", { $0[8] = C.array([C.bstr(Seeds.bytes("id32"))]) },
                ["Identifier", "WrongLength"]
            ),
            (
                "references holding an identifier of algorithm 0",
                { $0[9] = C.array([C.bstr([0] + Seeds.bytes("id"))]) }, ["Identifier", "UnknownVersion"]
            ),
            (
                "references holding an identifier of algorithm 2",
                { $0[9] = C.array([C.bstr([2] + Seeds.bytes("id"))]) }, ["Identifier", "UnknownVersion"]
            ),
            (
                "in-reply-to holding a text identifier",
                {
                    $0[8] = C.array([
                        C.text("msg-" + IdentifierVectors.base32(Construct.identifier("dialogue-v1/message", [])))
                    ])
                }, ["Identifier"]
            ),
        ]
        for (comment, edit, flags) in structure {
            try await manifest(
                comment, flags, "malformed",
                spec: comment.contains("identifier")
                    ? ["msg-manifest-decode", "msg-references"]
                    : comment.contains("address")
                        ? ["msg-manifest-decode", "addr-wire-canonical"] : ["msg-manifest-decode"], edit)
        }
        func part(_ edit: (inout Entries) -> Void) -> [UInt8] {
            var entries = base().parts[0].entries
            edit(&entries)
            return C.array([entries.encoded])
        }
        let parts: [(String, [UInt8], [String])] = [
            ("a part without chunks (key 4)", part { $0[4] = nil }, ["Layout"]),
            ("a part with an extra key 5", part { $0[5] = C.uint(0) }, ["Layout"]),
            ("a part key of 31 bytes", part { $0[3] = C.bstr(Array(Seeds.bytes("P").prefix(31))) }, ["WrongLength"]),
            ("a part with an empty chunk list", part { $0[4] = C.array([]) }, ["Layout"]),
            (
                "a chunk identifier of 32 bytes", part { $0[4] = C.array([C.bstr(Seeds.bytes("chunk"))]) },
                ["Identifier", "WrongLength"]
            ),
            (
                "a chunk identifier of algorithm 2", part { $0[4] = C.array([C.bstr([2] + Seeds.bytes("chunk"))]) },
                ["Identifier", "UnknownVersion"]
            ),
            ("a part size that is negative", part { $0[2] = C.int(-5) }, ["Layout"]),
            ("a media type with a line feed", part { $0[0] = C.text("text/plain\n") }, ["Layout"]),
            ("a media type with a non-ASCII character", part { $0[0] = C.text("text/pl\u{e4}in") }, ["Layout"]),
            ("a file name with a slash", part { $0[1] = C.text("../etc/passwd") }, ["Layout"]),
            ("a file name with a control character", part { $0[1] = C.text("a\u{7}b") }, ["Layout"]),
            ("a file name with a NUL", part { $0[1] = C.text("a\u{0}b") }, ["Layout"]),
            ("a file name with a C1 control character (U+0085)", part { $0[1] = C.text("a\u{85}b") }, ["Layout"]),
        ]
        for (comment, bytes, flags) in parts {
            try await manifest(comment, flags, "malformed", spec: ["msg-manifest-decode", "msg-limits"]) {
                $0[7] = bytes
            }
        }
        let limits: [(String, (inout Entries) -> Void)] = [
            ("257 headers", { $0[6] = C.map((0..<257).map { (C.text("h\(String($0 + 100))"), C.text("v")) }) }),
            ("a 65-byte header name", { $0[6] = C.map([(C.text(String(repeating: "n", count: 65)), C.text("v"))]) }),
            ("an empty header name", { $0[6] = C.map([(C.text(""), C.text("v"))]) }),
            (
                "a 16,385-byte header value",
                { $0[6] = C.map([(C.text("subject"), C.text(String(repeating: "v", count: 16_385)))]) }
            ),
            ("1,025 parts", { $0[7] = C.array(Array(repeating: base().parts[0].entries.encoded, count: 1025)) }),
            (
                "1,025 identifiers in in-reply-to",
                {
                    $0[8] = C.array(
                        Array(repeating: C.bstr(Construct.identifier("dialogue-v1/message", [])), count: 1025))
                }
            ),
            (
                "4,097 recipients",
                {
                    $0[4] = C.array(
                        Array(
                            repeating: C.intMap([
                                (0, C.text("bob@example.net")), (1, C.uint(0)), (2, C.bstr(Cast.bob.encryptionKey)),
                            ]), count: 4097))
                }
            ),
            ("an empty media type", { $0[7] = part { $0[0] = C.text("") } }),
            (
                "a 256-byte media type",
                { $0[7] = part { $0[0] = C.text("text/plain; x=" + String(repeating: "m", count: 242)) } }
            ),
            ("a 256-byte file name", { $0[7] = part { $0[1] = C.text(String(repeating: "f", count: 256)) } }),
            ("nesting deeper than 16 in an extra key", { $0[12] = Array(repeating: 0x81, count: 15) + [0] }),
        ]
        for (comment, edit) in limits {
            try await manifest(comment, ["Limits"], "limits-exceeded", spec: ["msg-limits"], edit)
        }

        // MARK: step 8
        file.group("step 8: the sender's card")
        let card = Cast.alice.card
        try await bad(
            "the card's signature changed", ["BadSignature"], ["card-signature", "msg-open-order"],
            forge { $0.senderCard = card.flipping(-1) }, "bad-signature")
        try await bad(
            "the card's created time changed after signing", ["BadSignature"], ["card-signature"],
            forge {
                $0.senderCard = card.flippingSigned(body: Cast.alice.cardEntries().encoded) {
                    $0[4] = C.uint(Cast.alice.created + 1)
                }
            }, "bad-signature")
        try await bad(
            "a card of version 2", ["UnknownVersion"], ["card-version", "msg-open-order"],
            forge {
                $0.senderCard = Cast.alice.card(
                    body: {
                        var e = Cast.alice.cardEntries()
                        e[0] = C.uint(2)
                        return e.encoded
                    }())
            }, "unsupported-version")
        try await bad(
            "a card without an expiry", ["Layout"], ["card-decode"],
            forge {
                $0.senderCard = Cast.alice.card(
                    body: {
                        var e = Cast.alice.cardEntries()
                        e[5] = nil
                        return e.encoded
                    }())
            }, "malformed")
        try await bad(
            "a card cut short", ["Truncated"], ["card-decode"], forge { $0.senderCard = Array(card.dropLast()) },
            "malformed")
        try await bad(
            "a card with 17 addresses", ["Limits"], ["card-decode"],
            forge {
                $0.senderCard = Cast.alice.card(
                    body: {
                        var e = Cast.alice.cardEntries()
                        e[1] = C.array((0..<17).map { C.text("u\(String($0 + 10))@example.org") })
                        return e.encoded
                    }())
            }, "limits-exceeded")
        try await bad("an empty card", ["Layout"], ["card-decode"], forge { $0.senderCard = [] }, "malformed")
        let lowOrderSender = Cast.alice.card(
            body: Cast.alice.cardEntries(encryptionKey: LowOrder.points[0].1).encoded)
        try await bad(
            "the sender's card has a low-order encryption key", ["LowOrderKey"], ["card-weak-key", "msg-open-order"],
            forge { $0.senderCard = lowOrderSender }, "weak-key")
        try await bad(
            "the sender's card has a low-order encryption key and the manifest a bad signature: step 8 first",
            ["LowOrderKey", "Precedence"], ["card-weak-key", "msg-open-order", "conf-error-precedence"],
            forge {
                $0.senderCard = lowOrderSender
                $0.signature = { $0.flipping(0) }
            }, "weak-key")

        // MARK: step 9
        file.group("step 9: the manifest's signature")
        try await bad(
            "the signature's first byte changed", ["BadSignature"],
            ["msg-open-order", "msg-open-signature-before-use"], forge { $0.signature = { $0.flipping(0) } },
            "bad-signature")
        try await bad(
            "the signature's last byte changed", ["BadSignature"], ["msg-open-order"],
            forge { $0.signature = { $0.flipping(63) } }, "bad-signature")
        try await bad(
            "signed by mallory, with alice's card", ["BadSignature"],
            ["msg-open-order", "msg-open-signature-before-use"], forge { $0.signingSeed = Cast.mallory.seed },
            "bad-signature")
        try await bad(
            "signed under dialogue-v1/card instead of dialogue-v1/manifest", ["BadSignature", "Context"],
            ["id-registry-unique"], forge { $0.signatureContext = "dialogue-v1/card" }, "bad-signature")
        try await bad(
            "signed under dialogue-v1/message", ["BadSignature", "Context"], ["id-registry-unique"],
            forge { $0.signatureContext = "dialogue-v1/message" }, "bad-signature")
        try await bad(
            "the signature of another manifest (another date)", ["BadSignature"], ["msg-open-signature-before-use"],
            forge { forge in
                var other = forge
                other.date += 1
                let signature = Construct.sign(
                    seed: forge.senderSeed, context: "dialogue-v1/manifest", other.manifest())
                forge.signature = { _ in signature }
            }, "bad-signature")
        try await bad(
            "S replaced by S + L", ["BadSignature"], ["prim-ed25519-strict"],
            forge {
                $0.signature = {
                    Array($0.prefix(32)) + CardVectors.addLittleEndian(Array($0.suffix(32)), CardVectors.groupOrder)
                }
            }, "bad-signature")
        try await bad(
            "mallory's card and mallory's signature, sender address alice's", ["AddressMismatch"], ["msg-open-order"],
            forge {
                $0.senderCard = Cast.mallory.card
                $0.signingSeed = Cast.mallory.seed
            }, "address-mismatch")

        // MARK: step 10
        file.group("step 10: consistency between the manifest and the envelope, and within the manifest")
        let consistency: [(String, (inout MessageForge) -> Void)] = [
            (
                "the manifest's E differs from the envelope's",
                { $0.manifestEntries = { $0[10] = C.bstr(Cast.carol.encryptionKey) } }
            ),
            (
                "the manifest's commitment differs from the envelope's",
                { $0.manifestEntries = { $0[11] = C.bstr(Seeds.bytes("other commitment")) } }
            ),
            (
                "a public manifest (mode 1) in an encrypted envelope",
                {
                    $0.manifestEntries = {
                        $0[1] = C.uint(1)
                        $0[10] = nil
                        $0[11] = nil
                    }
                }
            ),
            (
                "the same encryption key twice",
                { $0.recipients.append(.init(address: "robert@example.net", role: 1, key: Cast.bob.encryptionKey)) }
            ),
            (
                "the same address twice",
                { $0.recipients.append(.init(address: "bob@example.net", role: 1, key: Cast.carol.encryptionKey)) }
            ),
            (
                "two blind-copy recipients",
                {
                    $0.recipients = [
                        .init(address: "bob@example.net", role: 2, key: Cast.bob.encryptionKey),
                        .init(address: "carol@example.com", role: 2, key: Cast.carol.encryptionKey),
                    ]
                    $0.sealTo = [Cast.bob.encryptionKey]
                }
            ),
            (
                "no recipients in an encrypted message",
                {
                    $0.recipients = []
                    $0.sealTo = [Cast.bob.encryptionKey]
                }
            ),
            (
                "a part of 5 bytes listing two chunks",
                {
                    $0.parts[0].size = 5
                    $0.parts[0].chunks.append($0.parts[0].chunks[0])
                }
            ),
            ("a part of CHUNK + 1 bytes listing one chunk", { $0.parts[0].size = UInt64(Construct.chunkSize + 1) }),
            (
                "an empty part listing two chunks",
                {
                    $0.parts[0].size = 0
                    $0.parts[0].chunks.append($0.parts[0].chunks[0])
                }
            ),
        ]
        for (comment, edit) in consistency {
            try await bad(
                comment, ["Consistency"],
                comment.contains("blind")
                    ? ["msg-bcc-separate", "msg-manifest-consistency"]
                    : ["msg-manifest-consistency", "msg-commitment"], forge("base", edit), "malformed")
        }
        try await bad(
            "an encrypted manifest (mode 0, with E and commitment) in a public envelope",
            ["Consistency", "PublicMode"], ["msg-manifest-consistency"],
            forge("public") { forge in
                forge.mode = 1
                let real = base()
                forge.manifestEntries = {
                    $0[1] = C.uint(0)
                    $0[10] = C.bstr(real.ephemeralKey)
                    $0[11] = C.bstr(real.commitment)
                }
            }, "malformed", as: Cast.mallory)

        // MARK: steps 11 and 12
        file.group("steps 11 and 12: the sender's and the recipient's addresses")
        try await bad(
            "the sender address is not on the sender's card", ["AddressMismatch"], ["msg-open-order"],
            forge { $0.senderAddress = "alice@example.net" }, "address-mismatch")
        try await bad(
            "the sender address is bob's, the card alice's", ["AddressMismatch"], ["msg-open-order"],
            forge { $0.senderAddress = "bob@example.net" }, "address-mismatch")
        try await bad(
            "sealed to bob, but the manifest lists only carol", ["WrongRecipient"],
            ["msg-open-order", "msg-bcc-separate"],
            forge {
                $0.recipients = [.init(address: "carol@example.com", role: 0, key: Cast.carol.encryptionKey)]
                $0.sealTo = [Cast.bob.encryptionKey]
            }, "not-a-recipient")
        try await bad(
            "bob's key listed under an address that is not his", ["AddressMismatch"], ["msg-open-order"],
            forge { $0.recipients[0].address = "bob@example.org" }, "address-mismatch")
        try await bad(
            "bob's key listed under his second address, which he did not give", ["AddressMismatch"], ["msg-open-order"],
            forge { $0.recipients[0].address = "robert@example.net" }, "address-mismatch",
            addresses: ["bob@example.net"])
        try await bad(
            "the blind copy opened by the visible recipient, who has no stanza", ["WrongRecipient", "BlindCopy"],
            ["msg-bcc-separate"], blind, "not-a-recipient", as: Cast.carol)

        // MARK: precedence
        file.group("several faults at once: the first step in msg-open's order decides (conf-error-precedence)")
        let precedence: [(String, (inout MessageForge) -> Void, String, Identity)] = [
            (
                "trailing data and version 2: step 1 first",
                {
                    $0.envelopeEntries = { $0[0] = C.uint(2) }
                    $0.envelopeBytes = { $0 + [0] }
                }, "malformed", Cast.bob
            ),
            (
                "version 2 and a stanza of 47 bytes: step 2 first",
                {
                    $0.envelopeEntries = { $0[0] = C.uint(2) }
                    $0.stanzas = { $0[0] = Array($0[0].dropLast()) }
                }, "unsupported-version", Cast.bob
            ),
            (
                "no key commitment, opened by someone not a recipient: step 3 first",
                { $0.envelopeEntries = { $0[5] = nil } }, "malformed", Cast.mallory
            ),
            (
                "a 47-byte stanza and a low-order ephemeral key: step 3 first",
                {
                    $0.ephemeralPublic = LowOrder.points[0].1
                    $0.stanzas = { $0[0] = Array($0[0].dropLast()) }
                }, "malformed", Cast.bob
            ),
            (
                "a low-order ephemeral key and a wrong commitment: the key first",
                {
                    $0.ephemeralPublic = LowOrder.points[2].1
                    $0.envelopeEntries = { $0[5] = C.bstr(Seeds.bytes("x")) }
                }, "malformed", Cast.bob
            ),
            (
                "not a recipient and a wrong commitment: the stanzas first",
                { $0.envelopeEntries = { $0[5] = C.bstr(Seeds.bytes("x")) } }, "not-a-recipient", Cast.mallory
            ),
            (
                "a wrong commitment and a tampered sealed manifest: the commitment first",
                {
                    $0.envelopeEntries = { $0[5] = C.bstr(Seeds.bytes("x")) }
                    $0.sealedManifest = { $0.flipping(0) }
                }, "authentication-failed", Cast.bob
            ),
            (
                "a tampered sealed manifest and manifest version 2: step 5 first",
                {
                    $0.manifestEntries = { $0[0] = C.uint(2) }
                    $0.sealedManifest = { $0.flipping(-1) }
                }, "authentication-failed", Cast.bob
            ),
            (
                "manifest version 2 and a bad manifest signature: step 7 first",
                {
                    $0.manifestEntries = { $0[0] = C.uint(2) }
                    $0.signature = { $0.flipping(0) }
                }, "unsupported-version", Cast.bob
            ),
            (
                "257 headers and a bad card signature: step 7 first",
                {
                    $0.headers = (0..<257).map { ("h\(String($0 + 100))", "v") }
                    $0.senderCard = Cast.alice.card.flipping(-1)
                }, "limits-exceeded", Cast.bob
            ),
            (
                "an upper-case header name and a bad manifest signature: step 7 first",
                {
                    $0.headers = [("Subject", "x")]
                    $0.signature = { $0.flipping(0) }
                }, "malformed", Cast.bob
            ),
            (
                "a card of version 2 and a bad manifest signature: step 8 first",
                {
                    $0.senderCard = Cast.alice.card(
                        body: {
                            var e = Cast.alice.cardEntries()
                            e[0] = C.uint(2)
                            return e.encoded
                        }())
                    $0.signature = { $0.flipping(0) }
                }, "unsupported-version", Cast.bob
            ),
            (
                "a bad card signature and a sender address not on the card: step 8 first",
                {
                    $0.senderCard = Cast.alice.card.flipping(-1)
                    $0.senderAddress = "eve@example.org"
                }, "bad-signature", Cast.bob
            ),
            (
                "a bad manifest signature and the same recipient twice: step 9 first",
                {
                    $0.recipients.append($0.recipients[0])
                    $0.signature = { $0.flipping(0) }
                }, "bad-signature", Cast.bob
            ),
            (
                "a bad manifest signature and a sender address not on the card: step 9 first",
                {
                    $0.senderAddress = "eve@example.org"
                    $0.signature = { $0.flipping(0) }
                }, "bad-signature", Cast.bob
            ),
            (
                "the manifest's E differs and the sender address is not on the card: step 10 first",
                {
                    $0.manifestEntries = { $0[10] = C.bstr(Cast.carol.encryptionKey) }
                    $0.senderAddress = "eve@example.org"
                }, "malformed", Cast.bob
            ),
            (
                "the sender address not on the card and bob not listed: step 11 first",
                {
                    $0.senderAddress = "eve@example.org"
                    $0.recipients = [.init(address: "carol@example.com", role: 0, key: Cast.carol.encryptionKey)]
                    $0.sealTo = [Cast.bob.encryptionKey]
                }, "address-mismatch", Cast.bob
            ),
            (
                "bob not listed and another listed address not his: step 12 finds no key first",
                {
                    $0.recipients = [.init(address: "bob@example.org", role: 0, key: Cast.carol.encryptionKey)]
                    $0.sealTo = [Cast.bob.encryptionKey]
                }, "not-a-recipient", Cast.bob
            ),
        ]
        for (comment, edit, error, who) in precedence {
            try await bad(
                comment, ["Precedence"], ["msg-open-order", "conf-error-precedence"], forge("base", edit), error,
                as: who)
        }
        try await MessageRuleVectors.build(file)
        return file.file
    }
}
