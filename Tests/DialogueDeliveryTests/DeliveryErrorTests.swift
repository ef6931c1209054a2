import DialogueDelivery
import Testing

/// The error classes and their problem statuses are those of the specification's table.
@Suite struct DeliveryErrorTests {
    /// Spec: [dlv-errors] — each class maps to one status, and names round-trip.
    @Test func classesMapToTheirProblemStatus() {
        let expected: [String: Int] = [
            "malformed": 400, "unsupported-version": 400, "limits-exceeded": 413, "bad-signature": 401,
            "unknown-key": 401, "expired": 401, "replayed": 401, "authentication-failed": 422,
            "not-a-recipient": 403, "address-mismatch": 403,
        ]
        #expect(DeliveryError.Code.all.count == expected.count)
        for code in DeliveryError.Code.all {
            #expect(expected[code.name] == code.problemStatus)
            #expect(DeliveryError.Code(name: code.name) == code)
            #expect(code.problemType == "urn:dialogue:problem:\(code.name)")
        }
    }
}
