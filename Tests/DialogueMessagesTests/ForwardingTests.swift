import DialogueCBOR
import DialogueIdentifiers
import DialogueMessages
import Testing

@Suite("Forwarding (messages.md#msg-forward)")
struct ForwardingTests {
    static let report = Fixture.content(2 * chunk + 3, salt: 9)

    /// Alice's message to Bob with a large attachment, as Bob opened it, on the shared server store.
    static func original() async throws -> (opened: OpenedMessage, store: MemoryBlobStore) {
        let (sealed, store) = try await seal(
            draft(
                to: [Fixture.bob], subject: "Q3 report",
                parts: [
                    .text("Attached."),
                    .init(mediaType: "application/pdf", fileName: "q3.pdf", content: .bytes(report)),
                ]
            )
        )
        return (try EnvelopeOpener.open(try #require(await store.get(sealed.envelopeID)), as: Fixture.bob), store)
    }

    @Test("msg-forward: reusing a part descriptor uploads no new chunk, and the new recipient reads the part")
    func forwardByReference() async throws {
        let (original, store) = try await ForwardingTests.original()
        let attachment = original.manifest.parts[1]
        let before = Set(await store.identifiers)
        let forward = MessageDraft(
            recipients: [.init(card: Fixture.carol.card)], date: Fixture.date + 10, subject: "Fwd: Q3 report",
            parts: [.init(mediaType: "application/pdf", fileName: "report.pdf", content: .existing(attachment))]
        )
        let (sealed, _) = try await seal(forward, from: Fixture.bob, into: store)
        let added = Set(await store.identifiers).subtracting(before)
        #expect(added == [sealed.envelopeID], "only the new envelope was stored")

        let opened = try EnvelopeOpener.open(try #require(await store.get(sealed.envelopeID)), as: Fixture.carol)
        let part = opened.manifest.parts[0]
        #expect(part.chunks == attachment.chunks && part.key == attachment.key && part.size == attachment.size)
        #expect(part.fileName == "report.pdf", "the forwarder names the part")
        #expect(try await PartReader(part: part, store: store).readAll() == ForwardingTests.report)
        #expect(opened.manifest.senderCard == Fixture.bob.card)
    }

    @Test(
        "msg-forward: a forwarded signed manifest lets the new recipient verify the original signature and recipients")
    func forwardSignedManifest() async throws {
        let (original, store) = try await ForwardingTests.original()
        let forward = MessageDraft(
            recipients: [.init(card: Fixture.carol.card)], date: Fixture.date + 10, subject: "Fwd: Q3 report",
            parts: [.text("FYI"), .forwarded(original.signedManifest)]
        )
        let before = await store.identifiers.count
        let (sealed, _) = try await seal(forward, from: Fixture.bob, into: store)
        #expect(await store.identifiers.count - before == 3, "the envelope and one chunk for each small new part")

        let opened = try EnvelopeOpener.open(try #require(await store.get(sealed.envelopeID)), as: Fixture.carol)
        let carried = opened.manifest.parts[1]
        #expect(carried.mediaType == PartDescriptor.forwardedMessageMediaType)
        #expect(carried.mediaType == "application/dialogue-manifest")
        let bytes = try await PartReader(part: carried, store: store).readAll()
        #expect(bytes == original.signedManifest.encodedBytes, "the exact bytes")

        let forwarded = try SignedManifest(decodingForwarded: bytes)
        #expect(forwarded.messageID == original.messageID)
        #expect(forwarded.manifest.senderCard == Fixture.alice.card)
        #expect(forwarded.manifest.senderAddress == Fixture.alice.card.addresses[0])
        #expect(forwarded.manifest.recipients.map(\.address) == [Fixture.bob.card.addresses[0]])
        #expect(!forwarded.manifest.recipients.contains { $0.encryptionKey == Fixture.carol.card.encryptionKey })
        #expect(forwarded.manifest.subject == "Q3 report")
        // The original parts are read where they are, with the keys in the forwarded manifest.
        #expect(
            try await PartReader(part: forwarded.manifest.parts[1], store: store).readAll() == ForwardingTests.report)
    }

    @Test("msg-forward: a forwarded manifest that was altered does not verify")
    func alteredForwardedManifest() throws {
        let (payload, signature) = Construction.split(Base.sealed.signedManifest.encodedBytes)
        let altered = Construction.decode(payload).setting(5, to: .unsigned(Fixture.date - 1))
        let bytes = Construction.encode(.array([.bytes(Construction.encode(altered)), .bytes(signature)]))
        expectError(.badSignature) { _ = try SignedManifest(decodingForwarded: bytes) }
        expectError(.badSignature) {
            let signed = Base.sealed.signedManifest.encodedBytes
            _ = try SignedManifest(decodingForwarded: signed.flipping(at: signed.count - 64 + 10))
        }
        expectError(.malformed) {
            _ = try SignedManifest(decodingForwarded: Array(Base.sealed.signedManifest.encodedBytes.dropLast()))
        }
        // Intact, it verifies, and the envelope-bound decoder agrees on the identifier.
        let intact = try SignedManifest(decodingForwarded: Base.sealed.signedManifest.encodedBytes)
        let bound = try SignedManifest(
            decoding: Base.sealed.signedManifest.encodedBytes, mode: .encrypted, ephemeralKey: Base.ephemeralKey,
            keyCommitment: Base.commitment
        )
        #expect(intact.messageID == bound.messageID)
        expectError(.malformed) {
            _ = try SignedManifest(decoding: Base.sealed.signedManifest.encodedBytes, mode: .public)
        }
    }

    @Test("msg-part-key-fresh: forwarding by reference encrypts nothing; new content gets fresh part keys")
    func freshPartKeys() async throws {
        let (original, store) = try await ForwardingTests.original()
        let forward = MessageDraft(
            recipients: [.init(card: Fixture.carol.card)], date: Fixture.date,
            parts: [
                .init(mediaType: "application/pdf", content: .bytes(ForwardingTests.report)),
                .init(mediaType: "application/pdf", content: .existing(original.manifest.parts[1])),
            ]
        )
        let (sealed, _) = try await seal(forward, from: Fixture.bob, into: store)
        let parts = sealed.signedManifest.manifest.parts
        #expect(parts[0].key != original.manifest.parts[1].key, "the same content re-encrypted gets a new key")
        #expect(Set(parts[0].chunks).isDisjoint(with: original.manifest.parts[1].chunks))
        #expect(parts[1].chunks == original.manifest.parts[1].chunks)
    }
}
