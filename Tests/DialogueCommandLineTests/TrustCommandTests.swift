import Foundation
import Testing

@Suite("dialogue trust and key changes", .serialized)
struct TrustCommandTests {
    /// Seals `text` from `from` to `to` and returns the envelope identifier.
    func seal(_ runner: CommandRunner, from: String, to: String, text: String, extra: [String] = []) throws -> String {
        let sealed = try runner.run(
            [
                "seal", "--from", runner.path(from), "--to", runner.path(to), "--store", runner.path("store"), "--text",
                text,
            ]
                + extra
        )
        #expect(sealed.status == 0, "\(sealed.standardError)")
        return try #require(sealed.value("envelope"))
    }

    func open(_ runner: CommandRunner, as identity: String, _ envelope: String) throws -> CommandRunner.Result {
        try runner.run(["open", "--as", runner.path(identity), "--store", runner.path("store"), envelope])
    }

    @Test("open prints the verdict; verify, safety-number, rotate, accept-change, withdraw, block work end to end")
    func trustFlow() throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        try runner.run(["identity", "create", "alice@example.org", "-o", runner.path("alice")])
        try runner.run(["identity", "create", "bob@example.net", "-o", runner.path("bob")])
        let first = try open(runner, as: "bob", try seal(runner, from: "alice", to: "bob.card", text: "hello"))
        #expect(first.status == 0)
        #expect(first.value("trust") == "first-contact")
        #expect(first.standardOutput.contains("not yet authenticated"))
        #expect(first.standardError.isEmpty)
        #expect(FileManager.default.fileExists(atPath: runner.path("bob.trust.sqlite")))
        #expect(FileManager.default.fileExists(atPath: runner.path("bob.trust-id")))

        let list = try runner.run(["trust", "list", "--as", runner.path("bob")])
        #expect(list.standardOutput.hasPrefix("pinned"))
        #expect(list.standardOutput.contains("alice@example.org"))
        let show = try runner.run(["trust", "show", "--as", runner.path("bob"), "Alice@Example.org"])
        #expect(show.status == 0 && show.value("state") == "pinned")
        let fingerprint = try #require(show.value("key"))

