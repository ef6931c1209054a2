import DialogueConformance
import Foundation
import Testing

@Suite("Published vectors")
struct VectorTests {
    @Test("Every vector passes against the Swift library in process")
    func inProcess() async throws {
        let report = await ConformanceRunner(files: Support.files).run(ReferenceTarget())
        for result in report.results where result.status == .failed {
            Issue.record(Comment(rawValue: RunReport.failureLine(result)))
        }
        #expect(report.failed == 0)
        #expect(report.skipped == 0)
        #expect(report.passed > 1000)
        print("in process: \(report.summary) in \(report.seconds) s")
    }

    @Test("Regenerating the vectors gives the checked-in bytes (conf-vectors-deterministic)")
    func deterministic() async throws {
        let generated = try await VectorGenerator.generate()
        let directory = Support.root.appendingPathComponent("TestVectors")
        for (name, bytes) in generated {
            let checkedIn = try Data(contentsOf: directory.appendingPathComponent(name))
            #expect(Array(checkedIn) == bytes, "TestVectors/\(name) differs from what the generator writes")
        }
        let again = try await VectorGenerator.generate()
        #expect(again.map(\.bytes) == generated.map(\.bytes))
    }

    @Test("Files are well formed: unique ids, explained flags, cited anchors, the format's fields")
    func wellFormed() throws {
        var ids = Set<String>()
        var valid = 0
        var invalid = 0
        for file in Support.files {
            let notes = Dictionary(file.notes, uniquingKeysWith: { first, _ in first })
            #expect(ConformanceOperation.all.contains(file.operation))
            for vector in file.tests {
                #expect(ids.insert(vector.id).inserted, "duplicate id \(vector.id)")
                #expect(!vector.spec.isEmpty, "\(vector.id) cites no anchor")
                for flag in vector.flags { #expect(notes[flag] != nil, "\(vector.id): flag \(flag) has no note") }
                switch vector.result {
                case .valid:
                    valid += 1
                    #expect(vector.expected != nil)
                case .invalid:
                    invalid += 1
                    #expect(ErrorClass.all.contains(vector.error ?? ""), "\(vector.id): unknown class")
                case .acceptable: break
                }
                if file.operation == "message.seal" && vector.result == .valid {
                    #expect(vector.input["randomness"]?.objectValue != nil, "\(vector.id) fixes every random input")
                    #expect(vector.crossCheck != nil)
                }
            }
            // Reading and writing a file gives the same bytes.
            #expect(try VectorFile(json: JSONValue(parsing: file.json.pretty())).encoded == file.encoded)
        }
        #expect(invalid > valid, "negative vectors must outnumber positive ones")
        print("vectors: \(valid + invalid) (\(valid) valid, \(invalid) invalid)")
    }

    @Test("Codable reads a vector file like the JSON reader")
    func codable() throws {
        let file = try #require(Support.files.first { $0.operation == "id.parse" })
        let data = Data(file.json.compact().utf8)
        let decoded = try JSONDecoder().decode(VectorFile.self, from: data)
        #expect(decoded.tests.map(\.id) == file.tests.map(\.id))
        #expect(decoded.tests.map(\.result) == file.tests.map(\.result))
    }

    @Test("The runner's filters select by file, id and flag, and the skip list skips")
    func filters() async throws {
        var options = RunnerOptions()
        options.files = ["id_parse"]
        options.flags = ["Precedence"]
        let precedence = await ConformanceRunner(files: Support.files, options: options).run(ReferenceTarget())
        #expect(!precedence.results.isEmpty)
        #expect(precedence.results.allSatisfy { $0.file == "id_parse.json" && $0.status == .passed })
        var byID = RunnerOptions()
        byID.ids = ["card-verify-0001", "message-open-0001"]
        byID.skipList = ["message-open-*": "a skip pattern"]
        let two = await ConformanceRunner(files: Support.files, options: byID).run(ReferenceTarget())
        #expect(two.results.map(\.id) == ["card-verify-0001", "message-open-0001"])
        #expect(two.results.map(\.status) == [.passed, .skipped])
    }
}
