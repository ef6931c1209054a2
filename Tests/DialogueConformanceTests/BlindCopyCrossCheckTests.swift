import DialogueConformance
import Testing

/// The cross-checks of `message.seal` with blind copies (Spec: conformance.md#conf-operations,
/// messages.md#msg-bcc): each copy is opened as its own blind recipient.
@Suite("Cross-checks of blind copies")
struct BlindCopyCrossCheckTests {
    /// The reference, except that `message.seal` outputs go through `tamper` first.
    final class TamperingTarget: ConformanceTarget, @unchecked Sendable {
        let reference = ReferenceTarget()
        let tamper: @Sendable (JSONValue) -> JSONValue

        init(_ tamper: @escaping @Sendable (JSONValue) -> JSONValue) { self.tamper = tamper }

        func start() async throws -> AdapterHello { try await reference.start() }
        func stop() async {}
        func perform(_ operation: String, input: JSONValue) async -> Outcome {
            let outcome = await reference.perform(operation, input: input)
            guard operation == "message.seal", case .ok(let output) = outcome else { return outcome }
            return .ok(tamper(output))
        }
    }

    /// The blind-copy vectors of `message_seal.json` that the runner cross-checks.
    static let blindFile: VectorFile = {
        let file = Support.files.first { $0.operation == "message.seal" }!
        let tests = file.tests.filter { $0.flags.contains("BlindCopy") && $0.crossCheck != nil }
        return VectorFile(
            operation: file.operation, description: file.description, notes: file.notes,
            testGroups: [TestGroup(comment: "blind copies", tests: tests)])
    }()

    static func crossCheckFailures(_ target: TamperingTarget) async -> [String] {
        let report = await ConformanceRunner(files: [blindFile]).run(target)
        return report.results.filter { $0.id.contains("/cross-check-implementation-seals") && $0.status == .failed }
            .map(\.id)
    }

    @Test("msg-bcc-randomness: the blind-copy vectors pass their cross-checks, which open every copy")
    func passes() async throws {
        #expect(Self.blindFile.tests.count >= 3)
        let report = await ConformanceRunner(files: [Self.blindFile]).run(TamperingTarget { $0 })
        #expect(report.failed == 0)
        #expect(report.passed == Self.blindFile.tests.count * 3)
    }

    @Test(
        "msg-bcc-randomness: swapped, missing or primary-only blind copies fail the cross-check",
        arguments: ["swap", "drop", "primary"])
    func tampered(_ how: String) async throws {
        let failures = await Self.crossCheckFailures(
            TamperingTarget { output in
                guard let copies = output["blind_copies"]?.arrayValue else { return output }
                switch how {
                case "swap": return output.setting("blind_copies", .array(copies.reversed()))
                case "drop": return output.setting("blind_copies", .array(Array(copies.dropLast())))
                default:
                    let primary: JSONValue = .object([
                        ("envelope", output["envelope"] ?? .null), ("message_id", output["message_id"] ?? .null),
                    ])
                    return output.setting("blind_copies", .array(copies.map { _ in primary }))
                }
            })
        // Swapping changes nothing with one copy; every vector with two copies or more must fail.
        let multiple = Self.blindFile.tests.filter {
            ($0.input["randomness"]?["blind_copies"]?.arrayValue?.count ?? 0) > 1
        }
        #expect(Set(multiple.map { $0.id + "/cross-check-implementation-seals" }).isSubset(of: Set(failures)))
        if how != "swap" { #expect(failures.count == Self.blindFile.tests.count) }
    }
}
