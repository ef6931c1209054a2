import Foundation
import Testing

@Suite("dialogue command", .serialized)
struct CommandLineTests {
    @Test("cbor check prints diagnostic notation for valid input and exits 0")
    func cborCheckValid() throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        let raw = try runner.run(["cbor", "check"], input: [0xa2, 0x01, 0x02, 0x63, 0x61, 0x62, 0x63, 0x80])
        #expect(raw.status == 0)
        #expect(raw.standardOutput == "{1: 2, \"abc\": []}\n")
        let hex = try runner.run(["cbor", "check", "--hex"], input: Array("82 01 42 00 ff\n".utf8))
        #expect(hex.status == 0)
        #expect(hex.standardOutput == "[1, h'00ff']\n")
    }

    @Test(
        "cbor check rejects with 'error: <code>: <reason>' and exit 65",
        arguments: [
            ("a2030401 02", "unsorted-map-keys"),
            ("1817", "non-shortest-form"),
            ("9f01ff", "indefinite-length"),
            ("f93c00", "type-not-allowed"),
            ("0102", "trailing-bytes"),
            ("43 0102", "truncated"),
            ("62 c328", "invalid-utf8"),
            ("a2 0101 0102", "duplicate-map-key"),
            ("zz", "invalid-hex"),
        ])
    func cborCheckInvalid(hex: String, code: String) throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        let result = try runner.run(["cbor", "check", "--hex"], input: Array(hex.utf8))
        #expect(result.status == 65)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.hasPrefix("error: \(code): "), "\(result.standardError)")
    }

    @Test("cbor encode prints canonical hex; keys are sorted")
    func cborEncode() throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        let result = try runner.run(["cbor", "encode", "{\"a\": 1, 10: [-1, h'00', false, null]}"])
        #expect(result.status == 0)
        #expect(result.standardOutput == "a20a84204100f4f6616101\n")
        let bad = try runner.run(["cbor", "encode", "1.5"])
        #expect(bad.status == 65)
        #expect(bad.standardError.hasPrefix("error: "))
    }

    @Test("hash prints the blob identifier of a file and of standard input")
    func hash() throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        let empty = try runner.run(["hash"])
        #expect(empty.standardOutput == "blob-aei333vosise7xmygrkxmcmckps4sxn6yzjlw5viptbrjnek5vu7c\n")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: runner.path("hello.txt")))
        let file = try runner.run(["hash", runner.path("hello.txt")])
        let stdin = try runner.run(["hash"], input: Array("hello".utf8))
        #expect(file.status == 0 && file.standardOutput == stdin.standardOutput)
        let missing = try runner.run(["hash", runner.path("missing")])
        #expect(missing.status == 66)
    }

    @Test("identity create, seal, open and reply work end to end")
    func endToEnd() throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        #expect(try runner.run(["identity", "create", "alice@example.org", "-o", runner.path("alice")]).status == 0)
        #expect(try runner.run(["identity", "create", "Bob@Example.NET", "-o", runner.path("bob")]).status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: runner.path("alice"))
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let show = try runner.run(["identity", "show", runner.path("bob.card")])
        #expect(show.standardOutput.contains("address  bob@example.net"))
        // Refuses to overwrite an identity.
        let again = try runner.run(["identity", "create", "alice@example.org", "-o", runner.path("alice")])
        #expect(again.status == 73)

        let attachment = (0..<(2 << 20) + 3).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try Data(attachment).write(to: URL(fileURLWithPath: runner.path("data.bin")))
        let sealed = try runner.run([
            "seal", "--from", runner.path("alice"), "--to", runner.path("bob.card"), "--store", runner.path("store"),
            "--subject", "Hello", "--text", "Hi Bob", "--attach", runner.path("data.bin"),
        ])
        #expect(sealed.status == 0, "\(sealed.standardError)")
        let envelope = try #require(sealed.value("envelope"))
        let messageID = try #require(sealed.value("message"))

        let opened = try runner.run([
            "open", "--as", runner.path("bob"), "--store", runner.path("store"), envelope, "--out",
            runner.path("inbox"),
        ])
        #expect(opened.status == 0, "\(opened.standardError)")
        #expect(opened.value("message") == messageID)
        #expect(opened.standardOutput.contains("subject     Hello"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: runner.path("inbox/data.bin"))) == Data(attachment))

        let notRecipient = try runner.run([
            "open", "--as", runner.path("alice"), "--store", runner.path("store"), envelope,
        ])
        #expect(notRecipient.status == 65)
        #expect(notRecipient.standardError.hasPrefix("error: not-a-recipient: "))
        #expect(notRecipient.standardOutput.isEmpty)

        let reply = try runner.run([
            "reply", "--as", runner.path("bob"), "--store", runner.path("store"), envelope, "--text", "Thanks",
        ])
        #expect(reply.status == 0, "\(reply.standardError)")
        let replyEnvelope = try #require(reply.value("envelope"))
        let openedReply = try runner.run([
            "open", "--as", runner.path("alice"), "--store", runner.path("store"), replyEnvelope,
        ])
        #expect(openedReply.value("in-reply-to") == messageID)
        #expect(openedReply.standardOutput.contains("subject     Re: Hello"))
        #expect(openedReply.standardOutput.contains("Thanks"))
    }

    @Test("a passphrase-sealed identity needs the passphrase; a wrong one is refused clearly")
    func passphrase() throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        let created = try runner.run(
            ["identity", "create", "carol@example.org", "-o", runner.path("carol")],
            environment: ["DIALOGUE_PASSPHRASE": "correct horse"]
        )
        #expect(created.status == 0)
        let bob = try runner.run(["identity", "create", "bob@example.org", "-o", runner.path("bob")])
        #expect(bob.status == 0)
        let arguments = [
            "seal", "--from", runner.path("carol"), "--to", runner.path("bob.card"), "--store", runner.path("s"),
            "--text", "x",
        ]
        let missing = try runner.run(arguments)
        #expect(missing.status == 65 && missing.standardError.hasPrefix("error: passphrase-needed: "))
        let wrong = try runner.run(arguments, environment: ["DIALOGUE_PASSPHRASE": "wrong"])
        #expect(wrong.status == 65 && wrong.standardError.contains("wrong passphrase"))
        let right = try runner.run(arguments, environment: ["DIALOGUE_PASSPHRASE": "correct horse"])
        #expect(right.status == 0, "\(right.standardError)")
    }

    @Test("mistakes get clear errors: missing recipient, unknown envelope, bad identifier, damaged card")
    func mistakes() throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        try runner.run(["identity", "create", "dan@example.org", "-o", runner.path("dan")])
        let noRecipient = try runner.run([
            "seal", "--from", runner.path("dan"), "--store", runner.path("s"), "--text", "x",
        ])
        #expect(noRecipient.status == 64)
        #expect(noRecipient.standardError.contains("at least one recipient"))
        let badID = try runner.run(["open", "--as", runner.path("dan"), "--store", runner.path("s"), "blob-xyz"])
        #expect(badID.status == 65 && badID.standardError.hasPrefix("error: "))
        let absent = "blob-aei333vosise7xmygrkxmcmckps4sxn6yzjlw5viptbrjnek5vu7c"
        let unknown = try runner.run(["open", "--as", runner.path("dan"), "--store", runner.path("s"), absent])
        #expect(unknown.status == 66)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: runner.path("junk.card")))
        let junk = try runner.run([
            "seal", "--from", runner.path("dan"), "--to", runner.path("junk.card"), "--store", runner.path("s"),
            "--text", "x",
        ])
        #expect(junk.status == 65 && junk.standardError.hasPrefix("error: malformed: "))
        let badAddress = try runner.run(["identity", "create", "not an address", "-o", runner.path("x")])
        #expect(badAddress.status == 65 && badAddress.standardError.hasPrefix("error: invalid-address: "))
    }
}
