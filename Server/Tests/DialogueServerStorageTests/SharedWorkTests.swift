import DialogueIdentifiers
import DialogueServerPostgres
import DialogueServerStorage
import Foundation
import Testing

/// Several processes on one store: the outbox's work and the sweep are leased to one process at a time,
/// with an end that the injected times drive, and the replay cache is one for all (Spec: [dlv-retry],
/// [dlv-request-replay], [dlv-inbox-wait]). Each backend runs every case; a backend that one process owns
/// grants every lease, which the cases expect of it.
@Suite struct SharedWorkTests {
    let envelope = Fixture.blob("envelope")
    let bob = "bob@b.example"
    let carol = "carol@c.example"

    /// Spec: [dlv-retry] — a delivery leased to one process is neither due nor claimable for another until
    /// its lease ends; recording an attempt frees it at once.
    @Test(arguments: StoreBackend.allCases) func aLeasedDeliveryIsWorkedByOneProcess(backend: StoreBackend)
        async throws
    {
        let (first, second) = try await backend.makePair()
        try await Fixture.upload([envelope], to: first)
        let record = Fixture.submission("leased", recipients: [(bob, envelope), (carol, envelope)], chunks: [])
        #expect(try await first.acceptSubmission(record) == .accepted)
        let work: [OutboxWork] = [
            .notification(submission: record.id, recipient: bob),
            .notification(submission: record.id, recipient: carol),
        ]
        #expect(try await first.claim(work, lease: Lease(owner: "a", until: 1_100), now: 1_000) == Set(work))
        // Another process: nothing is due for it, and a claim gets nothing, until 1 100.
        let dueForSecond = try await second.dueNotifications(now: 1_050, limit: 10, excludingPeers: [])
        #expect(dueForSecond.count == (backend.isShared ? 0 : 2))
        let early = try await second.claim(work, lease: Lease(owner: "b", until: 1_150), now: 1_050)
        #expect(early == (backend.isShared ? [] : Set(work)))
        // The holder extends its own lease.
        #expect(try await first.claim(work, lease: Lease(owner: "a", until: 1_120), now: 1_060) == Set(work))
        #expect(
            try await second.claim(work, lease: Lease(owner: "b", until: 1_200), now: 1_100).isEmpty == backend.isShared
        )
        // The lease ended at 1 120 (a was killed): the other process takes both.
        #expect(try await second.dueNotifications(now: 1_120, limit: 10, excludingPeers: []).count == 2)
        #expect(try await second.claim(work, lease: Lease(owner: "b", until: 1_300), now: 1_120) == Set(work))
        #expect(
            try await first.claim(work, lease: Lease(owner: "a", until: 1_400), now: 1_130)
                == (backend.isShared ? [] : Set(work)))
        // b's attempt on bob is recorded (a retry): the delivery is free again at once, for anyone.
        _ = try await second.recordAttempt(
            .retry(error: "down", next: 1_140), submission: record.id, recipient: bob, at: 1_140)
        #expect(
            try await first.claim(work, lease: Lease(owner: "a", until: 1_400), now: 1_140)
                == (backend.isShared ? [work[0]] : Set(work)))
        // Confirmed: no longer due, so no one can claim it.
        _ = try await first.recordAttempt(.confirmed, submission: record.id, recipient: bob, at: 1_150)
        #expect(
            try await second.claim([work[0]], lease: Lease(owner: "b", until: 2_000), now: 1_500).isEmpty
                == backend.isShared)
    }

    /// Two processes claiming the same due work at the same moment (`SKIP LOCKED`) split it: nothing is
    /// taken twice and, every item being free, nothing is left.
    @Test(arguments: StoreBackend.allCases.filter(\.isShared)) func concurrentClaimsSplitTheWork(backend: StoreBackend)
        async throws
    {
        let (first, second) = try await backend.makePair()
        var work: [OutboxWork] = []
        for index in 0..<30 {
            let blob = Fixture.blob("envelope \(index)")
            try await Fixture.upload([blob], to: first)
            let record = Fixture.submission("split \(index)", recipients: [(bob, blob)], chunks: [])
            _ = try await first.acceptSubmission(record)
            work.append(.notification(submission: record.id, recipient: bob))
        }
        let all = work
        for round in 0..<5 {
            let now = UInt64(2_000 + 1_000 * round)
            async let a = first.claim(all, lease: Lease(owner: "a", until: now + 500), now: now)
            async let b = second.claim(all.reversed(), lease: Lease(owner: "b", until: now + 500), now: now)
            let (takenByA, takenByB) = try await (a, b)
            #expect(takenByA.isDisjoint(with: takenByB), "round \(round)")
            #expect(takenByA.union(takenByB) == Set(all), "round \(round)")
        }
    }

    /// Spec: [dlv-ack] — a relay of an acknowledgement is leased like a delivery.
    @Test(arguments: StoreBackend.allCases) func aLeasedRelayIsWorkedByOneProcess(backend: StoreBackend) async throws {
        let (first, second) = try await backend.makePair()
        guard
            case .added(let entry) = try await first.addInboxEntry(
                recipient: bob, sender: "alice@a.example", envelope: envelope, baseURL: "https://a.example/dialogue/v1",
                notification: [1], received: 1_000, expires: 100_000)
        else { throw StoreError.unavailable("not added") }
        #expect(
            try await first.setAcknowledgement(
                recipient: bob, sequence: entry.sequence, acknowledgement: [2], at: 1_000))
        let work = [OutboxWork.relay(sequence: entry.sequence)]
        #expect(try await first.claim(work, lease: Lease(owner: "a", until: 1_100), now: 1_000) == Set(work))
        #expect(try await second.dueRelays(now: 1_050, limit: 10).count == (backend.isShared ? 0 : 1))
        #expect(
            try await second.claim(work, lease: Lease(owner: "b", until: 1_200), now: 1_050).isEmpty == backend.isShared
        )
        try await first.recordRelay(
            .retry(error: "down", next: 1_060), recipient: bob, sequence: entry.sequence, at: 1_060)
        #expect(try await second.dueRelays(now: 1_060, limit: 10).count == 1)
        #expect(try await second.claim(work, lease: Lease(owner: "b", until: 1_200), now: 1_060) == Set(work))
    }

    /// The sweep is a job one process holds at a time, taken over when its lease ends.
    @Test(arguments: StoreBackend.allCases) func theSweepRunsInOneProcessAtATime(backend: StoreBackend) async throws {
        let (first, second) = try await backend.makePair()
        #expect(try await first.claimJob("sweep", lease: Lease(owner: "a", until: 150), now: 100))
        #expect(try await second.claimJob("sweep", lease: Lease(owner: "b", until: 170), now: 120) == !backend.isShared)
        #expect(try await first.claimJob("sweep", lease: Lease(owner: "a", until: 210), now: 160))
        // Another job is another row.
        #expect(try await second.claimJob("other", lease: Lease(owner: "b", until: 170), now: 120))
        // a is gone: at its lease's end b takes the sweep, and a no longer has it.
        #expect(try await second.claimJob("sweep", lease: Lease(owner: "b", until: 260), now: 210))
        #expect(try await first.claimJob("sweep", lease: Lease(owner: "a", until: 270), now: 220) == !backend.isShared)
    }

    /// Spec: [dlv-request-replay] — a nonce one process recorded is a replay at every process until it expires.
    @Test(arguments: StoreBackend.allCases) func theReplayCacheIsShared(backend: StoreBackend) async throws {
        let (first, second) = try await backend.makePair()
        #expect(try await first.recordNonce(keyID: "alice@a.example", nonce: "n1", until: 500, now: 100))
        #expect(try await second.recordNonce(keyID: "alice@a.example", nonce: "n1", until: 600, now: 200) == false)
        #expect(try await second.recordNonce(keyID: "alice@a.example", nonce: "n2", until: 600, now: 200))
        #expect(try await second.recordNonce(keyID: "alice@a.example", nonce: "n1", until: 900, now: 500))
    }

    /// Spec: [dlv-inbox-wait] — an inbox entry that one process stores is heard by another (`LISTEN/NOTIFY`).
    @Test(arguments: StoreBackend.allCases.filter(\.isShared)) func arrivalsReachEveryProcess(backend: StoreBackend)
        async throws
    {
        let (first, second) = try await backend.makePair()
        let feed = try #require(first as? any InboxArrivalFeed)
        let (heard, continuation) = AsyncStream.makeStream(of: String.self)
        let listening = Task { try await feed.followInboxArrivals { continuation.yield($0) } }
        defer { listening.cancel() }
        // LISTEN starts asynchronously: store entries until one is heard (each NOTIFY is sent at commit).
        let adding = Task {
            for index in 0..<100 where !Task.isCancelled {
                _ = try await second.addInboxEntry(
                    recipient: bob, sender: "alice@a.example", envelope: Fixture.blob("arrival \(index)"),
                    baseURL: "https://a.example/dialogue/v1", notification: [1], received: 1_000, expires: 100_000)
                try await Task.sleep(for: .milliseconds(100))
            }
            continuation.finish()
        }
        defer { adding.cancel() }
        var iterator = heard.makeAsyncIterator()
        #expect(await iterator.next() == bob)
    }

    /// Spec: [list-ep-index] — an entry that one process appends to a list's index is heard by another
    /// (`LISTEN/NOTIFY`), as inbox arrivals are, so that its index long polls wake.
    @Test(arguments: StoreBackend.allCases.filter(\.isShared)) func listAppendsReachEveryProcess(backend: StoreBackend)
        async throws
    {
        let (first, second) = try await backend.makePair()
        let feed = try #require(first as? any ListAppendFeed)
        let (heard, continuation) = AsyncStream.makeStream(of: String.self)
        let listening = Task { try await feed.followListAppends { continuation.yield($0) } }
        defer { listening.cancel() }
        let list = "dev@a.example"
        let created = ListRecord(
            address: list, descriptor: [1], listKey: [UInt8](repeating: 7, count: 32), revision: 1, mode: 0,
            posting: 0, history: 0)
        _ = try await second.appendListEntry(.created(created), list: list) { [UInt8($0)] }
        // LISTEN starts asynchronously: append until one is heard (each NOTIFY is sent at commit).
        let appending = Task {
            for serial in 1..<100 where !Task.isCancelled {
                let event = ListEventRecord(
                    bytes: [UInt8(serial)], serial: UInt64(serial), epoch: 0,
                    member: ("m\(serial)@b.example", [UInt8](repeating: UInt8(serial), count: 32), true))
                _ = try await second.appendListEntry(.event(event), list: list) { [UInt8($0 & 0xFF)] }
                try await Task.sleep(for: .milliseconds(100))
            }
            continuation.finish()
        }
        defer { appending.cancel() }
        var iterator = heard.makeAsyncIterator()
        #expect(await iterator.next() == list)
    }
}
