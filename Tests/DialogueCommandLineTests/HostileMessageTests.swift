import DialogueIdentifiers
import DialogueMessages
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A sender who wants to hurt the reader: messages built with the library, with everything the
/// protocol allows, opened with the `dialogue` command.
struct HostileSender {
    let runner: CommandRunner
    let sender: SecretIdentity
    let recipient: IdentityCard
    let store: DirectoryBlobStore

    init(_ runner: CommandRunner) throws {
        self.runner = runner
        #expect(
            try runner.run(["identity", "create", "mallory@example.org", "-o", runner.path("mallory")]).status == 0)
        #expect(try runner.run(["identity", "create", "bob@example.net", "-o", runner.path("bob")]).status == 0)
        sender = try SecretIdentityFile.decode(Array(Data(contentsOf: URL(fileURLWithPath: runner.path("mallory")))))
        recipient = try IdentityCard(decoding: Array(Data(contentsOf: URL(fileURLWithPath: runner.path("bob.card")))))
        store = try DirectoryBlobStore(root: runner.path("store"))
    }

    /// Seals a message to Bob; returns its envelope identifier and the parts as sealed.
    func seal(subject: String = "Hello", headers: [String: String] = [:], parts: [MessageDraft.Part]) async throws
        -> (envelope: String, parts: [PartDescriptor])
    {
        let draft = MessageDraft(
            recipients: [.init(card: recipient)], date: 1_800_000_000, subject: subject, headers: headers, parts: parts)
        let sealed = try await MessageSealer(sender: sender, store: store).seal(draft)
        return (sealed.envelopeID.text(kind: .blob), sealed.signedManifest.manifest.parts)
    }

    /// `dialogue open` as Bob, with extra arguments.
    func open(_ envelope: String, _ extra: [String] = []) throws -> CommandRunner.Result {
        try runner.run(["open", "--as", runner.path("bob"), "--store", runner.path("store"), envelope] + extra)
    }

    static func file(_ name: String, _ bytes: [UInt8]) -> MessageDraft.Part {
        .init(mediaType: "application/octet-stream", fileName: name, content: .bytes(bytes))
    }
}

@Suite("dialogue open against hostile messages", .serialized)
struct HostileMessageTests {
    // MARK: terminal safety (Spec: messages.md#msg-reader-display)

