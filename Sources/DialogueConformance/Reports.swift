/// The reports of a run: text lines, JSON and JUnit XML (Spec: conformance.md#conf-runner).
extension RunReport {
    /// One line for a failed result: id, expected, actual, reason, anchors.
    public static func failureLine(_ result: VectorResult) -> String {
        var line = "FAIL \(result.id) (\(result.file)): expected \(result.expected), got \(result.actual)"
        if !result.reason.isEmpty { line += " — \(result.reason)" }
        if !result.spec.isEmpty { line += " [spec: \(result.spec.joined(separator: ", "))]" }
        return line
    }

    /// The JSON report.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = []
        if let implementation {
            members.append(
                (
                    "implementation",
                    .object([
                        ("name", .string(implementation.name)), ("version", .string(implementation.version)),
                        ("operations", .array(implementation.operations.sorted().map { .string($0) })),
                        ("features", .array(implementation.features.sorted().map { .string($0) })),
                    ])
                )
            )
        }
        members += [
            ("passed", .integer(Int64(passed))), ("failed", .integer(Int64(failed))),
            ("skipped", .integer(Int64(skipped))), ("seconds", .number((seconds * 1000).rounded() / 1000)),
            (
                "results",
                .array(
                    results.map {
                        .object([
                            ("file", .string($0.file)), ("id", .string($0.id)), ("status", .string($0.status.rawValue)),
                            ("expected", .string($0.expected)), ("actual", .string($0.actual)),
                            ("reason", .string($0.reason)), ("spec", .array($0.spec.map { .string($0) })),
                            ("seconds", .number(($0.seconds * 1e6).rounded() / 1e6)),
                        ])
                    }
                )
            ),
        ]
        return .object(members)
    }

    /// The JUnit XML report: one test suite per vector file, one test case per vector.
    public var junit: String {
        var files: [String] = []
        var byFile: [String: [VectorResult]] = [:]
        for result in results {
            if byFile[result.file] == nil { files.append(result.file) }
            byFile[result.file, default: []].append(result)
        }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml +=
            "<testsuites name=\"\(Self.escape(implementation?.name ?? "dialogue conformance"))\" tests=\"\(results.count)\" "
        xml += "failures=\"\(failed)\" skipped=\"\(skipped)\" time=\"\(Self.seconds(seconds))\">\n"
        for file in files {
            let cases = byFile[file] ?? []
            let time = cases.reduce(0) { $0 + $1.seconds }
            xml += "  <testsuite name=\"\(Self.escape(file))\" tests=\"\(cases.count)\" "
            xml += "failures=\"\(cases.filter { $0.status == .failed }.count)\" "
            xml += "skipped=\"\(cases.filter { $0.status == .skipped }.count)\" time=\"\(Self.seconds(time))\">\n"
            for result in cases {
                xml += "    <testcase classname=\"\(Self.escape(file))\" name=\"\(Self.escape(result.id))\" "
                xml += "time=\"\(Self.seconds(result.seconds))\""
                switch result.status {
                case .passed:
                    xml += "/>\n"
                case .failed:
                    xml +=
                        ">\n      <failure message=\"\(Self.escape("expected \(result.expected), got \(result.actual)"))\">"
                    xml += Self.escape("\(result.reason)\nspec: \(result.spec.joined(separator: ", "))")
                    xml += "</failure>\n    </testcase>\n"
                case .skipped:
                    xml += ">\n      <skipped message=\"\(Self.escape(result.reason))\"/>\n    </testcase>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    private static func seconds(_ value: Double) -> String {
        let milliseconds = Int((value * 1000).rounded())
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }

    private static func escape(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "\n": output += "&#10;"
            default:
                if scalar.value < 0x20 && scalar != "\t" { continue }
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
