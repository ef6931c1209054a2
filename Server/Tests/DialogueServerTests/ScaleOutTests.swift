import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import Foundation
import Testing

/// Several `dialogued` processes serving one domain on one PostgreSQL database and one blob directory,
/// behind nginx (README.md: "Deploying at scale"), and a PostgreSQL server among SQLite ones.
@Suite(.serialized) struct ScaleOutTests {
    /// One submission of the burst that the domain acknowledged (`201`).
    struct Sent {
        let submission: Submission
        let envelope: [UInt8]
        var envelopeID: ContentIdentifier { ContentIdentifier.hashing(envelope, context: .blob) }
    }

    @Test(
        "[dlv-retry] two processes of s.test on one PostgreSQL behind nginx, one killed with SIGKILL during a burst: every acknowledged submission reaches bob and carol exactly once, every blob is whole, and the survivor takes over the dead one's leases",
        .enabled(if: TestPostgres.enabled, TestPostgres.skipReason),
        .enabled(if: LoadBalancerProcess.executable != nil, LoadBalancerProcess.skipReason))
    func twoProcessesBehindNginxSurviveAKill() async throws {
        let database = try TestPostgres()
        defer { database.drop() }
        let blobs = NSTemporaryDirectory() + "dialogued-shared-blobs-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: blobs) }
        // r.test is first a port that never answers: the senders' requests hang there, holding their leases.
        let silent = try SilentListener()
        let receiving = try DialoguedProcess(domain: "r.test", port: silent.port)
        let front = try DialoguedProcess.freePort()
        let first = try DialoguedProcess(domain: "s.test", port: front, listenPort: try DialoguedProcess.freePort())
        // A short lease, so that the dead process's work is free within seconds.
        try first.updateSettings(["databaseURL": database.url, "blobDirectory": blobs, "outboxLease": 4])
        let alice = try LoopbackUser("alice@s.test")
        let bob = try LoopbackUser("bob@r.test")
        let carol = try LoopbackUser("carol@r.test")
        try first.addUser(alice.address.text, cardBytes: alice.secret.card.encodedBytes)
        for user in [bob, carol] { try receiving.addUser(user.address.text, cardBytes: user.secret.card.encodedBytes) }
        try first.setPeers([try receiving.peersLine])
        try receiving.setPeers([try first.peersLine])
        let second = try DialoguedProcess(copying: first, listenPort: try DialoguedProcess.freePort())
        defer { [first, second, receiving].forEach { $0.remove() } }
        try await first.start()
        try await second.start()
        let nginx = try LoadBalancerProcess(port: front, upstreams: [first.listenPort, second.listenPort])
        defer { nginx.stop() }
        try await nginx.waitUntilListening()
        let client = LoopbackClient.make()
        defer { Task { await client.shutdown() } }
        do {
            try await burst(
                first: first, second: second, receiving: receiving, silent: silent, database: database,
                users: (alice, bob, carol), client: client)
        } catch {
            for server in [first, second, receiving] {
                print("--- \(server.domain) \(server.listenPort) log:\n\(server.log(tail: 3_000))")
            }
            print("--- nginx log:\n\(nginx.log.suffix(2_000))")
            throw error
        }
    }

