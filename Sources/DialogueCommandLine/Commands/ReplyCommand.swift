import ArgumentParser
import DialogueClient
import DialogueMessages
import Foundation

/// `dialogue reply`: answer a message; the reply carries the original's identifier (Spec: messages.md#msg-id).
struct ReplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reply",
        abstract: "Reply to a message: open it, then seal an answer to its sender that references it.",
        discussion: """
            With an account ('dialogue account add'), give the message's number: the reply is sent through the \
            home server. Offline, give --as IDENTITY --store DIR and the envelope identifier: the reply is sealed \
            into the store.
            """
    )

    @Option(name: .long, help: "Offline: your secret identity file (you must be a recipient of the message).")
    var `as`: String?

    @Option(name: .long, help: "Offline: the blob store directory.")
    var store: String?

    @Argument(help: "The message number (with an account) or the envelope identifier (blob-..., offline).")
    var envelope: String

    @OptionGroup var location: AccountLocation

    @Option(name: .long, help: "The text of the reply.")
    var text: String

    @Option(name: .long, help: "A file to attach (repeatable).")
    var attach: [String] = []

    @Option(name: .long, help: "The date, in seconds since 1970 (default: now).")
    var date: UInt64?

    func run() async throws {
        guard let `as`, let store else {
            let number = try MailText.number(envelope)
            let files = attach.map { Composition.attachment(path: $0, fileName: ($0 as NSString).lastPathComponent) }
            let report = try await withClient(location) {
                try await $0.reply(to: number, text: text, attachments: files)
            }
            MailText.printSent(report)
            return
        }
        let identity = try IdentityLoading.secret(`as`, passphrase: location.passphrase)
        let blobs = try StoreOptions(store: store).open()
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
