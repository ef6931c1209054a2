import DialogueClient
import DialogueIdentifiers
import Foundation
import Testing

/// `dialogue list …` as processes against three real `dialogued` processes: the owner's commands in
/// the list account's home, the members' in theirs (Spec: lists.md).
@Suite(.serialized) struct ListCommandTests {
    @Test(
        "list-ep-create, list-keys-to-members, list-ep-index: 'dialogue list' creates a list, adds members, posts; a member reads the post (in 'list read', 'inbox' and 'thread'); a removed member's follow fails with 403"
    )
    func theListCommands() async throws {
        let world = try await MailClientTests.World()
        defer { world.remove() }
        let bobHome = try world.commandHome(1)
        let carolHome = try world.commandHome(2)
        let listHome = try MailClientTests.temporaryDirectory() + "/dev"
        let peers = (bobHome as NSString).deletingLastPathComponent + "/peers.txt"
        // The list account's identity is created with a passphrase; the members' were imported without one.
        func dialogue(_ arguments: [String]) throws -> DialoguedCommandTests.Result {
            try DialogueCommand.run(
                arguments,
                environment: arguments.contains(listHome) ? ["DIALOGUE_PASSPHRASE": "test passphrase"] : [:])
        }
        let added = try dialogue([
            "account", "add", "dev@a.test", "--server", world.servers[0].baseURL, "--peers", peers, "--home", listHome,
        ])
        #expect(added.status == 0, "\(added.output) \(added.error)")
        try world.servers[0].addUser("dev@a.test", card: listHome + "/identity.card")

        let created = try dialogue(["list", "create", "--owner", "alice@a.test", "--home", listHome])
        #expect(created.status == 0 && created.output.contains("created     dev@a.test  encrypted"), "\(created.error)")
        for member in ["bob@b.test", "carol@c.test"] {
            let joined = try dialogue(["list", "add", member, "--home", listHome])
            #expect(joined.status == 0 && joined.output.contains("joined      \(member)"), "\(joined.error)")
        }
        let posted = try dialogue([
            "list", "post", "dev@a.test", "--subject", "Hello list", "--text", "from bob", "--home", bobHome,
        ])
        #expect(posted.status == 0 && posted.output.hasPrefix("posted      dev@a.test  epoch 0"), "\(posted.error)")

        // The epoch key travels as mail: follow until the post opens.
        var listing = ""
        for _ in 0..<100 where !listing.contains("Hello list") {
            _ = try dialogue(["list", "follow", "dev@a.test", "--home", carolHome])
            listing = try dialogue(["list", "read", "dev@a.test", "--home", carolHome]).output
            if !listing.contains("Hello list") { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(listing.contains("#4 bob@b.test  [first message, not yet verified]  Hello list  epoch 0"), "\(listing)")
        let read = try dialogue(["list", "read", "dev@a.test", "4", "--home", carolHome])
        #expect(read.output.contains("| from bob") && read.output.contains("from        bob@b.test"), "\(read.output)")
        let inbox = try dialogue(["inbox", "--offline", "--home", carolHome])
        #expect(inbox.output.contains("list dev@a.test #4 bob@b.test"), "\(inbox.output)")
        let messageID = try #require(
            posted.output.split(separator: " ").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) })
        let thread = try dialogue(["thread", messageID, "--home", carolHome])
        #expect(
            thread.status == 0 && thread.output.contains("bob@b.test") && thread.output.contains("Hello list"),
            "\(thread.output) \(thread.error)")

        let removed = try dialogue(["list", "remove", "bob@b.test", "--home", listHome])
        #expect(removed.status == 0 && removed.output.contains("epoch 1"), "\(removed.error)")
        let refused = try dialogue(["list", "follow", "dev@a.test", "--home", bobHome])
        #expect(refused.status != 0 && refused.error.contains("403 forbidden"), "\(refused.output) \(refused.error)")
        let members = try dialogue(["list", "members", "--home", listHome])
        #expect(members.output.contains("carol@c.test") && !members.output.contains("bob@b.test"), "\(members.output)")
    }
}
