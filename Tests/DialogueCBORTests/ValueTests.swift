import DialogueCBOR
import Testing

@Suite("CBORValue")
struct ValueTests {
    @Test("literals and helpers build the expected cases")
    func literals() {
        #expect(CBORValue.integer(0) == .unsigned(0))
        #expect(CBORValue.integer(-1) == .negative(0))
        #expect(CBORValue.integer(.min) == .negative(UInt64(Int64.max)))
        #expect(CBORValue.integer(.max) == .unsigned(UInt64(Int64.max)))
        let literal: CBORValue = [1, -2, "three", true, [4: [5]]]
        #expect(
            literal
                == .array([.unsigned(1), .negative(1), .text("three"), .bool(true), .map([.init(key: 4, value: [5])])])
        )
        #expect(CBORValue(exactly: UInt64.max) == .unsigned(.max))
        #expect(CBORValue(exactly: Int8.min) == .negative(127))
        #expect(CBORValue(exactly: Int64.min) == .negative(UInt64(Int64.max)))
        #expect(CBORValue.map([1: 2]) == [1: 2])
        #expect(CBORValue.negative(0).int64Value == -1)
        #expect(CBORValue.negative(.max).int64Value == nil)
        #expect(CBORValue.unsigned(.max).int64Value == nil)
        #expect(CBORValue.text("1").int64Value == nil)
        #expect(CBORValue.bytes([]).type == .byteString)
    }

    @Test("text strings compare by their UTF-8 bytes, not by Unicode canonical equivalence")
    func textEqualityIsBytewise() {
        #expect("\u{e9}" == ("e\u{301}" as String))  // Swift's String says equal...
        #expect(CBORValue.text("\u{e9}") != CBORValue.text("e\u{301}"))  // ...the wire says not.
        #expect(Set<CBORValue>([.text("\u{e9}"), .text("e\u{301}")]).count == 2)
    }

    @Test("maps compare as sets of entries, consistently with hashing")
    func mapEquality() {
        let a: CBORValue = [1: "x", 2: [3: 4, 5: 6]]
        let b: CBORValue = [2: [5: 6, 3: 4], 1: "x"]
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != [1: "x", 2: [3: 4, 5: 7]])
        #expect(a != [1: "x"])
        #expect(CBORValue.map([1: 2, 1: 3]) == CBORValue.map([1: 3, 1: 2]))
        #expect(CBORValue.map([1: 2, 1: 2]) != CBORValue.map([1: 2, 1: 3]))
        #expect(CBORValue.unsigned(0) != .negative(0))
        #expect(CBORValue.bytes([0x61]) != .text("a"))
        #expect(CBORValue.array([]) != .map([]))
    }
}
