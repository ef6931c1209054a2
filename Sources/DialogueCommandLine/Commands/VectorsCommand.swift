import ArgumentParser
import DialogueConformance
import Foundation

/// `dialogue vectors`: generate the published test vectors and the traceability table
/// (Spec: conformance.md#conf-vectors).
struct VectorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectors",
        abstract: "Generate the test vectors and the requirement traceability table.",
        subcommands: [Generate.self, Trace.self]
    )

    /// `dialogue vectors generate`.
    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild every file of TestVectors/ from fixed seeds (byte-identical on every run).",
            discussion: "Each vector is checked against the Swift library as it is generated."
        )

        @Option(name: .long, help: "The directory to write to.")
        var output = "TestVectors"

        func run() async throws {
            do {
                let files = try await VectorGenerator.write(to: output)
                for file in files { print("\(file.name)  \(file.bytes.count) bytes") }
            } catch {
                throw fail("generation-failed", "\(error)")
            }
        }
    }

    /// `dialogue vectors trace`.
    struct Trace: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write Spec/traceability.md: each requirement anchor with the vectors and tests citing it.",
            discussion: "Exits 1 when a requirement has neither a vector nor a test."
        )

        @Option(name: .long, help: "The specification directory.")
        var spec = "Spec"

        @Option(
            name: .long, parsing: .upToNextOption,
            help: "The Swift tests directories: the root package's and the server package's.")
        var tests = ["Tests", "Server/Tests"]

        @Option(name: .long, parsing: .upToNextOption, help: "The server conformance suite's sources.")
        var suite = ["Sources/DialogueServerConformance"]

        @Option(name: .long, help: "The vectors directory.")
        var vectors = "TestVectors"

        @Option(name: .long, help: "Where to write the table ('-' for standard output).")
        var output = "Spec/traceability.md"

        @Flag(name: .long, help: "Only check; do not write the table.")
        var check = false

        func run() throws {
            let trace: Traceability
            do {
                trace = try Traceability.scan(
                    specDirectory: spec, testsDirectories: tests, suiteDirectories: suite,
                    files: VectorGenerator.load(from: vectors)
                )
            } catch {
                throw fail("trace-failed", "\(error)")
            }
            if !check {
                if output == "-" {
                    print(trace.markdown, terminator: "")
                } else {
                    try Data(trace.markdown.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
                }
            }
            let covered = trace.requirements.filter(\.isCovered).count
            print(
                "\(covered) of \(trace.requirements.count) requirements have a vector, a server-suite check or a test")
            let awaiting = trace.awaitingServerSuite
            if !awaiting.isEmpty {
                print(
                    "\(awaiting.count) requirements of servers wait for the server suite: "
                        + awaiting.map { "[\($0.anchor)]" }.joined(separator: " "))
            }
            for requirement in trace.uncovered {
                writeStandardError(
                    "uncovered: [\(requirement.anchor)] (\(requirement.chapter)): no vector and no test\n")
            }
            if !trace.uncovered.isEmpty { throw ExitCode(1) }
        }
    }
}
