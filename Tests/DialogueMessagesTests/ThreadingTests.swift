import DialogueIdentifiers
import DialogueMessages
import Testing

@Suite("Threading (messages.md#msg-id)")
struct ThreadingTests {
    /// Seals `draft` from `sender` into `store` and opens it as `reader`.
    static func deliver(
        _ draft: MessageDraft, from sender: SecretIdentity, to reader: SecretIdentity, store: MemoryBlobStore
    )
        async throws -> OpenedMessage
    {
        let (sealed, _) = try await seal(draft, from: sender, into: store)
        return try EnvelopeOpener.open(try #require(await store.get(sealed.envelopeID)), as: reader)
    }

    @Test("msg-id: a reply answers its message (in-reply-to) and continues its thread (references)")
    func reply() async throws {
        let store = MemoryBlobStore()
        let original = try await ThreadingTests.deliver(
            draft(to: [Fixture.bob], subject: "Lunch?", parts: [.text("Noon?")]), from: Fixture.alice, to: Fixture.bob,
            store: store
        )
        let answer = MessageDraft.reply(to: original, date: Fixture.date + 60, text: "Yes")
        #expect(answer.inReplyTo == [original.messageID])
        #expect(answer.references == [original.messageID])
        #expect(answer.headers["subject"] == "Re: Lunch?")
        #expect(answer.recipients.count == 1)
        #expect(answer.recipients[0].address == original.manifest.senderAddress)
        #expect(answer.recipients[0].card == original.manifest.senderCard)
        #expect(answer.mode == .encrypted)

        let delivered = try await ThreadingTests.deliver(answer, from: Fixture.bob, to: Fixture.alice, store: store)
        #expect(delivered.manifest.inReplyTo == [original.messageID])
        #expect(delivered.manifest.references == [original.messageID])
        #expect(delivered.manifest.subject == "Re: Lunch?")
        let text = try await PartReader(part: delivered.manifest.parts[0], store: store).readAll()
        #expect(String(decoding: text, as: UTF8.self) == "Yes")
    }

    @Test("msg-id: a three-message thread is rebuilt from identifiers alone, oldest first")
    func threeMessageThread() async throws {
        let store = MemoryBlobStore()
        let first = try await ThreadingTests.deliver(
            draft(to: [Fixture.bob], subject: "Plan", parts: [.text("1")]), from: Fixture.alice, to: Fixture.bob,
            store: store
        )
        let second = try await ThreadingTests.deliver(
            MessageDraft.reply(to: first, date: Fixture.date + 1, text: "2"), from: Fixture.bob, to: Fixture.alice,
            store: store
        )
        let third = try await ThreadingTests.deliver(
            MessageDraft.reply(to: second, date: Fixture.date + 2, text: "3"), from: Fixture.alice, to: Fixture.bob,
            store: store
        )
        #expect(third.manifest.subject == "Re: Plan", "no 'Re: Re:'")
        #expect(third.manifest.inReplyTo == [second.messageID])
        #expect(third.manifest.references == [first.messageID, second.messageID])
        #expect(Set([first.messageID, second.messageID, third.messageID]).count == 3)

        // A client holds messages by identifier and follows in-reply-to back to the root.
        let held = Dictionary(uniqueKeysWithValues: [first, second, third].map { ($0.messageID, $0) })
        var chain: [ContentIdentifier] = []
        var cursor: OpenedMessage? = third
        while let message = cursor {
            chain.insert(message.messageID, at: 0)
            cursor = message.manifest.inReplyTo.first.flatMap { held[$0] }
        }
        #expect(chain == [first.messageID, second.messageID, third.messageID])
        #expect(chain == third.manifest.references + [third.messageID])
    }

    @Test("msg-references: references are claims; a reply to an unknown message still opens")
    func referencesAreClaims() async throws {
        let store = MemoryBlobStore()
        var message = draft(to: [Fixture.bob], parts: [.text("about that")])
        let unknown = ContentIdentifier.hashing(Array("never sent".utf8), context: .message)
        message.inReplyTo = [unknown]
        message.references = [unknown]
        let opened = try await ThreadingTests.deliver(message, from: Fixture.alice, to: Fixture.bob, store: store)
        #expect(opened.manifest.inReplyTo == [unknown])
    }

    @Test("msg-references: the references of a reply keep the last 1,024 identifiers")
    func referencesAreCapped() async throws {
        let store = MemoryBlobStore()
        var message = draft(to: [Fixture.bob], parts: [])
        message.references = (0..<1024).map {
            ContentIdentifier.hashing([UInt8(truncatingIfNeeded: $0), UInt8($0 >> 8)], context: .message)
        }
        let opened = try await ThreadingTests.deliver(message, from: Fixture.alice, to: Fixture.bob, store: store)
        let answer = MessageDraft.reply(to: opened, date: Fixture.date, text: "ok")
        #expect(answer.references.count == 1024)
        #expect(answer.references.last == opened.messageID)
        #expect(answer.references.first == message.references[1])
        _ = try await ThreadingTests.deliver(answer, from: Fixture.bob, to: Fixture.alice, store: store)
    }

    @Test("msg-id: replaying an envelope gives the same message identifier (de-duplication)")
    func replay() async throws {
        let (sealed, store) = try await seal(draft(to: [Fixture.bob], parts: [.text("once")]))
        let envelope = try #require(await store.get(sealed.envelopeID))
        let first = try EnvelopeOpener.open(envelope, as: Fixture.bob)
        let again = try EnvelopeOpener.open(envelope, as: Fixture.bob)
        #expect(first.messageID == again.messageID && first.messageID == sealed.messageID)
    }
}