    func burst(
        first: DialoguedProcess, second: DialoguedProcess, receiving: DialoguedProcess, silent: SilentListener,
        database: TestPostgres, users: (LoopbackUser, LoopbackUser, LoopbackUser), client: LoopbackClient
    ) async throws {
        let (alice, bob, carol) = users
        let domain = first.baseURL
        var sent: [Sent] = []
        var refused = 0
        var killedLeases: [[String]] = []
        let total = 40
        for index in 0..<total {
            if index == total / 2 {
                // Mid-burst: once the first process holds leases on deliveries that hang, it is killed.
                let pid = try #require(first.processIdentifier)
                let held =
                    "SELECT encode(submission, 'hex'), recipient FROM deliveries WHERE lease_owner LIKE '% \(pid) %' AND lease_until IS NOT NULL"
                try await waitUntil("the first process holds leases", seconds: 20) { try !database.query(held).isEmpty }
                first.kill()
                killedLeases = try database.query(held)
            }
            let envelope =
                Array("envelope \(index) \(UUID())".utf8)
                + (0..<(index * 997 % 20_000)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
            let id = ContentIdentifier.hashing(envelope, context: .blob)
            let now = UInt64(Date().timeIntervalSince1970)
            let submission = try Submission(
                sender: alice.address,
                deliveries: try [bob, carol].map {
                    try Delivery(recipient: $0.address, envelope: id, fingerprint: $0.secret.card.fingerprint)
                }, chunks: [], created: now, expires: now + 86_400, signingKey: alice.secret.signingKey)
            // A request that met the dying process is not acknowledged; the client does not retry it.
            guard (try? await client.upload(envelope, to: domain, as: alice).status) == 201,
                let answer = try? await client.send(
                    "POST", domain, "/submissions", body: submission.encodedBytes, contentType: "application/cbor",
                    as: alice), answer.status == 201
            else {
                refused += 1
                continue
            }
            sent.append(Sent(submission: submission, envelope: envelope))
        }
        #expect(!killedLeases.isEmpty, "the killed process held no lease")
        #expect(
            sent.count >= total - 4, "most of the burst is acknowledged: \(sent.count) of \(total), \(refused) refused")

        // r.test comes up on the port that hung: the survivor's backoff probes it and sends everything.
        silent.close()
        try await receiving.start()
        var entries: [Address: [ContentIdentifier]] = [:]
        let keys = try await ThreeServerTests().document(of: first, client: client).keys
        try await waitUntil("bob and carol have every acknowledged message", seconds: 90) {
            for user in [bob, carol] {
                entries[user.address] = try await client.inbox(receiving.baseURL, as: user).map { entry in
                    let text = entry["notification"] as? String ?? ""
                    return try DialogueDelivery.Notification(
                        verifying: try #require(UnpaddedBase64URL.decode(text)), signerDomain: "s.test",
                        serverKeys: keys, servedDomains: ["r.test"], now: UInt64(Date().timeIntervalSince1970)
                    ).envelope
                }
            }
            let wanted = Set(sent.map(\.envelopeID))
            return [bob, carol].allSatisfy { wanted.isSubset(of: Set(entries[$0.address] ?? [])) }
        }
        // Exactly once: one entry per envelope (the store adds a repeated notification as nothing), and
        // only envelopes of the burst.
        for user in [bob, carol] {
            let got = entries[user.address] ?? []
            #expect(got.count == Set(got).count, "\(user.address) got a message twice")
            #expect(got.count <= total)
        }
        // The survivor took over every lease the dead one held, and delivered those.
        let survivor = try #require(second.processIdentifier)
        for lease in killedLeases {
            let row = try database.query(
                "SELECT state, lease_owner FROM deliveries WHERE encode(submission, 'hex') = '\(lease[0])' AND recipient = '\(lease[1])'"
            )
            #expect(row.first?[0] == "notified", "\(lease)")
            #expect(row.first?[1].contains(" \(survivor) ") == true, "the lease of \(lease) went to \(row)")
        }
        // No blob lost or corrupt: each envelope is served whole through nginx, by whichever process.
        for message in sent {
            #expect(try await client.fetch(message.envelopeID, from: first.baseURL) == message.envelope)
        }
        print(
            "scale-out: \(sent.count) acknowledged, \(refused) refused at the kill, \(killedLeases.count) leases taken over"
        )
    }

    @Test(
        "[dlv-delete] the three-server scenario with b.test on PostgreSQL: the backends interoperate",
        .enabled(if: TestPostgres.enabled, TestPostgres.skipReason))
    func threeServersWithOneOnPostgres() async throws {
        let database = try TestPostgres()
        defer { database.drop() }
        let (servers, users) = try await ThreeServerTests.startThree { index, server in
            if index == 1 { try server.updateSettings(["databaseURL": database.url]) }
        }
        defer { servers.forEach { $0.remove() } }
        let (alice, bob, carol) = (users[0], users[1], users[2])
        let client = LoopbackClient.make()
        defer { Task { await client.shutdown() } }
        do {
            try await ThreeServerTests().deliver(servers: servers, alice: alice, bob: bob, carol: carol, client: client)
            // bob's entry is in PostgreSQL, not in a SQLite file.
            #expect(try database.query("SELECT recipient FROM inbox").map { $0.first } == ["bob@b.test"])
            #expect(!FileManager.default.fileExists(atPath: servers[1].data + "/mail.sqlite"))
        } catch {
            for server in servers { print("--- \(server.domain) log:\n\(server.log(tail: 4_000))") }
            throw error
        }
    }
}
