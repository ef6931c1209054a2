import DialogueIdentifiers
import DialogueServerStorage
import Testing

/// The sender's side of every store backend: submissions, deliveries, acknowledgements, deletion
/// (Spec: delivery.md#dlv-submission, delivery.md#dlv-deletion).
@Suite struct SubmissionStoreTests {
    let envelope = Fixture.blob("envelope")
    let chunkA = Fixture.blob("chunk a")
    let chunkB = Fixture.blob("chunk b")

    /// Spec: [dlv-submission-durable] — a submission names only held blobs, all or nothing, and the same one again is a repeat.
    @Test(arguments: StoreBackend.allCases) func submissionsNeedEveryBlobAndRepeatAsNoOps(backend: StoreBackend)
        async throws
    {
        let store = try await backend.make()
        let record = Fixture.submission("s1", recipients: [("bob@b.example", envelope)], chunks: [chunkA, chunkB])
        try await Fixture.upload([envelope, chunkA], to: store)
        await #expect(throws: StoreError.missingBlobs([chunkB])) { try await store.acceptSubmission(record) }
        #expect(try await store.submission(record.id) == nil)
        #expect(try await store.blobState(chunkA) == .uploaded(by: "alice@a.example", at: 1_000))
        try await Fixture.upload([chunkB], to: store)
        #expect(try await store.acceptSubmission(record) == .accepted)
        #expect(try await store.acceptSubmission(record) == .repeated)
        #expect(try await store.blobState(chunkB) == .live(size: 10))
        #expect(try await store.dueNotifications(now: 1_000, limit: 10, excludingPeers: []).count == 1)
        // Spec: [dlv-retry-per-peer] — a peer in backoff is left out of what is due.
        #expect(try await store.dueNotifications(now: 1_000, limit: 10, excludingPeers: ["b.example"]).isEmpty)
    }

    /// Another user's upload does not let a submission name a blob; a live blob does.
    @Test(arguments: StoreBackend.allCases) func anotherUsersUploadIsNotHeldForYou(backend: StoreBackend) async throws {
        let store = try await backend.make()
        try await Fixture.upload([envelope, chunkA], by: "mallory@a.example", to: store)
        let record = Fixture.submission("s1", recipients: [("bob@b.example", envelope)], chunks: [chunkA])
        await #expect(throws: StoreError.missingBlobs([envelope, chunkA])) { try await store.acceptSubmission(record) }
    }

