import ArgumentParser
import DialogueClient
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Foundation

/// `dialogue send`: send a message through the home server.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Send a message: cards are fetched and judged, then it is sealed and submitted.",
        discussion: """
            Each recipient's card is fetched from its server and judged by trust on first use before anything is \
            sealed (delivery.md#dlv-card-judged): a first contact says so; a key change without a rotation stops \
            the command (nothing is sent) until you decide with --accept-key-change ADDRESS. The text comes from \
            --text, --text-file, or standard input; when standard input is a terminal, from $VISUAL or $EDITOR \
            (as git does: a private temporary file; an empty text aborts the send). Only the blobs the home server \
            lacks are uploaded.
            """)

    @Option(name: .long, help: "A recipient (repeatable).") var to: [String] = []
    @Option(name: .long, help: "A copy recipient (repeatable).") var cc: [String] = []
    @Option(name: .long, help: "A blind-copy recipient (repeatable).") var bcc: [String] = []
    @Option(name: .long, help: "The subject.") var subject: String?
    @Option(name: .long, help: "The text.") var text: String?
    @Option(name: .long, help: "A file holding the text.") var textFile: String?
    @Option(name: .long, help: "A file to attach (repeatable).") var attach: [String] = []
    @Option(name: .long, help: "Accept the changed key of this recipient (repeatable), after verifying it.")
    var acceptKeyChange: [String] = []
    @OptionGroup var location: AccountLocation

    func validate() throws {
        if to.isEmpty && cc.isEmpty && bcc.isEmpty {
            throw ValidationError("give a recipient with --to, --cc or --bcc")
        }
        if text != nil && textFile != nil { throw ValidationError("give --text or --text-file, not both") }
    }

    func run() async throws {
        let body: String
        if let text {
            body = text
        } else if let textFile {
            body = String(decoding: try Files.read(textFile), as: UTF8.self)
        } else if isatty(0) == 1 {
            body = try MessageEditor.compose()
        } else {
            body = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        for path in attach where !FileManager.default.isReadableFile(atPath: path) {
            throw fail("no-input", "cannot read \(path)", status: ExitStatus.noInput)
        }
        var composition = Composition(
            to: try MailText.addresses(to), cc: try MailText.addresses(cc), bcc: try MailText.addresses(bcc),
            subject: subject, text: body,
            attachments: attach.map { Composition.attachment(path: $0, fileName: ($0 as NSString).lastPathComponent) })
        composition.inReplyTo = []
        let accepted = Set(try MailText.addresses(acceptKeyChange))
        let report = try await withClient(location) { try await $0.send(composition, acceptingKeyChanges: accepted) }
        MailText.printSent(report)
    }
}

/// Parsing and printing shared by the mail commands.
enum MailText {
    static func addresses(_ texts: [String]) throws -> [Address] {
        try texts.map { text in
            do { return try Address(parsing: text) } catch let error as AddressError {
                throw fail("invalid-address", "'\(text)': \(error.reason)")
            }
        }
    }

    static func printSent(_ report: SendReport) {
        print("sent        #\(report.sent.number) \(report.sent.messageID.text(kind: .message))")
        print("submission  \(report.sent.submission.text(kind: .submission))")
        print(
            "uploaded    \(report.uploaded) blobs, \(report.uploadedBytes) bytes (\(report.alreadyHeld) already on the server)"
        )
        for card in report.cards {
            let verdict = card.assessment.verdict
            print("to          \(TerminalText.line(card.address.text))  card: \(verdict.name) (\(verdict.severity))")
            if verdict.name == "first-contact" {
                print("            \(TerminalText.line(verdict.explanation))")
                print("verify      \(TerminalText.line(verdict.howToVerify))")
            }
        }
    }

    /// `#N` or `N`: a local message number.
    static func number(_ text: String) throws -> Int {
        guard let number = Int(text.hasPrefix("#") ? String(text.dropFirst()) : text), number > 0 else {
            throw fail(
                "malformed", "'\(text)' is not a message number (see 'dialogue inbox')", status: ExitStatus.usage)
        }
        return number
    }
}
