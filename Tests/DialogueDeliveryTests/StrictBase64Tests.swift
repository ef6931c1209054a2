import DialogueCrypto
import DialogueDelivery
import Testing

/// Byte sequences of the request fields are canonical padded base64 only
/// (Spec: [dlv-request-verify] step 1).
@Suite struct StrictBase64Tests {
    /// RFC 4648 section 10's test vectors, both ways.
    @Test func rfc4648Vectors() {
        let vectors = [
            ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ]
        for (plain, encoded) in vectors {
            #expect(StrictBase64.encode(Array(plain.utf8)) == encoded)
            #expect(StrictBase64.decode(encoded) == Array(plain.utf8))
        }
    }

    /// For every one- and two-byte input, exactly one spelling of its last group decodes: the one
    /// with zero fill bits; the 15 or 3 others are refused.
    @Test func onlyZeroFillBitsAreAccepted() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var accepted = 0
        var refused = 0
        for length in [1, 2] {
            for value in 0..<(length == 1 ? 256 : 65_536) {
                let bytes = length == 1 ? [UInt8(value)] : [UInt8(value >> 8), UInt8(value & 0xff)]
                let canonical = Array(StrictBase64.encode(bytes))
                let last = length == 1 ? 1 : 2
                let index = alphabet.firstIndex(of: canonical[last])!
                let fill = length == 1 ? 0x0f : 0x03
                for variant in 0...fill {
                    var text = canonical
                    text[last] = alphabet[(index & ~fill) | variant]
                    let decoded = StrictBase64.decode(String(text))
                    if variant == index & fill {
                        #expect(decoded == bytes)
                        accepted += 1
                    } else {
                        #expect(decoded == nil, "\(String(text))")
                        refused += 1
                    }
                }
            }
        }
        #expect(accepted == 256 + 65_536)
        #expect(refused == 256 * 15 + 65_536 * 3)
    }

    @Test func everyOtherSpellingIsRefused() {
        for text in [
            "Zg", "Zg=", "Zg===", "Zm8", "Zm9vYg", "Z===", "====", "Zg==Zg==", "Zm=8", "Zm 9v", "Zm9v\n", "Zm9-",
            "Zm9_",
            "Zm9v=", "=Zm9", "Zg==\u{0}", "Zm9vYmFyZ",
        ] {
            #expect(StrictBase64.decode(text) == nil, "\(text)")
        }
    }

    @Test func roundTripsEveryLength() {
        for length in 0..<200 {
            let bytes = TestBytes.make(length, label: "round-trip/\(length)")
            let text = StrictBase64.encode(bytes)
            #expect(text.utf8.count == (length + 2) / 3 * 4)
            #expect(StrictBase64.decode(text) == bytes)
        }
    }
}

/// Deterministic test bytes: SHA-256 of a label and a block counter, block after block.
enum TestBytes {
    static func make(_ count: Int, label: String) -> [UInt8] {
        var output: [UInt8] = []
        var block = 0
        while output.count < count {
            output += SHA256.hash(Array("\(label)/\(block)".utf8))
            block += 1
        }
        return Array(output.prefix(count))
    }
}
