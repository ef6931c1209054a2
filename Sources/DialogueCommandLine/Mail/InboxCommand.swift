import ArgumentParser
import DialogueClient
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Foundation

/// `dialogue inbox`: the messages of this device, new and unread first.
struct InboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox", abstract: "List received messages (after 'dialogue sync'), unread first.")

    @Flag(
        name: .long, help: "Print JSON: an array of {number, sender, verdict, subject, size, date, read, acknowledged}."
    )
    var json = false
    @Flag(name: .long, help: "Do not ask the server for new mail first.") var offline = false
    @OptionGroup var location: AccountLocation

    func run() async throws {
        let (messages, posts) = try await withClient(location) { client in
            if !offline { try await client.sync() }
            return (try await client.store.inbox(), try await client.store.listPosts())
        }
        if json {
            let rows: [[String: Any]] = messages.map { message in
                var row: [String: Any] = [
                    "number": message.number, "sender": message.sender.text, "size": message.size,
                    "received": message.received, "read": message.isRead, "acknowledged": message.acknowledged,
                ]
                row["verdict"] = message.verdict
                row["subject"] = message.subject
                row["date"] = message.date
                return row
            }
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        if messages.isEmpty && posts.isEmpty { print("(no messages)") }
        for message in messages {
            let flags = (message.isRead ? " " : "N") + (message.acknowledged ? "A" : " ")
            print(
                "#\(message.number) \(flags) \(TerminalText.line(message.sender.text))  [\(FirstContactText.label(message.verdict))]  "
                    + "\(TerminalText.line(message.subject ?? "(not opened)"))  \(message.size) bytes  "
                    + Format.date(message.date ?? message.received))
        }
        // List posts this device followed ('dialogue list follow'), marked as from their list.
        for post in posts {
            print("list \(TerminalText.line(post.list.text)) " + ListCommand.line(post))
        }
    }
}

/// `dialogue sync`: ask the home server for new mail; with --watch, long-poll and print it as it arrives.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Fetch new notifications (and their envelopes); --watch keeps waiting.")

    @Flag(name: .long, help: "Keep long-polling the inbox and print new mail as it arrives (Ctrl-C stops).")
    var watch = false
    @Option(name: .long, help: "Seconds to wait for a first message (0 to 60).") var wait: Int = 0
    @OptionGroup var location: AccountLocation

    func run() async throws {
        try await withClient(location) { client in
            repeat {
                for message in try await client.sync(wait: watch ? 60 : wait) {
                    // Unbuffered: a script reading a pipe sees each message as it arrives.
                    writeStandardOutput(
                        Array(
                            ("new #\(message.number) \(TerminalText.line(message.sender.text))  "
                                + "[\(FirstContactText.label(message.verdict))]  "
                                + TerminalText.line(message.subject ?? "(not opened)") + "\n").utf8))
                }
            } while watch
        }
    }
}
