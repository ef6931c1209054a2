import DialogueConformance
import Testing

/// The DialogueConformance catalog's example, kept compiling. It is not run here: it runs the
/// Python adapter over every vector, which `AdapterTests` does.
@Suite("Documentation example")
struct DocumentationExampleTests {
    /// The example, as the catalog shows it.
    static func documentedRun() async throws {
        // BEGIN EXAMPLE: DialogueConformance
        let files = try VectorGenerator.load(from: "TestVectors")
        let target = AdapterTarget(command: "python3 adapters/python/adapter.py")
        let report = await ConformanceRunner(files: files).run(target)
        print(report.summary)  // "1891 passed, 0 failed, 0 skipped"
        // END EXAMPLE: DialogueConformance
    }

    @Test("the DocC example compiles against the current API")
    func compiles() {
        let example: @Sendable () async throws -> Void = DocumentationExampleTests.documentedRun
        _ = example
    }
}
