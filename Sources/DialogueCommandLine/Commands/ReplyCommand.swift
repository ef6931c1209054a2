import ArgumentParser
import DialogueMessages
import Foundation

/// `dialogue reply`: answer a message; the reply carries the original's identifier (Spec: messages.md#msg-id).
struct ReplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reply",
        abstract: "Reply to a message: open it, then seal an answer to its sender that references it."
    )

    @Option(name: .long, help: "Your secret identity file (you must be a recipient of the message).")
    var `as`: String

    @OptionGroup var store: StoreOptions

    @Argument(help: "The envelope identifier of the message to answer (blob-...).")
    var envelope: String

    @Option(name: .long, help: "The text of the reply.")
    var text: String

    @Option(name: .long, help: "A file to attach (repeatable).")
    var attach: [String] = []

    @Option(name: .long, help: "The date, in seconds since 1970 (default: now).")
    var date: UInt64?

    @OptionGroup var passphrase: PassphraseOptions

    func run() async throws {
        let identity = try IdentityLoading.secret(`as`, passphrase: passphrase)
        let blobs = try store.open()
        let original = try await Opening.open(envelope, as: identity, store: blobs, index: nil)
        let attachments = attach.map {
            MessageDraft.Part(
                mediaType: "application/octet-stream", fileName: ($0 as NSString).lastPathComponent,
                content: .file(path: $0))
        }
        var draft = MessageDraft.reply(
            to: original, date: date ?? UInt64(Date().timeIntervalSince1970), text: text, parts: attachments
        )
        if let own = original.recipient?.address, identity.card.lists(own) { draft.senderAddress = own }
        try await Sealing.sealAndReport(draft, sender: identity, store: blobs)
    }
}
