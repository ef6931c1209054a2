import Foundation
import Testing

/// The command reports the library's typed storage errors with their reasons.
@Suite("library errors at the command line")
struct LibraryErrorTests {
    @Test("secret-mode: identity create goes through the library's writer: 0600, and never over a file")
    func secretFile() throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        try Data("keep".utf8).write(to: URL(fileURLWithPath: runner.path("taken")))
        let refused = try runner.run(["identity", "create", "alice@example.org", "-o", runner.path("taken")])
        #expect(refused.status == 73)
        #expect(
            refused.standardError
                == "error: cannot-create: \(runner.path("taken")) already exists; it is not replaced\n")
        #expect(try String(contentsOfFile: runner.path("taken"), encoding: .utf8) == "keep")
        let missing = try runner.run(["identity", "create", "alice@example.org", "-o", runner.path("absent/alice")])
        #expect(missing.status == 73 && missing.standardError.hasPrefix("error: cannot-create: cannot create "))
    }

    @Test("a --store that is a file is named as one, with status 73")
    func storeIsAFile() throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        #expect(try runner.run(["identity", "create", "bob@example.net", "-o", runner.path("bob")]).status == 0)
        try Data("not a store".utf8).write(to: URL(fileURLWithPath: runner.path("store")))
        let result = try runner.run([
            "seal", "--from", runner.path("bob"), "--to", runner.path("bob.card"), "--store", runner.path("store"),
            "--text", "hi",
        ])
        #expect(result.status == 73)
        #expect(result.standardError == "error: cannot-create: \(runner.path("store")) exists and is not a directory\n")
    }
}
