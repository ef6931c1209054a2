import DialogueConformance
import Testing

/// The shuffle cross-check of `message.seal` (Spec: [msg-stanza-order], conformance.md,
/// `shuffle_seals`): a sender that never shuffles fails it, the reference passes it.
@Suite("Cross-check of the stanza shuffle")
struct StanzaShuffleCrossCheckTests {
    /// The reference, except that a seal with randomness null keeps the recipients' order.
    final class UnshuffledTarget: ConformanceTarget, @unchecked Sendable {
        let reference = ReferenceTarget()
        var seals = 0

        func start() async throws -> AdapterHello { try await reference.start() }
        func stop() async {}
        func perform(_ operation: String, input: JSONValue) async -> Outcome {
            guard operation == "message.seal", input["randomness"]?.isNull == true else {
                return await reference.perform(operation, input: input)
            }
            seals += 1
            let visible = (input["recipients"]?.arrayValue ?? []).filter { $0["role"]?.stringValue != "bcc" }.count
            let parts = input["parts"]?.arrayValue?.count ?? 0
            func key(_ label: String) -> JSONValue {
                .string(Hex.encode([UInt8](repeating: UInt8((seals * 7 + label.count) % 251 + 1), count: 32)))
            }
            let randomness = JSONValue.object([
                ("message_key", key("K")), ("ephemeral_secret", key("e-secret")),
                ("stanza_order", .array((0..<visible).map { .integer(Int64($0)) })),
                ("part_keys", .array((0..<parts).map { key("P\($0)") })),
            ])
            return await reference.perform(operation, input: input.setting("randomness", randomness))
        }
    }

    /// The vectors of `message_seal.json` that ask for the shuffle cross-check.
    static let shuffleFile: VectorFile = {
        let file = Support.files.first { $0.operation == "message.seal" }!
        let tests = file.tests.filter { $0.crossCheck?["shuffle_seals"] != nil }
        return VectorFile(
            operation: file.operation, description: file.description, notes: file.notes,
            testGroups: [TestGroup(comment: "shuffle", tests: tests)])
    }()

    static func shuffleResults(_ target: any ConformanceTarget) async -> [VectorResult] {
        await ConformanceRunner(files: [shuffleFile]).run(target).results.filter {
            $0.id.hasSuffix("/cross-check-stanza-shuffle")
        }
    }

    @Test("msg-stanza-order: the reference's seals with fresh randomness pass the shuffle cross-check")
    func referencePasses() async throws {
        let results = await Self.shuffleResults(ReferenceTarget())
        #expect(results.count == 1)
        #expect(results.allSatisfy { $0.status == .passed })
    }

    @Test("msg-stanza-order: a sender that keeps the recipients' order fails the shuffle cross-check")
    func unshuffledFails() async throws {
        let results = await Self.shuffleResults(UnshuffledTarget())
        #expect(results.count == 1)
        #expect(results.allSatisfy { $0.status == .failed })
    }
}
