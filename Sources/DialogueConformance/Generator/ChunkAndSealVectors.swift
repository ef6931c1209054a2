/// `chunk_open.json` and `message_seal.json` (Spec: messages.md#msg-parts, #msg-seal).
enum ChunkAndSealVectors {
    static func chunkInput(size: UInt64, key: [UInt8], chunks: [[UInt8]], index: Int, blob: [UInt8]) -> JSONValue {
        .object([
            (
                "part",
                .object([
                    ("size", .integer(Int64(size))), ("key", .string(Hex.encode(key))),
                    ("chunks", .array(chunks.map { .string("blob-" + IdentifierVectors.base32($0)) })),
                ])
            ),
            ("index", .integer(Int64(index))), ("blob", .string(Hex.encode(blob))),
        ])
    }

    static func blobID(_ blob: [UInt8]) -> [UInt8] { Construct.identifier("dialogue-v1/blob", blob) }

    static func buildChunks() async throws -> VectorFile {
        let file = FileBuilder(
            "chunk.open", "Opening the chunks of a part: length, identifier, then the AEAD bound to the position")
        let chunk = Construct.chunkSize
        let small = Construct.part(Array("Hello".utf8), key: Seeds.bytes("chunk/small/P"), mediaType: "text/plain")
        let empty = Construct.part([], key: Seeds.bytes("chunk/empty/P"), mediaType: "text/plain")
        let bigContent = (0..<(chunk + 1)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let big = Construct.part(bigContent, key: Seeds.bytes("big/P0"), mediaType: "application/octet-stream")
        let other = Construct.part(Array("Jello".utf8), key: Seeds.bytes("chunk/other/P"), mediaType: "text/plain")
        func expected(_ bytes: [UInt8]) -> JSONValue { .object([("plaintext", .string(Hex.encode(bytes)))]) }

        file.group("chunks that open")
        try await file.valid(
            "the only chunk of a 5-byte part", spec: ["msg-chunk-size", "msg-chunk-release", "id-verify"],
            input: chunkInput(size: 5, key: small.key, chunks: small.chunks, index: 0, blob: small.blobs[0]),
            expected: expected(small.content))
        try await file.valid(
            "the one empty chunk of an empty part (the tag alone)", flags: ["Valid", "EdgeCase"],
            spec: ["msg-chunk-size"],
            input: chunkInput(size: 0, key: empty.key, chunks: empty.chunks, index: 0, blob: empty.blobs[0]),
            expected: expected([]))
        // The 1 MiB plaintext is not repeated in `expected`, to keep the file small: the AEAD tag
        // authenticates it, and it is byte i = (31 * i) mod 256.
        try await file.valid(
            "chunk 0 of a part of CHUNK + 1 bytes: a full chunk of 1,048,576 bytes, byte i being (31 * i) mod 256 (not repeated in expected)",
            flags: ["Valid", "MultiChunk"], spec: ["msg-chunk-size", "msg-chunk-release"],
            input: chunkInput(size: UInt64(chunk + 1), key: big.key, chunks: big.chunks, index: 0, blob: big.blobs[0]),
            expected: .object([]))
        try await file.valid(
            "chunk 1, the last, of a part of CHUNK + 1 bytes: one byte", flags: ["Valid", "MultiChunk"],
            spec: ["msg-chunk-size", "msg-chunk-release"],
            input: chunkInput(size: UInt64(chunk + 1), key: big.key, chunks: big.chunks, index: 1, blob: big.blobs[1]),
            expected: expected([bigContent[chunk]]))

        file.group("the length is checked first, then the identifier (msg-chunk-size, id-verify)")
        let lengths: [(String, [UInt8])] = [
            ("one byte short", Array(small.blobs[0].dropLast())), ("one byte long", small.blobs[0] + [0]),
            ("the tag alone", Array(small.blobs[0].suffix(16))), ("empty", []),
        ]
        for (comment, blob) in lengths {
            try await file.invalid(
                "a blob \(comment), listed under its own identifier", flags: ["WrongLength"],
                spec: ["msg-chunk-size", "prim-aead-open"],
                input: chunkInput(size: 5, key: small.key, chunks: [blobID(blob)], index: 0, blob: blob),
                error: "malformed")
        }
        try await file.invalid(
            "an empty part's chunk of 15 bytes", flags: ["WrongLength"], spec: ["msg-chunk-size"],
            input: chunkInput(
                size: 0, key: empty.key, chunks: [blobID(Array(empty.blobs[0].prefix(15)))], index: 0,
                blob: Array(empty.blobs[0].prefix(15))), error: "malformed")
        let lastAsFull = big.blobs[1]
        try await file.invalid(
            "the one-byte last chunk given at index 0, where a full chunk belongs",
            flags: ["WrongLength", "ChunkPosition"], spec: ["msg-chunk-size"],
            input: chunkInput(
                size: UInt64(chunk + 1), key: big.key, chunks: [blobID(lastAsFull), big.chunks[1]], index: 0,
                blob: lastAsFull), error: "malformed")
        try await file.invalid(
            "a blob of the wrong length and the wrong identifier: the length first",
            flags: ["WrongLength", "Precedence"], spec: ["msg-chunk-size", "conf-error-precedence"],
            input: chunkInput(size: 5, key: small.key, chunks: small.chunks, index: 0, blob: small.blobs[0] + [0]),
            error: "malformed")
        try await file.invalid(
            "another blob of the right length: its identifier does not match", flags: ["ChunkPosition"],
            spec: ["id-verify", "msg-chunk-size"],
            input: chunkInput(size: 5, key: small.key, chunks: small.chunks, index: 0, blob: other.blobs[0]),
            error: "authentication-failed")
        try await file.invalid(
            "the listed identifier changed", flags: ["Identifier"], spec: ["id-verify"],
            input: chunkInput(
                size: 5, key: small.key, chunks: [small.chunks[0].flipping(5)], index: 0, blob: small.blobs[0]),
            error: "authentication-failed")
        try await file.invalid(
            "the blob's identifier computed under dialogue-v1/message", flags: ["Identifier", "Context"],
            spec: ["id-verify", "id-hash-context"],
            input: chunkInput(
                size: 5, key: small.key, chunks: [Construct.identifier("dialogue-v1/message", small.blobs[0])],
                index: 0, blob: small.blobs[0]), error: "authentication-failed")
        try await file.invalid(
            "the index past the last chunk", flags: ["ChunkPosition"], spec: ["msg-chunk-size"],
            input: chunkInput(size: 5, key: small.key, chunks: small.chunks, index: 1, blob: small.blobs[0]),
            error: "malformed")
        try await file.invalid(
            "a negative index", flags: ["ChunkPosition"], spec: ["msg-chunk-size"],
            input: chunkInput(size: 5, key: small.key, chunks: small.chunks, index: -1, blob: small.blobs[0]),
            error: "malformed")
        try await file.invalid(
            "a 31-byte part key", flags: ["WrongLength"], spec: ["msg-manifest-decode"],
            input: chunkInput(
                size: 5, key: Array(small.key.prefix(31)), chunks: small.chunks, index: 0, blob: small.blobs[0]),
            error: "malformed")

        file.group(
            "AEAD tampering, with the identifier listed for the tampered bytes so that only the AEAD check fails")
        for (comment, blob) in [
            ("the first ciphertext byte changed", small.blobs[0].flipping(0)),
            ("the last ciphertext byte changed", small.blobs[0].flipping(4)),
            ("the tag changed", small.blobs[0].flipping(-1)),
            ("an empty chunk's tag changed", empty.blobs[0].flipping(0)),
        ] {
            let size: UInt64 = blob.count == 16 ? 0 : 5
            try await file.invalid(
                comment, flags: ["AEADTamper"], spec: ["msg-chunk-release", "prim-aead-open"],
                input: chunkInput(
                    size: size, key: size == 0 ? empty.key : small.key, chunks: [blobID(blob)], index: 0, blob: blob),
                error: "authentication-failed")
        }
        try await file.invalid(
            "the right blob opened with another part's key", flags: ["AEADTamper"], spec: ["msg-chunk-release"],
            input: chunkInput(size: 5, key: other.key, chunks: small.chunks, index: 0, blob: small.blobs[0]),
            error: "authentication-failed")

        file.group("chunks out of place: the nonce binds the position and the final flag (msg-parts)")
        let sealedAt = { (index: UInt64, last: Bool, plaintext: [UInt8], key: [UInt8]) in
            Construct.seal(key: key, nonce: Construct.chunkNonce(index, last: last), plaintext)
        }
        let movedLast = sealedAt(0, true, [0x42], big.key)
        try await file.invalid(
            "reordered: a final chunk sealed at index 0, listed at index 1", flags: ["ChunkPosition"],
            spec: ["msg-chunk-release"],
            input: chunkInput(
                size: UInt64(chunk + 1), key: big.key, chunks: [big.chunks[0], blobID(movedLast)], index: 1,
                blob: movedLast), error: "authentication-failed")
        try await file.invalid(
            "duplicated: the last chunk listed again as the third of a longer part", flags: ["ChunkPosition"],
            spec: ["msg-chunk-release"],
            input: chunkInput(
                size: UInt64(2 * chunk + 1), key: big.key, chunks: [big.chunks[0], big.chunks[0], big.chunks[1]],
                index: 2, blob: big.blobs[1]), error: "authentication-failed")
        let notFinal = sealedAt(1, false, [bigContent[chunk]], big.key)
        try await file.invalid(
            "dropped: a chunk sealed as not final (more followed) listed as the last",
            flags: ["ChunkPosition", "Truncated"], spec: ["msg-chunk-release"],
            input: chunkInput(
                size: UInt64(chunk + 1), key: big.key, chunks: [big.chunks[0], blobID(notFinal)], index: 1,
                blob: notFinal), error: "authentication-failed")
        let finalFirst = sealedAt(1, true, Array("Hello".utf8), small.key)
        try await file.invalid(
            "a final chunk sealed at index 1 given as the only chunk", flags: ["ChunkPosition"],
            spec: ["msg-chunk-release"],
            input: chunkInput(size: 5, key: small.key, chunks: [blobID(finalFirst)], index: 0, blob: finalFirst),
            error: "authentication-failed")
        let notLast = sealedAt(0, false, Array("Hello".utf8), small.key)
        try await file.invalid(
            "the only chunk sealed without the final flag", flags: ["ChunkPosition", "Truncated"],
            spec: ["msg-chunk-release"],
            input: chunkInput(size: 5, key: small.key, chunks: [blobID(notLast)], index: 0, blob: notLast),
            error: "authentication-failed")
        let spliced = sealedAt(1, true, [0x99], other.key)
        try await file.invalid(
            "spliced: the last chunk of another part (another key) at the same position", flags: ["ChunkPosition"],
            spec: ["msg-chunk-release", "msg-part-key-fresh"],
            input: chunkInput(
                size: UInt64(chunk + 1), key: big.key, chunks: [big.chunks[0], blobID(spliced)], index: 1, blob: spliced
            ), error: "authentication-failed")
        let byteNine = Construct.seal(
            key: small.key, nonce: [UInt8](repeating: 0, count: 9) + [1] + [UInt8](repeating: 0, count: 14),
            Array("Hello".utf8))
        try await file.invalid(
            "sealed with the final flag in byte 9 instead of byte 8 of the nonce", flags: ["ChunkPosition"],
            spec: ["msg-chunk-release"],
            input: chunkInput(size: 5, key: small.key, chunks: [blobID(byteNine)], index: 0, blob: byteNine),
            error: "authentication-failed")

        file.group("the part is checked first, as a manifest's part: its identifiers, key and chunk count")
        func textInput(_ chunks: [String], size: UInt64 = 5, key: [UInt8]? = nil) -> JSONValue {
            chunkInput(size: size, key: key ?? small.key, chunks: [], index: 0, blob: small.blobs[0]).setting(
                "part",
                .object([
                    ("size", .integer(Int64(size))), ("key", .string(Hex.encode(key ?? small.key))),
                    ("chunks", .array(chunks.map { .string($0) })),
                ]))
        }
        let smallText = "blob-" + IdentifierVectors.base32(small.chunks[0])
        let unknownAlgorithm = "blob-" + IdentifierVectors.base32([2] + Array(small.chunks[0].dropFirst()))
        let partFaults: [(String, JSONValue, [String])] = [
            (
                "a part of 5 bytes listing two chunks, opening the first: the count contradicts the size",
                textInput([smallText, smallText]), ["msg-manifest-consistency"]
            ),
            (
                "a part of CHUNK + 1 bytes listing one chunk", textInput([smallText], size: UInt64(chunk + 1)),
                ["msg-manifest-consistency"]
            ),
            ("an identifier that does not parse", textInput(["blob-aaaa"]), ["id-text-strict"]),
            (
                "an identifier of algorithm 2: malformed inside a part, not unsupported-version",
                textInput([unknownAlgorithm]), ["id-binary-algorithm", "conf-unknown-algorithm-inside"]
            ),
            ("an identifier of kind msg", textInput(["msg-" + smallText.dropFirst(5)]), ["id-text-strict"]),
            (
                "a 31-byte part key and a blob whose identifier does not match: the key first",
                chunkInput(
                    size: 5, key: Array(small.key.prefix(31)), chunks: other.chunks, index: 0, blob: small.blobs[0]),
                ["msg-manifest-decode", "conf-error-precedence"]
            ),
            (
                "the count contradicting the size and the index past the end",
                chunkInput(
                    size: 5, key: small.key, chunks: small.chunks + small.chunks, index: 2, blob: small.blobs[0]),
                ["msg-manifest-consistency", "conf-error-precedence"]
            ),
        ]
        for (comment, input, spec) in partFaults {
            try await file.invalid(
                comment, flags: ["Consistency", "Precedence"], spec: spec, input: input, error: "malformed")
        }
        return file.file
    }

    // MARK: message.seal

    /// The input of a `message.seal` vector; `blindCopies` are the forges of the blind copies,
    /// whose message keys and ephemeral secrets become `randomness.blind_copies` (absent if empty).
    static func sealInput(
        _ forge: MessageForge, sender: Identity, recipients: [(Identity, String, String, [UInt8]?)], stanzaOrder: [Int],
        mode: String? = nil, blindCopies: [MessageForge] = []
    ) -> JSONValue {
        var randomness: [(String, JSONValue)] = [
            ("message_key", .string(Hex.encode(forge.messageKey))),
            ("ephemeral_secret", .string(Hex.encode(forge.ephemeralSecret))),
            ("stanza_order", .array(stanzaOrder.map { .integer(Int64($0)) })),
            ("part_keys", .array(forge.parts.map { .string(Hex.encode($0.key)) })),
        ]
        if !blindCopies.isEmpty {
            randomness.append(
                (
                    "blind_copies",
                    .array(
                        blindCopies.map {
                            .object([
                                ("message_key", .string(Hex.encode($0.messageKey))),
                                ("ephemeral_secret", .string(Hex.encode($0.ephemeralSecret))),
                            ])
                        })
                ))
        }
        return .object([
            (
                "sender",
                .object([
                    ("identity_seed", .string(Hex.encode(sender.seed))),
                    ("encryption_secret", .string(Hex.encode(sender.encryptionSecret))),
                    ("card", .string(Hex.encode(forge.senderCard))), ("address", .string(forge.senderAddress)),
                ])
            ),
            ("mode", .string(mode ?? (forge.mode == 0 ? "encrypted" : "public"))),
            (
                "recipients",
                .array(
                    recipients.map {
                        .object([
                            ("address", .string($0.1)), ("role", .string($0.2)),
                            ("card", .string(Hex.encode($0.3 ?? $0.0.card))),
                        ])
                    })
            ),
            ("date", .integer(Int64(forge.date))),
            ("headers", .object(forge.headers.map { ($0.0, .string($0.1)) })),
            (
                "parts",
                .array(
                    forge.parts.map {
                        .object([
                            ("media_type", .string($0.mediaType)), ("file_name", .string($0.fileName)),
                            ("content", .string(Hex.encode($0.content))),
                        ])
                    })
            ),
            ("in_reply_to", .array(forge.inReplyTo.map { .string("msg-" + IdentifierVectors.base32($0)) })),
            ("references", .array(forge.references.map { .string("msg-" + IdentifierVectors.base32($0)) })),
            ("randomness", .object(randomness)),
        ])
    }

    /// The `cross_check` of a vector: the secrets of the visible recipients and, if any, of each
    /// blind-copy recipient in order.
    static func crossCheck(_ recipients: [Identity], blind: [Identity] = []) -> JSONValue {
        func secrets(_ identities: [Identity]) -> JSONValue {
            .array(
                identities.map {
                    .object([
                        ("encryption_secret", .string(Hex.encode($0.encryptionSecret))),
                        ("addresses", .array($0.addresses.map { .string($0) })),
                    ])
                })
        }
        var entries = [("recipients", secrets(recipients))]
        if !blind.isEmpty { entries.append(("blind_copies", secrets(blind))) }
        return .object(entries)
    }

    /// The output of sealing `forge`: its envelope (or, with `copies` and no visible recipient in
    /// encrypted mode, the first copy's), its chunk blobs, and each copy's envelope.
    static func sealOutput(_ forge: MessageForge, copies: [MessageForge]) -> JSONValue {
        var blobs: [(String, JSONValue)] = []
        for part in forge.parts {
            for blob in part.blobs {
                blobs.append(("blob-" + IdentifierVectors.base32(blobID(blob)), .string(Hex.encode(blob))))
            }
        }
        blobs.sort { $0.0 < $1.0 }
        var unique: [(String, JSONValue)] = []
        for blob in blobs where unique.last?.0 != blob.0 { unique.append(blob) }
        func envelope(_ forge: MessageForge) -> [(String, JSONValue)] {
            [
                ("envelope", .string(Hex.encode(forge.envelope()))),
                ("message_id", .string("msg-" + IdentifierVectors.base32(forge.messageID))),
            ]
        }
        let primary = forge.recipients.isEmpty && forge.mode == 0 ? copies.first ?? forge : forge
        var output = envelope(primary) + [("blobs", .object(unique))]
        if !copies.isEmpty { output.append(("blind_copies", .array(copies.map { .object(envelope($0)) }))) }
        return .object(output)
    }

    /// A valid `message.seal` vector whose expected output is built from the primitives by `forge`
    /// (and `copies`, the blind copies, in the order of the `bcc` recipients).
    static func validSeal(
        _ file: FileBuilder, _ comment: String, _ forge: MessageForge, sender: Identity,
        recipients: [(Identity, String, String)], order: [Int], flags: [String] = ["Valid", "CrossCheck"],
        spec: [String], copies: [MessageForge] = []
    ) async throws {
        let input = sealInput(
            forge, sender: sender, recipients: recipients.map { ($0.0, $0.1, $0.2, nil) }, stanzaOrder: order,
            blindCopies: copies)
        try await file.valid(
            comment, flags: flags, spec: spec, input: input, expected: sealOutput(forge, copies: copies),
            crossCheck: crossCheck(
                recipients.filter { $0.2 != "bcc" }.map(\.0), blind: recipients.filter { $0.2 == "bcc" }.map(\.0)))
    }

    static func buildSeal() async throws -> VectorFile {
        let file = FileBuilder(
            "message.seal", "Sealing messages with every random input given: the exact envelope and chunk blobs")
        let alice = Cast.alice
        let bob = Cast.bob
        let carol = Cast.carol
        let mallory = Cast.mallory
        func valid(
            _ comment: String, _ forge: MessageForge, sender: Identity, recipients: [(Identity, String, String)],
            order: [Int], flags: [String] = ["Valid", "CrossCheck"], spec: [String]
        ) async throws {
            try await validSeal(
                file, comment, forge, sender: sender, recipients: recipients, order: order, flags: flags, spec: spec)
        }
        file.group(
            "exact envelopes and blobs, from given randomness; the construction is re-derived from the primitives")
        let one = MessageVectors.base("seal-one")
        try await valid(
            "alice to bob, one text part", one, sender: alice, recipients: [(bob, "bob@example.net", "to")], order: [0],
            spec: [
                "msg-open-order", "msg-commitment", "msg-part-key-fresh", "prim-random", "prim-aead-nonce", "prim-hkdf",
            ])
        var rich = MessageForge(from: alice, to: [carol, bob], label: "seal-rich")
        rich.recipients[1].address = "robert@example.net"
        rich.recipients[1].role = 1
        rich.sealTo = [bob.encryptionKey, carol.encryptionKey]
        rich.headers = [("subject", "Minutes"), ("x-priority", "2")]
        rich.parts.append(
            Construct.part(
                Seeds.bytes("seal-rich/pdf", count: 300), key: Seeds.bytes("seal-rich/P1"),
                mediaType: "application/pdf", fileName: "minutes.pdf"))
        rich.inReplyTo = [Construct.identifier("dialogue-v1/message", Array("earlier".utf8))]
        rich.references = [
            Construct.identifier("dialogue-v1/message", Array("first".utf8)),
            Construct.identifier("dialogue-v1/message", Array("earlier".utf8)),
        ]
        try await valid(
            "to carol and cc bob (at his second address), stanzas in the order bob, carol; two parts; a reply", rich,
            sender: alice, recipients: [(carol, "carol@example.com", "to"), (bob, "robert@example.net", "cc")],
            order: [1, 0], spec: ["msg-stanza-order", "msg-references", "msg-commitment"])
        var emptyPart = MessageVectors.base("seal-empty")
        emptyPart.parts = [
            Construct.part(
                [], key: Seeds.bytes("seal-empty/P0"), mediaType: "application/octet-stream", fileName: "empty")
        ]
        emptyPart.headers = []
        try await valid(
            "an empty part (one empty chunk) and no headers", emptyPart, sender: alice,
            recipients: [(bob, "bob@example.net", "to")], order: [0], flags: ["Valid", "CrossCheck", "EdgeCase"],
            spec: ["msg-manifest-consistency"])
        var noParts = MessageVectors.base("seal-noparts")
        noParts.parts = []
        try await valid(
            "no parts", noParts, sender: alice, recipients: [(bob, "bob@example.net", "to")], order: [0],
            flags: ["Valid", "CrossCheck", "EdgeCase"], spec: ["msg-manifest-decode"])
        var publicMessage = MessageVectors.base("seal-public")
        publicMessage.mode = 1
        try await valid(
            "a public message, asked for explicitly", publicMessage, sender: alice,
            recipients: [(bob, "bob@example.net", "to")], order: [0], flags: ["Valid", "CrossCheck", "PublicMode"],
            spec: ["msg-public-not-default"])
        var fromBob = MessageForge(from: bob, to: [alice], label: "seal-frombob")
        fromBob.senderAddress = "robert@example.net"
        try await valid(
            "bob writes from his second address", fromBob, sender: bob,
            recipients: [(alice, "alice@example.org", "to")], order: [0], spec: ["msg-open-order"])
        var three = MessageForge(from: alice, to: [bob, carol, mallory], label: "seal-three")
        three.recipients[2].role = 1
        three.sealTo = [mallory.encryptionKey, bob.encryptionKey, carol.encryptionKey]
        try await valid(
            "three recipients, stanzas in the order 2, 0, 1", three, sender: alice,
            recipients: [
                (bob, "bob@example.net", "to"), (carol, "carol@example.com", "to"),
                (mallory, "mallory@example.org", "cc"),
            ], order: [2, 0, 1], spec: ["msg-stanza-order"])

        file.group("messages that cannot be sealed")
        func bad(_ comment: String, _ flags: [String], _ spec: [String], _ input: JSONValue, _ error: String)
            async throws
        {
            try await file.invalid(comment, flags: flags, spec: spec, input: input, error: error)
        }
        let base = MessageVectors.base("seal-bad")
        let to: [(Identity, String, String, [UInt8]?)] = [(bob, "bob@example.net", "to", nil)]
        for (name, point) in LowOrder.points.prefix(5) {
            let weak = bob.card(body: bob.cardEntries(encryptionKey: point).encoded)
            try await bad(
                "the recipient's card has a low-order encryption key: \(name)", ["LowOrderKey"],
                ["card-weak-key", "prim-x25519-zero"],
                sealInput(base, sender: alice, recipients: [(bob, "bob@example.net", "to", weak)], stanzaOrder: [0]),
                "weak-key")
        }
        let weak = carol.card(body: carol.cardEntries(encryptionKey: LowOrder.points[2].1).encoded)
        try await bad(
            "the second of two recipients has a low-order key", ["LowOrderKey"], ["card-weak-key"],
            sealInput(
                base, sender: alice, recipients: to + [(carol, "carol@example.com", "cc", weak)], stanzaOrder: [0, 1]),
            "weak-key")
        var wrongSender = base
        wrongSender.senderAddress = "alice@example.net"
        try await bad(
            "the sender address is not on the sender's card", ["AddressMismatch"], ["msg-open-order"],
            sealInput(wrongSender, sender: alice, recipients: to, stanzaOrder: [0]), "address-mismatch")
        try await bad(
            "the recipient address is not on the recipient's card", ["AddressMismatch"], ["msg-open-order"],
            sealInput(base, sender: alice, recipients: [(bob, "bob@example.org", "to", nil)], stanzaOrder: [0]),
            "address-mismatch")
        var mismatched = base
        mismatched.senderCard = mallory.card
        mismatched.senderAddress = "mallory@example.org"
        try await bad(
            "the sender's card does not match the sender's secrets", ["Consistency"], ["secret-consistency"],
            sealInput(mismatched, sender: alice, recipients: to, stanzaOrder: [0]), "malformed")
        try await bad(
            "the recipient's card does not verify", ["BadSignature"], ["card-signature"],
            sealInput(
                base, sender: alice, recipients: [(bob, "bob@example.net", "to", bob.card.flipping(-1))],
                stanzaOrder: [0]), "bad-signature")
        var manyParts = base
        manyParts.parts = (0..<1025).map { index in
            Construct.Part(
                mediaType: "a/b", fileName: "", size: 0, key: Seeds.bytes("many/\(index)"), chunks: [], blobs: [],
                content: [])
        }
        try await bad(
            "1,025 parts", ["Limits"], ["msg-limits"],
            sealInput(manyParts, sender: alice, recipients: to, stanzaOrder: [0]), "limits-exceeded")
        let headerCases: [(String, [(String, String)], String)] = [
            ("257 headers", (0..<257).map { ("h\(String($0 + 100))", "v") }, "limits-exceeded"),
            ("a 65-byte header name", [(String(repeating: "n", count: 65), "v")], "limits-exceeded"),
            ("a 16,385-byte header value", [("subject", String(repeating: "v", count: 16_385))], "limits-exceeded"),
            ("an upper-case header name", [("Subject", "Hello")], "malformed"),
        ]
        for (comment, headers, error) in headerCases {
            var forge = base
            forge.headers = headers
            try await bad(
                comment, [error == "malformed" ? "Layout" : "Limits"], ["msg-limits"],
                sealInput(forge, sender: alice, recipients: to, stanzaOrder: [0]), error)
        }
        var noType = base
        noType.parts[0].mediaType = ""
        try await bad(
            "an empty media type", ["Limits"], ["msg-limits"],
            sealInput(noType, sender: alice, recipients: to, stanzaOrder: [0]), "limits-exceeded")
        var slash = base
        slash.parts[0].fileName = "a/b"
        try await bad(
            "a file name with a slash", ["Layout"], ["msg-limits"],
            sealInput(slash, sender: alice, recipients: to, stanzaOrder: [0]), "malformed")
        try await bad(
            "no recipients in an encrypted message", ["Consistency"], ["msg-manifest-consistency"],
            sealInput(base, sender: alice, recipients: [], stanzaOrder: []), "malformed")
        try await bad(
            "the same recipient twice", ["Consistency"], ["msg-manifest-consistency"],
            sealInput(base, sender: alice, recipients: to + to, stanzaOrder: [0, 1]), "malformed")
        try await bad(
            "an unknown mode", ["UnknownVersion"], ["msg-envelope-version"],
            sealInput(base, sender: alice, recipients: to, stanzaOrder: [0], mode: "secret"), "unsupported-version")
        try await addBlindCopies(to: file)
        try await addRequestFaults(to: file, base: base)
        return file.file
    }

    /// Randomness that does not fit the message, alone and with faults of the message (the request
    /// is checked first), the rules of issue 9 at the sender, and the shuffle cross-check.
    static func addRequestFaults(to file: FileBuilder, base: MessageForge) async throws {
        let alice = Cast.alice
        let bob = Cast.bob
        let carol = Cast.carol
        let to: [(Identity, String, String, [UInt8]?)] = [(bob, "bob@example.net", "to", nil)]
        let two = to + [(carol, "carol@example.com", "cc", nil)]
        func bad(_ comment: String, _ flags: [String], _ spec: [String], _ input: JSONValue, _ error: String)
            async throws
        {
            try await file.invalid(comment, flags: flags, spec: spec, input: input, error: error)
        }
        func setting(_ input: JSONValue, _ key: String, _ value: JSONValue) -> JSONValue {
            input.setting("randomness", (input["randomness"] ?? .null).setting(key, value))
        }
        file.group("randomness that does not fit the message: a request fault, checked before the message")
        let lowOrderCard = Cast.bob.card(body: Cast.bob.cardEntries(encryptionKey: LowOrder.points[0].1).encoded)
        var headers257 = base
        headers257.headers = (0..<257).map { ("h\(String($0 + 100))", "v") }
        let faults: [(String, JSONValue)] = [
            (
                "a stanza order that repeats an index",
                sealInput(base, sender: alice, recipients: two, stanzaOrder: [0, 0])
            ),
            ("a stanza order naming no recipient", sealInput(base, sender: alice, recipients: to, stanzaOrder: [1])),
            ("a stanza order too short", sealInput(base, sender: alice, recipients: two, stanzaOrder: [1])),
            (
                "no part keys for one part",
                setting(sealInput(base, sender: alice, recipients: to, stanzaOrder: [0]), "part_keys", .array([]))
            ),
            (
                "a 31-byte part key",
                setting(
                    sealInput(base, sender: alice, recipients: to, stanzaOrder: [0]), "part_keys",
                    .array([.string(Hex.encode(Array(base.parts[0].key.prefix(31))))]))
            ),
            (
                "a stanza order that repeats an index, and a recipient key of low order",
                sealInput(
                    base, sender: alice, recipients: [(bob, "bob@example.net", "to", lowOrderCard)] + [two[1]],
                    stanzaOrder: [1, 1])
            ),
            (
                "two part keys for one part, and 257 headers",
                setting(
                    sealInput(headers257, sender: alice, recipients: to, stanzaOrder: [0]), "part_keys",
                    .array([.string(Hex.encode(base.parts[0].key)), .string(Hex.encode(base.parts[0].key))]))
            ),
        ]
        for (comment, input) in faults {
            try await bad(
                comment, comment.contains(", and") ? ["Precedence"] : ["Consistency"],
                ["conf-request-errors"] + (comment.contains(", and") ? ["conf-error-precedence"] : []), input,
                "malformed")
        }

        file.group("the rules of issue 9 at the sender: format characters, header controls, 1,025 references")
        let senderRules: [(String, (inout MessageForge) -> Void, flag: String, anchor: String, String)] = [
            (
                "a file name with a right-to-left override (invoice\\u202efdp.exe)",
                { $0.parts[0].fileName = "invoice\u{202E}fdp.exe" }, "Layout", "msg-file-name-format", "malformed"
            ),
            (
                "a header value with a line feed", { $0.headers = [("subject", "hi\ntrust       verified (info)")] },
                "Layout", "msg-header-value-controls", "malformed"
            ),
            (
                "1,025 identifiers in references",
                {
                    $0.references = Array(
                        repeating: Construct.identifier("dialogue-v1/message", Array("thread".utf8)), count: 1025)
                }, "Limits", "msg-limits", "limits-exceeded"
            ),
        ]
        for (comment, edit, flag, anchor, error) in senderRules {
            var forge = base
            edit(&forge)
            try await bad(
                comment, [flag], [anchor],
                sealInput(forge, sender: alice, recipients: to, stanzaOrder: [0]), error)
        }
        var tab = MessageVectors.base("seal-tab")
        tab.headers = [("subject", "a\tb")]
        try await validSeal(
            file, "a header value with a TAB", tab, sender: alice, recipients: [(bob, "bob@example.net", "to")],
            order: [0], spec: ["msg-header-value-controls"])

        file.group(
            "the stanza shuffle: with randomness null, seals do not keep the recipients' order (msg-stanza-order)")
        var three = MessageForge(from: alice, to: [bob, carol, Cast.mallory], label: "seal-shuffle")
        three.recipients[2].role = 1
        let recipients = [
            (bob, "bob@example.net", "to"), (carol, "carol@example.com", "to"),
            (Cast.mallory, "mallory@example.org", "cc"),
        ]
        var shuffled = three
        shuffled.sealTo = [carol.encryptionKey, Cast.mallory.encryptionKey, bob.encryptionKey]
        let input = sealInput(
            shuffled, sender: alice, recipients: recipients.map { ($0.0, $0.1, $0.2, nil) }, stanzaOrder: [1, 2, 0])
        try await file.valid(
            "three recipients; the runner seals 16 times with randomness null and expects another order than 0, 1, 2 at least once",
            flags: ["Valid", "CrossCheck"], spec: ["msg-stanza-order", "prim-random"], input: input,
            expected: sealOutput(shuffled, copies: []),
            crossCheck: crossCheck([bob, carol, Cast.mallory]).setting("shuffle_seals", .integer(16)))
    }
}
