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
            Nothing is printed unless the envelope, the manifest and the sender's signature all verify. \
            Parts are written to --out (created if needed) only after every chunk authenticates. The sender is \
            judged against the trust store (see 'dialogue trust'): the verdict is printed after the headers, and \
            an alarm is also shown as a banner on standard error. A verdict never stops the message.
            """
    )

    @Option(name: .long, help: "The recipient's secret identity file.")
    var `as`: String

    @OptionGroup var store: StoreOptions

    @Argument(help: "The envelope identifier (blob-...).")
    var envelope: String

    @Option(name: .long, help: "The stanza index from the notification, if known.")
    var index: Int?

    @Option(name: .long, help: "A directory to write the parts to.")
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
        let opened: OpenedMessage
        let assessment: TrustAssessment?
        do {
            if let engine {
                (opened, assessment) = try await TrustedOpener(engine: engine, blobs: blobs).openAssessing(
                    bytes, as: identity, stanzaIndex: index
                )
            } else {
                opened = try EnvelopeOpener.open(bytes, as: identity, stanzaIndex: index)
                assessment = nil
            }
        } catch let error as MessageError {
            throw fail(error.code.name, error.reason)
        } catch let error as TrustStoreError {
            throw fail(error.code.name, error.reason)
        }
        let manifest = opened.manifest
        print("message     \(opened.messageID.text(kind: .message))")
        print("mode        \(opened.isPublic ? "PUBLIC (signed, not encrypted)" : "encrypted")")
        print("from        \(manifest.senderAddress)")
        print("sender key  \(manifest.senderCard.fingerprint.text(kind: .identityKey))")
        for recipient in manifest.recipients {
            print(
                "\(recipient.role.description.padding(toLength: 11, withPad: " ", startingAt: 0)) \(recipient.address)")
        }
        print("date        \(Format.date(manifest.date))")
        for (name, value) in manifest.headers.sorted(by: { $0.key < $1.key }) {
            print("\(name.padding(toLength: 11, withPad: " ", startingAt: 0)) \(value)")
        }
        for id in manifest.inReplyTo { print("in-reply-to \(id.text(kind: .message))") }
        for id in manifest.references { print("references  \(id.text(kind: .message))") }
        if let assessment {
            VerdictPrinter.print(assessment)
        } else {
            print("trust       not-checked (--no-trust): the sender's key was not compared with the trust store")
        }
        let store = blobs
        if let out { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) }
        for (number, part) in manifest.parts.enumerated() {
            let name = part.fileName.isEmpty ? "part-\(number + 1)" : part.fileName
            print(
                "part \(number + 1)      \(part.mediaType), \(part.size) bytes\(part.fileName.isEmpty ? "" : ", \(part.fileName)")"
            )
            let reader = PartReader(part: part, store: store)
            do {
                if let out {
                    try await reader.write(toFile: "\(out)/\(name)")
                } else if part.mediaType.hasPrefix("text/plain"), part.size <= 1 << 16 {
                    print(String(decoding: try await reader.readAll(), as: UTF8.self))
                }
            } catch let error as MessageError {
                throw fail(error.code.name, "part \(number + 1): \(error.reason)")
            }
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
        do {
            return try EnvelopeOpener.open(bytes, as: identity, stanzaIndex: index)
        } catch {
            throw fail(error.code.name, error.reason)
        }
    }

    /// The envelope's bytes, checked against its identifier.
    static func envelopeBytes(_ envelope: String, store: DirectoryBlobStore) async throws -> [UInt8] {
        let id = try Identifiers.blob(envelope)
        guard let bytes = try await store.get(id) else {
            throw fail("no-input", "the store does not hold \(envelope)", status: ExitStatus.noInput)
        }
        guard id.isIdentifier(of: bytes, context: .blob) else {
            throw fail("authentication-failed", "the stored envelope does not hash to \(envelope)")
        }
        return bytes
    }
}
