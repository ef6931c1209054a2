import DialogueClient
import DialogueDelivery
import DialogueMessages
import DialogueTrust
import Foundation
import Testing

/// The README's example of the client library ("Using the client"), run against real servers. Its
/// text is compared with the README by Tests/DialogueTrustTests/DocumentationExampleTests.swift, as
/// the other documented examples are.
@Suite(.serialized) struct ClientReadmeExampleTests {
    @Test("the README's client example sends, syncs, reads, acknowledges and shows a delivery state")
    func readmeClientExample() async throws {
        let world = try await MailClientTests.World()
        defer { world.remove() }
        let identityFile = world.directories[0] + "/alice.identity"
        FileManager.default.createFile(
            atPath: identityFile, contents: Data(try SecretIdentityFile.encode(world.users[0])),
            attributes: [.posixPermissions: 0o600])
        let homeServerURL = world.servers[0].baseURL
        let (peers, stateDirectory) = (world.peers, world.directories[0])
        let bob = try world.client(1)
        defer { Task { await bob.shutdown() } }
        let waiting = try await bob.send(
            Composition(to: [world.users[0].card.addresses[0]], subject: "Hi", text: "Hi Alice"))

        // BEGIN EXAMPLE: README-client
        let alice = try SecretIdentityFile.decode(Array(try Data(contentsOf: URL(fileURLWithPath: identityFile))))
        let client = try MailClient(
            address: try Address(parsing: "alice@a.test"), identity: alice, homeServer: try BaseURL(homeServerURL),
            peers: peers, directory: stateDirectory)  // peers: nil finds servers by their well-known URL
        let bobAddress = try Address(parsing: "bob@b.test")
        let report = try await client.send(Composition(to: [bobAddress], subject: "Hello", text: "Hello Bob"))
        print(report.cards[0].assessment.verdict.name)  // first-contact: Bob's card is pinned on first use
        for message in try await client.sync(wait: 30) {  // long-polls the inbox; envelopes are opened
            let opened = try await client.open(message.number)  // held locally now: nothing is fetched twice
            let text = try await client.partReader(opened, index: 0).readAll()  // verified chunk by chunk
            print(message.sender, opened.assessment.verdict.explanation, String(decoding: text, as: UTF8.self))
            try await client.acknowledgeIfFetched(opened, policy: .keep)  // kept at home, then acknowledged
        }
        print(try await client.status(report.sent.number).deliveries.map(\.state))  // ["notified"]
        await client.shutdown()
        // END EXAMPLE: README-client

        #expect(report.cards.map(\.assessment.verdict.name) == ["first-contact"])
        let received = try await bob.sync(wait: 20)
        #expect(received.map(\.subject) == ["Hello"])
        let status = try await MailClientTests.World.statusOnceDeleted(waiting.sent.number, of: bob)
        #expect(status.gone, "alice's acknowledgement reached bob's server, which deleted the message")
    }
}
