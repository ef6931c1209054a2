import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import Testing

@Suite struct ListObjectTests {
    let now = ListFixtures.now
    let list = ListFixtures.list

    /// Spec: [list-descriptor-verify], [dlv-received-bytes] — a built descriptor verifies with its fields,
    /// and only under the key the verifier knows.
    @Test func descriptorVerifiesUnderTheKnownListKey() throws {
        let built = try ListFixtures.descriptor()
        let fingerprint = Fixtures.fingerprint(ListFixtures.listKey)
        let verified = try ListDescriptor(
            verifying: built.encodedBytes, list: list, listKeyFingerprint: fingerprint, now: now)
        #expect(verified.encodedBytes == built.encodedBytes)
        #expect(verified.mode == .encrypted && verified.posting == .members && verified.history == .archive)
        #expect(verified.owner.text == "alice@example.org" && verified.revision == 1)
        #expect(
            Fixtures.failure { () throws(DeliveryError) in
                _ = try ListDescriptor(
                    verifying: built.encodedBytes, list: list,
                    listKeyFingerprint: Fixtures.fingerprint(Fixtures.mallory),
                    now: now)
            } == .unknownKey)
        #expect(
            Fixtures.failure { () throws(DeliveryError) in
                _ = try ListDescriptor(
                    verifying: built.encodedBytes, list: Fixtures.address("ops@lists.example.org"),
                    listKeyFingerprint: fingerprint, now: now)
            } == .addressMismatch)
        Fixtures.expectEveryPrefixMalformed(built.encodedBytes) { (prefix) throws(DeliveryError) in
            _ = try ListDescriptor(verifying: prefix, list: list, listKeyFingerprint: fingerprint, now: now)
        }
    }

    /// Spec: [list-descriptor-verify] step 4 — a public list has no epochs, so no history from joining.
    @Test func publicListsReadTheWholeArchive() {
        #expect(
            Fixtures.failure { () throws(DeliveryError) in
                _ = try ListFixtures.descriptor(history: .joining, mode: .public)
            } == .malformed)
    }

    /// Spec: [list-epoch-roll], [list-event-verify] step 7 — removals, departures and key rolls start a
    /// new epoch; a join does only when the history is "from joining"; serials never skip.
    @Test func theKeyRollsOnRemoval() throws {
        let key = ListFixtures.listKey.publicKey
        func verify(_ event: ListEvent, history: ListHistory = .archive, previous: ListEvent.Previous?)
            throws(DeliveryError)
        {
            _ = try ListEvent(
                verifying: event.encodedBytes, list: list, listKey: key, mode: .encrypted, history: history,
                previous: previous, now: now)
        }
        let previous = ListEvent.Previous(serial: 3, epoch: 1)
        try verify(
            try ListFixtures.event(4, .removed, epoch: 2, member: ("bob@example.net", Fixtures.bob)), previous: previous
        )
        try verify(try ListFixtures.event(4, .keyRolled, epoch: 2, member: nil), previous: previous)
        try verify(
            try ListFixtures.event(4, .joined, epoch: 1, member: ("carol@example.com", Fixtures.carol)),
            previous: previous)
        try verify(
            try ListFixtures.event(4, .joined, epoch: 2, member: ("carol@example.com", Fixtures.carol)),
            history: .joining, previous: previous)
        let noRoll = try ListFixtures.event(4, .removed, epoch: 1, member: ("bob@example.net", Fixtures.bob))
        #expect(Fixtures.failure { () throws(DeliveryError) in try verify(noRoll, previous: previous) } == .malformed)
        let skipped = try ListFixtures.event(5, .removed, epoch: 2, member: ("bob@example.net", Fixtures.bob))
        #expect(Fixtures.failure { () throws(DeliveryError) in try verify(skipped, previous: previous) } == .malformed)
        #expect(
            Fixtures.failure { () throws(DeliveryError) in
                _ = try ListFixtures.event(4, .keyRolled, epoch: 2, member: ("bob@example.net", Fixtures.bob))
            } == .malformed)
        let forged = try ListEvent(
            list: list, serial: 4, kind: .joined, epoch: 1, epochKey: ListFixtures.epochSecret(1).publicKey,
            member: (Fixtures.address("mallory@example.org"), Fixtures.mallory.publicKey), created: now,
            signingKey: Fixtures.mallory)
        #expect(
            Fixtures.failure { () throws(DeliveryError) in try verify(forged, previous: previous) } == .badSignature)
    }

    /// Spec: [list-ep-info-author] — an author that does not follow the index checks the latest event
    /// without its predecessor: the list key's signature, the list, key 5 exactly when encrypted and
    /// the clock, whatever the serial and epoch.
    @Test func anAuthorChecksTheLatestEventWithoutItsPredecessor() throws {
        let key = ListFixtures.listKey.publicKey
        func verify(_ event: ListEvent, mode: ListMode = .encrypted, now: UInt64 = ListFixtures.now)
            throws(DeliveryError) -> ListEvent
        {
            try ListEvent(verifyingLatest: event.encodedBytes, list: list, listKey: key, mode: mode, now: now)
        }
        let latest = try ListFixtures.event(7, .removed, epoch: 3, member: ("bob@example.net", Fixtures.bob))
        let verified = try verify(latest)
        #expect(verified.serial == 7 && verified.epoch == 3)
        #expect(verified.epochKey == ListFixtures.epochSecret(3).publicKey)
        // The full check refuses it without its predecessor; the author's check does not need one.
        #expect(
            Fixtures.failure { () throws(DeliveryError) in
                _ = try ListEvent(
                    verifying: latest.encodedBytes, list: list, listKey: key, mode: .encrypted, history: .archive,
                    previous: nil, now: now)
            } == .malformed)
        let forged = try ListEvent(
            list: list, serial: 7, kind: .joined, epoch: 3, epochKey: ListFixtures.epochSecret(3).publicKey,
            member: (Fixtures.address("mallory@example.org"), Fixtures.mallory.publicKey), created: now,
            signingKey: Fixtures.mallory)
        #expect(Fixtures.failure { () throws(DeliveryError) in _ = try verify(forged) } == .badSignature)
        let publicEvent = try ListFixtures.event(
            2, .joined, epoch: 0, member: ("bob@example.net", Fixtures.bob), mode: .public)
        #expect(Fixtures.failure { () throws(DeliveryError) in _ = try verify(publicEvent) } == .malformed)
        #expect(Fixtures.failure { () throws(DeliveryError) in _ = try verify(latest, mode: .public) } == .malformed)
        #expect(try verify(publicEvent, mode: .public).epochKey == nil)
        let other = try ListEvent(
            list: Fixtures.address("other@lists.example.org"), serial: 7, kind: .keyRolled, epoch: 3,
            epochKey: ListFixtures.epochSecret(3).publicKey, member: nil, created: now,
            signingKey: ListFixtures.listKey)
        #expect(Fixtures.failure { () throws(DeliveryError) in _ = try verify(other) } == .addressMismatch)
        #expect(
            Fixtures.failure { () throws(DeliveryError) in _ = try verify(latest, now: latest.created - 3600) }
                == .expired)
    }

    /// Spec: [list-keys-verify] — the keys verify under the list key, and a public key that is not
    /// its secret key's is refused before any key is kept.
    @Test func epochKeysMatchTheirSecrets() throws {
        let delivery = try EpochKeyDelivery(
            list: list, epochs: [ListFixtures.epochKey(0), ListFixtures.epochKey(1)], created: now,
            signingKey: ListFixtures.listKey)
        let verified = try EpochKeyDelivery(
            verifying: delivery.encodedBytes, list: list, listKey: ListFixtures.listKey.publicKey, now: now)
        #expect(verified.epochs.map(\.epoch) == [0, 1])
        #expect(verified.key(for: 1)?.publicKey == ListFixtures.epochSecret(1).publicKey)
        #expect(
            Fixtures.failure { () throws(DeliveryError) in
                _ = try EpochKeyDelivery(
                    verifying: delivery.encodedBytes, list: list, listKey: Fixtures.server.publicKey, now: now)
            } == .badSignature)
        #expect(
            Fixtures.failure { () throws(DeliveryError) in
                _ = try EpochKeyDelivery(
                    list: list, epochs: [ListFixtures.epochKey(1), ListFixtures.epochKey(0)], created: now,
                    signingKey: ListFixtures.listKey)
            } == .malformed)
        Fixtures.expectEveryPrefixMalformed(delivery.encodedBytes) { (prefix) throws(DeliveryError) in
            _ = try EpochKeyDelivery(verifying: prefix, list: list, listKey: ListFixtures.listKey.publicKey, now: now)
        }
    }

    /// Spec: [list-post-verify] — a post verifies under its author's key, for its list and its epoch only.
    @Test func postsAreTheAuthorsAndTheirEpochs() throws {
        let post = try ListPost(
            list: list, author: Fixtures.address("bob@example.net"), envelope: Fixtures.envelope, envelopeSize: 3000,
            messageSize: 5_000_000, epoch: 1, created: now, signingKey: Fixtures.bob)
        let verified = try ListPost(verifying: post.encodedBytes, list: list, epoch: 1, now: now)
        #expect(
            verified.authorFingerprint == Fixtures.fingerprint(Fixtures.bob) && verified.envelope == Fixtures.envelope)
        #expect(
            Fixtures.failure { () throws(DeliveryError) in
                _ = try ListPost(verifying: post.encodedBytes, list: list, epoch: 2, now: now)
            } == .expired)
        #expect(
            Fixtures.failure { () throws(DeliveryError) in
                _ = try ListPost(
                    list: list, author: Fixtures.address("bob@example.net"), envelope: Fixtures.envelope,
                    envelopeSize: 16_777_217, messageSize: 16_777_217, epoch: 1, created: now, signingKey: Fixtures.bob)
            } == .limitsExceeded)
        Fixtures.expectEveryPrefixMalformed(post.encodedBytes) { (prefix) throws(DeliveryError) in
            _ = try ListPost(verifying: prefix, list: list, epoch: 1, now: now)
        }
    }

    /// Spec: [list-entry-verify], [list-index-contiguous] — entries are read in order without a gap,
    /// under the list server's key.
    @Test func entriesAreContiguous() throws {
        let descriptor = try ListFixtures.descriptor()
        let entry = try ListEntry(
            list: list, position: 1, kind: .descriptor, object: descriptor.encodedBytes, appended: now,
            signingKey: ListFixtures.server)
        let verified = try ListEntry(
            verifying: entry.encodedBytes, list: list, serverKeys: [ListFixtures.serverKey], after: 0, now: now)
        #expect(verified.object == descriptor.encodedBytes && verified.kind == .descriptor)
        #expect(
            Fixtures.failure { () throws(DeliveryError) in
                _ = try ListEntry(
                    verifying: entry.encodedBytes, list: list, serverKeys: [ListFixtures.serverKey], after: 1, now: now)
            } == .malformed)
        #expect(
            Fixtures.failure { () throws(DeliveryError) in
                _ = try ListEntry(verifying: entry.encodedBytes, list: list, serverKeys: [], after: 0, now: now)
            } == .unknownKey)
        #expect(
            Fixtures.failure { () throws(DeliveryError) in
                _ = try ListEntry(
                    list: list, position: 1, kind: .post, object: [UInt8](repeating: 0, count: 2049), appended: now,
                    signingKey: ListFixtures.server)
            } == .limitsExceeded)
        Fixtures.expectEveryPrefixMalformed(entry.encodedBytes) { (prefix) throws(DeliveryError) in
            _ = try ListEntry(verifying: prefix, list: list, serverKeys: [ListFixtures.serverKey], after: 0, now: now)
        }
    }

    /// Spec: [list-epoch-fresh] — every epoch's key pair is drawn anew, never derived from another's.
    @Test func epochKeysAreFresh() {
        let keys = (0..<UInt64(16)).map { EpochKey.generate(epoch: $0) }
        #expect(Set(keys.map(\.publicKey)).count == keys.count)
        #expect(keys.allSatisfy { $0.secretKey.publicKey == $0.publicKey })
    }
}
