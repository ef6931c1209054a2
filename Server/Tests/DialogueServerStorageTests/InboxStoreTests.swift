import DialogueIdentifiers
import DialogueServerStorage
import Testing

/// The recipient's side of every store backend: inboxes, keeping, relaying acknowledgements, nonces
/// (Spec: delivery.md#dlv-ep-inbox, delivery.md#dlv-devices).
@Suite struct InboxStoreTests {
    func add(_ store: any MailStore, _ recipient: String, _ envelope: ContentIdentifier, at time: UInt64 = 1_000)
        async throws -> InboxAddition
    {
        try await store.addInboxEntry(
            recipient: recipient, sender: "alice@a.example", envelope: envelope,
            baseURL: "https://a.example/dialogue/v1",
            notification: [1, 2, 3], received: time, expires: 100_000)
    }

    /// Spec: [dlv-notification-idempotent], [dlv-inbox-cursor] — a repeat adds nothing; entries come in order of arrival.
    @Test(arguments: StoreBackend.allCases) func entriesArriveOnceAndInOrder(backend: StoreBackend) async throws {
        let store = try await backend.make()
        guard case .added(let first) = try await add(store, "bob@b.example", Fixture.blob("m1")) else {
            Issue.record("first notification not added")
            return
        }
        guard case .repeated(let again) = try await add(store, "bob@b.example", Fixture.blob("m1")) else {
            Issue.record("a repeat was added again")
            return
        }
        #expect(again.sequence == first.sequence)
        _ = try await add(store, "carol@b.example", Fixture.blob("m2"))
        _ = try await add(store, "bob@b.example", Fixture.blob("m3"))
        _ = try await add(store, "bob@b.example", Fixture.blob("m4"))
        let all = try await store.inbox(recipient: "bob@b.example", after: nil, limit: 100)
        #expect(all.map(\.envelope) == [Fixture.blob("m1"), Fixture.blob("m3"), Fixture.blob("m4")])
        let page = try await store.inbox(recipient: "bob@b.example", after: all[0].sequence, limit: 1)
        #expect(page.map(\.envelope) == [Fixture.blob("m3")])
        let rest = try await store.inbox(recipient: "bob@b.example", after: page[0].sequence, limit: 100)
        #expect(rest.map(\.envelope) == [Fixture.blob("m4")])
        #expect(try await store.inbox(recipient: "bob@b.example", after: rest[0].sequence, limit: 100).isEmpty)
        #expect(try await store.lastSequence() == 4)
        #expect(try await store.inboxEntry(recipient: "carol@b.example", sequence: first.sequence) == nil)
    }

