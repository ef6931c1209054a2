import ArgumentParser
import DialogueConformance
import DialogueServerConformance
import Foundation

/// `dialogue conformance`: replay the test vectors against the Swift library or any
/// implementation behind an adapter (Spec: conformance.md#conf-runner).
struct ConformanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Run the test vectors against the Swift library or an adapter, or check a server.",
        discussion: """
            Prints one line per failure (vector id, expected and actual result, spec anchors) and closes with \
            'N passed, N failed, N skipped'. Exits 0 only when nothing failed.

            With --server, checks a delivery server over HTTP instead (Spec: conformance.md#conf-server-suite): \
            first 'dialogue conformance --prepare-server DIR --domain example.org' writes four test accounts (two users, two lists) and \
            a peer server entry, and prints how to register them; then 'dialogue conformance --server \
            http://127.0.0.1:8080/dialogue/v1 --credentials DIR' runs every check, one line per failing check \
            with its spec anchor.
            """
    )

    @Option(name: .long, help: "The command that starts an adapter (JSON Lines on standard input and output).")
    var adapter: String?

    @Option(name: .long, help: "The directory of vector files.")
    var vectors = "TestVectors"

    @Option(name: .long, help: "Only this vector file (e.g. card_verify) or operation (card.verify); repeatable.")
    var file: [String] = []

    @Option(name: .long, help: "Only this vector id; repeatable.")
    var id: [String] = []

    @Option(name: .long, help: "Only vectors with this flag; repeatable.")
    var flag: [String] = []

    @Option(name: .long, help: "A JSON object mapping the adapter's error names to error classes.")
    var errorMap: String?

    @Option(name: .long, help: "A JSON object mapping vector ids (or prefixes ending in *) to a reason to skip them.")
    var skip: String?

    @Option(name: .long, help: "Seconds to wait for each response.")
    var timeout: Double = 10

    @Option(name: .long, help: "Write a JSON report to this file.")
    var json: String?

    @Option(name: .long, help: "Write a JUnit XML report to this file.")
    var junit: String?

    @Flag(name: .long, help: "Also print a line for each skipped vector, or each passing server check.")
    var verbose = false

    @Option(name: .long, help: "Check the delivery server at this base URL (with --credentials).")
    var server: String?

    @Option(name: .long, help: "The directory that --prepare-server wrote.")
    var credentials: String?

    @Option(name: .long, help: "Write server-suite credentials into this new directory and say how to register them.")
    var prepareServer: String?

    @Option(name: .long, help: "With --prepare-server: the domain of the server to check.")
    var domain: String?

    @Option(name: .long, help: "With --prepare-server: the loopback port of the suite's peer server (default 47025).")
    var peerPort = 47025

    func run() async throws {
        if let prepareServer {
            return try prepare(prepareServer, domain: domain)
        }
        if let server {
            return try await checkServer(server, credentials: credentials)
        }
        let files: [VectorFile]
        do {
            files = try VectorGenerator.load(from: vectors)
        } catch {
            throw fail("no-vectors", "cannot read the vectors in \(vectors): \(error)", status: ExitStatus.noInput)
        }
        var options = RunnerOptions()
        options.files = file
        options.ids = id
        options.flags = flag
        options.skipList = try stringMap(skip, "skip list")
        let target: any ConformanceTarget
        if let adapter {
            target = AdapterTarget(command: adapter, timeout: timeout, errorMap: try stringMap(errorMap, "error map"))
        } else {
            target = ReferenceTarget()
        }
        let verbose = self.verbose
        let report = await ConformanceRunner(files: files, options: options).run(target) { result in
            if result.status == .failed || (verbose && result.status == .skipped) {
                print(result.status == .failed ? RunReport.failureLine(result) : "SKIP \(result.id): \(result.reason)")
            }
        }
        if let implementation = report.implementation {
            let seconds = (report.seconds * 100).rounded() / 100
            print("\(implementation.name) \(implementation.version): \(report.results.count) checks in \(seconds) s")
        }
        if let json {
            try Data(report.json.pretty().utf8).write(to: URL(fileURLWithPath: json), options: .atomic)
        }
        if let junit {
            try Data(report.junit.utf8).write(to: URL(fileURLWithPath: junit), options: .atomic)
        }
        print(report.summary)
        if report.failed > 0 { throw ExitCode(1) }
        if report.results.isEmpty {
            throw fail("no-vectors-selected", "no vector matches --file, --id and --flag", status: ExitStatus.noInput)
        }
    }

    private func stringMap(_ path: String?, _ what: String) throws -> [String: String] {
        guard let path else { return [:] }
        let bytes = try Files.read(path)
        guard let value = try? JSONValue(parsing: bytes), let members = value.objectValue
        else {
            throw fail("invalid-\(what.replacingOccurrences(of: " ", with: "-"))", "\(path) is not a JSON object")
        }
        var map: [String: String] = [:]
        for (key, value) in members {
            guard let text = value.stringValue else {
                throw fail("invalid-input", "\(path): \(key) must map to a string")
            }
            map[key] = text
        }
        return map
    }
}

/// `dialogue adapter`: the Swift library through the adapter protocol (Spec: conformance.md#conf-adapter).
struct AdapterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adapter",
        abstract: "Serve the Swift library through the conformance adapter protocol on standard input and output."
    )

    func run() async throws {
        await AdapterServer.run()
    }
}
