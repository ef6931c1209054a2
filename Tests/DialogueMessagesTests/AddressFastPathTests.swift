import Testing

@testable import DialogueMessages

/// Address validation accepts valid addresses in one pass and explains invalid ones with the
/// careful, rule-by-rule checks (Spec: identities.md#addr-wire-canonical). The two must agree on
/// every input, or the fast pass would accept what the rules reject.
@Suite("Address validation: one pass and rule by rule agree (identities.md#addr-wire-canonical)")
struct AddressFastPathTests {
    static func agree(_ text: [UInt8]) -> Bool {
        text.withUnsafeBufferPointer { bytes in
            let fast = Address.isValidInOnePass(bytes)
            let careful: Bool
            do {
                try Address.explainInvalid(bytes)
                careful = true
            } catch {
                careful = false
            }
            return fast == careful
        }
    }

    @Test("edges of every rule")
    func edges() {
        let label63 = String(repeating: "d", count: 63)
        let cases = [
            "", "a", "@", "a@", "@b", "a@b", "a@@b", "a@b@c", ".a@b", "a.@b", "a..b@c", "a.b@c", "a@.b", "a@b.",
            "a@b..c", "a@-b", "a@b-", "a@b-.c", "a@b.-c", "a@b-c", "a+b_c-d.e@x-y.z", "A@b", "a@B", "a b@c", "a@b_c",
            "a@b+c", String(repeating: "l", count: 64) + "@b", String(repeating: "l", count: 65) + "@b",
            "a@" + label63, "a@" + label63 + "d",
            "a@"
                + [label63, label63, label63, String(repeating: "d", count: 61)]
                .joined(separator: "."),
            "a@" + [label63, label63, label63, String(repeating: "d", count: 62)].joined(separator: "."),
            "é@b", "a@\u{0}", "a@b\u{7f}",
        ]
        for text in cases {
            #expect(Self.agree(Array(text.utf8)), "\(text)")
        }
    }

    @Test("random near-addresses: well-formed ones, and ones with one byte changed", arguments: 0..<UInt64(20))
    func random(seed: UInt64) {
        var state = seed &* 0x9e37_79b9_7f4a_7c15 &+ 1
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        func draw(_ alphabet: String, _ length: Int) -> [UInt8] {
            let bytes = Array(alphabet.utf8)
            return (0..<length).map { _ in bytes[next(bytes.count)] }
        }
        let anything = Array("ab09.-_+@A ".utf8) + [0xc3, 0x00, 0x7f]
        var valid = 0
        for _ in 0..<5_000 {
            var text = draw("ab09.-_+", 1 + next(66)) + [UInt8(ascii: "@")]
            for label in 0..<(1 + next(4)) {
                if label > 0 { text.append(UInt8(ascii: ".")) }
                text += draw("ab09-", 1 + next(next(2) == 0 ? 8 : 66))
            }
            switch next(4) {
            case 0: text[next(text.count)] = anything[next(anything.count)]
            case 1: text.insert(anything[next(anything.count)], at: next(text.count + 1))
            case 2: text.remove(at: next(text.count))
            default: break
            }
            #expect(Self.agree(text), "\(String(decoding: text, as: UTF8.self))")
            if text.withUnsafeBufferPointer(Address.isValidInOnePass) { valid += 1 }
        }
        // Both answers occur often, or the agreement would say little.
        #expect(valid > 500 && valid < 4_500, "\(valid) of 5,000 valid")
    }
}
