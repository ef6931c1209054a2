/// A recursive-descent parser for the diagnostic-notation subset described at
/// ``CBORValue/init(diagnostic:)``.
struct DiagnosticParser {
    private let text: [UInt8]
    private let maximumDepth: Int
    private var position = 0

    init(_ text: [UInt8], maximumDepth: Int) {
        self.text = text
        self.maximumDepth = maximumDepth
    }

    mutating func parseDocument() throws(CBORError) -> CBORValue {
        let value = try self.parseValue(depth: 1)
        self.skipWhitespace()
        guard self.position == self.text.count else {
            throw self.error("unexpected text after the value at offset \(self.position)")
        }
        return value
    }

    private func error(_ reason: String, at offset: Int? = nil) -> CBORError {
        CBORError(.invalidDiagnostic, reason: reason, offset: offset ?? self.position)
    }

    private var current: UInt8? {
        self.position < self.text.count ? self.text[self.position] : nil
    }

    private mutating func skipWhitespace() {
        while let c = self.current, c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d {
            self.position += 1
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(CBORError) {
        self.skipWhitespace()
        guard self.current == byte else {
            throw self.error("expected \(what) at offset \(self.position)")
        }
        self.position += 1
    }

    private mutating func parseValue(depth: Int) throws(CBORError) -> CBORValue {
        self.skipWhitespace()
        let start = self.position
        guard let c = self.current else {
            throw self.error("expected a value at offset \(start), but the text ends")
        }
        if depth > self.maximumDepth {
            throw CBORError(
                .tooDeep,
                reason: "the value at offset \(start) has depth \(depth), more than the limit of \(self.maximumDepth)",
                offset: start
            )
        }
        switch c {
        case UInt8(ascii: "["):
            self.position += 1
            var elements: [CBORValue] = []
            self.skipWhitespace()
            if self.current == UInt8(ascii: "]") {
                self.position += 1
                return .array(elements)
            }
            while true {
                elements.append(try self.parseValue(depth: depth + 1))
                self.skipWhitespace()
                if self.current == UInt8(ascii: ",") {
                    self.position += 1
                } else if self.current == UInt8(ascii: "]") {
                    self.position += 1
                    return .array(elements)
                } else {
                    throw self.error("expected ',' or ']' at offset \(self.position)")
                }
            }
        case UInt8(ascii: "{"):
            self.position += 1
            var entries: [CBORValue.MapEntry] = []
            self.skipWhitespace()
            if self.current == UInt8(ascii: "}") {
                self.position += 1
                return .map(entries)
            }
            while true {
                let key = try self.parseValue(depth: depth + 1)
                try self.expect(UInt8(ascii: ":"), "':' after a map key")
                let value = try self.parseValue(depth: depth + 1)
                entries.append(CBORValue.MapEntry(key: key, value: value))
                self.skipWhitespace()
                if self.current == UInt8(ascii: ",") {
                    self.position += 1
                } else if self.current == UInt8(ascii: "}") {
                    self.position += 1
                    return .map(entries)
                } else {
                    throw self.error("expected ',' or '}' at offset \(self.position)")
                }
            }
        case UInt8(ascii: "\""):
            return .text(try self.parseText())
        case UInt8(ascii: "h"):
            if self.position + 1 < self.text.count, self.text[self.position + 1] == UInt8(ascii: "'") {
                return .bytes(try self.parseHex())
            }
            throw self.unknownWord(start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try self.parseInteger()
        case UInt8(ascii: "("):
            throw self.error("indefinite-length strings '(_ …)' are not allowed (offset \(start))")
        default:
            if self.matchWord("true") { return .bool(true) }
            if self.matchWord("false") { return .bool(false) }
            if self.matchWord("null") { return .null }
            throw self.unknownWord(start)
        }
    }

    private mutating func matchWord(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard self.position + count <= self.text.count else { return false }
        let matches = word.withUTF8Buffer { buffer in
            buffer.elementsEqual(self.text[self.position..<(self.position + count)])
        }
        guard matches else { return false }
        if self.position + count < self.text.count, isWordCharacter(self.text[self.position + count]) {
            return false
        }
        self.position += count
        return true
    }

    private func unknownWord(_ start: Int) -> CBORError {
        var end = start
        while end < self.text.count, isWordCharacter(self.text[end]) { end += 1 }
        let word = String(decoding: self.text[start..<max(end, min(start + 1, self.text.count))], as: UTF8.self)
        let hint: String
        switch word {
        case "undefined": hint = ": undefined is not allowed"
        case "NaN", "Infinity": hint = ": floating-point numbers are not allowed"
        case "simple": hint = ": simple values other than false, true and null are not allowed"
        case "b64", "h64", "b32", "h32": hint = ": write byte strings as h'…'"
        default: hint = ""
        }
        return self.error("unexpected '\(word)' at offset \(start)\(hint)", at: start)
    }

    private mutating func parseInteger() throws(CBORError) -> CBORValue {
        let start = self.position
        let negative = self.current == UInt8(ascii: "-")
        if negative { self.position += 1 }
        let digitsStart = self.position
        var magnitude: UInt64 = 0
        var overflow = false
        while let c = self.current, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(c - UInt8(ascii: "0")))
            overflow = overflow || o1 || o2
            magnitude = sum
            self.position += 1
        }
        let digits = self.position - digitsStart
        guard digits > 0 else {
            throw self.error("expected digits after '-' at offset \(digitsStart)")
        }
        if digits > 1 && self.text[digitsStart] == UInt8(ascii: "0") {
            throw self.error("the integer at offset \(start) has a leading zero", at: start)
        }
        if let c = self.current {
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                throw self.error("floating-point numbers are not allowed (offset \(start))", at: start)
            }
            if c == UInt8(ascii: "(") {
                throw self.error("tags are not allowed (offset \(start))", at: start)
            }
            if c == UInt8(ascii: "_") || isWordCharacter(c) {
                throw self.error("unexpected character after the integer at offset \(self.position)")
            }
        }
        if !negative {
            guard !overflow else {
                throw self.error("the integer at offset \(start) is larger than 18446744073709551615", at: start)
            }
            return .unsigned(magnitude)
        }
        // -magnitude == -1 - n, so n = magnitude - 1; magnitude may be 2^64.
        if overflow {
            let text = String(decoding: self.text[digitsStart..<self.position], as: UTF8.self)
            guard text == "18446744073709551616" else {
                throw self.error("the integer at offset \(start) is smaller than -18446744073709551616", at: start)
            }
            return .negative(.max)
        }
        guard magnitude > 0 else {
            throw self.error("'-0' at offset \(start) is not an integer spelling; write 0", at: start)
        }
        return .negative(magnitude - 1)
    }

