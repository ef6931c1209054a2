import ArgumentParser
import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Foundation

/// `dialogue open`: open a message from a blob store as one of its recipients (Spec: messages.md#msg-open).
struct OpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open a message as a recipient: verify it, print its headers, and write out its parts.",
        discussion: """
            Nothing is printed unless the envelope, the manifest and the sender's signature all verify. The \
            sender is judged against the trust store (see 'dialogue trust'): the verdict is printed after the \
            headers, and an alarm is also shown as a banner on standard error. A verdict never stops the message.

            Every part is fetched and authenticated, chunk by chunk, before any of its content is shown or \
            saved; if one part fails, nothing of any part is printed or saved, and the command exits 65. \
            Without --out, plain-text parts of up to 64 KiB are printed, every line after '| '; other parts \
            are authenticated and listed, not shown. With --out DIR, every part is saved in DIR (created if \
            needed): first to hidden temporary files (.dialogue-partial-*, mode 0600) in DIR, moved into \
            place only once every part has authenticated; on failure they are removed and DIR is left as it \
            was. An existing file is never replaced: a taken name is saved as 'name (1).ext', 'name (2).ext'. \
            A part without a name is saved as part-N; '.' and '..' as part-N; a leading '.' becomes '_.'; \
            control and invisible characters in a name become '_'; a name over 255 bytes is shortened, \
            keeping its extension. Each saved file is listed on a 'saved' line, and each changed name is \
            explained on standard error.

            Everything the sender wrote (headers, names, text) is shown with control, bidirectional and \
            invisible characters escaped (\\x1b, \\u{202e}), so that it cannot change the terminal or forge a \
            line of this output.

            Exit status: 0 opened; 64 usage; 65 the message or a part is invalid (error: <code>: <reason>); \
            66 the envelope or the identity file is missing; 73 DIR or a file in it cannot be created; 74 the \
            store or DIR cannot be read or written.
            """
    )

    /// The largest text part printed; a larger one is listed like any other part.
    static let largestPrintedText: UInt64 = 1 << 16

    @Option(name: .long, help: "The recipient's secret identity file.")
    var `as`: String

    @OptionGroup var store: StoreOptions

    @Argument(help: "The envelope identifier (blob-...).")
    var envelope: String

    @Option(name: .long, help: "The stanza index from the notification, if known.")
    var index: Int?

    @Option(
        name: .long,
        help: "A directory to save every part in (created if needed); existing files are never replaced.")
    var out: String?

    @OptionGroup var passphrase: PassphraseOptions

    @OptionGroup var trust: TrustStoreOptions

    @Flag(name: .long, help: "Do not consult or update the trust store (the sender is not judged).")
    var noTrust = false

    func run() async throws {
        let identity = try IdentityLoading.secret(`as`, passphrase: passphrase)
        let engine = noTrust ? nil : try trust.open(identity: `as`).engine
        let blobs = try store.open()
        let bytes = try await Opening.envelopeBytes(envelope, store: blobs)
        let (opened, assessment) = try await reporting { () async throws -> (OpenedMessage, TrustAssessment?) in
            if let engine {
                return try await TrustedOpener(engine: engine, blobs: blobs).openAssessing(
                    bytes, as: identity, stanzaIndex: index)
            }
            return (try EnvelopeOpener.open(bytes, as: identity, stanzaIndex: index), nil)
        }
        Self.printHeaders(opened)
        if let assessment {
            VerdictPrinter.print(assessment)
        } else {
            print("trust       not-checked (--no-trust): the sender's key was not compared with the trust store")
        }
        try await Self.show(Array(opened.manifest.parts.enumerated()), store: blobs, out: out)
    }

    /// Fetches and authenticates `parts` (numbered from 0), then prints them, or saves them all in
    /// `out` (all or nothing): what `open` and `read` show of a message.
    static func show(_ parts: [(offset: Int, element: PartDescriptor)], store: any BlobStore, out: String?)
        async throws
    {
        if let out {
            let placed = try await save(parts, store: store, in: out)
            for (index, (number, part)) in parts.enumerated() {
                print(Self.partLine(part, number: number + 1))
                print("saved       \(TerminalText.line(placed[index].path))")
            }
            for saved in placed where !saved.changes.isEmpty {
                writeStandardError(
                    "note: part \(saved.partNumber) saved as \(TerminalText.line(saved.path)): "
                        + TerminalText.line(saved.changes.joined(separator: "; ")) + "\n")
            }
        } else {
            let texts = try await authenticate(parts, store: store)
            for (index, (number, part)) in parts.enumerated() {
                print(Self.partLine(part, number: number + 1))
                if let text = texts[index] {
                    for line in TerminalText.body(String(decoding: text, as: UTF8.self)) { print(line) }
                } else {
                    print("            authenticated, not shown: save it with --out DIR")
                }
            }
        }
    }

    /// The headers, one field per line, every sender-controlled value escaped. The subject has
    /// its own label; other headers are shown as `header      name: value`, so that a header
    /// cannot be named like one of the command's labels.
    static func printHeaders(_ opened: OpenedMessage) {
        let manifest = opened.manifest
        print("message     \(opened.messageID.text(kind: .message))")
        print("mode        \(opened.isPublic ? "PUBLIC (signed, not encrypted)" : "encrypted")")
        print("from        \(TerminalText.line("\(manifest.senderAddress)"))")
        print("sender key  \(manifest.senderCard.fingerprint.text(kind: .identityKey))")
        for recipient in manifest.recipients {
            let role = recipient.role.description.padding(toLength: 11, withPad: " ", startingAt: 0)
            print("\(role) \(TerminalText.line("\(recipient.address)"))")
        }
        print("date        \(Format.date(manifest.date))")
        if let subject = manifest.headers["subject"] { print("subject     \(TerminalText.line(subject))") }
        for (name, value) in manifest.headers.sorted(by: { $0.key < $1.key }) where name != "subject" {
            print("header      \(TerminalText.line(name)): \(TerminalText.line(value))")
        }
        for id in manifest.inReplyTo { print("in-reply-to \(id.text(kind: .message))") }
        for id in manifest.references { print("references  \(id.text(kind: .message))") }
    }

    /// `part N      media type, size bytes, name`, escaped.
    static func partLine(_ part: PartDescriptor, number: Int) -> String {
        let name = part.fileName.isEmpty ? "" : ", " + TerminalText.line(part.fileName)
        let label = "part \(number)".padding(toLength: 11, withPad: " ", startingAt: 0)
        return "\(label) \(TerminalText.line(part.mediaType)), \(part.size) bytes\(name)"
    }

    /// Whether a part is shown as text when there is no --out.
    static func isPrintedText(_ part: PartDescriptor) -> Bool {
        part.mediaType.hasPrefix("text/plain") && part.size <= largestPrintedText
    }

    /// Fetches and authenticates every part; returns the text of the parts that are printed.
    /// Other parts are read chunk by chunk, in constant memory, and dropped.
    static func authenticate(_ parts: [(offset: Int, element: PartDescriptor)], store: any BlobStore) async throws
        -> [[UInt8]?]
    {
        var texts: [[UInt8]?] = []
        for (number, part) in parts {
            let reader = PartReader(part: part, store: store)
            texts.append(
                try await reporting("part \(number + 1): ") { () async throws -> [UInt8]? in
                    if Self.isPrintedText(part) { return try await reader.readAll() }
                    for try await _ in reader.chunks() {}
                    return nil
                })
        }
        return texts
    }

    /// Saves every part in `directory`, all or nothing (see ``PartOutputDirectory``).
    static func save(_ parts: [(offset: Int, element: PartDescriptor)], store: any BlobStore, in directory: String)
        async throws
        -> [PartOutputDirectory.Placed]
    {
        let output = try PartOutputDirectory(creating: directory)
        do {
            var staged: [PartOutputDirectory.Staged] = []
            for (number, part) in parts {
                let (descriptor, temporary) = try output.createTemporary()
                defer { close(descriptor) }
                try await reporting("part \(number + 1): ") {
                    try await PartReader(part: part, store: store).write(toDescriptor: descriptor, name: temporary)
                }
                staged.append(
                    .init(
                        temporary: temporary, name: SavedFileName(fileName: part.fileName, partNumber: number + 1),
                        partNumber: number + 1))
            }
            return try staged.map { try output.place($0) }
        } catch {
            output.discard()
            throw error
        }
    }
}

/// Opening shared by `open` and `reply`.
enum Opening {
    static func open(_ envelope: String, as identity: SecretIdentity, store: DirectoryBlobStore, index: Int?)
        async throws
        -> OpenedMessage
    {
        let bytes = try await envelopeBytes(envelope, store: store)
        return try await reporting { try EnvelopeOpener.open(bytes, as: identity, stanzaIndex: index) }
    }

    /// The envelope's bytes, checked against its identifier (Spec: [id-verify]) and read no further
    /// than an envelope's limit (Spec: [msg-limits]).
    static func envelopeBytes(_ envelope: String, store: DirectoryBlobStore) async throws -> [UInt8] {
        let id = try Identifiers.blob(envelope)
        return try await reporting { try await store.envelope(id) }
    }
}
