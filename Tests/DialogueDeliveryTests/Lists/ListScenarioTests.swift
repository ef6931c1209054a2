import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import Testing

/// A list of three members, a removal and a late member, proved with the keys each one holds
/// (Spec: lists.md#list-security).
@Suite struct ListScenarioTests {
    let now = ListFixtures.now
    let list = ListFixtures.list

    /// Seals `text` from `author` to the list's epoch, as [list-post-seal] says.
    func post(_ text: String, by author: SecretIdentity, epoch: UInt64, store: MemoryBlobStore) async throws -> (
        SealedMessage: MessageSealer.SealedMessage, post: ListPost
    ) {
        let sealer = MessageSealer(sender: author, store: store)
        let draft = MessageDraft(
            recipients: [.init(address: list, encryptionKey: ListFixtures.epochSecret(epoch).publicKey)], date: now,
            subject: text,
            parts: [.text(text)])
        let sealed = try await sealer.seal(draft)
        let post = try ListPost(
            list: list, author: author.card.addresses[0], envelope: sealed.envelopeID,
            envelopeSize: UInt64(sealed.envelopeBytes.count), messageSize: UInt64(sealed.envelopeBytes.count),
            epoch: epoch, created: now, signingKey: author.signingKey)
        return (sealed, post)
    }

    /// Opens a post's envelope with the keys a member holds, as [list-post-open] says.
    func open(_ envelope: [UInt8], epoch: UInt64, with keys: EpochKeyDelivery) throws -> OpenedMessage? {
        guard let key = keys.key(for: epoch) else { return nil }
        return try EnvelopeOpener.open(envelope, encryptionKey: key.secretKey, ownAddresses: [list])
    }

    /// Spec: [list-epoch-roll], [list-keys-to-members], [list-post-open], [list-post-seal] — a removed
    /// member keeps what it could read and cannot read what is posted after its removal; a member who
    /// joins later reads the whole archive; the reader sees the author, not the list.
    @Test func aRemovedMemberCannotReadLaterPostsAndALateMemberReadsTheArchive() async throws {
        let store = MemoryBlobStore()
        let bob = try ListFixtures.identity(Fixtures.bob, "bob@example.net")
        let carol = try ListFixtures.identity(Fixtures.carol, "carol@example.com")
        let key = ListFixtures.listKey.publicKey

        // alice, bob and carol join at epoch 0; bob is removed (epoch 1); dave joins later.
        let events = [
            try ListFixtures.event(1, .joined, epoch: 0, member: ("alice@example.org", Fixtures.alice)),
            try ListFixtures.event(2, .joined, epoch: 0, member: ("bob@example.net", Fixtures.bob)),
            try ListFixtures.event(3, .joined, epoch: 0, member: ("carol@example.com", Fixtures.carol)),
            try ListFixtures.event(4, .removed, epoch: 1, member: ("bob@example.net", Fixtures.bob)),
            try ListFixtures.event(5, .joined, epoch: 1, member: ("dave@example.com", Fixtures.key("dave"))),
        ]
        var previous: ListEvent.Previous?
        for event in events {
            let verified = try ListEvent(
                verifying: event.encodedBytes, list: list, listKey: key, mode: .encrypted, history: .archive,
                previous: previous, now: now)
            previous = verified.asPrevious
        }

        // What the owner sent: bob epoch 0 on joining; carol epoch 0, then epoch 1 on the roll; dave 0 and 1.
        func keys(_ epochs: [UInt64]) throws -> EpochKeyDelivery {
            let delivery = try EpochKeyDelivery(
                list: list, epochs: epochs.map(ListFixtures.epochKey), created: now, signingKey: ListFixtures.listKey)
            return try EpochKeyDelivery(verifying: delivery.encodedBytes, list: list, listKey: key, now: now)
        }
        let bobsKeys = try keys([0])
        let carolsRoll = try keys([1])
        let davesKeys = try keys([0, 1])
        for (epoch, event) in [(UInt64(0), events[0]), (1, events[3])] {
            #expect(davesKeys.key(for: epoch)?.publicKey == event.epochKey, "[list-keys-match-index]")
        }

        let before = try await post("before the removal", by: carol, epoch: 0, store: store)
        let after = try await post("after the removal", by: carol, epoch: 1, store: store)
        _ = try ListPost(verifying: after.post.encodedBytes, list: list, epoch: 1, now: now)

        // bob reads what came before, with the key he holds, and nothing after.
        let read = try #require(try open(before.SealedMessage.envelopeBytes, epoch: 0, with: bobsKeys))
        #expect(read.manifest.subject == "before the removal")
        #expect(read.manifest.senderCard.identityKey == after.post.authorKey, "the author, not the list")
        #expect(try open(after.SealedMessage.envelopeBytes, epoch: 1, with: bobsKeys) == nil)
        #expect(throws: MessageError.self) {
            try EnvelopeOpener.open(
                after.SealedMessage.envelopeBytes, encryptionKey: ListFixtures.epochSecret(0), ownAddresses: [list])
        }
        // carol reads the later post with the key of the roll.
        #expect(
            try open(after.SealedMessage.envelopeBytes, epoch: 1, with: carolsRoll)?.manifest.subject
                == "after the removal")
        // dave, who joined after both, reads the whole archive.
        #expect(try open(before.SealedMessage.envelopeBytes, epoch: 0, with: davesKeys) != nil)
        #expect(try open(after.SealedMessage.envelopeBytes, epoch: 1, with: davesKeys) != nil)
        // A post is one stanza, whatever the number of members ([list-one-copy]).
        #expect(after.SealedMessage.stanzaIndices.count == 1)
    }
}
