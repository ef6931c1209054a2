import ArgumentParser
import DialogueClient
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import Foundation

/// `dialogue list post`: post to a list.
struct ListPostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post", abstract: "Post to a list: sealed to its current epoch key, stored once on its server.",
        discussion: """
            Reads the list's index first (to learn the current epoch), seals the message with the list as its \
            one recipient, uploads its blobs to the list's server and sends the signed post. In a moderated \
            list the post waits for the owner's approval.
            """)

    @Argument(help: "The list's address.") var list: String
    @Option(name: .long, help: "The subject.") var subject: String?
    @Option(name: .long, help: "The text.") var text: String
    @OptionGroup var location: AccountLocation

    func run() async throws {
        let list = try MailText.addresses([list])[0]
        let report = try await withClient(location) { client in
            try await client.post(Composition(to: [], subject: subject, text: text), to: list)
        }
        print(
            "\(report.held ? "held" : "posted")      \(list)  epoch \(report.post.epoch)  "
                + report.messageID.text(kind: .message) + (report.held ? "  (waits for the owner's approval)" : ""))
    }
}

/// `dialogue list follow`: read a list's new entries and open its posts.
struct ListFollowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow", abstract: "Read a list's index after this device's cursor and open the new posts.",
        discussion: """
            Every entry is checked in order (the server's signature, no gap, then the descriptor's, event's or \
            post's own signature); the first that fails stops the reading and is reported. Epoch keys that \
            arrived as mail from the list are picked up first. --wait long-polls for a first new entry.
            """)

    @Argument(help: "The list's address.") var list: String
    @Option(name: .long, help: "Seconds to wait for a first new entry (0 to 60).") var wait: Int = 0
    @OptionGroup var location: AccountLocation

    func run() async throws {
        let list = try MailText.addresses([list])[0]
        let posts = try await withClient(location) { client in try await client.follow(list, wait: wait) }
        if posts.isEmpty { print("(no new posts)") }
        for post in posts { print("new " + ListCommand.line(post)) }
    }
}

/// `dialogue list read`: the posts of a list on this device, or one post.
struct ListReadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read", abstract: "List a list's posts on this device, or read post N with its author's verdict.")

    @Argument(help: "The list's address.") var list: String
    @Argument(help: "The post's position (see the listing).") var position: UInt64?
    @OptionGroup var location: AccountLocation

    func run() async throws {
        let list = try MailText.addresses([list])[0]
        try await withClient(location) { client in
            guard let position else {
                let posts = try await client.store.listPosts(list)
                if posts.isEmpty { print("(no posts: 'dialogue list follow \(list)' first)") }
                for post in posts { print(ListCommand.line(post)) }
                return
            }
            let read = try await client.readListPost(list, position: position)
            guard let message = read.message else {
                print("#\(position)  \(read.post.state)")
                return
            }
            print("list        \(list)")
            OpenCommand.printHeaders(message)
            print("trust       \(FirstContactText.label(read.post.verdict))")
            if let reader = read.parts.first {
                try await OpenCommand.show(Array(message.manifest.parts.enumerated()), store: reader.store, out: nil)
            }
        }
    }
}
