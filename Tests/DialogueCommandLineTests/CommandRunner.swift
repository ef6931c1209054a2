import Foundation

/// Runs the built `dialogue` executable, as a user or another tool would.
struct CommandRunner {
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The `dialogue` binary next to the test bundle.
    static let executable: URL = {
        let testBinary = URL(
            fileURLWithPath: try! FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        var directory = testBinary.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("dialogue").path),
            directory.path != "/"
        {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("dialogue")
    }()

    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dialogue-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    @discardableResult
    func run(
        _ arguments: [String], input: [UInt8] = [], environment: [String: String] = [:],
        executable: URL = CommandRunner.executable, prefix: [String] = []
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = prefix + arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DIALOGUE_PASSPHRASE")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, standardOutput: String(decoding: out, as: UTF8.self),
            standardError: String(decoding: err, as: UTF8.self)
        )
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }
}

extension CommandRunner.Result {
    /// The second field of the first output line that starts with `label`.
    func value(_ label: String) -> String? {
        standardOutput.split(separator: "\n").first { $0.hasPrefix(label + " ") }?
            .split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.map(String.init)
    }
}

extension CommandRunner {
    /// Runs the command with its data size capped at `memoryLimit` bytes (`ulimit -d`, which
    /// bounds the heap and every private mapping): an allocation beyond it fails and the command
    /// crashes instead of exiting normally. A cap, not a measurement: the peak resident size that
    /// `wait4` reports for a child started by a large test process counts the parent's pages too.
    func run(_ arguments: [String], memoryLimit: Int) throws -> Result {
        let script = "ulimit -d \(memoryLimit >> 10) && exec \"$0\" \"$@\""
        return try run(
            arguments, executable: URL(fileURLWithPath: "/bin/sh"),
            prefix: ["-c", script, CommandRunner.executable.path])
    }
}
