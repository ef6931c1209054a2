internal import DialogueCrypto

/// The `message_open.json` vectors of the rules that issue 9 decided or found unexercised: format
/// characters in file names, control characters in header values, faults that the earlier vectors
/// never combined, every limit at and beyond its value, and blind copies sealed to more than their
/// `bcc` recipient. They come after every older vector, so no identifier moves.
enum MessageRuleVectors {
    static func build(_ file: FileBuilder) async throws {
        func input(_ forge: MessageForge, _ who: Identity, stanza: Int? = nil) -> JSONValue {
            MessageVectors.openInput(forge.envelope(), who, stanza: stanza)
        }
        func valid(
            _ comment: String, _ forge: MessageForge, flags: [String], spec: [String], idOnly: Bool = false
        ) async throws {
            let id = JSONValue.object([("message_id", .string("msg-" + IdentifierVectors.base32(forge.messageID)))])
            try await file.valid(
                comment, flags: ["Valid"] + flags, spec: spec, input: input(forge, Cast.bob),
                expected: idOnly ? id : nil, construction: MessageVectors.construction(forge))
        }
        func bad(
            _ comment: String, _ flags: [String], _ spec: [String], _ forge: MessageForge, _ error: String,
            as who: Identity = Cast.bob
        ) async throws {
            try await file.invalid(
                comment, flags: flags, spec: spec, input: input(forge, who), error: error,
                construction: MessageVectors.construction(forge))
        }

        file.group("file names with Unicode format characters (Cf), header values with control characters")
        let formatNames: [(String, String)] = [
            (
                "a right-to-left override (U+202E): invoice\\u202efdp.exe shows as invoiceexe.pdf",
                "invoice\u{202E}fdp.exe"
            ),
            ("a right-to-left isolate (U+2067)", "a\u{2067}b.txt"), ("a zero-width space (U+200B)", "a\u{200B}b.txt"),
            ("a byte order mark (U+FEFF)", "\u{FEFF}notes.txt"), ("a soft hyphen (U+00AD)", "in\u{AD}voice.pdf"),
            ("an Arabic letter mark (U+061C)", "a\u{61C}b.txt"), ("a tag character (U+E0041)", "a\u{E0041}b.txt"),
            (
                "an Egyptian hieroglyph format control (U+1343F, Cf since Unicode 15)",
                "a\u{1343F}b.txt"
            ),
        ]
        for (comment, name) in formatNames {
            try await bad(
                "a file name with \(comment)", ["Layout"], ["msg-file-name-format", "msg-manifest-decode"],
                MessageVectors.forge("base") { $0.parts[0].fileName = name }, "malformed")
        }
        try await valid(
            "a file name in Hebrew and one with a hair space (U+200A, not Cf): allowed",
            MessageVectors.forge("base") {
                $0.parts[0].fileName = "\u{5E9}\u{5DC}\u{5D5}\u{5DD}.txt"
                $0.parts.append(
                    Construct.part(
                        Array("x".utf8), key: Seeds.bytes("cf/P1"), mediaType: "text/plain", fileName: "a\u{200A}b.txt")
                )
            }, flags: ["EdgeCase"], spec: ["msg-file-name-format"])
        let controlValues: [(String, String)] = [
            ("a line feed forging a verdict line", "hi\ntrust       verified (info)"),
            ("an escape sequence", "hi\u{1B}[8m"), ("a carriage return", "a\rb"), ("a NUL", "a\u{0}b"),
            ("DEL", "a\u{7F}b"), ("a C1 control (U+0085)", "a\u{85}b"),
        ]
        for (comment, value) in controlValues {
            try await bad(
                "a header value with \(comment)", ["Layout"], ["msg-header-value-controls", "msg-manifest-decode"],
                MessageVectors.forge("base") { $0.headers = [("subject", value)] }, "malformed")
        }
        try await valid(
            "header values with a TAB and with bidirectional and zero-width characters: allowed",
            MessageVectors.forge("base") {
                $0.headers = [("subject", "a\tb"), ("x-name", "\u{5E9}\u{200F}\u{202E}x\u{200B}")]
            }, flags: ["EdgeCase"], spec: ["msg-header-value-controls"])

        file.group("faults the earlier vectors never combine: the first check in the stated order decides")
        let lengthAndCharacter: [(String, (inout MessageForge) -> Void)] = [
            (
                "a 256-byte media type with a line feed: the length first",
                { $0.parts[0].mediaType = "text/plain\n" + String(repeating: "m", count: 245) }
            ),
            (
                "a 256-byte file name with a slash: the length first",
                { $0.parts[0].fileName = "../" + String(repeating: "f", count: 253) }
            ),
            (
                "a 16,385-byte header value with a line feed: the length first",
                { $0.headers = [("subject", "\n" + String(repeating: "v", count: 16_384))] }
            ),
            (
                "a 65-byte header name in upper case: the length first",
                { $0.headers = [(String(repeating: "N", count: 65), "v")] }
            ),
            (
                "an unknown manifest key 12 and 1,025 references: the defined keys first",
                { forge in
                    forge.references = Array(
                        repeating: Construct.identifier("dialogue-v1/message", Array("r".utf8)), count: 1025)
                    forge.manifestEntries = { $0[12] = C.uint(0) }
                }
            ),
        ]
        for (comment, edit) in lengthAndCharacter {
            try await bad(
                comment, ["Limits", "Precedence"], ["msg-limits", "msg-open-order", "conf-error-precedence"],
                MessageVectors.forge("base", edit), "limits-exceeded")
        }
        let filler = Seeds.bytes("filler", count: 48)
        let stanzas = MessageVectors.forge("base") {
            $0.stanzas = { list in
                list += Array(repeating: filler, count: 4095)
                list.append(Seeds.bytes("short", count: 47))
            }
        }
        try await file.invalid(
            "4,097 stanzas, one of them 47 bytes: the layout before the count",
            flags: ["Limits", "WrongLength", "Precedence"],
            spec: ["msg-envelope-decode", "msg-open-order", "conf-error-precedence", "conf-compact-bytes"],
            input: MessageVectors.openInput([], Cast.bob).setting(
                "envelope", CompactBytes.compact(stanzas.envelope(), unit: C.bstr(filler))),
            error: "malformed", construction: MessageVectors.construction(stanzas))
        try await bad(
            "a sender card with 17 addresses and a 31-byte identity key: the count as the addresses are read",
            ["Limits", "Precedence"], ["card-decode", "conf-error-precedence"],
            MessageVectors.forge("base") {
                $0.senderCard = Cast.alice.card(
                    body: {
                        var e = Cast.alice.cardEntries()
                        e[1] = C.array((0..<17).map { C.text("u\(String($0 + 10))@example.org") })
                        e[2] = C.bstr(Array(Cast.alice.identityKey.prefix(31)))
                        return e.encoded
                    }())
            }, "limits-exceeded")
        try await file.invalid(
            "a 31-byte encryption secret and an envelope of version 2: the request first", flags: ["Precedence"],
            spec: ["conf-request-errors", "conf-error-precedence"],
            input: MessageVectors.openInput(
                MessageVectors.forge("base") { $0.envelopeEntries = { $0[0] = C.uint(2) } }.envelope(), Cast.bob
            ).setting("encryption_secret", .string(Hex.encode(Array(Cast.bob.encryptionSecret.prefix(31))))),
            error: "malformed")
        try await file.valid(
            "a public envelope with a stanza index: the index is ignored and the output's is null",
            flags: ["Valid", "PublicMode"], spec: ["conf-stanza-index-public", "msg-public-not-default"],
            input: input(MessageVectors.forge("public") { $0.mode = 1 }, Cast.mallory, stanza: 3),
            expected: .object([("stanza_index", .null), ("mode", .string("public"))]))

        file.group("limits at and beyond their values (msg-limits)")
        let reference = Construct.identifier("dialogue-v1/message", Array("thread".utf8))
        try await valid(
            "1,024 identifiers in references, the limit",
            MessageVectors.forge("base") { $0.references = Array(repeating: reference, count: 1024) },
            flags: ["Limit"], spec: ["msg-limits", "msg-references"], idOnly: true)
        try await bad(
            "1,025 identifiers in references", ["Limits"], ["msg-limits"],
            MessageVectors.forge("base") { $0.references = Array(repeating: reference, count: 1025) }, "limits-exceeded"
        )
        let many = MessageVectors.forge("public4096") { forge in
            forge.mode = 1
            forge.recipients = (0..<4096).map {
                .init(address: "r\(String($0 + 10_000))@example.org", role: 0, key: Seeds.bytes("recipient/\($0)"))
            }
        }
        try await file.valid(
            "a public manifest listing exactly 4,096 recipients, the limit", flags: ["Valid", "Limit", "PublicMode"],
            spec: ["msg-limits"], input: input(many, Cast.mallory),
            expected: .object([("message_id", .string("msg-" + IdentifierVectors.base32(many.messageID)))]))
        // 65,536 chunks: the identifiers repeat, so the vector writes them once with a count
        // (conformance.md, compact byte strings). Opening a manifest fetches no chunk.
        let chunk = Construct.identifier("dialogue-v1/blob", Array("chunk".utf8))
        func chunks(_ counts: [Int]) -> MessageForge {
            MessageVectors.forge("chunks\(counts.count)") { forge in
                forge.mode = 1
                forge.parts = counts.enumerated().map { index, count in
                    var part = Construct.part(
                        [], key: Seeds.bytes("chunks/P\(index)"), mediaType: "application/octet-stream")
                    part.size = UInt64(count) * UInt64(Construct.chunkSize)
                    part.chunks = Array(repeating: chunk, count: count)
                    return part
                }
            }
        }
        let full = chunks([65_536])
        try await file.valid(
            "one part of 64 GiB listing 65,536 chunks, the limit (one identifier repeated)",
            flags: ["Valid", "Limit", "PublicMode"], spec: ["msg-limits", "conf-compact-bytes"],
            input: compactInput(full, unit: C.bstr(chunk)),
            expected: .object([("message_id", .string("msg-" + IdentifierVectors.base32(full.messageID)))]))
        try await file.invalid(
            "65,537 chunks over two parts (65,536 and 1): the total counts", flags: ["Limits", "PublicMode"],
            spec: ["msg-limits", "conf-compact-bytes"], input: compactInput(chunks([65_536, 1]), unit: C.bstr(chunk)),
            error: "limits-exceeded")
        // The envelope size: a sealed manifest of zero bytes fills the envelope to the byte.
        func sized(_ total: Int) -> MessageForge {
            let probe = MessageVectors.forge("base") { $0.sealedManifest = { _ in [UInt8](repeating: 0, count: 1000) } }
            // The sealed manifest's byte string has a 3-byte head at 1,000 bytes and a 5-byte one near 16 MiB.
            let overhead = probe.envelope().count - 1000 - 3
            return MessageVectors.forge("base") {
                $0.sealedManifest = { _ in [UInt8](repeating: 0, count: total - overhead - 5) }
            }
        }
        let limit = 1 << 24
        for (total, error, comment) in [
            (limit, "authentication-failed", "an envelope of exactly 16 MiB passes the size check"),
            (limit + 1, "limits-exceeded", "an envelope of 16 MiB + 1 byte"),
        ] {
            let sizedForge = sized(total)
            precondition(sizedForge.envelope().count == total, "the envelope is \(sizedForge.envelope().count) bytes")
            try await file.invalid(
                comment, flags: ["Limits"], spec: ["msg-limits", "msg-open-order", "conf-compact-bytes"],
                input: MessageVectors.openInput([], Cast.bob).setting(
                    "envelope", CompactBytes.compact(sizedForge.envelope(), unit: [0])),
                error: error, construction: MessageVectors.construction(sizedForge))
        }

        file.group("a blind copy is sealed to its bcc recipient alone (msg-bcc-separate)")
        func copy(sealedTo keys: [[UInt8]]) -> MessageForge {
            MessageVectors.forge("bcc", to: [Cast.carol, Cast.bob]) {
                $0.recipients[1].role = 2
                $0.sealTo = keys
            }
        }
        try await bad(
            "a blind copy with a second stanza for the visible recipient, opened by the bcc recipient",
            ["BlindCopy", "Consistency"], ["msg-bcc-separate", "msg-open-order"],
            copy(sealedTo: [Cast.bob.encryptionKey, Cast.carol.encryptionKey]), "malformed")
        try await bad(
            "the same copy opened by the visible recipient", ["BlindCopy", "Consistency"], ["msg-bcc-separate"],
            copy(sealedTo: [Cast.bob.encryptionKey, Cast.carol.encryptionKey]), "malformed", as: Cast.carol)
        try await bad(
            "a blind copy sealed to the visible recipient alone, opened by it", ["BlindCopy", "Consistency"],
            ["msg-bcc-separate"], copy(sealedTo: [Cast.carol.encryptionKey]), "malformed", as: Cast.carol)
        try await bad(
            "a blind copy with a second stanza for someone it does not list, opened by that one",
            ["BlindCopy", "WrongRecipient"], ["msg-bcc-separate", "msg-open-order"],
            copy(sealedTo: [Cast.bob.encryptionKey, Cast.mallory.encryptionKey]), "not-a-recipient", as: Cast.mallory)

        file.group("identifiers of the wrong length inside a manifest (id-binary-length)")
        for (comment, bytes) in [
            ("an empty identifier in in-reply-to", [UInt8]()), ("a 34-byte identifier in references", reference + [0]),
        ] {
            try await bad(
                comment, ["Identifier", "WrongLength"], ["id-binary-length", "msg-references"],
                MessageVectors.forge("base") { forge in
                    forge.manifestEntries = { $0[comment.contains("in-reply-to") ? 8 : 9] = C.array([C.bstr(bytes)]) }
                },
                "malformed")
        }
    }

    /// A `message.open` input as bob whose envelope writes its longest run of `unit` once.
    static func compactInput(_ forge: MessageForge, unit: [UInt8]) -> JSONValue {
        MessageVectors.openInput([], Cast.mallory).setting(
            "envelope", CompactBytes.compact(forge.envelope(), unit: unit))
    }
}
