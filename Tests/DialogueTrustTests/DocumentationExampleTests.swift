import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Foundation
import Testing

/// The README's library example and the DocC catalogs' examples, as code that compiles and runs,
/// and checks that the documents show exactly this code (so neither can change without the other).
@Suite("Documentation examples")
struct DocumentationExampleTests {
    @Test("the README's library example seals, opens with a verdict and replies")
    func readmeExample() async throws {
        // BEGIN EXAMPLE: README
        let alice = try SecretIdentity.generate(addresses: [Address(parsing: "alice@example.org")])
        let bob = try SecretIdentity.generate(addresses: [Address(parsing: "bob@example.net")])
        let store = MemoryBlobStore()  // a server's store; DirectoryBlobStore(root:) keeps blobs in files
        let bobsTrust = MemoryTrustStore()  // SQLiteTrustStore(path:) keeps it across runs

        // Alice sends Bob a text and a 5 MiB attachment, and keeps a copy she can open herself.
        let report = [UInt8](repeating: 0x2a, count: 5 << 20)  // or content: .file(path: "report.pdf")
        var draft = MessageDraft(
            recipients: [.init(card: bob.card)], subject: "Report",
            parts: [
                .text("Attached."),
                .init(mediaType: "application/pdf", fileName: "report.pdf", content: .bytes(report)),
            ]
        )
        draft.includeSentCopy(for: alice.card)
        let sent = try await MessageSealer(sender: alice, store: store).seal(draft)

        // Bob opens it by the envelope identifier a notification gives him, with a verdict on Alice.
        let message = try await ReceivedMessage.open(sent.envelopeID, from: store, as: bob, trust: bobsTrust)
        print(message.sender, message.verdict.name, message.verdict.explanation)  // alice@example.org first-contact …
        print(message.subject ?? "", try await message.bodyText() ?? "")  // Report Attached.
        let attachment = try await message.attachment(named: "report.pdf")?.bytes()

        // Bob replies; the reply names the message it answers.
        let reply = try await MessageSealer(sender: bob, store: store).seal(.reply(to: message.opened, text: "Thanks"))
        print(reply.messageID, "answers", message.messageID)  // msg-… answers msg-…
        // END EXAMPLE: README

        #expect(message.verdict == .firstContact(address: alice.card.addresses[0], fingerprint: alice.fingerprint))
        #expect(try await message.bodyText() == "Attached.")
        #expect(attachment == report)
        #expect(message.attachments.map(\.index) == [1] && message.parts[1].size == 5 << 20)
        #expect(reply.signedManifest.manifest.inReplyTo == [sent.messageID])
        #expect("\(reply.messageID)".hasPrefix("msg-") && "\(message.senderFingerprint)".hasPrefix("key-"))
        // The sent copy: Alice opens the very message Bob got, with the same identifier.
        let mine = try EnvelopeOpener.open(sent.envelopeBytes, as: alice)
        #expect(mine.messageID == message.messageID && mine.recipient?.role == .cc)
    }

    @Test("the README shows exactly the example that runs")
    func readmeMatches() throws {
        try expectSameText("README.md", heading: "### Example", region: "README")
    }

    /// The client library's example needs servers: it runs in the server package's tests, against
    /// real `dialogued` processes.
    @Test("the README shows exactly the client library's example that runs against real servers")
    func readmeClientMatches() throws {
        try expectSameText(
            "README.md", heading: "### Example: the client library", region: "README-client",
            in: DocumentationSnippets.root.appendingPathComponent(
                "Server/Tests/DialogueServerTests/ClientReadmeExampleTests.swift"
            ).path)
    }

    @Test("the DialogueMessages catalog's example seals and opens a message")
    func messagesExample() async throws {
        // BEGIN EXAMPLE: DialogueMessages
        let alice = try SecretIdentity.generate(addresses: [Address(parsing: "alice@example.org")])
        let bob = try SecretIdentity.generate(addresses: [Address(parsing: "bob@example.net")])
        let store = MemoryBlobStore()
        let picture = [UInt8](repeating: 0x89, count: 3 << 20)  // three chunks

        let sealed = try await MessageSealer(sender: alice, store: store).seal(
            MessageDraft(
                recipients: [.init(card: bob.card)], subject: "Hello",
                parts: [.text("Hi Bob"), .init(mediaType: "image/png", fileName: "cat.png", content: .bytes(picture))]
            )
        )

        // Bob's side: the notification names the envelope and Bob's stanza index.
        let envelope = try await store.envelope(sealed.envelopeID)  // checked against its identifier
        let opened = try EnvelopeOpener.open(envelope, as: bob, stanzaIndex: sealed.stanzaIndices[0])
        print(opened.manifest.subject ?? "", opened.messageID)  // Hello msg-…
        var received: [UInt8] = []
        for try await chunk in PartReader(part: opened.manifest.parts[1], store: store).chunks() {
            received += chunk  // each chunk is authenticated before it is returned
        }
        // END EXAMPLE: DialogueMessages
        #expect(received == picture && opened.manifest.subject == "Hello")
        try expectSameText(
            "Sources/DialogueMessages/DialogueMessages.docc/DialogueMessages.md",
            heading: "## Sealing and opening a message", region: "DialogueMessages")
    }

