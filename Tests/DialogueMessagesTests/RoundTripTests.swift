import DialogueCrypto
import DialogueIdentifiers
import DialogueMessages
import Testing

@Suite("Sealing and opening round trips (messages.md#msg-seal, #msg-open)")
struct RoundTripTests {
    @Test(
        "msg-parts: a part of 0, 1, CHUNK-1, CHUNK, CHUNK+1 and 3*CHUNK+7 bytes round trips in max(1, ceil(n/CHUNK)) chunks",
        arguments: [0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk + 7]
    )
    func partSizes(_ size: Int) async throws {
        let content = Fixture.content(size, salt: UInt8(truncatingIfNeeded: size))
        let (sealed, store) = try await seal(
            draft(
                to: [Fixture.bob],
                parts: [.init(mediaType: "application/octet-stream", fileName: "data.bin", content: .bytes(content))])
        )
        let opened = try EnvelopeOpener.open(try #require(await store.get(sealed.envelopeID)), as: Fixture.bob)
        let part = try #require(opened.manifest.parts.first)
        #expect(part.size == UInt64(size))
        #expect(part.mediaType == "application/octet-stream" && part.fileName == "data.bin")
        let expectedChunks = max(1, (size + chunk - 1) / chunk)
        #expect(part.chunks.count == expectedChunks)
        // msg-chunk-size: every chunk blob is its plaintext length plus 16 bytes.
        for (index, id) in part.chunks.enumerated() {
            let blob = try #require(await store.get(id))
            let plaintext = index == expectedChunks - 1 ? size - index * chunk : chunk
            #expect(blob.count == plaintext + 16)
            #expect(id.isIdentifier(of: blob, context: .blob))
        }
        #expect(try await PartReader(part: part, store: store).readAll() == content)
        #expect(await store.identifiers.count == expectedChunks + 1)
    }

    @Test("msg-seal: 1, 2 and 100 recipients can each open the message", arguments: [1, 2, 100])
    func recipients(_ count: Int) async throws {
        let members = (0..<count).map(Fixture.member)
        let (sealed, store) = try await seal(draft(to: members, parts: [.text("to the list")]))
        let envelope = try #require(await store.get(sealed.envelopeID))
        #expect(try Envelope(decoding: envelope).stanzas.count == count)
        #expect(Set(sealed.stanzaIndices.compactMap { $0 }) == Set(0..<count))
        for (index, member) in members.enumerated() {
            let opened = try EnvelopeOpener.open(envelope, as: member)
            #expect(opened.messageID == sealed.messageID)
            #expect(opened.stanzaIndex == sealed.stanzaIndices[index])
            #expect(opened.recipient?.address == member.card.addresses[0])
            #expect(!opened.isPublic)
            #expect(opened.envelopeID == sealed.envelopeID)
        }
        expectError(.notARecipient) { _ = try EnvelopeOpener.open(envelope, as: Fixture.carol) }
        expectError(.notARecipient) { _ = try EnvelopeOpener.open(envelope, as: Fixture.alice) }
    }

    @Test("msg-stanza-order: the stanzas of 100 recipients are shuffled, not in recipient order")
    func stanzaShuffle() async throws {
        let members = (0..<100).map(Fixture.member)
        let (sealed, _) = try await seal(draft(to: members, parts: []))
        let indices = sealed.stanzaIndices.map { $0! }
        #expect(indices.sorted() == Array(0..<100))
        #expect(indices != Array(0..<100), "the identity permutation has probability 1/100!")
    }

    @Test("msg-limits: 1,000 recipients, a sample opens with and without the stanza index")
    func thousandRecipients() async throws {
        let members = (0..<1000).map(Fixture.member)
        let (sealed, store) = try await seal(draft(to: members, parts: [.text("announcement")]))
        let envelope = try #require(await store.get(sealed.envelopeID))
        #expect(try Envelope(decoding: envelope).stanzas.count == 1000)
        for index in [0, 1, 99, 250, 499, 500, 733, 998, 999, 512] {
            let member = members[index]
            let hinted = try EnvelopeOpener.open(envelope, as: member, stanzaIndex: sealed.stanzaIndices[index])
            let searched = try EnvelopeOpener.open(envelope, as: member)
            #expect(hinted.messageID == sealed.messageID)
            #expect(searched.messageID == sealed.messageID)
            #expect(searched.stanzaIndex == sealed.stanzaIndices[index])
            #expect(hinted.stanzaIndex == sealed.stanzaIndices[index])
            #expect(searched.recipient?.address == member.card.addresses[0])
        }
        // A wrong hint opens nothing: only the given stanza is tried.
        let wrongHint = (sealed.stanzaIndices[0]! + 1) % 1000
        expectError(.notARecipient) { _ = try EnvelopeOpener.open(envelope, as: members[0], stanzaIndex: wrongHint) }
        expectError(.notARecipient) { _ = try EnvelopeOpener.open(envelope, as: members[0], stanzaIndex: 1000) }
        expectError(.notARecipient) { _ = try EnvelopeOpener.open(envelope, as: members[0], stanzaIndex: -1) }
    }

    @Test("msg-public: a public message opens for anyone and says it is public")
    func publicMode() async throws {
        var message = draft(to: [Fixture.bob], parts: [.text("to the archive")])
        message.mode = .public
        let (sealed, store) = try await seal(message)
        let envelopeBytes = try #require(await store.get(sealed.envelopeID))
        let envelope = try Envelope(decoding: envelopeBytes)
        #expect(envelope.mode == .public)
        #expect(envelope.stanzas.isEmpty && envelope.ephemeralKey == nil && envelope.keyCommitment == nil)
        #expect(envelope.payload == sealed.signedManifest.encodedBytes, "the signed manifest is in the clear")
        for reader in [Fixture.bob, Fixture.carol, Fixture.alice] {
            let opened = try EnvelopeOpener.open(envelopeBytes, as: reader)
            #expect(opened.isPublic)
            #expect(opened.recipient == nil && opened.stanzaIndex == nil)
            #expect(opened.messageID == sealed.messageID)
            #expect(opened.manifest.ephemeralKey == nil && opened.manifest.keyCommitment == nil)
            #expect(
                String(
                    decoding: try await PartReader(part: opened.manifest.parts[0], store: store).readAll(),
                    as: UTF8.self) == "to the archive")
        }
        // A public message needs no recipient at all.
        var list = MessageDraft(recipients: [], date: Fixture.date, subject: "news", parts: [.text("hi")])
        list.mode = .public
        let (announcement, listStore) = try await seal(list)
        let opened = try EnvelopeOpener.open(
            try #require(await listStore.get(announcement.envelopeID)), as: Fixture.dave)
        #expect(opened.isPublic && opened.manifest.recipients.isEmpty)
    }

    @Test("msg-public-not-default: a draft is encrypted unless the caller asks for public mode")
    func encryptedByDefault() async throws {
        let message = draft(to: [Fixture.bob], parts: [.text("secret")])
        #expect(message.mode == .encrypted)
        let (sealed, store) = try await seal(message)
        let envelope = try Envelope(decoding: try #require(await store.get(sealed.envelopeID)))
        #expect(envelope.mode == .encrypted && envelope.stanzas.count == 1)
        #expect(envelope.payload.offset(of: Array("secret".utf8)) == nil)
        #expect(envelope.payload.offset(of: Array("Hello".utf8)) == nil, "the subject is encrypted too")
        let empty = MessageDraft(recipients: [], date: Fixture.date, parts: [.text("nobody")])
        await expectAsyncError(.malformed) { _ = try await seal(empty) }
    }

    @Test("msg-bcc: a blind copy is a separate envelope that lists only its own bcc recipient, sharing the chunks")
    func blindCopies() async throws {
        let content = Fixture.content(chunk + 100)
        let message = MessageDraft(
            recipients: [
                .init(card: Fixture.bob.card), .init(card: Fixture.carol.card, role: .cc),
                .init(card: Fixture.dave.card, role: .bcc),
            ],
            date: Fixture.date, subject: "Plans",
            parts: [
                .text("see attached"),
                .init(mediaType: "application/pdf", fileName: "plan.pdf", content: .bytes(content)),
            ]
        )
        let (sealed, store) = try await seal(message)
        let copy = try #require(sealed.blindCopies.first)
        #expect(sealed.blindCopies.count == 1)
        let primaryBytes = try #require(await store.get(sealed.envelopeID))
        let copyBytes = try #require(await store.get(copy.envelopeID))

        // The primary manifest lists to and cc only.
        let primary = try EnvelopeOpener.open(primaryBytes, as: Fixture.bob)
        #expect(
            primary.manifest.recipients.map(\.address) == [
                Fixture.bob.card.addresses[0], Fixture.carol.card.addresses[0],
            ])
        #expect(primary.manifest.recipients.map(\.role) == [.to, .cc])
        #expect(primaryBytes.offset(of: Fixture.dave.card.encryptionKey.rawRepresentation) == nil)
        _ = try EnvelopeOpener.open(primaryBytes, as: Fixture.carol)
        expectError(.notARecipient) { _ = try EnvelopeOpener.open(primaryBytes, as: Fixture.dave) }

        // msg-bcc-separate: the copy lists the visible recipients plus Dave as bcc, and only Dave can open it.
        let blind = try EnvelopeOpener.open(copyBytes, as: Fixture.dave)
        #expect(
            blind.manifest.recipients.map(\.address) == primary.manifest.recipients.map(\.address) + [
                Fixture.dave.card.addresses[0]
            ])
        #expect(blind.manifest.recipients.map(\.role) == [.to, .cc, .bcc])
        #expect(blind.recipient?.role == .bcc)
        #expect(try Envelope(decoding: copyBytes).stanzas.count == 1)
        #expect(copy.stanzaIndices == [nil, nil, 0])
        expectError(.notARecipient) { _ = try EnvelopeOpener.open(copyBytes, as: Fixture.bob) }
        expectError(.notARecipient) { _ = try EnvelopeOpener.open(copyBytes, as: Fixture.carol) }

        // Same parts, same chunks, stored once; different message identifiers.
        #expect(blind.manifest.parts == primary.manifest.parts)
        #expect(blind.messageID != primary.messageID)
        let chunkCount = primary.manifest.parts.map(\.chunks.count).reduce(0, +)
        #expect(await store.identifiers.count == chunkCount + 2)
        #expect(try await PartReader(part: blind.manifest.parts[1], store: store).readAll() == content)
    }

