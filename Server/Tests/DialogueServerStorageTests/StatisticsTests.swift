import DialogueIdentifiers
import DialogueServerStorage
import Testing

/// The counts behind the operator's metrics, the same on every backend (Spec: [dlv-ops-metrics]).
@Suite struct StatisticsTests {
    @Test(arguments: StoreBackend.allCases) func outboxDepthAndStoredBytes(backend: StoreBackend) async throws {
        let store = try await backend.make()
        #expect(
            try await store.statistics()
                == StoreStatistics(waitingNotifications: 0, waitingRelays: 0, blobs: 0, bytes: 0))
        let envelope = Fixture.blob("envelope")
        let chunk = Fixture.blob("chunk")
        // Two users upload the same chunk: one blob, counted once.
        try await Fixture.upload([envelope, chunk], to: store)
        try await Fixture.upload([chunk], by: "erin@a.example", to: store)
        #expect(
            try await store.statistics()
                == StoreStatistics(waitingNotifications: 0, waitingRelays: 0, blobs: 2, bytes: 20))
        let record = Fixture.submission(
            "s1", recipients: [("bob@b.example", envelope), ("carol@c.example", envelope)], chunks: [chunk])
        #expect(try await store.acceptSubmission(record) == .accepted)
        #expect(
            try await store.statistics()
                == StoreStatistics(waitingNotifications: 2, waitingRelays: 0, blobs: 2, bytes: 20))
        // An upload of a live blob adds nothing.
        try await Fixture.upload([envelope], by: "erin@a.example", to: store)
        #expect(try await store.statistics().blobs == 2)
        #expect(try await store.statistics().bytes == 20)
        _ = try await store.recordAttempt(.confirmed, submission: record.id, recipient: "bob@b.example", at: 1_001)
        #expect(try await store.statistics().waitingNotifications == 1)
        // The last delivery ends: nothing names the blobs any more, so they are no longer held.
        _ = try await store.recordAttempt(
            .failed(error: "refused"), submission: record.id, recipient: "carol@c.example", at: 1_002)
        _ = try await store.acknowledge(envelope: envelope, recipient: "bob@b.example", at: 1_003)
        #expect(
            try await store.statistics()
                == StoreStatistics(waitingNotifications: 0, waitingRelays: 0, blobs: 0, bytes: 0))
        // A stored acknowledgement waits for its relay.
        let added = try await store.addInboxEntry(
            recipient: "alice@a.example", sender: "dave@d.example", envelope: Fixture.blob("incoming"),
            baseURL: "https://d.example/dialogue/v1", notification: [1, 2, 3], received: 1_000, expires: 100_000)
        guard case .added(let entry) = added else {
            Issue.record("the entry was not added")
            return
        }
        #expect(
            try await store.setAcknowledgement(
                recipient: "alice@a.example", sequence: entry.sequence, acknowledgement: [4, 5], at: 1_001))
        #expect(try await store.statistics().waitingRelays == 1)
    }
}
