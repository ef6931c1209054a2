import DialogueDelivery
import Testing

/// The error classes are those of the specification's table; their HTTP statuses are the server's
/// (Server/Tests: RequestHandlingTests checks them against the table).
@Suite struct DeliveryErrorTests {
    /// Spec: [dlv-errors] — every class of the table, and names round-trip.
    @Test func classesAreTheTablesAndRoundTrip() {
        let expected: Set<String> = [
            "malformed", "unsupported-version", "limits-exceeded", "bad-signature", "unknown-key", "expired",
            "replayed", "authentication-failed", "not-a-recipient", "address-mismatch",
        ]
        #expect(Set(DeliveryError.Code.all.map(\.name)) == expected)
        for code in DeliveryError.Code.all {
            #expect(DeliveryError.Code(name: code.name) == code)
        }
    }
}