    @Test("the DialogueTrust catalog's example opens a message with its verdict")
    func trustExample() async throws {
        let alice = try SecretIdentity.generate(addresses: [Address(parsing: "alice@example.org")])
        let bob = try SecretIdentity.generate(addresses: [Address(parsing: "bob@example.net")])
        let store = MemoryBlobStore()
        let envelopeID = try await MessageSealer(sender: alice, store: store).seal(
            MessageDraft(recipients: [.init(card: bob.card)], parts: [.text("Hi")])
        ).envelopeID
        var alarms: [String] = []
        // BEGIN EXAMPLE: DialogueTrust
        let trust = MemoryTrustStore()  // SQLiteTrustStore(path: "bob.trust.sqlite") on disk
        let message = try await ReceivedMessage.open(envelopeID, from: store, as: bob, trust: trust)
        switch message.verdict.severity {
        case .alarm: alarms.append(message.verdict.explanation + "\n" + message.verdict.howToVerify)
        case .notice: print("note:", message.verdict.explanation)
        case .info: print(message.verdict.explanation)
        }

        // The same, step by step: the envelope, the trust engine, the opener.
        let engine = TrustEngine(store: trust)
        let opener = TrustedOpener(engine: engine, blobs: store)
        let (opened, verdict) = try await opener.open(try await store.envelope(envelopeID), as: bob)
        // END EXAMPLE: DialogueTrust
        #expect(alarms.isEmpty && message.verdict.name == "first-contact")
        // The same message again: a duplicate keeps its first verdict.
        #expect(opened.messageID == message.messageID && verdict == message.verdict)
        try expectSameText(
            "Sources/DialogueTrust/DialogueTrust.docc/DialogueTrust.md",
            heading: "## Opening a message with its verdict", region: "DialogueTrust")
    }

    @Test("the DialogueIdentifiers catalog's example names and checks a blob")
    func identifiersExample() throws {
        // BEGIN EXAMPLE: DialogueIdentifiers
        let blob: [UInt8] = Array("hello".utf8)
        let id = ContentIdentifier.hashing(blob, context: .blob)
        let text = id.text(kind: .blob)  // "blob-a..."
        let parsed = try ContentIdentifier(text: text.uppercased(), kind: .blob)  // case-insensitive
        assert(parsed == id && parsed.isIdentifier(of: blob, context: .blob))
        print(ContentIdentifier.hashing(blob, context: .message))  // msg-a...: an identifier knows its kind
        // END EXAMPLE: DialogueIdentifiers
        #expect(parsed == id && "\(ContentIdentifier.hashing(blob, context: .message))".hasPrefix("msg-a"))
        try expectSameText(
            "Sources/DialogueIdentifiers/DialogueIdentifiers.docc/DialogueIdentifiers.md",
            heading: "## Naming and checking a blob", region: "DialogueIdentifiers")
    }

    /// The examples of the other catalogs are run by their modules' own tests; these check that
    /// the catalogs show exactly that code.
    @Test(
        "the DialogueCBOR, DialogueCrypto and DialogueConformance catalogs show exactly their tested examples",
        arguments: [
            ("DialogueCBOR", "## Worked example", "Tests/DialogueCBORTests/DocumentationExampleTests.swift"),
            (
                "DialogueCrypto", "### Worked example: wrapping a key for a recipient",
                "Tests/DialogueCryptoTests/DocumentationExampleTests.swift"
            ),
            (
                "DialogueConformance", "## Checking an implementation",
                "Tests/DialogueConformanceTests/DocumentationExampleTests.swift"
            ),
        ])
    func otherCatalogsMatch(module: String, heading: String, testFile: String) throws {
        try expectSameText(
            "Sources/\(module)/\(module).docc/\(module).md", heading: heading, region: module,
            in: DocumentationSnippets.root.appendingPathComponent(testFile).path)
    }

    /// Fails unless the document's block is the region of the test file `path` (this one by
    /// default), and that file imports what the block imports.
    private func expectSameText(_ document: String, heading: String, region: String, in path: String = #filePath)
        throws
    {
        let (imports, documented) = try DocumentationSnippets.markdownBlock(document, after: heading)
        let tested = try DocumentationSnippets.region(region, in: path)
        #expect(DocumentationSnippets.difference(documented, tested) == nil, "\(document) and \(region) differ")
        let missing = Set(imports).subtracting(try DocumentationSnippets.imports(of: path))
        #expect(missing.isEmpty, "\(document) imports \(missing.sorted()), which the test does not")
    }
}