    /// Spec: [dlv-keep] — kept blobs are live while the entry exists, and go with it.
    @Test(arguments: StoreBackend.allCases) func keptBlobsLiveAsLongAsTheEntry(backend: StoreBackend) async throws {
        let store = try await backend.make()
        guard case .added(let entry) = try await add(store, "bob@b.example", Fixture.blob("env")) else {
            Issue.record("not added")
            return
        }
        let kept = [(id: Fixture.blob("env"), size: 100), (id: Fixture.blob("chunk"), size: 2_000)]
        try await store.keep(recipient: "bob@b.example", sequence: entry.sequence, blobs: kept, at: 1_100)
        #expect(try await store.blobState(Fixture.blob("chunk")) == .live(size: 2_000))
        let deleted = try await store.removeInboxEntry(recipient: "bob@b.example", sequence: entry.sequence, at: 1_200)
        #expect(Set(deleted) == [Fixture.blob("env"), Fixture.blob("chunk")])
        #expect(try await store.blobState(Fixture.blob("chunk")) == .deleted(at: 1_200))
        await #expect(throws: StoreError.notFound("inbox entry")) {
            try await store.removeInboxEntry(recipient: "bob@b.example", sequence: entry.sequence, at: 1_300)
        }
    }

    /// Spec: [dlv-ack-idempotent] — one acknowledgement per entry, relayed until confirmed.
    @Test(arguments: StoreBackend.allCases) func acknowledgementsAreRelayedOnce(backend: StoreBackend) async throws {
        let store = try await backend.make()
        guard case .added(let entry) = try await add(store, "bob@b.example", Fixture.blob("env")) else {
            Issue.record("not added")
            return
        }
        #expect(
            try await store.setAcknowledgement(
                recipient: "bob@b.example", sequence: entry.sequence, acknowledgement: [9], at: 2_000))
        #expect(
            !(try await store.setAcknowledgement(
                recipient: "bob@b.example", sequence: entry.sequence, acknowledgement: [8], at: 2_001)))
        #expect(try await store.dueRelays(now: 2_000, limit: 10).map(\.acknowledgement) == [[9]])
        try await store.recordRelay(
            .retry(error: "503", next: 2_100), recipient: "bob@b.example", sequence: entry.sequence, at: 2_010)
        #expect(try await store.dueRelays(now: 2_099, limit: 10).isEmpty)
        #expect(try await store.dueRelays(now: 2_100, limit: 10).count == 1)
        try await store.recordRelay(.confirmed, recipient: "bob@b.example", sequence: entry.sequence, at: 2_100)
        #expect(try await store.dueRelays(now: 9_999, limit: 10).isEmpty)
        let relayed = try await store.inboxEntry(recipient: "bob@b.example", sequence: entry.sequence)
        #expect(relayed?.acknowledgementState == .relayed)
        #expect(relayed?.relayAttempts == 2)
    }

    /// Spec: [dlv-request-replay] — a nonce is accepted once while it lives, and forgotten after.
    @Test(arguments: StoreBackend.allCases) func noncesAreAcceptedOnce(backend: StoreBackend) async throws {
        let store = try await backend.make()
        #expect(try await store.recordNonce(keyID: "k", nonce: "n", until: 1_360, now: 1_000))
        #expect(!(try await store.recordNonce(keyID: "k", nonce: "n", until: 1_360, now: 1_359)))
        #expect(try await store.recordNonce(keyID: "other", nonce: "n", until: 1_360, now: 1_001))
        #expect(try await store.recordNonce(keyID: "k", nonce: "n", until: 2_000, now: 1_360))
    }

    /// Accounts: one per address.
    @Test(arguments: StoreBackend.allCases) func accountsAreUniqueByAddress(backend: StoreBackend) async throws {
        let store = try await backend.make()
        let account = AccountRecord(
            address: "bob@b.example", card: [1], identityKey: Array(repeating: 7, count: 32),
            fingerprint: Fixture.key("bob"), created: 1)
        try await store.addAccount(account)
        await #expect(throws: StoreError.alreadyExists("bob@b.example")) { try await store.addAccount(account) }
        #expect(try await store.account("bob@b.example") == account)
        #expect(try await store.accounts().map(\.address) == ["bob@b.example"])
        try await store.removeAccount("bob@b.example")
        await #expect(throws: StoreError.notFound("bob@b.example")) { try await store.removeAccount("bob@b.example") }
    }

    /// Spec: [dlv-notification-idempotent], [dlv-inbox-cursor], [dlv-request-replay] — operations that race
    /// are each all or nothing: one of many identical notifications is added, distinct ones get distinct
    /// sequences with none skipped, and one of many uses of a nonce is accepted (on PostgreSQL these are
    /// concurrent transactions, retried on conflict).
    @Test(arguments: StoreBackend.allCases) func racingOperationsStayAtomic(backend: StoreBackend) async throws {
        let store = try await backend.make()
        let same = try await withThrowingTaskGroup(of: InboxAddition.self) { group in
            for _ in 0..<12 { group.addTask { try await self.add(store, "bob@b.example", Fixture.blob("same")) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(same.filter { if case .added = $0 { true } else { false } }.count == 1)
        let sequences = try await withThrowingTaskGroup(of: UInt64.self) { group in
            for index in 0..<12 {
                group.addTask {
                    guard
                        case .added(let entry) = try await self.add(store, "carol@b.example", Fixture.blob("m\(index)"))
                    else { return 0 }
                    return entry.sequence
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(sequences.sorted() == Array(2...13))
        #expect(try await store.lastSequence() == 13)
        let listed = try await store.inbox(recipient: "carol@b.example", after: nil, limit: 100).map(\.sequence)
        #expect(listed == Array(2...13))
        let accepted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<12 {
                group.addTask { try await store.recordNonce(keyID: "k", nonce: "n", until: 2_000, now: 1_000) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(accepted.filter { $0 }.count == 1)
    }
}
