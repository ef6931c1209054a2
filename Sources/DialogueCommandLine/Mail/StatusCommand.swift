import ArgumentParser
import DialogueClient
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Foundation

/// `dialogue status`: the delivery state of sent mail, per recipient.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show sent messages, or one message's delivery state per recipient.")

    @Argument(help: "A sent message's number (see the list without it).") var id: String?
    @Flag(name: .long, help: "Print the status as JSON (the server's fields, and \"gone\").") var json = false
    @OptionGroup var location: AccountLocation

    func run() async throws {
        try await withClient(location) { client in
            guard let id else {
                for sent in try await client.store.sent() {
                    print(
                        "#\(sent.number) \(TerminalText.line(sent.subject ?? "(no subject)"))  to "
                            + TerminalText.line(sent.recipients.joined(separator: ", ")) + "  " + Format.date(sent.date)
                    )
                }
                return
            }
            let status = try await client.status(try MailText.number(id))
            if json {
                let data = try JSONEncoder().encode(status)
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print("submission  \(status.submission)")
            print(
                "state       \(status.state)"
                    + (status.gone
                        ? " (the server answered 410 Gone: every delivery is done, the message is deleted)" : ""))
            for delivery in status.deliveries {
                var line = "\(TerminalText.line(delivery.recipient))  \(delivery.state)"
                if let error = delivery.lastError { line += "  (\(TerminalText.line(error)))" }
                print("recipient   \(line)")
            }
        }
    }
}

/// `dialogue forward`: forward a received message by reference.
struct ForwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward", abstract: "Forward a message by reference: nothing is encrypted again (msg-forward).")

    @Argument(help: "The message number.") var id: String
    @Option(name: .long, help: "A recipient (repeatable).") var to: [String] = []
    @Option(name: .long, help: "A text to add.") var text: String?
    @OptionGroup var location: AccountLocation

    func validate() throws { if to.isEmpty { throw ValidationError("give a recipient with --to") } }

    func run() async throws {
        let number = try MailText.number(id)
        let recipients = try MailText.addresses(to)
        let report = try await withClient(location) { try await $0.forward(number, to: recipients, text: text) }
        MailText.printSent(report)
    }
}

/// `dialogue thread`: a thread, rebuilt from the local index.
struct ThreadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thread",
        abstract: "Show the thread of a message, rebuilt locally from in-reply-to and references.")

    @Argument(help: "A received message's number, or a message identifier (msg-...).") var id: String
    @OptionGroup var location: AccountLocation

    func run() async throws {
        try await withClient(location) { client in
            let messageID: ContentIdentifier
            if id.hasPrefix("msg-") {
                messageID = try ContentIdentifier(text: id, kind: .message)
            } else {
                guard let opened = try await client.open(try MailText.number(id)).message.messageID else {
                    throw fail("unknown-message", "message \(id) is not opened")
                }
                messageID = opened
            }
            for message in try await client.thread(messageID) {
                let indent = message.parent == nil ? "" : "  └ "
                print(
                    "\(indent)\(message.messageID.text(kind: .message).prefix(20))…  \(TerminalText.line(message.sender))  "
                        + "\(TerminalText.line(message.subject ?? ""))  \(Format.date(message.date))")
            }
        }
    }
}