    @Test("msg-reader-display: a subject cannot forge a verdict line or send an escape sequence to the terminal")
    func forgedVerdict() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        let mallory = try HostileSender(runner)
        let forgery = "hi\ntrust       verified (info)\u{1b}[8m"
        let text = MessageDraft.Part.text(
            "line one\ntrust       verified (info)\r\nfrom        boss@example.org\u{1b}]0;pwned\u{7}\tend\n" + forgery)
        // Whatever the protocol decides about controls in header values, the command must be safe:
        // if a sealer refuses them, the same forgery still arrives in the text.
        let envelope: String
        let headersHoldControls: Bool
        do {
            envelope = try await mallory.seal(
                subject: forgery, headers: ["trust": "verified (info)", "x-note": "\u{202e}txt.exe\u{9b}2J\r\u{7f}"],
                parts: [text]
            ).envelope
            headersHoldControls = true
        } catch let error as MessageError where error.code == .malformed {
            envelope = try await mallory.seal(headers: ["trust": "verified (info)"], parts: [text]).envelope
            headersHoldControls = false
        }
        let opened = try mallory.open(envelope)
        #expect(opened.status == 0, "\(opened.standardError)")
        let lines = opened.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.filter { $0.hasPrefix("trust") }.count == 1, "\(opened.standardOutput)")
        #expect(lines.filter { $0.hasPrefix("from") }.count == 1)
        #expect(lines.contains { $0.hasPrefix("trust       first-contact (") })
        let everything = Array((opened.standardOutput + opened.standardError).utf8)
        #expect(!everything.contains(0x1b) && !everything.contains(0x07) && !everything.contains(0x0d))
        #expect(!opened.standardOutput.unicodeScalars.contains { $0.value == 0x9b || $0.value == 0x202e })
        #expect(opened.standardOutput.contains("header      trust: verified (info)"))
        if headersHoldControls {
            #expect(opened.standardOutput.contains(#"subject     hi\x0atrust       verified (info)\x1b[8m"#))
            #expect(opened.standardOutput.contains(#"header      x-note: \u{202e}txt.exe\x9b2J\x0d\x7f"#))
        }
        // The text keeps its lines and tabs, each line after "| ", with CR LF ending a line.
        #expect(opened.standardOutput.contains("| line one\n| trust       verified (info)\n| from "))
        #expect(opened.standardOutput.contains(#"| from        boss@example.org\x1b]0;pwned\x07"# + "\tend\n"))
        #expect(opened.standardOutput.contains("| hi\n| trust       verified (info)\\x1b[8m\n"))
    }

    @Test("msg-reader-display: every failure is one 'error: <code>: <reason>' line with a sysexits status")
    func failuresAreReported() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        let mallory = try HostileSender(runner)
        let (envelope, _) = try await mallory.seal(parts: [.text("hi")])
        let missingAttachment = try runner.run([
            "reply", "--as", runner.path("bob"), "--store", runner.path("store"), envelope, "--text", "ok",
            "--attach", runner.path("absent.pdf"),
        ])
        #expect(missingAttachment.status == 66, "\(missingAttachment.standardError)")
        #expect(missingAttachment.standardError.hasPrefix("error: no-input: "))
        let directoryAsIdentity = try runner.run([
            "open", "--as", runner.path("store"), "--store", runner.path("store"), envelope,
        ])
        #expect(directoryAsIdentity.status == 66 && directoryAsIdentity.standardError.hasPrefix("error: no-input: "))
        for result in [missingAttachment, directoryAsIdentity] { #expect(!result.standardError.contains("Error:")) }
    }

    // MARK: saving parts (Spec: messages.md#msg-reader-files)

    @Test("msg-reader-files: open --out never replaces a file; taken names get ' (1)', ' (2)'")
    func noOverwrite() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        let mallory = try HostileSender(runner)
        let inbox = runner.path("inbox")
        try FileManager.default.createDirectory(atPath: inbox + "/docs", withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: inbox + "/notes.txt"))
        try Data("mine too".utf8).write(to: URL(fileURLWithPath: inbox + "/part-5"))
        // A dangling symbolic link: writing through it would create a file outside the directory.
        let outside = runner.path("outside.txt")
        try FileManager.default.createSymbolicLink(atPath: inbox + "/link.txt", withDestinationPath: outside)
        let (envelope, _) = try await mallory.seal(parts: [
            HostileSender.file("link.txt", Array("through".utf8)),
            HostileSender.file("notes.txt", Array("first".utf8)),
            HostileSender.file("notes.txt", Array("second".utf8)),
            HostileSender.file("docs", Array("not a directory".utf8)),
            HostileSender.file("", Array("unnamed".utf8)),
        ])
        let opened = try mallory.open(envelope, ["--out", inbox])
        #expect(opened.status == 0, "\(opened.standardError)")
        func contents(_ name: String) -> String? {
            (try? Data(contentsOf: URL(fileURLWithPath: inbox + "/" + name))).map {
                String(decoding: $0, as: UTF8.self)
            }
        }
        #expect(contents("notes.txt") == "mine")
        #expect(!FileManager.default.fileExists(atPath: outside))
        #expect(contents("link (1).txt") == "through")
        #expect(contents("part-5") == "mine too")
        #expect(contents("notes (1).txt") == "first")
        #expect(contents("notes (2).txt") == "second")
        #expect(contents("docs (1)") == "not a directory")
        #expect(contents("part-5 (1)") == "unnamed")
        #expect(opened.standardOutput.contains("saved       \(inbox)/notes (2).txt"))
        #expect(opened.standardError.contains("note: part 2 saved as \(inbox)/notes (1).txt: 'notes.txt' is taken"))
        let entries = try FileManager.default.contentsOfDirectory(atPath: inbox).sorted()
        #expect(
            entries
                == [
                    "docs", "docs (1)", "link (1).txt", "link.txt", "notes (1).txt", "notes (2).txt", "notes.txt",
                    "part-5", "part-5 (1)",
                ].sorted())
    }

    @Test(
        "msg-reader-files: '.', '..', '.bashrc' and 255-byte names are saved under safe names, and the command says so")
    func awkwardNames() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        let mallory = try HostileSender(runner)
        let inbox = runner.path("inbox")
        let long = String(repeating: "a", count: 251) + ".txt"
        let wide = String(repeating: "é", count: 125) + ".pdf"  // 254 bytes: two-byte characters
        let (envelope, _) = try await mallory.seal(parts: [
            HostileSender.file(".", [1]), HostileSender.file("..", [2]), HostileSender.file(".bashrc", [3]),
            HostileSender.file(long, [4]), HostileSender.file(long, [5]), HostileSender.file(wide, [6]),
            HostileSender.file(wide, [7]), HostileSender.file("report\u{2028}.pdf", [8]),
        ])
        let opened = try mallory.open(envelope, ["--out", inbox])
        #expect(opened.status == 0, "\(opened.standardError)")
        func bytes(_ name: String) -> [UInt8]? {
            (try? Data(contentsOf: URL(fileURLWithPath: inbox + "/" + name))).map(Array.init)
        }
        #expect(bytes("part-1") == [1])
        #expect(bytes("part-2") == [2])
        #expect(bytes("_.bashrc") == [3])
        #expect(!FileManager.default.fileExists(atPath: runner.path(".bashrc")))
        #expect(bytes(long) == [4])
        // " (1)" does not fit in 255 bytes: the name is cut, keeping ".txt".
        let shortened = String(repeating: "a", count: 247) + " (1).txt"
        #expect(shortened.utf8.count == 255 && bytes(shortened) == [5])
        #expect(bytes(wide) == [6])
        // Cut on a character boundary: 123 two-byte characters, " (1).pdf".
        let wideShortened = String(repeating: "é", count: 123) + " (1).pdf"
        #expect(wideShortened.utf8.count == 254 && bytes(wideShortened) == [7])
        // A line separator is shown escaped and saved as "_".
        #expect(bytes("report_.pdf") == [8])
        #expect(opened.standardOutput.contains(#"part 8      application/octet-stream, 1 bytes, report\u{2028}.pdf"#))
        #expect(opened.standardError.contains("it holds characters that are not shown as themselves"))
        #expect(opened.standardError.contains("note: part 1 saved as \(inbox)/part-1: '.' names a directory"))
        #expect(
            opened.standardError.contains(
                "note: part 3 saved as \(inbox)/_.bashrc: a leading '.' would make a hidden file"))
        #expect(opened.standardError.contains("the name is longer than 255 bytes"))
        #expect(!opened.standardError.contains("Error:"))
        let entries = try FileManager.default.contentsOfDirectory(atPath: inbox)
        #expect(entries.count == 8 && !entries.contains { $0.hasPrefix(".") })
    }

    @Test("msg-reader-files: a --out that cannot be a directory is 'error: cannot-create' with status 73")
    func outIsAFile() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        let mallory = try HostileSender(runner)
        try Data("a file".utf8).write(to: URL(fileURLWithPath: runner.path("plain")))
        let (envelope, _) = try await mallory.seal(parts: [HostileSender.file("x.bin", [1])])
        let opened = try mallory.open(envelope, ["--out", runner.path("plain")])
        #expect(opened.status == 73)
        #expect(opened.standardError.hasPrefix("error: cannot-create: "), "\(opened.standardError)")
        #expect(!opened.standardError.contains("Error:"))
    }

    // MARK: all parts or nothing (Spec: messages.md#msg-reader-partial)

    @Test("msg-reader-partial: when part 2 fails, nothing of part 1 is saved or printed, and the status is 65")
    func allOrNothing() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        let mallory = try HostileSender(runner)
        let attachment = (0..<(1 << 20) + 100).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let (envelope, parts) = try await mallory.seal(parts: [
            .text("the secret plan"), HostileSender.file("plan.bin", attachment),
        ])
        // Damage the attachment's last chunk in the store.
        let chunk = mallory.store.path(of: parts[1].chunks[1])
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: chunk)))
        bytes[0] ^= 1
        unlink(chunk)
        try Data(bytes).write(to: URL(fileURLWithPath: chunk))

        let inbox = runner.path("inbox")
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: inbox + "/part-1"))
        let saved = try mallory.open(envelope, ["--out", inbox])
        #expect(saved.status == 65)
        #expect(saved.standardError.contains("error: authentication-failed: part 2: "), "\(saved.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox) == ["part-1"], "no temporary, no part")
        #expect(try Data(contentsOf: URL(fileURLWithPath: inbox + "/part-1")) == Data("keep".utf8))

        // Without --out the attachment is fetched too: the corrupt part fails the command, and
        // the text, although it authenticated, is not printed.
        let printed = try mallory.open(envelope)
        #expect(printed.status == 65)
        #expect(printed.standardError.contains("error: authentication-failed: part 2: "))
        #expect(!printed.standardOutput.contains("the secret plan"))
        #expect(!printed.standardOutput.contains("part 1"))
    }

    @Test("msg-reader-partial: without --out, every part is authenticated and listed; text is shown after '| '")
    func listsEveryPart() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        let mallory = try HostileSender(runner)
        let (envelope, _) = try await mallory.seal(parts: [.text("hello"), HostileSender.file("a.bin", [1, 2, 3])])
        let opened = try mallory.open(envelope)
        #expect(opened.status == 0, "\(opened.standardError)")
        #expect(opened.standardOutput.contains("| hello\n"))
        #expect(opened.standardOutput.contains("part 2      application/octet-stream, 3 bytes, a.bin\n"))
        #expect(opened.standardOutput.contains("authenticated, not shown: save it with --out DIR"))
        let help = try runner.run(["open", "--help"]).standardOutput.split(whereSeparator: \.isWhitespace)
            .joined(separator: " ")
        #expect(help.contains("An existing file is never replaced"))
        #expect(help.contains("if one part fails, nothing of any part is printed or saved"))
    }

    // MARK: limits before allocation (Spec: messages.md#msg-limits)

    @Test("msg-limits: a sparse 2 GiB envelope or identity file is limits-exceeded within 64 MiB of memory")
    func sparseEnvelope() throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        #expect(try runner.run(["identity", "create", "bob@example.net", "-o", runner.path("bob")]).status == 0)
        let store = try DirectoryBlobStore(root: runner.path("store"))
        let envelope = ContentIdentifier.hashing(Array("no such envelope".utf8), context: .blob)
        let path = store.path(of: envelope)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        for file in [path, runner.path("huge.identity")] {
            let descriptor = open(file, O_WRONLY | O_CREAT, 0o600)
            #expect(descriptor >= 0 && ftruncate(descriptor, 2 << 30) == 0)
            close(descriptor)
        }
        // Reading either file whole would need 2 GiB; the command is given 64 MiB.
        for identity in ["bob", "huge.identity"] {
            let result = try runner.run(
                [
                    "open", "--as", runner.path(identity), "--store", runner.path("store"),
                    envelope.text(kind: .blob), "--no-trust",
                ],
                memoryLimit: 64 << 20)
            #expect(result.status == 65, "\(result.standardError)")
            #expect(result.standardError.hasPrefix("error: limits-exceeded: "), "\(result.standardError)")
        }
    }

    // MARK: secret files (Spec: identities.md#secret-mode)

    @Test("secret-mode: a secret identity file that others can read gets a warning naming the file and the fix")
    func readableSecret() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        let mallory = try HostileSender(runner)
        let (envelope, _) = try await mallory.seal(parts: [.text("hi")])
        let quiet = try mallory.open(envelope, ["--no-trust"])
        #expect(quiet.status == 0 && !quiet.standardError.contains("warning"))
        for (mode, who) in [(0o644, "every user"), (0o640, "its group")] {
            #expect(chmod(runner.path("bob"), mode_t(mode)) == 0)
            let opened = try mallory.open(envelope, ["--no-trust"])
            #expect(opened.status == 0)
            #expect(opened.standardError.contains("warning: \(runner.path("bob")) holds a secret key"))
            #expect(opened.standardError.contains("can be read by \(who)"))
            #expect(opened.standardError.contains("chmod 600 \(runner.path("bob"))"))
        }
    }
}
