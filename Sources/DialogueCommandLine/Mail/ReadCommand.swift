import ArgumentParser
import DialogueClient
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Foundation

/// `dialogue read`: open a received message, fetching only what the device lacks.
struct ReadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read", abstract: "Read a received message: its verdict, headers and parts.",
        discussion: """
            Fetches only the blobs this device lacks, each checked against its identifier before it is kept; \
            --part N reads one part only. Parts are shown and saved as 'dialogue open' does (escaped text, \
            --out DIR all or nothing, never replacing a file). Once this device holds every blob of the \
            message, it is acknowledged by the account's auto-ack setting (default keep: the home server keeps \
            a copy first, so your other devices can still read it); --auto-ack overrides it for this run.
            """)

    @Argument(help: "The message number (see 'dialogue inbox').") var id: String
    @Option(name: .long, help: "Read only part N (from 1).") var part: Int?
    @Option(name: .long, help: "Save the parts in this directory.") var out: String?
    @Option(name: .long, help: AutoAckArgument.help, transform: AutoAckArgument.parse)
    var autoAck: AutoAcknowledgement?
    @OptionGroup var location: AccountLocation

    func run() async throws {
        let number = try MailText.number(id)
        let policy = try autoAck ?? location.configuration().acknowledgement
        try await withClient(location) { client in
            let message = try await client.open(number)
            OpenCommand.printHeaders(message.opened)
            VerdictPrinter.print(message.assessment)
            FirstContactText.print(message.assessment.verdict, home: location.directory)
            let parts = Array(message.opened.manifest.parts.enumerated())
            var chosen = parts
            if let part {
                guard parts.indices.contains(part - 1) else {
                    throw fail("malformed", "the message has \(parts.count) parts", status: ExitStatus.usage)
                }
                chosen = [parts[part - 1]]
            }
            let reader = try client.partReader(message, index: 0)
            try await OpenCommand.show(chosen, store: reader.store, out: out)
            try await client.markRead(number)
            // The read succeeded: a failed acknowledgement is a warning, and 'dialogue ack' can retry it.
            do {
                if try await client.acknowledgeIfFetched(message, policy: policy) {
                    print(
                        "ack         acknowledged: this device holds all of it"
                            + (policy == .keep ? ", and the home server keeps a copy" : "")
                            + " (auto-ack \(policy.rawValue))")
                }
            } catch {
                writeStandardError("warning: not acknowledged (\(error)); 'dialogue ack \(number)' tries again\n")
            }
        }
    }
}

/// `dialogue ack`: keep the message on the home server, then acknowledge it.
struct AckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract: "Acknowledge a message, after the home server keeps a copy (dlv-keep-before-ack).",
        discussion: """
            The home server first keeps the envelope and every chunk, so that your other devices can still read \
            the message after the sender's server deletes it; then the acknowledgement is relayed to the sender's \
            server. --no-keep acknowledges without keeping (a single device that holds what it wants).
            """)

    @Argument(help: "The message number.") var id: String
    @Flag(name: .long, help: "Do not ask the home server to keep a copy first.") var noKeep = false
    @OptionGroup var location: AccountLocation

    func run() async throws {
        let number = try MailText.number(id)
        try await withClient(location) { try await $0.acknowledge(number, keeping: !noKeep) }
        print("acknowledged #\(number)\(noKeep ? "" : " (kept on the home server first)")")
    }
}
