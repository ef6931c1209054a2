/// The parsing algorithms of RFC 8941 section 4.2, over the bytes of one field value, for the
/// subset of ``StructuredDictionary``, with duplicate keys refused and byte sequences read by
/// ``StrictBase64``.
struct StructuredFieldParser {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    private static let space: UInt8 = 0x20
    private static let tab: UInt8 = 0x09

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private func fail(_ reason: String) -> DeliveryError {
        .malformed("structured field, byte \(index): \(reason)")
    }

    private mutating func skipSpaces() {
        while current == Self.space { index += 1 }
    }

    /// Optional whitespace: spaces and tabs, allowed around a dictionary's commas.
    private mutating func skipWhitespace() {
        while current == Self.space || current == Self.tab { index += 1 }
    }

    /// Section 4.2 with section 4.2.2: the whole value as a dictionary.
    mutating func dictionary() throws(DeliveryError) -> [StructuredDictionary.Member] {
        if let offset = bytes.firstIndex(where: { $0 >= 0x80 }) {
            index = offset
            throw fail("a byte outside ASCII")
        }
        skipSpaces()
        var members: [StructuredDictionary.Member] = []
        while current != nil {
            let key = try key()
            guard current == UInt8(ascii: "=") else {
                throw fail("the member '\(key)' has no value (a boolean, outside the profile's subset)")
            }
            index += 1
            let value: StructuredDictionary.Value
            if current == UInt8(ascii: "(") {
                value = .innerList(try innerList())
            } else {
                value = .item(try item())
            }
            guard !members.contains(where: { $0.key == key }) else {
                throw fail("the key '\(key)' appears twice in the dictionary")
            }
            members.append(StructuredDictionary.Member(key: key, value: value))
            skipWhitespace()
            guard let next = current else { break }
            guard next == UInt8(ascii: ",") else { throw fail("expected ',' between members") }
            index += 1
            skipWhitespace()
            guard current != nil else { throw fail("a trailing ','") }
        }
        skipSpaces()
        guard current == nil else { throw fail("trailing characters") }
        return members
    }

    /// Section 4.2.1.2.
    private mutating func innerList() throws(DeliveryError) -> StructuredInnerList {
        index += 1  // "("
        var items: [StructuredItem] = []
        while current != nil {
            skipSpaces()
            if current == UInt8(ascii: ")") {
                index += 1
                return StructuredInnerList(items, parameters: try parameters())
            }
            items.append(try item())
            guard current == Self.space || current == UInt8(ascii: ")") else {
                throw fail("expected ' ' or ')' after an item of an inner list")
            }
        }
        throw fail("an inner list without its ')'")
    }

    /// Section 4.2.3.
    private mutating func item() throws(DeliveryError) -> StructuredItem {
        let value = try bareItem()
        return StructuredItem(value, parameters: try parameters())
    }

    /// Section 4.2.3.1.
    private mutating func bareItem() throws(DeliveryError) -> StructuredBareItem {
        guard let first = current else { throw fail("an item is missing") }
        switch first {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .integer(try integer())
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: ":"): return .byteSequence(try byteSequence())
        case UInt8(ascii: "*"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            throw fail("a token, outside the profile's subset")
        case UInt8(ascii: "?"): throw fail("a boolean, outside the profile's subset")
        default: throw fail("not the start of an item")
        }
    }

    /// Section 4.2.3.2, with a repeated key refused.
    private mutating func parameters() throws(DeliveryError) -> StructuredParameters {
        var parameters = StructuredParameters()
        while current == UInt8(ascii: ";") {
            index += 1
            skipSpaces()
            let key = try key()
            guard current == UInt8(ascii: "=") else {
                throw fail("the parameter '\(key)' has no value (a boolean, outside the profile's subset)")
            }
            index += 1
            let value = try bareItem()
            guard parameters.appendIfNew(StructuredParameters.Parameter(key, value)) else {
                throw fail("the parameter '\(key)' appears twice")
            }
        }
        return parameters
    }

    /// Section 4.2.3.3.
    private mutating func key() throws(DeliveryError) -> String {
        guard let first = current, StructuredParameters.isLowercaseLetter(first) || first == UInt8(ascii: "*") else {
            throw fail("a key starts with a lower-case letter or '*'")
        }
        let start = index
        index += 1
        while let byte = current, StructuredParameters.isKeyCharacter(byte) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// Section 4.2.4, integers only.
    private mutating func integer() throws(DeliveryError) -> Int64 {
        var negative = false
        if current == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var magnitude: Int64 = 0
        var digits = 0
        while let byte = current, byte >= 0x30, byte <= 0x39 {
            digits += 1
            guard digits <= 15 else { throw fail("an integer of more than 15 digits") }
            magnitude = magnitude * 10 + Int64(byte - 0x30)
            index += 1
        }
        guard digits > 0 else { throw fail("a '-' without digits") }
        guard current != UInt8(ascii: ".") else { throw fail("a decimal, outside the profile's subset") }
        return negative ? -magnitude : magnitude
    }

    /// Section 4.2.5.
    private mutating func string() throws(DeliveryError) -> String {
        index += 1  // the opening quote
        var output: [UInt8] = []
        while let byte = current {
            index += 1
            switch byte {
            case UInt8(ascii: "\\"):
                guard let escaped = current, escaped == UInt8(ascii: "\"") || escaped == UInt8(ascii: "\\") else {
                    throw fail("a '\\' that escapes neither '\"' nor '\\'")
                }
                output.append(escaped)
                index += 1
            case UInt8(ascii: "\""):
                return String(decoding: output, as: UTF8.self)
            case 0x20...0x7e:
                output.append(byte)
            default:
                index -= 1
                throw fail("a control character in a string")
            }
        }
        throw fail("a string without its closing '\"'")
    }

    /// Section 4.2.7, decoded strictly.
    private mutating func byteSequence() throws(DeliveryError) -> [UInt8] {
        index += 1  // the opening colon
        let start = index
        while let byte = current, byte != UInt8(ascii: ":") { index += 1 }
        guard current != nil else { throw fail("a byte sequence without its closing ':'") }
        let content = bytes[start..<index]
        index += 1
        guard let decoded = StrictBase64.decode(content) else {
            throw fail("a byte sequence that is not canonical padded base64")
        }
        return decoded
    }
}