    @Test("msg-bcc-only: only blind-copy recipients: no primary envelope, the first copy stands for the message")
    func onlyBlindCopies() async throws {
        let message = MessageDraft(
            recipients: [.init(card: Fixture.bob.card, role: .bcc), .init(card: Fixture.carol.card, role: .bcc)],
            date: Fixture.date, parts: [.text("quiet")]
        )
        let (sealed, store) = try await seal(message)
        let copies = [sealed] + sealed.blindCopies
        try #require(copies.count == 2)
        #expect(await store.identifiers.count == 1 + 2)
        let bob = try EnvelopeOpener.open(try #require(await store.get(copies[0].envelopeID)), as: Fixture.bob)
        let carol = try EnvelopeOpener.open(try #require(await store.get(copies[1].envelopeID)), as: Fixture.carol)
        #expect(bob.manifest.recipients.map(\.role) == [.bcc] && carol.manifest.recipients.map(\.role) == [.bcc])
        #expect(bob.manifest.recipients.map(\.address) == [Fixture.bob.card.addresses[0]])
        #expect(carol.manifest.recipients.map(\.address) == [Fixture.carol.card.addresses[0]])
        // Each copy keeps its own message identifier.
        #expect(bob.messageID == copies[0].messageID && carol.messageID == copies[1].messageID)
        #expect(bob.messageID != carol.messageID)
    }

    @Test("msg-bcc-randomness: each blind copy uses its own injected K and e, in the order of the bcc recipients")
    func injectedBlindCopyRandomness() async throws {
        let message = MessageDraft(
            recipients: [
                .init(card: Fixture.carol.card, role: .bcc), .init(card: Fixture.bob.card),
                .init(card: Fixture.dave.card, role: .bcc),
            ],
            date: Fixture.date, subject: "Plans", parts: [.text("see you")]
        )
        var randomness = Fixture.randomness(recipients: 1, parts: 1)
        randomness.blindCopies = [0x40, 0x50].map {
            SealingRandomness.BlindCopy(
                messageKey: [UInt8](repeating: $0, count: 32), ephemeralSecret: [UInt8](repeating: $0 + 1, count: 32))
        }
        let (first, _) = try await seal(message, randomness: randomness)
        let (second, _) = try await seal(message, randomness: randomness)
        #expect(first.everyBlindCopy.map(\.envelopeBytes) == second.everyBlindCopy.map(\.envelopeBytes))
        #expect(first.envelopeBytes == second.envelopeBytes)
        for (index, (copy, identity)) in zip(first.everyBlindCopy, [Fixture.carol, Fixture.dave]).enumerated() {
            let envelope = try Envelope(decoding: copy.envelopeBytes)
            let given = randomness.blindCopies[index]
            #expect(envelope.keyCommitment == Construction.commitment(given.messageKey))
            #expect(
                envelope.ephemeralKey
                    == (try X25519.PrivateKey(rawRepresentation: given.ephemeralSecret)).publicKey.rawRepresentation)
            #expect(envelope.stanzas.count == 1)
            let opened = try EnvelopeOpener.open(copy.envelopeBytes, as: identity)
            #expect(
                opened.manifest.recipients.map(\.address) == [
                    Fixture.bob.card.addresses[0], identity.card.addresses[0],
                ])
            #expect(opened.manifest.recipients.map(\.role) == [.to, .bcc])
        }
    }

