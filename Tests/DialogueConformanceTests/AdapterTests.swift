import DialogueConformance
import Foundation
import Testing

/// The runner against adapters in separate processes (Spec: conformance.md#conf-adapter,
/// [conf-adapter-one-response]).
@Suite("Adapter protocol", .serialized)
struct AdapterTests {
    @Test("`dialogue adapter` as a separate process passes every vector and every cross-check")
    func swiftAdapter() async throws {
        let target = AdapterTarget(command: Support.quoted(Support.dialogue.path) + " adapter", timeout: 30)
        let report = await ConformanceRunner(files: Support.files).run(target)
        for result in report.results where result.status != .passed {
            Issue.record(Comment(rawValue: RunReport.failureLine(result)))
        }
        #expect(report.failed == 0 && report.skipped == 0)
        #expect(report.implementation?.name == "dialogue-swift")
        #expect(
            report.implementation?.operations.isSuperset(of: [
                "safety.number", "safety.parse", "statement.verify", "trust.replay",
            ]) == true, "the hello lists the trust operations")
        for operation in ["safety.number", "safety.parse", "statement.verify", "trust.replay"] {
            let file = try #require(Support.files.first { $0.operation == operation }, "a vector file for \(operation)")
            #expect(
                report.results.filter { $0.file == file.fileName && $0.status == .passed }.count == file.tests.count)
        }
        #expect(report.results.contains { $0.id.hasSuffix("/cross-check-implementation-seals") })
        #expect(report.results.contains { $0.id.hasSuffix("/cross-check-reference-seals") })
        #expect(target.starts == 1, "the adapter never needed a restart")
        print("dialogue adapter: \(report.summary) in \(report.seconds) s")
    }

    /// A deliberately broken adapter: wrong answers, unsupported, a crash, a hang, garbage, an
    /// error name of its own.
    static let brokenAdapter = #"""
        #!/bin/sh
        while IFS= read -r line; do
          case "$line" in
            *'"type":"hello"'*)
              echo '{"type":"hello","protocol":1,"name":"broken","version":"0","operations":["id.hash","id.parse","address.parse","cbor.decode","card.verify","chunk.open","card.issue"],"features":[]}' ;;
            *)
              id=$(printf '%s\n' "$line" | sed -n 's/^{"type":"request","id":\([0-9]*\),.*/\1/p')
              case "$line" in
                *'"operation":"id.hash"'*) echo "{\"type\":\"response\",\"id\":$id,\"status\":\"ok\",\"output\":{\"binary\":\"00\",\"text\":\"blob-x\"}}" ;;
                *'"operation":"id.parse"'*) echo "{\"type\":\"response\",\"id\":$id,\"status\":\"unsupported\"}" ;;
                *'"operation":"address.parse"'*) exit 3 ;;
                *'"operation":"cbor.decode"'*) sleep 30 ;;
                *'"operation":"card.verify"'*) echo "{\"type\":\"response\",\"id\":$id,\"status\":\"error\",\"error\":\"SignatureInvalid\"}" ;;
                *'"operation":"chunk.open"'*) echo "this is not JSON" ;;
                *'"operation":"card.issue"'*) echo "{\"type\":\"response\",\"id\":999999,\"status\":\"ok\",\"output\":{}}" ;;
              esac ;;
          esac
        done
        """#

    func firstIDs(_ operation: String) -> [String] {
        let tests = Support.files.first { $0.operation == operation }?.tests ?? []
        return [tests.first { $0.result == .valid }?.id, tests.first { $0.result == .invalid }?.id].compactMap { $0 }
    }

    @Test("A broken adapter: failures, skips, timeouts and restarts are reported as such")
    func brokenAdapter() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("broken.sh")
        try Data(AdapterTests.brokenAdapter.utf8).write(to: script)
        let badSignature = try #require(
            Support.files.first { $0.operation == "card.verify" }?.tests.first { $0.error == "bad-signature" }?.id
        )
        var options = RunnerOptions()
        options.ids =
            [
                "id.hash", "id.parse", "address.parse", "cbor.decode", "card.verify", "chunk.open", "card.issue",
                "message.open",
            ]
            .flatMap(firstIDs) + [badSignature]
        options.skipList = [firstIDs("id.hash")[1]: "a known bug of this adapter"]
        let target = AdapterTarget(
            command: "sh " + Support.quoted(script.path), timeout: 1, errorMap: ["SignatureInvalid": "bad-signature"]
        )
        let report = await ConformanceRunner(files: Support.files, options: options).run(target)
        func status(_ operation: String, _ index: Int = 0) -> VectorResult? {
            let id = firstIDs(operation)[index]
            return report.results.first { $0.id == id }
        }
        #expect(status("id.hash")?.status == .failed, "a wrong output fails")
        #expect(status("id.hash")?.reason.contains("differs") == true)
        #expect(status("id.hash", 1)?.status == .skipped, "the skip list skips")
        #expect(status("id.parse")?.status == .skipped, "unsupported is skipped, not failed")
        #expect(status("id.parse", 1)?.status == .skipped)
        #expect(status("address.parse")?.status == .failed, "a crash fails the vector")
        #expect(status("address.parse")?.reason.contains("exited") == true)
        #expect(status("address.parse", 1)?.status == .failed, "and the restarted adapter is asked the next one")
        #expect(status("cbor.decode")?.status == .failed)
        #expect(status("cbor.decode")?.reason.contains("no response within") == true, "a hang times out")
        #expect(status("card.verify")?.status == .failed, "an error for a valid card fails")
        #expect(
            report.results.first { $0.id == badSignature }?.status == .passed, "the error map maps SignatureInvalid")
        #expect(status("chunk.open")?.status == .failed, "a line that is not a response fails")
        #expect(status("card.issue")?.status == .failed, "a response to another request fails")
        #expect(status("card.issue")?.reason.contains("instead of") == true)
        #expect(status("message.open")?.status == .skipped, "an operation missing from the hello is skipped")
        #expect(target.starts >= 6, "the adapter was restarted after each crash, hang or bad line: \(target.starts)")
        #expect(report.failed > 0)
        #expect(report.summary == "\(report.passed) passed, \(report.failed) failed, \(report.skipped) skipped")
        let junit = report.junit
        #expect(junit.contains("<testsuite name=\"address_parse.json\""))
        #expect(junit.contains("<failure message="))
        #expect(junit.contains("<skipped message="))
        #expect(report.json["failed"]?.integerValue == Int64(report.failed))
    }

    @Test("An adapter that never answers the hello fails every vector it was meant to run")
    func silentAdapter() async throws {
        var options = RunnerOptions()
        options.files = ["id_hash"]
        let report = await ConformanceRunner(files: Support.files, options: options).run(
            AdapterTarget(command: "sleep 30", timeout: 0.5)
        )
        #expect(report.passed == 0)
        #expect(report.failed == report.results.count && report.failed > 0)
    }

    @Test("`dialogue conformance` prints failures and the closing line, writes reports, and exits 1 on failure")
    func command() throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("broken.sh")
        try Data(AdapterTests.brokenAdapter.utf8).write(to: script)
        let map = directory.appendingPathComponent("map.json")
        try Data(#"{"SignatureInvalid": "bad-signature"}"#.utf8).write(to: map)
        let failing = try run([
            "conformance", "--adapter", "sh " + Support.quoted(script.path), "--vectors", Support.vectorsDirectory,
            "--file", "card_verify", "--flag", "Valid", "--flag", "BadSignature", "--error-map", map.path,
            "--json", directory.appendingPathComponent("report.json").path,
            "--junit", directory.appendingPathComponent("report.xml").path,
        ])
        #expect(failing.status == 1)
        #expect(failing.output.contains("FAIL \(firstIDs("card.verify")[0])"))
        let last = failing.output.split(separator: "\n").last.map(String.init) ?? ""
        #expect(
            last.range(of: #"^\d+ passed, [1-9]\d* failed, \d+ skipped$"#, options: .regularExpression) != nil,
            "\(last)")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("report.xml").path))
        let json = try JSONValue(parsing: Array(Data(contentsOf: directory.appendingPathComponent("report.json"))))
        #expect(json["failed"]?.integerValue ?? 0 >= 1)
        let passing = try run([
            "conformance", "--vectors", Support.vectorsDirectory, "--file", "id.parse", "--id", "id-parse-0001",
        ])
        #expect(passing.status == 0)
        #expect(passing.output.hasSuffix(" passed, 0 failed, 0 skipped\n"))
    }

    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = Support.dialogue
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
