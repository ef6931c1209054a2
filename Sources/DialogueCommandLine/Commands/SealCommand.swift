import ArgumentParser
import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Foundation

/// `dialogue seal`: seal a message into a blob store (Spec: messages.md#msg-seal).
struct SealCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal",
        abstract: "Sign and encrypt a message to one or more cards, storing its blobs in a blob store.",
        discussion: """
            Prints the message identifier, the envelope identifier (what a notification names) and each \
            recipient's stanza index. Messages are encrypted; --public makes a signed-but-public message \
            for public lists and archives. A rotation or revocation statement travels as a part of type \
            application/dialogue-statement: give it with --statement, and <from>.rotation (written by \
            'identity rotate') is attached automatically so that recipients follow the key change quietly.
            """
    )

    @Option(name: .long, help: "The sender's secret identity file.")
    var from: String

    @Option(name: .long, help: "A recipient's card file (repeatable).")
    var to: [String] = []

    @Option(name: .long, help: "A copy recipient's card file (repeatable).")
    var cc: [String] = []

    @Option(name: .long, help: "A blind-copy recipient's card file (repeatable): sealed in a separate envelope.")
    var bcc: [String] = []

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "The subject.")
    var subject: String?

    @Option(name: .long, help: "The text of the message.")
    var text: String?

    @Option(name: .long, help: "A file whose contents are the text of the message.")
    var textFile: String?

    @Option(name: .long, help: "A file to attach (repeatable), read in constant memory.")
    var attach: [String] = []

    @Option(name: .long, help: "A rotation or revocation statement file to carry (repeatable).")
    var statement: [String] = []

    @Flag(name: .long, help: "Do not attach <from>.rotation automatically.")
    var noRotation = false

    @Flag(name: .long, help: "Sign but do not encrypt (for public lists). Never the default.")
    var `public` = false

    @Option(name: .long, help: "The date, in seconds since 1970 (default: now).")
    var date: UInt64?

    @OptionGroup var passphrase: PassphraseOptions

    func validate() throws {
        if to.isEmpty && cc.isEmpty && bcc.isEmpty && !`public` {
            throw ValidationError("give at least one recipient with --to, --cc or --bcc (or --public)")
        }
        if text != nil && textFile != nil { throw ValidationError("give --text or --text-file, not both") }
    }

    func run() async throws {
        let sender = try IdentityLoading.secret(from, passphrase: passphrase)
        var recipients: [MessageDraft.Addressee] = []
        for (paths, role) in [(to, Recipient.Role.to), (cc, .cc), (bcc, .bcc)] {
            for path in paths { recipients.append(.init(card: try IdentityLoading.card(path), role: role)) }
        }
        var parts: [MessageDraft.Part] = []
        if let text { parts.append(.text(text)) }
        if let textFile {
            parts.append(.init(mediaType: "text/plain; charset=utf-8", content: .bytes(try Files.read(textFile))))
        }
        var statementFiles = statement
        if !noRotation, FileManager.default.fileExists(atPath: from + ".rotation") {
            statementFiles.append(from + ".rotation")
        }
        for path in statementFiles {
            let bytes = try Files.read(path)
            do {
                _ = try KeyStatement(decoding: bytes)
            } catch {
                throw fail(error.code.name, "\(path) is not a valid statement: \(error.reason)")
            }
            parts.append(.init(mediaType: KeyStatement.mediaType, content: .bytes(bytes)))
        }
        for path in attach {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw fail("no-input", "cannot read \(path)", status: ExitStatus.noInput)
            }
            parts.append(
                .init(
                    mediaType: "application/octet-stream", fileName: (path as NSString).lastPathComponent,
                    content: .file(path: path))
            )
        }
        var draft = MessageDraft(
            recipients: recipients, date: date ?? UInt64(Date().timeIntervalSince1970), subject: subject, parts: parts
        )
        if `public` { draft.mode = .public }
        try await Sealing.sealAndReport(draft, sender: sender, store: store.open())
    }
}

/// Sealing shared by `seal` and `reply`.
enum Sealing {
    static func sealAndReport(_ draft: MessageDraft, sender: SecretIdentity, store: DirectoryBlobStore) async throws {
        let sealed = try await reporting { try await MessageSealer(sender: sender, store: store).seal(draft) }
        print("message  \(sealed.messageID.text(kind: .message))")
        report(sealed)
        for copy in sealed.blindCopies { report(copy) }
    }

    private static func report(_ sealed: MessageSealer.SealedMessage) {
        print("envelope \(sealed.envelopeID.text(kind: .blob))")
        for (recipient, index) in zip(sealed.signedManifest.manifest.recipients, sealed.stanzaIndices) {
            if let index { print("stanza   \(index) \(recipient.address)") }
        }
    }
}
