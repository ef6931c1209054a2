import DialogueClient
import DialogueIdentifiers
import DialogueMessages
import Foundation
import Testing

/// The `dialogue` mail commands as processes against three real `dialogued` processes on loopback:
/// what the library tests cannot see (a killed process, a long-poll printed as it arrives, the editor).
@Suite(.serialized) struct MailCommandTests {
    @Test(
        "dlv-inbox-wait: 'dialogue sync --watch' long-polls and prints a message as soon as it arrives, saying a first contact is not yet verified"
    )
    func syncWatchPrintsMailAsItArrives() async throws {
        let world = try await MailClientTests.World()
        defer { world.remove() }
        let bobHome = try world.commandHome(1)
        let output = bobHome + "/watch.out"
        let watch = try DialogueCommand.start(["sync", "--watch", "--home", bobHome], output: output)
        defer { if watch.isRunning { watch.terminate() } }
        try await Task.sleep(for: .seconds(2))  // the first long-poll is now waiting on bob's server
        #expect(try String(contentsOfFile: output, encoding: .utf8).isEmpty)
        let alice = try world.client(0)
        defer { Task { await alice.shutdown() } }
        let sentAt = Date()
        _ = try await alice.send(Composition(to: [world.users[1].card.addresses[0]], subject: "Watched", text: "hi"))
        var printed = ""
        while !printed.contains("\n"), Date().timeIntervalSince(sentAt) < 15, watch.isRunning {
            try await Task.sleep(for: .milliseconds(50))
            printed = try String(contentsOfFile: output, encoding: .utf8)
        }
        let line = try #require(printed.split(separator: "\n").first.map(String.init), "nothing printed: \(printed)")
        #expect(line.hasPrefix("new #1 alice@a.test") && line.hasSuffix("Watched"), "\(line)")
        #expect(line.contains("[first message, not yet verified]"), "\(line)")
        // Printed well within the 60 s a long-poll waits: the server answered the waiting request.
        #expect(Date().timeIntervalSince(sentAt) < 10)
        // A long-poll, not a loop of short polls: one request answered, the next one waiting.
        #expect(world.servers[1].requests("GET", "/inbox", status: 200) <= 2)
        #expect(watch.isRunning, "--watch keeps waiting for more")
    }