    @Test("msg-bcc-randomness, msg-bcc-distinct: wrong blind-copy randomness and repeated recipients are malformed")
    func blindCopyRandomnessErrors() async throws {
        let twoBlind = MessageDraft(
            recipients: [
                .init(card: Fixture.bob.card), .init(card: Fixture.carol.card, role: .bcc),
                .init(card: Fixture.dave.card, role: .bcc),
            ],
            date: Fixture.date, parts: [.text("quiet")]
        )
        var randomness = Fixture.randomness(recipients: 1, parts: 1)
        await expectAsyncError(.malformed) { _ = try await seal(twoBlind, randomness: randomness) }
        randomness.blindCopies = [.random()]
        await expectAsyncError(.malformed) { _ = try await seal(twoBlind, randomness: randomness) }
        var twice = twoBlind
        twice.recipients[2] = .init(card: Fixture.carol.card, role: .bcc)
        randomness.blindCopies = [.random(), .random()]
        await expectAsyncError(.malformed) { _ = try await seal(twice, randomness: randomness) }
        twice.recipients[2] = .init(card: Fixture.bob.card, address: Fixture.bob.card.addresses[1], role: .bcc)
        await expectAsyncError(.malformed) { _ = try await seal(twice, randomness: randomness) }
        #expect(try await seal(twoBlind, randomness: randomness).sealed.everyBlindCopy.count == 2)
    }

