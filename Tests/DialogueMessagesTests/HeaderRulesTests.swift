import DialogueMessages
import Testing

@Suite("Header and file-name character rules (messages.md#msg-limits)")
struct HeaderRulesTests {
    /// Every code point the platform's Unicode tables call a format character (Cf).
    static var platformFormatCharacters: [UInt32] {
        (0...0x10_FFFF).compactMap { value -> UInt32? in
            guard let scalar = Unicode.Scalar(UInt32(value)), scalar.properties.generalCategory == .format else {
                return nil
            }
            return UInt32(value)
        }
    }

    @Test("msg-file-name-format: the written-out ranges are exactly Cf of this toolchain's Unicode (16.0)")
    func rangesAreUnicodeFormatCharacters() {
        let listed = Set(HeaderRules.formatCharacters.flatMap { Array($0) })
        let platform = Set(Self.platformFormatCharacters)
        // A later Unicode may add Cf characters: the specification's list stays as it is, and
        // this test then names them so that the difference is a decision, not an accident.
        #expect(listed.subtracting(platform).isEmpty, "listed but not Cf: \(listed.subtracting(platform).sorted())")
        #expect(platform.subtracting(listed).isEmpty, "Cf but not listed: \(platform.subtracting(listed).sorted())")
    }

    @Test("msg-file-name-format: a file name with any listed code point is malformed, its neighbours are not")
    func fileNamesRejectFormatCharacters() throws {
        for range in HeaderRules.formatCharacters {
            for value in [range.lowerBound, range.upperBound] {
                let name = "a" + String(Unicode.Scalar(value)!) + "b.txt"
                #expect(throws: MessageError.self) { try HeaderRules.check(mediaType: "text/plain", fileName: name) }
            }
            // The code point after a range is allowed unless it is a control or another range's start.
            let after = range.upperBound + 1
            if let scalar = Unicode.Scalar(after),
                !HeaderRules.formatCharacters.contains(where: { $0.contains(after) }),
                scalar.properties.generalCategory != .control, scalar.properties.generalCategory != .surrogate
            {
                try HeaderRules.check(mediaType: "text/plain", fileName: "a" + String(scalar) + "b.txt")
            }
        }
        do {
            try HeaderRules.check(mediaType: "text/plain", fileName: "invoice\u{202E}fdp.exe")
            Issue.record("a right-to-left override was accepted")
        } catch {
            #expect(error.code == .malformed)
        }
    }

    @Test("msg-header-value-controls: C0, DEL and C1 are malformed in a header value, TAB is allowed")
    func headerValuesRejectControls() throws {
        for value in Array(0...0x1f) + Array(0x7f...0x9f) where value != 0x09 {
            let text = "a" + String(Unicode.Scalar(UInt8(value))) + "b"
            do {
                try HeaderRules.check(name: "subject", value: text)
                Issue.record("U+\(String(value, radix: 16)) was accepted in a header value")
            } catch {
                #expect(error.code == .malformed)
            }
        }
        try HeaderRules.check(name: "subject", value: "a\tb")
        try HeaderRules.check(name: "subject", value: "\u{5E9}\u{200F}\u{202E}x")
        // The length is checked before the characters (msg-limits).
        do {
            try HeaderRules.check(name: "subject", value: "\n" + String(repeating: "v", count: 16_384))
            Issue.record("an over-long value was accepted")
        } catch {
            #expect(error.code == .limitsExceeded)
        }
    }
}
