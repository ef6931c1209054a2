import DialogueConformance
import Testing

/// The checks of an ill-formed `trust.replay` history that the vector files cannot carry:
/// their writer prints an integral number as an integer, so `600.0` and `6e2` exist only as
/// request text (Spec: conformance.md, [conf-replay-well-formed]).
@Suite("trust.replay: ill-formed histories")
struct ReplayHistoryTests {
    func replay(_ text: String) async throws -> Outcome {
        await ReferenceTarget().perform("trust.replay", input: try JSONValue(parsing: text))
    }

    @Test(
        "conf-replay-well-formed: an integer is written without fraction or exponent",
        arguments: ["600.0", "6e2", "6.0E2"])
    func integerSpelling(_ skew: String) async throws {
        let outcome = try await replay(#"{"clock_skew": \#(skew), "events": []}"#)
        guard case .error(let errorClass, _, let message) = outcome else {
            Issue.record("clock_skew \(skew) was accepted: \(outcome)")
            return
        }
        #expect(errorClass == "malformed")
        #expect(message?.contains("clock_skew") == true)
        #expect(try await replay(#"{"clock_skew": 600, "events": []}"#) == .ok(["results": []]))
    }

    @Test("conf-replay-well-formed: the first event with a fault decides, and its index is named")
    func firstFaultyEvent() async throws {
        let outcome = try await replay(
            #"""
            {"clock_skew": 600, "events": [
              {"type": "decision", "received": 10, "decision": "block", "address": "alice@example.org"},
              {"type": "statement", "received": 20.5, "statement": "00"},
              {"type": "forward", "received": 30}
            ]}
            """#)
        guard case .error(let errorClass, _, let message) = outcome else {
            Issue.record("an ill-formed history was accepted: \(outcome)")
            return
        }
        #expect(errorClass == "malformed")
        #expect(message?.hasPrefix("event 1") == true, "\(message ?? "")")
    }
}