    @Test("msg-seal: fixed randomness gives the same envelope, which matches the construction of the specification")
    func deterministicAndConstruction() async throws {
        let message = draft(to: [Fixture.bob, Fixture.carol], parts: [.text("vector"), .text("two")])
        let randomness = Fixture.randomness(recipients: 2, parts: 2)
        let (first, store1) = try await seal(message, randomness: randomness)
        let (second, _) = try await seal(message, randomness: randomness)
        #expect(first.envelopeBytes == second.envelopeBytes)
        #expect(first.messageID == second.messageID)
        #expect(first.stanzaIndices == [1, 0], "the stanza order is the given permutation")

        // Recompute every derived value from the specification's formulas.
        let envelope = try Envelope(decoding: try #require(await store1.get(first.envelopeID)))
        let ephemeral = try X25519.PrivateKey(rawRepresentation: randomness.ephemeralSecret)
        #expect(envelope.ephemeralKey == ephemeral.publicKey.rawRepresentation)
        #expect(envelope.keyCommitment == Construction.commitment(randomness.messageKey))
        for (recipientIndex, identity) in [Fixture.bob, Fixture.carol].enumerated() {
            let wrap = Construction.wrapKey(ephemeral: ephemeral, recipient: identity.card.encryptionKey)
            let stanza = envelope.stanzas[first.stanzaIndices[recipientIndex]!]
            #expect(
                try XChaCha20Poly1305.open(stanza, using: wrap, nonce: Construction.zeroNonce) == randomness.messageKey)
        }
        let signedBytes = try XChaCha20Poly1305.open(
            envelope.payload, using: Construction.headerKey(randomness.messageKey), nonce: Construction.zeroNonce
        )
        #expect(signedBytes == first.signedManifest.encodedBytes)
        let (manifestBytes, signature) = Construction.split(signedBytes)
        #expect(
            Fixture.alice.card.identityKey.isValidSignature(
                signature, for: Construction.contextPrefixed("dialogue-v1/manifest", manifestBytes)))
        // msg-id: u8(0x01) || BLAKE2b-256("dialogue-v1/message" || 0x00 || signed manifest).
        #expect(
            first.messageID.binaryRepresentation == [0x01]
                + BLAKE2b256.hash(Construction.contextPrefixed("dialogue-v1/message", signedBytes)))
        #expect(first.messageID.text(kind: .message).hasPrefix("msg-"))
        // msg-commitment: the manifest repeats E and the commitment.
        let manifest = Construction.decode(manifestBytes)
        #expect(manifest[10]?.byteValue == envelope.ephemeralKey)
        #expect(manifest[11]?.byteValue == envelope.keyCommitment)
        // msg-parts: chunk i is sealed under P with nonce u64be(i) || u8(last) || 0x00 * 15.
        let part = first.signedManifest.manifest.parts[0]
        #expect(part.key == randomness.partKeys[0])
        let blob = try #require(await store1.get(part.chunks[0]))
        let nonce = try XChaCha20Poly1305.Nonce(
            rawRepresentation: [UInt8](repeating: 0, count: 8) + [1] + [UInt8](repeating: 0, count: 15))
        let key = try XChaCha20Poly1305.Key(rawRepresentation: randomness.partKeys[0])
        #expect(try XChaCha20Poly1305.open(blob, using: key, nonce: nonce) == Array("vector".utf8))
    }

    @Test("msg-model: headers, the subject, the date, file names and media types survive the round trip")
    func modelFields() async throws {
        let message = MessageDraft(
            recipients: [.init(card: Fixture.bob.card, address: Fixture.bob.card.addresses[1])], date: 1_234_567_890,
            subject: "Grüße aus Köln ✉︎", headers: ["x-priority": "1", "content-language": "de"],
            parts: [
                .text("Hallo"),
                .init(
                    mediaType: "image/png", fileName: "Ünïcödé photo (1).png",
                    content: .bytes([0x89, 0x50, 0x4e, 0x47])),
                .init(mediaType: "application/octet-stream", content: .bytes([])),
            ]
        )
        let (sealed, store) = try await seal(message)
        let opened = try EnvelopeOpener.open(try #require(await store.get(sealed.envelopeID)), as: Fixture.bob)
        let manifest = opened.manifest
        #expect(manifest.subject == "Grüße aus Köln ✉︎")
        #expect(manifest.headers == ["subject": "Grüße aus Köln ✉︎", "x-priority": "1", "content-language": "de"])
        #expect(manifest.date == 1_234_567_890)
        #expect(manifest.senderAddress == Fixture.alice.card.addresses[0])
        #expect(manifest.senderCard == Fixture.alice.card)
        #expect(opened.recipient?.address.text == "robert@example.net", "the address chosen from the card")
        #expect(
            manifest.parts.map(\.mediaType) == ["text/plain; charset=utf-8", "image/png", "application/octet-stream"])
        #expect(manifest.parts.map(\.fileName) == ["", "Ünïcödé photo (1).png", ""])
        #expect(manifest.parts.map(\.size) == [5, 4, 0])
        #expect(manifest.inReplyTo.isEmpty && manifest.references.isEmpty)
        #expect(try await PartReader(part: manifest.parts[2], store: store).readAll().isEmpty)
    }

    @Test("msg-limits: header names, media types and file names are checked when sealing")
    func sealingChecks() async throws {
        func attempt(_ headers: [String: String] = [:], _ parts: [MessageDraft.Part] = [.text("x")]) async throws {
            _ = try await seal(
                MessageDraft(recipients: [.init(card: Fixture.bob.card)], date: 1, headers: headers, parts: parts))
        }
        await expectAsyncError(.malformed) { try await attempt(["Subject": "upper case name"]) }
        await expectAsyncError(.malformed) { try await attempt(["x_y": "underscore"]) }
        await expectAsyncError(.limitsExceeded) { try await attempt([String(repeating: "h", count: 65): "long name"]) }
        await expectAsyncError(.limitsExceeded) { try await attempt(["x": String(repeating: "v", count: 16_385)]) }
        try await attempt(["x": String(repeating: "v", count: 16_384), String(repeating: "h", count: 64): ""])
        let tooMany = Dictionary(uniqueKeysWithValues: (0..<257).map { ("h\($0)", "v") })
        await expectAsyncError(.limitsExceeded) { try await attempt(tooMany) }
        try await attempt(Dictionary(uniqueKeysWithValues: (0..<256).map { ("h\($0)", "v") }))
        for name in ["a/b", "nul\u{0}", "tab\t", "del\u{7f}", "next-line\u{85}", "csi\u{9b}"] {
            await expectAsyncError(.malformed) {
                try await attempt([:], [.init(mediaType: "text/plain", fileName: name, content: .bytes([]))])
            }
        }
        await expectAsyncError(.limitsExceeded) {
            try await attempt(
                [:], [.init(mediaType: "text/plain", fileName: String(repeating: "n", count: 256), content: .bytes([]))]
            )
        }
        await expectAsyncError(.limitsExceeded) { try await attempt([:], [.init(mediaType: "", content: .bytes([]))]) }
        await expectAsyncError(.malformed) {
            try await attempt([:], [.init(mediaType: "text/plain\n", content: .bytes([]))])
        }
        await expectAsyncError(.malformed) {
            try await attempt([:], [.init(mediaType: "téxt/plain", content: .bytes([]))])
        }
        try await attempt([:], [.init(mediaType: "text/plain", fileName: "Ünïcödé ✓.txt", content: .bytes([]))])
    }

    @Test("msg-seal: a sender address that is not on the card, or an addressee not on its card, is refused")
    func sealingAddressChecks() async throws {
        var message = draft(to: [Fixture.bob], parts: [])
        message.senderAddress = try Address(canonical: "someone@example.org")
        await expectAsyncError(.addressMismatch) { _ = try await seal(message) }
        let wrongAddressee = MessageDraft(
            recipients: [.init(card: Fixture.bob.card, address: try Address(canonical: "carol@example.com"))], date: 1
        )
        await expectAsyncError(.addressMismatch) { _ = try await seal(wrongAddressee) }
        let twice = MessageDraft(recipients: [.init(card: Fixture.bob.card), .init(card: Fixture.bob.card)], date: 1)
        await expectAsyncError(.malformed) { _ = try await seal(twice) }
    }

    @Test("msg-limits: a sealer refuses more than 4,096 recipients and more than 1,024 references")
    func sealingCounts() async throws {
        let manifest = { (recipients: Int, references: Int) in
            Manifest(
                mode: .encrypted, senderAddress: Fixture.alice.card.addresses[0], senderCard: Fixture.alice.card,
                recipients: (0..<recipients).map {
                    Recipient(
                        address: try! Address(canonical: "r\($0)@example.org"), role: .to,
                        encryptionKey: Fixture.encryptionKey(0x99, $0).publicKey
                    )
                },
                date: 1, headers: [:], parts: [],
                inReplyTo: [],
                references: Array(repeating: ContentIdentifier.hashing([1], context: .message), count: references),
                ephemeralKey: nil, keyCommitment: nil
            )
        }
        expectError(.limitsExceeded) {
            _ = try EnvelopeSealer.seal(
                manifest(1, 1025), signingKey: Fixture.alice.signingKey,
                randomness: Fixture.randomness(recipients: 1, parts: 0))
        }
        expectError(.limitsExceeded) {
            _ = try EnvelopeSealer.seal(
                manifest(4097, 0), signingKey: Fixture.alice.signingKey,
                randomness: Fixture.randomness(recipients: 4097, parts: 0))
        }
    }
}
