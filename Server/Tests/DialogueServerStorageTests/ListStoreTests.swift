import DialogueIdentifiers
import DialogueServerStorage
import Testing

/// The lists of every store backend (Spec: lists.md): an append-only index with contiguous positions,
/// members, held and pending posts, and blobs that nothing sweeps.
@Suite struct ListStoreTests {
    let list = "dev@a.example"
    let envelope = Fixture.blob("post envelope")
    let chunk = Fixture.blob("post chunk")

    func record() -> ListRecord {
        ListRecord(
            address: list, descriptor: [1], listKey: [UInt8](repeating: 7, count: 32), revision: 1, mode: 0,
            posting: 0, history: 0)
    }

    func post(_ envelope: ContentIdentifier, chunks: [ContentIdentifier] = [], state: ListPostRecord.State)
        -> ListPostRecord
    {
        ListPostRecord(
            list: list, envelope: envelope, bytes: Array(envelope.binaryRepresentation), chunks: chunks,
            author: "bob@b.example", authorKey: [UInt8](repeating: 9, count: 32), received: 1_000, state: state)
    }

    func append(_ store: any MailStore, _ change: ListAppend) async throws -> ListEntryRecord {
        try await store.appendListEntry(change, list: list) { position in [UInt8(position), 0xEE] }
    }

    /// Spec: [list-index-append-only] [list-members-state] — positions are the store's, contiguous; events keep the members.
    @Test(arguments: StoreBackend.allCases) func indexAndMembers(backend: StoreBackend) async throws {
        let store = try await backend.make()
        #expect(try await append(store, .created(record())).position == 1)
        await #expect(throws: StoreError.alreadyExists(list)) { try await append(store, .created(record())) }
        let joined = ListEventRecord(
            bytes: [2], serial: 1, epoch: 0, member: ("bob@b.example", [UInt8](repeating: 9, count: 32), true))
        #expect(try await append(store, .event(joined)).position == 2)
        // A serial that is not the next one is a conflict, and nothing is appended.
        await #expect(throws: StoreError.conflict("serial 1 is not 1 + 1")) { try await append(store, .event(joined)) }
        var changed = record()
        changed.revision = 2
        changed.posting = 1
        changed.descriptor = [3]
        #expect(try await append(store, .descriptor(changed)).position == 3)
        await #expect(throws: StoreError.self) { try await append(store, .descriptor(changed)) }
        let left = ListEventRecord(
            bytes: [4], serial: 2, epoch: 1, member: ("bob@b.example", [UInt8](repeating: 9, count: 32), false))
        _ = try await append(store, .event(left))
        let entries = try await store.listEntries(list: list, after: 0, limit: 10)
        #expect(entries.map(\.position) == [1, 2, 3, 4])
        #expect(entries.map(\.bytes) == [[1, 0xEE], [2, 0xEE], [3, 0xEE], [4, 0xEE]])
        #expect(try await store.listEntries(list: list, after: 2, limit: 1).map(\.position) == [3])
        let stored = try #require(try await store.list(list))
        #expect(stored.length == 4)
        #expect(stored.serial == 2)
        #expect(stored.epoch == 1)
        #expect(stored.posting == 1)
        #expect(stored.latestEvent == [4])
        let bob = try #require(try await store.listMember(list: list, address: "bob@b.example"))
        #expect(!bob.current)
        #expect(bob.joined == 2)
        #expect(try await store.listMembers(list: list).count == 1)
    }

    /// Spec: [list-ep-post] [list-ep-held] [list-index-append-only] — posts need their author's blobs; a rejected post's
    /// blobs go, an appended post's stay through every sweep and every deletion of mail.
    @Test(arguments: StoreBackend.allCases) func postsAndTheirBlobs(backend: StoreBackend) async throws {
        let store = try await backend.make()
        _ = try await append(store, .created(record()))
        await #expect(throws: StoreError.missingBlobs([envelope, chunk])) {
            try await append(store, .post(post(envelope, chunks: [chunk], state: .appended)))
        }
        try await store.recordListPost(post(envelope, chunks: [chunk], state: .pending))
        #expect(try await store.listPosts(list: list, state: .pending).count == 1)
        try await Fixture.upload([envelope, chunk], by: "bob@b.example", to: store)
        let entry = try await append(store, .post(post(envelope, chunks: [chunk], state: .appended)))
        #expect(entry.position == 2)
        #expect(try await store.listPost(list: list, envelope: envelope)?.state == .appended)
        #expect(try await store.listPosts(list: list, state: .pending).isEmpty)
        await #expect(throws: StoreError.alreadyExists("post")) {
            try await append(store, .post(post(envelope, chunks: [chunk], state: .appended)))
        }
        #expect(try await store.blobState(chunk) == .live(size: 10))
        // A message that shares the envelope is delivered and acknowledged: the blob stays the list's.
        let message = Fixture.submission("shares", recipients: [("carol@c.example", envelope)], chunks: [])
        #expect(try await store.acceptSubmission(message) == .accepted)
        let acknowledged = try await store.acknowledge(envelope: envelope, recipient: "carol@c.example", at: 2_000)
        #expect(acknowledged.deleted.isEmpty)
        #expect(try await store.expire(now: 10_000_000, uploadGrace: 86_400).isEmpty)
        #expect(try await store.blobState(envelope) == .live(size: 10))
        // Held, then rejected: its blobs go.
        let heldBlob = Fixture.blob("held")
        try await Fixture.upload([heldBlob], by: "bob@b.example", to: store)
        try await store.recordListPost(post(heldBlob, state: .held))
        #expect(try await store.blobState(heldBlob) == .live(size: 10))
        #expect(try await store.expire(now: 20_000_000, uploadGrace: 86_400).isEmpty)
        #expect(try await store.rejectListPost(list: list, envelope: heldBlob, at: 3_000) == [heldBlob])
        #expect(try await store.blobState(heldBlob) == .deleted(at: 3_000))
        await #expect(throws: StoreError.notFound("held post")) {
            try await store.rejectListPost(list: list, envelope: heldBlob, at: 3_000)
        }
        // Pending posts are forgotten after their day.
        let late = Fixture.blob("late")
        try await store.recordListPost(post(late, state: .pending))
        try await store.expireListPending(before: 1_000)
        #expect(try await store.listPost(list: list, envelope: late) == nil)
    }
}