    private mutating func parseHex() throws(CBORError) -> [UInt8] {
        let start = self.position
        self.position += 2  // h'
        var bytes: [UInt8] = []
        var high: UInt8? = nil
        while true {
            guard let c = self.current else {
                throw self.error("the byte string at offset \(start) has no closing quote", at: start)
            }
            self.position += 1
            if c == UInt8(ascii: "'") { break }
            if c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d { continue }
            guard let nibble = hexValue(c) else {
                throw self.error(
                    "'\(String(decoding: [c], as: UTF8.self))' at offset \(self.position - 1) is not a hex digit",
                    at: self.position - 1
                )
            }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        guard high == nil else {
            throw self.error("the byte string at offset \(start) has an odd number of hex digits", at: start)
        }
        return bytes
    }

    private mutating func parseText() throws(CBORError) -> String {
        let start = self.position
        self.position += 1  // opening quote
        var bytes: [UInt8] = []
        while true {
            guard let c = self.current else {
                throw self.error("the text string at offset \(start) has no closing quote", at: start)
            }
            if c == UInt8(ascii: "\"") {
                self.position += 1
                break
            }
            if c < 0x20 {
                throw self.error("control character 0x\(hex(c)) at offset \(self.position) must be escaped")
            }
            if c != UInt8(ascii: "\\") {
                bytes.append(c)
                self.position += 1
                continue
            }
            let escapeStart = self.position
            self.position += 1
            guard let e = self.current else {
                throw self.error("the text string at offset \(start) has no closing quote", at: start)
            }
            self.position += 1
            switch e {
            case UInt8(ascii: "\""): bytes.append(0x22)
            case UInt8(ascii: "\\"): bytes.append(0x5c)
            case UInt8(ascii: "/"): bytes.append(0x2f)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0c)
            case UInt8(ascii: "n"): bytes.append(0x0a)
            case UInt8(ascii: "r"): bytes.append(0x0d)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                var value = try self.parseHex4(escapeStart)
                if value >= 0xd800 && value <= 0xdbff {
                    guard self.position + 1 < self.text.count,
                        self.text[self.position] == UInt8(ascii: "\\"),
                        self.text[self.position + 1] == UInt8(ascii: "u")
                    else {
                        throw self.error(
                            "the escape at offset \(escapeStart) is a lone high surrogate", at: escapeStart)
                    }
                    let lowStart = self.position
                    self.position += 2
                    let low = try self.parseHex4(lowStart)
                    guard low >= 0xdc00 && low <= 0xdfff else {
                        throw self.error(
                            "the escape at offset \(escapeStart) is a lone high surrogate", at: escapeStart)
                    }
                    value = 0x10000 + ((value - 0xd800) << 10) + (low - 0xdc00)
                } else if value >= 0xdc00 && value <= 0xdfff {
                    throw self.error("the escape at offset \(escapeStart) is a lone low surrogate", at: escapeStart)
                }
                // value is now a Unicode scalar value.
                let scalar = Unicode.Scalar(value)!
                bytes.append(contentsOf: UTF8.encode(scalar)!)
            default:
                throw self.error(
                    "unknown escape '\\\(String(decoding: [e], as: UTF8.self))' at offset \(escapeStart)",
                    at: escapeStart)
            }
        }
        // The raw bytes come from a Swift String and the escapes from scalars:
        // the result is valid UTF-8.
        return String(decoding: bytes, as: UTF8.self)
    }

    private mutating func parseHex4(_ escapeStart: Int) throws(CBORError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let c = self.current, let nibble = hexValue(c) else {
                throw self.error("the escape at offset \(escapeStart) needs four hex digits", at: escapeStart)
            }
            value = value << 4 | UInt32(nibble)
            self.position += 1
        }
        return value
    }
}

private func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
    default: nil
    }
}

private func isWordCharacter(_ c: UInt8) -> Bool {
    (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
        || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_")
}