    @Test(
        "dlv-ua-discovery, dlv-keep-before-ack: a 'dialogue read' killed mid-download resumes with only the missing chunks; auto-ack waits until everything is held and the home server keeps it"
    )
    func aKilledReadResumesWithTheMissingChunks() async throws {
        let world = try await MailClientTests.World()
        defer { world.remove() }
        let bobHome = try world.commandHome(1)
        let alice = try world.client(0)
        defer { Task { await alice.shutdown() } }
        let chunks = 64  // large enough that a fast client is still fetching when it is killed
        let (file, attachment) = try world.attachment(size: chunks * MessageLimits.chunkSize - 100)
        let sent = try await alice.send(
            Composition(
                to: [world.users[1].card.addresses[0]], subject: "Big", text: "A big one.",
                attachments: [Composition.attachment(path: file, fileName: "big.bin")]))
        let aliceServer = world.servers[0]
        let messageBlobs = aliceServer.blobFiles()  // the envelope and every chunk, stored once on alice's server
        #expect(messageBlobs.count == 2 + chunks)
        let synced = try DialogueCommand.run(["sync", "--wait", "20", "--home", bobHome])
        #expect(synced.status == 0 && synced.output.contains("new #1"), "\(synced.output) \(synced.error)")
        let total = 2 + chunks  // the envelope, the text's chunk, the attachment's chunks
        let getsBefore = aliceServer.requests("GET", "/blobs/{blob}", status: 200)

        // Killed (SIGKILL: no chance to clean up) once a few chunks came.
        let killed = try DialogueCommand.start(
            ["read", "1", "--out", bobHome + "/first", "--home", bobHome], output: bobHome + "/killed.out")
        let deadline = Date().addingTimeInterval(60)
        while killed.isRunning, aliceServer.requests("GET", "/blobs/{blob}", status: 200) - getsBefore < 3,
            Date() < deadline
        {
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(killed.isRunning, "the read finished before it could be killed")
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        // A GET in flight when the reader died is logged once the server finishes it: wait until the count settles.
        var getsAtKill = aliceServer.requests("GET", "/blobs/{blob}", status: 200)
        while true {
            try await Task.sleep(for: .milliseconds(500))
            let settled = aliceServer.requests("GET", "/blobs/{blob}", status: 200)
            if settled == getsAtKill { break }
            getsAtKill = settled
        }
        let store = try ClientStore(path: bobHome + "/client.sqlite")
        let held = try await store.blobCount()
        #expect(held >= 2 && held < total, "held \(held) of \(total) blobs when killed")
        #expect(!FileManager.default.fileExists(atPath: bobHome + "/first/big.bin"), "nothing half-written")

        // The rerun fetches exactly what the device lacks; auto-ack off: nothing is acknowledged.
        let rerun = try DialogueCommand.run(
            ["read", "1", "--out", bobHome + "/second", "--auto-ack", "off", "--home", bobHome])
        #expect(rerun.status == 0, "\(rerun.error)")
        #expect(aliceServer.requests("GET", "/blobs/{blob}", status: 200) - getsAtKill == total - held)
        #expect(try Data(contentsOf: URL(fileURLWithPath: bobHome + "/second/big.bin")) == Data(attachment))
        #expect(!rerun.output.contains("acknowledged"))
        #expect(rerun.output.contains("first message from alice@a.test, not yet verified"), "\(rerun.output)")
        #expect(rerun.output.contains("dialogue trust verify alice@a.test key-"), "\(rerun.output)")
        #expect(try await alice.status(sent.sent.number).deliveries.map(\.state) == ["notified"])

        // With the account's default (keep), reading it again acknowledges: everything is held, nothing fetched.
        let again = try DialogueCommand.run(["read", "1", "--part", "1", "--home", bobHome])
        #expect(again.status == 0, "\(again.error)")
        #expect(again.output.contains("acknowledged: this device holds all of it, and the home server keeps a copy"))
        let status = try await MailClientTests.World.statusOnceDeleted(sent.sent.number, of: alice)
        #expect(status.gone, "the sender's server deleted the message after the acknowledgement")
        // [dlv-keep-before-ack]: bob's server kept every blob before the acknowledgement went out.
        #expect(messageBlobs.isSubset(of: world.servers[1].blobFiles()))
    }

    @Test(
        "dialogue send: with no --text and a terminal on standard input, the body is written in $VISUAL (a 0600 file); an empty body sends nothing"
    )
    func sendTakesTheBodyFromTheEditor() async throws {
        let world = try await MailClientTests.World()
        defer { world.remove() }
        let aliceHome = try world.commandHome(0)
        let editor = aliceHome + "/editor.sh"
        try Data(
            """
            #!/bin/sh
            stat -c %a "$1" > "\(aliceHome)/mode"
            printf 'Written in the editor.\\n' > "$1"

            """.utf8
        ).write(to: URL(fileURLWithPath: editor))
        let emptying = aliceHome + "/empty.sh"
        try Data("#!/bin/sh\n: > \"$1\"\n".utf8).write(to: URL(fileURLWithPath: emptying))
        for script in [editor, emptying] { chmod(script, 0o700) }
        // util-linux script(1) gives the command a terminal on standard input, as a person at a terminal has.
        func sendAtTerminal(subject: String, visual: String) throws -> DialoguedCommandTests.Result {
            let command =
                "\(DialogueCommand.executable.path) send --to bob@b.test --subject \(subject) --home \(aliceHome)"
            return try DialoguedCommandTests().run(
                ["-qec", command, "/dev/null"], environment: ["VISUAL": visual, "EDITOR": "/bin/false"],
                executable: URL(fileURLWithPath: "/usr/bin/script"))
        }

        let sent = try sendAtTerminal(subject: "Edited", visual: editor)
        #expect(sent.status == 0, "\(sent.output) \(sent.error)")
        #expect(sent.output.contains("sent        #1"), "\(sent.output)")
        #expect(try String(contentsOfFile: aliceHome + "/mode", encoding: .utf8) == "600\n")
        let bob = try world.client(1)
        defer { Task { await bob.shutdown() } }
        let message = try await bob.open(try #require(try await bob.sync(wait: 20).first).number)
        #expect(try await bob.partReader(message, index: 0).readAll() == Array("Written in the editor.\n".utf8))

        let submissions = world.servers[0].requests("POST", "/submissions")
        let empty = try sendAtTerminal(subject: "Empty", visual: emptying)
        #expect(empty.status == 64)
        #expect(
            empty.output.contains("error: empty-message: the message is empty: nothing was sent"), "\(empty.output)")
        #expect(world.servers[0].requests("POST", "/submissions") == submissions)
        #expect(try await bob.sync(wait: 1).isEmpty)
    }
}
