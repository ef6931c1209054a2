import DialogueMessages
import Foundation

/// The root package's `dialogue` command, run as a process against real servers: `$DIALOGUE` if set
/// (scripts/test.sh sets it), else the debug build at the repository's root (`swift build --product
/// dialogue`). Accounts are the users of a ``MailClientTests/World``, imported into homes of their own.
enum DialogueCommand {
    static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["DIALOGUE"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        // Server/Tests/DialogueServerTests/DialogueCommand.swift: four levels below the root.
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { root = root.deletingLastPathComponent() }
        return root.appendingPathComponent(".build/debug/dialogue")
    }

    /// Fails with what to do when the command is not built.
    static func requireBuilt() throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw ProcessFailure(
                "no dialogue command at \(executable.path): run 'swift build --product dialogue' at the root, or set DIALOGUE"
            )
        }
    }

    /// Runs `dialogue ARGUMENTS` to its end.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> DialoguedCommandTests.Result {
        try DialoguedCommandTests().run(arguments, environment: environment, executable: executable)
    }

    /// Starts `dialogue ARGUMENTS` with its standard output and error going to the file `output`.
    static func start(_ arguments: [String], output: String) throws -> Process {
        FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }
}

extension MailClientTests.World {
    /// A `dialogue` account home for user `index`, which imports the user's identity (so the servers
    /// already serve its card) with a peers file naming the three servers.
    func commandHome(_ index: Int, autoAck: String = "keep") throws -> String {
        try DialogueCommand.requireBuilt()
        let directory = try MailClientTests.temporaryDirectory()
        let peersPath = directory + "/peers.txt"
        try Data(try servers.map { try $0.peersLine }.joined(separator: "\n").utf8).write(
            to: URL(fileURLWithPath: peersPath))
        let secret = directory + "/imported.identity"
        FileManager.default.createFile(
            atPath: secret, contents: Data(try SecretIdentityFile.encode(users[index])),
            attributes: [.posixPermissions: 0o600])
        let home = directory + "/home"
        let imported = try DialogueCommand.run([
            "account", "import", users[index].card.addresses[0].text, "--server", servers[index].baseURL,
            "--identity", secret, "--peers", peersPath, "--auto-ack", autoAck, "--home", home,
        ])
        guard imported.status == 0, imported.output.contains("registered: the server serves this card") else {
            throw ProcessFailure("dialogue account import: \(imported.output) \(imported.error)")
        }
        return home
    }
}