        let number = try runner.run(["trust", "safety-number", "--as", runner.path("bob"), "alice@example.org"])
        #expect(number.status == 0)
        let lines = number.standardOutput.split(separator: "\n")
        #expect(lines.prefix(3).allSatisfy { $0.split(separator: " ").count == 4 })
        #expect(number.value("payload")?.hasPrefix("dialogue-verify:1/") == true)
        // Alice sees the same 60 digits from her side.
        #expect(
            try open(runner, as: "alice", try seal(runner, from: "bob", to: "alice.card", text: "hi back")).status == 0)
        let mirrored = try runner.run(["trust", "safety-number", "--as", runner.path("alice"), "bob@example.net"])
        #expect(mirrored.standardOutput.split(separator: "\n").prefix(3) == lines.prefix(3))

        let bobKey = try #require(try runner.run(["identity", "show", runner.path("bob.card")]).value("key"))
        let wrong = try runner.run(["trust", "verify", "--as", runner.path("bob"), "alice@example.org", bobKey])
        #expect(wrong.status == 65 && wrong.standardError.hasPrefix("error: outdated-fingerprint: "))
        let verified = try runner.run(["trust", "verify", "--as", runner.path("bob"), "alice@example.org", fingerprint])
        #expect(verified.status == 0, "\(verified.standardError)")
        #expect(
            try open(runner, as: "bob", try seal(runner, from: "alice", to: "bob.card", text: "2")).value("trust")
                == "verified")

        // Alice rotates: her next message carries the statement; Bob sees a quiet notice.
        let rotated = try runner.run([
            "identity", "rotate", "--identity", runner.path("alice"), "-o", runner.path("alice2"),
        ])
        #expect(rotated.status == 0 && rotated.value("sequence") == "1")
        let afterRotation = try open(
            runner, as: "bob", try seal(runner, from: "alice2", to: "bob.card", text: "new key"))
        #expect(afterRotation.value("trust") == "rotated")
        #expect(afterRotation.standardError.isEmpty)
        // A second rotation continues the chain.
        let again = try runner.run([
            "identity", "rotate", "--identity", runner.path("alice2"), "-o", runner.path("alice3"),
        ])
        #expect(again.value("sequence") == "2")
        #expect(
            try open(runner, as: "bob", try seal(runner, from: "alice3", to: "bob.card", text: "3")).value("trust")
                == "rotated")
        // The superseded key alarms, loudly, on standard error; the message is still shown.
        let old = try open(runner, as: "bob", try seal(runner, from: "alice", to: "bob.card", text: "from the old key"))
        #expect(old.status == 0 && old.value("trust") == "superseded-key")
        #expect(old.standardError.contains("TRUST ALARM (superseded-key)"))
        #expect(old.standardOutput.contains("from the old key"))

        // Someone else claims alice@example.org: alarm, pin kept, until accept-change.
        try runner.run(["identity", "create", "alice@example.org", "-o", runner.path("other")])
        let impostor = try open(runner, as: "bob", try seal(runner, from: "other", to: "bob.card", text: "pay me"))
        #expect(impostor.status == 0 && impostor.value("trust") == "key-changed")
        #expect(impostor.standardError.contains("TRUST ALARM (key-changed): alice@example.org"))
        #expect(
            try runner.run(["trust", "list", "--as", runner.path("bob")]).standardOutput.contains("key-change-pending"))
        let accepted = try runner.run(["trust", "accept-change", "--as", runner.path("bob"), "alice@example.org"])
        #expect(accepted.status == 0)
        let noChange = try runner.run(["trust", "accept-change", "--as", runner.path("bob"), "alice@example.org"])
        #expect(noChange.status == 65 && noChange.standardError.hasPrefix("error: no-key-change: "))
        let notVerified = try runner.run(["trust", "withdraw", "--as", runner.path("bob"), "alice@example.org"])
        #expect(notVerified.standardError.hasPrefix("error: not-verified: "))

        #expect(try runner.run(["trust", "block", "--as", runner.path("bob"), "alice@example.org"]).status == 0)
        #expect(
            try open(runner, as: "bob", try seal(runner, from: "other", to: "bob.card", text: "x")).value("trust")
                == "blocked")
        #expect(try runner.run(["trust", "unblock", "--as", runner.path("bob"), "alice@example.org"]).status == 0)
        let check = try runner.run(["trust", "check", "--as", runner.path("bob")])
        #expect(check.status == 0 && check.standardOutput.hasSuffix("ok\n"))
    }

    @Test("identity revoke makes a statement that revokes the key for its contacts")
    func revoke() throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        try runner.run(["identity", "create", "carol@example.org", "-o", runner.path("carol")])
        try runner.run(["identity", "create", "dan@example.org", "-o", runner.path("dan")])
        #expect(try open(runner, as: "dan", try seal(runner, from: "carol", to: "dan.card", text: "hi")).status == 0)
        let revoked = try runner.run([
            "identity", "revoke", "--identity", runner.path("carol"), "--reason", "phone lost",
        ])
        #expect(revoked.status == 0 && revoked.value("revocation") == runner.path("carol.revocation"))
        let applied = try runner.run(["trust", "apply", "--as", runner.path("dan"), runner.path("carol.revocation")])
        #expect(applied.status == 0 && applied.standardOutput.contains("revoked by its holder"))
        let after = try open(runner, as: "dan", try seal(runner, from: "carol", to: "dan.card", text: "still me?"))
        #expect(after.value("trust") == "revoked" && after.standardError.contains("phone lost"))
        let junk = try runner.run([
            "seal", "--from", runner.path("carol"), "--to", runner.path("dan.card"), "--store", runner.path("store"),
            "--statement", runner.path("carol.card"),
        ])
        #expect(junk.status == 65 && junk.standardError.contains("not a valid statement"))
    }

    @Test("a deleted or replaced trust store is reported, not silently re-created")
    func lostStore() throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        try runner.run(["identity", "create", "erin@example.org", "-o", runner.path("erin")])
        try runner.run(["identity", "create", "fred@example.org", "-o", runner.path("fred")])
        let envelope = try seal(runner, from: "erin", to: "fred.card", text: "hi")
        #expect(try open(runner, as: "fred", envelope).status == 0)
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: runner.path("fred.trust.sqlite" + suffix))
        }
        let lost = try open(runner, as: "fred", envelope)
        #expect(lost.status == 65 && lost.standardError.hasPrefix("error: trust-store-lost: "))
        #expect(lost.standardOutput.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: runner.path("fred.trust.sqlite")))
        #expect(lost.standardError.contains("--no-trust"))
        let unjudged = try runner.run([
            "open", "--as", runner.path("fred"), "--store", runner.path("store"), envelope, "--no-trust",
        ])
        #expect(unjudged.status == 0 && unjudged.value("trust") == "not-checked")
        #expect(!FileManager.default.fileExists(atPath: runner.path("fred.trust.sqlite")))
        let listed = try runner.run(["trust", "list", "--as", runner.path("fred")])
        #expect(listed.standardError.hasPrefix("error: trust-store-lost: "))
        // Another store in its place is a replacement.
        #expect(try runner.run(["trust", "list", "--trust-store", runner.path("fred.trust.sqlite")]).status == 0)
        let replaced = try runner.run(["trust", "list", "--as", runner.path("fred")])
        #expect(replaced.standardError.hasPrefix("error: trust-store-replaced: "))
        // Garbage in place of the store.
        try Data(repeating: 7, count: 5000).write(to: URL(fileURLWithPath: runner.path("junk.sqlite")))
        let corrupted = try runner.run(["trust", "list", "--trust-store", runner.path("junk.sqlite")])
        #expect(corrupted.status == 65 && corrupted.standardError.hasPrefix("error: trust-store-corrupted: "))
    }

    @Test("every trust command has help, and mistakes get clear errors")
    func helpAndMistakes() throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        for command in [
            ["trust"], ["trust", "list"], ["trust", "show"], ["trust", "verify"], ["trust", "accept-change"],
            ["trust", "withdraw"], ["trust", "block"], ["trust", "unblock"], ["trust", "safety-number"],
            ["trust", "apply"], ["trust", "check"], ["identity", "rotate"], ["identity", "revoke"],
        ] {
            let help = try runner.run(command + ["--help"])
            #expect(help.status == 0 && help.standardOutput.contains("USAGE"), "\(command)")
        }
        let noTarget = try runner.run(["trust", "list"])
        #expect(noTarget.status == 64 && noTarget.standardError.contains("--as IDENTITY or --trust-store PATH"))
        let badAddress = try runner.run(["trust", "show", "--trust-store", runner.path("t.sqlite"), "not an address"])
        #expect(badAddress.standardError.hasPrefix("error: invalid-address: "))
        let unknown = try runner.run(["trust", "show", "--trust-store", runner.path("t.sqlite"), "nobody@example.org"])
        #expect(unknown.status == 66 && unknown.standardError.hasPrefix("error: unknown-address: "))
        let badFingerprint = try runner.run([
            "trust", "verify", "--trust-store", runner.path("t.sqlite"), "a@b", "key-zz",
        ])
        #expect(badFingerprint.status == 65 && badFingerprint.standardError.hasPrefix("error: "))
    }
}
