import DialogueCBOR
import Testing

@Suite("UTF-8 validation")
struct UTF8ValidationTests {
    /// Wraps `content` in a text string head.
    static func textItem(_ content: [UInt8]) -> [UInt8] {
        precondition(content.count < 256)
        return content.count < 24 ? [0x60 | UInt8(content.count)] + content : [0x78, UInt8(content.count)] + content
    }

    @Test("enc-utf8: the validator agrees with the standard library's on every 1- and 2-byte string")
    func exhaustiveShort() {
        for a in 0...255 {
            let one: [UInt8] = [UInt8(a)]
            #expect(self.accepts(one) == (String(validating: one, as: UTF8.self) != nil), "\(hexString(one))")
            for b in 0...255 {
                let two: [UInt8] = [UInt8(a), UInt8(b)]
                if self.accepts(two) != (String(validating: two, as: UTF8.self) != nil) {
                    Issue.record("disagreement on \(hexString(two))")
                }
            }
        }
    }

    @Test(
        "enc-utf8: the validator agrees with the standard library's on every 3-byte string starting E0..F4 and random longer ones"
    )
    func randomCrossCheck() {
        var random = SplitMix64(seed: 0x7574_6638)
        let interesting: [UInt8] = [
            0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee,
            0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff,
        ]
        for lead in 0xe0...0xf4 {
            for b in interesting {
                for c in interesting {
                    let three: [UInt8] = [UInt8(lead), b, c]
                    if self.accepts(three) != (String(validating: three, as: UTF8.self) != nil) {
                        Issue.record("disagreement on \(hexString(three))")
                    }
                }
            }
        }
        for _ in 0..<3000 {
            let count = Int.random(in: 0..<40, using: &random)
            let input: [UInt8] = (0..<count).map { _ in
                Bool.random(using: &random)
                    ? UInt8.random(in: 0...0x7f, using: &random) : interesting.randomElement(using: &random)!
            }
            if self.accepts(input) != (String(validating: input, as: UTF8.self) != nil) {
                Issue.record("disagreement on \(hexString(input))")
            }
        }
    }

    func accepts(_ content: [UInt8]) -> Bool {
        do throws(CBORError) {
            _ = try CBORDecoder().decode(Self.textItem(content))
            return true
        } catch {
            #expect(error.code == .invalidUTF8)
            return false
        }
    }
}
