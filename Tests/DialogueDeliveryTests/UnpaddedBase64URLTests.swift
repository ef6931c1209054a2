import DialogueDelivery
import Testing

/// The inbox's encoding of notification bytes (Spec: delivery.md#dlv-ep-inbox).
@Suite struct UnpaddedBase64URLTests {
    @Test("dlv-ep-inbox: every length round-trips, with - and _ and without padding (RFC 4648 section 5)")
    func roundTrip() {
        for count in 0..<40 {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 251) }
            let text = UnpaddedBase64URL.encode(bytes)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(UnpaddedBase64URL.decode(text) == bytes)
        }
        #expect(UnpaddedBase64URL.encode([0xfb, 0xff]) == "-_8")
    }

    @Test("dlv-ep-inbox: padding, the standard alphabet, an impossible length and non-zero fill bits are refused")
    func strict() {
        #expect(UnpaddedBase64URL.decode("-_8=") == nil)
        #expect(UnpaddedBase64URL.decode("+/8") == nil)
        #expect(UnpaddedBase64URL.decode("AAAAA") == nil)
        #expect(UnpaddedBase64URL.decode("-_9") == nil)
        #expect(UnpaddedBase64URL.decode("") == [])
    }
}
