import DialogueCBOR
import Testing

@Suite("Encoder")
struct EncoderTests {
    func encode(_ value: CBORValue, limits: CBORLimits = .default) throws(CBORError) -> String {
        hexString(try CBOREncoder(limits: limits).encode(value))
    }

    @Test("enc-shortest: integers and lengths are written in their shortest form at every width")
    func shortestHeads() throws {
        #expect(try self.encode(0) == "00")
        #expect(try self.encode(23) == "17")
        #expect(try self.encode(24) == "1818")
        #expect(try self.encode(255) == "18ff")
        #expect(try self.encode(256) == "190100")
        #expect(try self.encode(65535) == "19ffff")
        #expect(try self.encode(65536) == "1a00010000")
        #expect(try self.encode(.unsigned(0xffff_ffff)) == "1affffffff")
        #expect(try self.encode(.unsigned(0x1_0000_0000)) == "1b0000000100000000")
        #expect(try self.encode(.unsigned(.max)) == "1bffffffffffffffff")
        #expect(try self.encode(-1) == "20")
        #expect(try self.encode(-24) == "37")
        #expect(try self.encode(-25) == "3818")
        #expect(try self.encode(.integer(.min)) == "3b7fffffffffffffff")
        #expect(try self.encode(.negative(.max)) == "3bffffffffffffffff")
        #expect(try self.encode(.bytes(Array(repeating: 0, count: 24))).hasPrefix("5818"))
        #expect(try self.encode(.text(String(repeating: "x", count: 256))).hasPrefix("790100"))
        #expect(try self.encode(.array(Array(repeating: .null, count: 65536))).hasPrefix("9a00010000"))
        #expect(try self.encode([true, false, .null]) == "83f5f4f6")
    }

    @Test("enc-map-order: the encoder sorts map entries by their key encodings")
    func sortsMapEntries() throws {
        #expect(try self.encode(["b": 2, "a": 1]) == "a2616101616202")
        // Length first: "b" (61 62) sorts before "aa" (62 61 61).
        #expect(try self.encode(["aa": 1, "b": 2]) == "a2616202626161" + "01")
        // Unsigned before negative, small before large, integers before text.
        #expect(try self.encode(["a": 0, -1: 0, 1000: 0, 1: 0]) == "a4" + "0100" + "1903e800" + "2000" + "616100")
        // Nested maps are sorted too.
        #expect(try self.encode([[2: 0, 1: 0]]) == "81a201000200")
        // Entry order given does not matter.
        let forward: CBORValue = [1: "x", 2: [3: 4, 5: 6], "k": .bytes([1])]
        let backward: CBORValue = ["k": .bytes([1]), 2: [5: 6, 3: 4], 1: "x"]
        #expect(try CBOREncoder().encode(forward) == CBOREncoder().encode(backward))
    }

    @Test("enc-map-order: the encoder refuses duplicate keys, sorted or not")
    func refusesDuplicateKeys() {
        #expect(throws: CBORError(.duplicateMapKey)) { try self.encode([1: 0, 1: 1]) }
        #expect(throws: CBORError(.duplicateMapKey)) { try self.encode([1: 0, 2: 0, 1: 1]) }
        #expect(throws: CBORError(.duplicateMapKey)) { try self.encode(["a": 0, "a": 0]) }
        #expect(throws: CBORError(.duplicateMapKey)) { try self.encode([3: 0, 2: 0, 3: 0]) }
        #expect(throws: CBORError(.duplicateMapKey)) { try self.encode([[1: 0, 1: 0]]) }
    }

    @Test("enc-map-keys: the encoder refuses keys that are not integers or text strings")
    func refusesInvalidKeys() {
        for key: CBORValue in [.bytes([]), [], [:], true, .null] {
            #expect(throws: CBORError(.invalidMapKey)) { try self.encode(.map([.init(key: key, value: 0)])) }
        }
    }

    @Test("enc-limits: the encoder refuses values a decoder would reject as too deep or too large")
    func encoderLimits() throws {
        #expect(try self.encode(.nested(0, levels: 15)).count == 32)  // 16 bytes, in hex
        #expect(throws: CBORError(.tooDeep)) { try self.encode(.nested(0, levels: 16)) }
        #expect(throws: CBORError(.tooDeep)) { try self.encode(.nested([:], levels: 16)) }
        #expect(throws: CBORError(.tooDeep)) { try self.encode(.map([.init(key: 1, value: .nested(0, levels: 15))])) }
        #expect(throws: CBORError(.tooLarge)) { try self.encode([1, 2, 3], limits: CBORLimits(maximumItemCount: 3)) }
        #expect(try self.encode([1, 2], limits: CBORLimits(maximumItemCount: 3)) == "820102")
        #expect(throws: CBORError(.tooLarge)) {
            try self.encode(.bytes([1, 2, 3]), limits: CBORLimits(maximumEncodedSize: 3))
        }
        #expect(try self.encode(.bytes([1, 2]), limits: CBORLimits(maximumEncodedSize: 3)) == "420102")
        let big = CBORValue.bytes(Array(repeating: 0, count: (1 << 24) - 5))
        #expect(try CBOREncoder().encode(big).count == 1 << 24)
        #expect(throws: CBORError(.tooLarge)) { try CBOREncoder().encode([big]) }
    }

    @Test("the encoder appends to a buffer and leaves it unchanged on error")
    func appending() throws {
        var buffer: [UInt8] = [0xaa]
        try CBOREncoder().encode([1: "x"], appendingTo: &buffer)
        #expect(hexString(buffer) == "aaa1016178")
        #expect(throws: CBORError(.duplicateMapKey)) {
            try CBOREncoder().encode([0: 0, 2: [1: 0, 1: 0]], appendingTo: &buffer)
        }
        #expect(hexString(buffer) == "aaa1016178")
        #expect(try CBORValue.text("a").encoded() == [0x61, 0x61])
    }

    @Test("enc-encoder: text is encoded as its exact UTF-8 bytes, without normalization")
    func noNormalization() throws {
        #expect(try self.encode("\u{e9}") == "62c3a9")
        #expect(try self.encode("e\u{301}") == "6365cc81")
        // Two canonically equivalent strings are different keys.
        #expect(try self.encode(["\u{e9}": 1, "e\u{301}": 2]) == "a262c3a9016365cc8102")
    }
}
