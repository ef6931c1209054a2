import DialogueIdentifiers
import DialogueMessages
import Testing

@Test func sealAndOpenRoundTrip() async throws {
    let alice = try SecretIdentity.generate(addresses: [Address(parsing: "alice@example.org")], created: 1_700_000_000)
    let bob = try SecretIdentity.generate(addresses: [Address(parsing: "bob@example.net")], created: 1_700_000_000)
    let store = MemoryBlobStore()
    let sealer = MessageSealer(sender: alice, store: store)
    let content = (0..<(3 << 20) + 5).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    let sealed = try await sealer.seal(
        MessageDraft(
            recipients: [.init(card: bob.card)], date: 1_700_000_100, subject: "Hello",
            parts: [
                .text("Hi Bob"),
                .init(mediaType: "application/octet-stream", fileName: "x.bin", content: .bytes(content)),
            ]
        )
    )
    let envelope = try #require(await store.get(sealed.envelopeID))
    let opened = try EnvelopeOpener.open(envelope, as: bob)
    #expect(opened.messageID == sealed.messageID)
    #expect(opened.manifest.subject == "Hello")
    let text = try await PartReader(part: opened.manifest.parts[0], store: store).readAll()
    #expect(String(decoding: text, as: UTF8.self) == "Hi Bob")
    let big = try await PartReader(part: opened.manifest.parts[1], store: store).readAll()
    #expect(big == content)
    #expect(throws: MessageError(.notARecipient, "")) { try EnvelopeOpener.open(envelope, as: alice) }
}