    /// Spec: [dlv-delete] — a message to a group is stored once and deleted once, after the last acknowledgement.
    @Test(arguments: StoreBackend.allCases) func aGroupMessageGoesAfterTheLastAcknowledgement(backend: StoreBackend)
        async throws
    {
        let store = try await backend.make()
        try await Fixture.upload([envelope, chunkA, chunkB], to: store)
        let record = Fixture.submission(
            "group", recipients: [("bob@b.example", envelope), ("carol@c.example", envelope)], chunks: [chunkA, chunkB])
        #expect(try await store.acceptSubmission(record) == .accepted)
        let first = try await store.acknowledge(envelope: envelope, recipient: "bob@b.example", at: 2_000)
        #expect(first.0 == .recorded)
        #expect(first.deleted.isEmpty)
        #expect(try await store.acknowledge(envelope: envelope, recipient: "bob@b.example", at: 2_001).0 == .repeated)
        #expect(try await store.blobState(envelope) == .live(size: 10))
        let last = try await store.acknowledge(envelope: envelope, recipient: "carol@c.example", at: 3_000)
        #expect(last.0 == .recorded)
        #expect(Set(last.deleted) == [envelope, chunkA, chunkB])
        for id in [envelope, chunkA, chunkB] { #expect(try await store.blobState(id) == .deleted(at: 3_000)) }
        #expect(try await store.submission(record.id)?.deleted == 3_000)
        // Spec: [dlv-tombstones] — a late acknowledgement of an acknowledged delivery is still a repeat.
        #expect(try await store.acknowledge(envelope: envelope, recipient: "carol@c.example", at: 4_000).0 == .repeated)
    }

    /// Spec: [dlv-delete] — blind copies share their chunks: each copy's envelope goes with its
    /// recipient, the chunks only when every copy is done.
    @Test(arguments: StoreBackend.allCases) func blindCopiesShareChunksUntilEveryCopyIsDone(backend: StoreBackend)
        async throws
    {
        let store = try await backend.make()
        let copy = Fixture.blob("bcc copy")
        try await Fixture.upload([envelope, copy, chunkA], to: store)
        let record = Fixture.submission(
            "bcc", recipients: [("bob@b.example", envelope), ("dave@d.example", copy)], chunks: [chunkA])
        _ = try await store.acceptSubmission(record)
        let copyDone = try await store.acknowledge(envelope: copy, recipient: "dave@d.example", at: 2_000)
        #expect(copyDone.deleted == [copy])
        #expect(try await store.blobState(chunkA) == .live(size: 10))
        let primaryDone = try await store.acknowledge(envelope: envelope, recipient: "bob@b.example", at: 2_500)
        #expect(Set(primaryDone.deleted) == [envelope, chunkA])
    }

    /// Spec: [dlv-delete] — a chunk that another live submission names stays.
    @Test(arguments: StoreBackend.allCases) func aSharedChunkStaysWhileAnotherMessageNamesIt(backend: StoreBackend)
        async throws
    {
        let store = try await backend.make()
        let other = Fixture.blob("other envelope")
        try await Fixture.upload([envelope, other, chunkA], to: store)
        _ = try await store.acceptSubmission(
            Fixture.submission("one", recipients: [("bob@b.example", envelope)], chunks: [chunkA]))
        _ = try await store.acceptSubmission(
            Fixture.submission("two", recipients: [("carol@c.example", other)], chunks: [chunkA]))
        let done = try await store.acknowledge(envelope: envelope, recipient: "bob@b.example", at: 2_000)
        #expect(done.deleted == [envelope])
        #expect(try await store.blobState(chunkA) == .live(size: 10))
        let alsoDone = try await store.acknowledge(envelope: other, recipient: "carol@c.example", at: 2_100)
        #expect(Set(alsoDone.deleted) == [other, chunkA])
    }

    /// Spec: [dlv-delete], [dlv-tombstones] — expiry ends every undone delivery; a late acknowledgement is gone.
    @Test(arguments: StoreBackend.allCases) func expiryDeletesAndLateAcknowledgementsAreGone(backend: StoreBackend)
        async throws
    {
        let store = try await backend.make()
        try await Fixture.upload([envelope, chunkA], to: store)
        let record = Fixture.submission(
            "expiring", recipients: [("bob@b.example", envelope)], chunks: [chunkA], expires: 5_000)
        _ = try await store.acceptSubmission(record)
        #expect(try await store.expire(now: 4_999, uploadGrace: 86_400).isEmpty)
        #expect(Set(try await store.expire(now: 5_000, uploadGrace: 86_400)) == [envelope, chunkA])
        #expect(try await store.submission(record.id)?.deliveries.first?.state == .expired)
        #expect(try await store.acknowledge(envelope: envelope, recipient: "bob@b.example", at: 5_001).0 == .gone)
        #expect(try await store.dueNotifications(now: 6_000, limit: 10, excludingPeers: []).isEmpty)
    }

    /// Spec: [dlv-retry-classes] — retries come due at their time; a permanent failure ends the delivery and frees the blobs.
    @Test(arguments: StoreBackend.allCases) func attemptsMoveDeliveriesAndFailuresFreeBlobs(backend: StoreBackend)
        async throws
    {
        let store = try await backend.make()
        try await Fixture.upload([envelope, chunkA], to: store)
        let record = Fixture.submission("attempts", recipients: [("bob@b.example", envelope)], chunks: [chunkA])
        _ = try await store.acceptSubmission(record)
        #expect(
            try await store.recordAttempt(
                .retry(error: "connection refused", next: 1_100), submission: record.id, recipient: "bob@b.example",
                at: 1_010
            ).isEmpty)
        #expect(try await store.dueNotifications(now: 1_099, limit: 10, excludingPeers: []).isEmpty)
        let due = try await store.dueNotifications(now: 1_100, limit: 10, excludingPeers: [])
        #expect(due.map(\.delivery.attempts) == [1])
        #expect(due.first?.delivery.lastError == "connection refused")
        let deleted = try await store.recordAttempt(
            .failed(error: "404 unknown-recipient"), submission: record.id, recipient: "bob@b.example", at: 1_200)
        #expect(Set(deleted) == [envelope, chunkA])
        let delivery = try #require(try await store.submission(record.id)?.deliveries.first)
        #expect(delivery.state == .failed)
        #expect(delivery.attempts == 2)
    }

    /// Uploads that no submission names are forgotten after the grace period, without a tombstone (404, not 410).
    @Test(arguments: StoreBackend.allCases) func unnamedUploadsAreForgotten(backend: StoreBackend) async throws {
        let store = try await backend.make()
        try await Fixture.upload([chunkA], to: store)
        #expect(try await store.expire(now: 1_000 + 86_399, uploadGrace: 86_400).isEmpty)
        #expect(try await store.expire(now: 1_000 + 86_400, uploadGrace: 86_400) == [chunkA])
        #expect(try await store.blobState(chunkA) == .unknown)
    }
}
