import Foundation
import Testing

/// A database of its own on the tests' PostgreSQL (DIALOGUE_TEST_POSTGRES_URL, from
/// `scripts/postgres-for-tests.sh start`) for the `dialogued` processes of one test, made and dropped
/// with `psql`, which also reads what the processes stored.
///
/// Without the URL the tests that need it are skipped, saying so, unless DIALOGUE_REQUIRE_POSTGRES=1
/// (CI), where they fail.
struct TestPostgres {
    /// The tests' PostgreSQL server, from DIALOGUE_TEST_POSTGRES_URL.
    static let serverURL: String? = ProcessInfo.processInfo.environment["DIALOGUE_TEST_POSTGRES_URL"]
        .flatMap { $0.isEmpty ? nil : $0 }
    /// Whether CI expects PostgreSQL (DIALOGUE_REQUIRE_POSTGRES=1), so that its absence fails.
    static let required = ProcessInfo.processInfo.environment["DIALOGUE_REQUIRE_POSTGRES"] == "1"
    /// Whether the tests that need PostgreSQL run (and then fail without it when it is required).
    static let enabled = serverURL != nil || required
    /// Why they are skipped.
    static let skipReason: Comment =
        "DIALOGUE_TEST_POSTGRES_URL is not set: the tests of dialogued on PostgreSQL are skipped (scripts/postgres-for-tests.sh start)"

    /// The new database's URL, for `databaseURL`.
    let url: String
    private let server: String
    private let name: String

    /// Creates an empty database.
    init() throws {
        guard let server = Self.serverURL else {
            throw ProcessFailure("DIALOGUE_REQUIRE_POSTGRES=1 but DIALOGUE_TEST_POSTGRES_URL is not set")
        }
        guard let slash = server.lastIndex(of: "/") else { throw ProcessFailure("not a database URL: \(server)") }
        self.server = server
        name = "dialogued_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        url = server[..<slash] + "/" + name
        _ = try Self.psql(server, "CREATE DATABASE \(name)")
    }

    /// Drops the database (its processes must be stopped).
    func drop() { _ = try? Self.psql(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }

    /// The rows of `sql` in this database, each a list of its columns.
    func query(_ sql: String) throws -> [[String]] {
        try Self.psql(url, sql).split(separator: "\n").map {
            $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        }
    }

    private static func psql(_ url: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", url, "-c", sql]
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problem = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ProcessFailure("psql \(sql): \(problem)") }
        return text
    }
}
