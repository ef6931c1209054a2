/// A JSON value that keeps the order of object members, so that generated vector files are
/// byte-identical on every run, and that holds integers exactly.
///
/// Objects compare as sets of members: the order of members does not matter for equality.
public enum JSONValue: Sendable, Hashable, CustomStringConvertible {
    /// JSON `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number without fraction or exponent that fits in a signed 64-bit integer.
    case integer(Int64)
    /// A number without fraction or exponent above `Int64.max`, up to 2^64 - 1 (Spec: [conf-integers]).
    case unsigned(UInt64)
    /// Any other number.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, its members in the order read or written.
    case object([(String, JSONValue)])

    /// The member named `key` of an object, or `nil`.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// The string, or `nil`.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The integer, or `nil`.
    public var integerValue: Int64? {
        switch self {
        case .integer(let value): return value
        case .number(let value): return Int64(exactly: value)
        default: return nil
        }
    }

    /// The integer if it is from 0 to 2^64 - 1, or `nil`.
    public var unsignedValue: UInt64? {
        switch self {
        case .integer(let value): return UInt64(exactly: value)
        case .unsigned(let value): return value
        default: return nil
        }
    }

    /// An exact JSON integer for `value`, whatever its size.
    public static func exactly(_ value: UInt64) -> JSONValue {
        Int64(exactly: value).map(JSONValue.integer) ?? .unsigned(value)
    }

    /// The boolean, or `nil`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements, or `nil`.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members, or `nil`.
    public var objectValue: [(String, JSONValue)]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// A copy of an object with `key` set to `value` (replaced in place, or appended).
    public func setting(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        if let index = members.firstIndex(where: { $0.0 == key }) {
            members[index].1 = value
        } else {
            members.append((key, value))
        }
        return .object(members)
    }

    /// Equal values: objects compare as sets of members, and an integer equals the same number.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.integer(let a), .integer(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.integer(let a), .number(let b)), (.number(let b), .integer(let a)): return Double(a) == b
        case (.unsigned(let a), .unsigned(let b)): return a == b
        case (.unsigned(let a), .number(let b)), (.number(let b), .unsigned(let a)): return Double(a) == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in a {
                guard let other = b.first(where: { $0.0 == key }), other.1 == value else { return false }
            }
            return true
        default: return false
        }
    }

    /// Hashes consistently with `==`: an integer as the equal number, an object by its member count only.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(value)
        case .integer(let value): hasher.combine(Double(value))
        case .unsigned(let value): hasher.combine(Double(value))
        case .number(let value): hasher.combine(value)
        case .string(let value): hasher.combine(value)
        case .array(let value): hasher.combine(value)
        case .object(let members): hasher.combine(members.count)
        }
    }

    /// Compact JSON on one line: what the adapter protocol sends.
    public var description: String { compact() }

    /// Compact JSON on one line, no spaces.
    public func compact() -> String {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(to: &output, indent: nil, level: 0)
        return String(decoding: output, as: UTF8.self)
    }

    /// Indented JSON (two spaces), with short arrays of scalars kept on one line. The output
    /// ends with a line feed.
    public func pretty() -> String {
        var output: [UInt8] = []
        output.reserveCapacity(4096)
        write(to: &output, indent: 2, level: 0)
        output.append(0x0a)
        return String(decoding: output, as: UTF8.self)
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    private func write(to output: inout [UInt8], indent: Int?, level: Int) {
        switch self {
        case .null: output.append(contentsOf: Array("null".utf8))
        case .bool(let value): output.append(contentsOf: Array((value ? "true" : "false").utf8))
        case .integer(let value): output.append(contentsOf: Array(String(value).utf8))
        case .unsigned(let value): output.append(contentsOf: Array(String(value).utf8))
        case .number(let value):
            if let exact = Int64(exactly: value) {
                output.append(contentsOf: Array(String(exact).utf8))
            } else {
                output.append(contentsOf: Array((value.isFinite ? "\(value)" : "null").utf8))
            }
        case .string(let value): JSONValue.writeString(value, to: &output)
        case .array(let elements):
            if elements.isEmpty {
                output.append(contentsOf: [0x5b, 0x5d])
                return
            }
            let inline = elements.count <= 16 && elements.allSatisfy { $0.isScalar && $0.isShort }
            guard let indent, !inline else {
                output.append(0x5b)
                for (index, element) in elements.enumerated() {
                    if index > 0 { output.append(contentsOf: indent == nil ? [0x2c] : [0x2c, 0x20]) }
                    element.write(to: &output, indent: indent, level: level + 1)
                }
                output.append(0x5d)
                return
            }
            output.append(0x5b)
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(0x2c) }
                JSONValue.newline(&output, indent * (level + 1))
                element.write(to: &output, indent: indent, level: level + 1)
            }
            JSONValue.newline(&output, indent * level)
            output.append(0x5d)
        case .object(let members):
            if members.isEmpty {
                output.append(contentsOf: [0x7b, 0x7d])
                return
            }
            output.append(0x7b)
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output.append(0x2c) }
                if let indent { JSONValue.newline(&output, indent * (level + 1)) }
                JSONValue.writeString(key, to: &output)
                output.append(0x3a)
                if indent != nil { output.append(0x20) }
                value.write(to: &output, indent: indent, level: level + 1)
            }
            if let indent { JSONValue.newline(&output, indent * level) }
            output.append(0x7d)
        }
    }

    private var isShort: Bool {
        if case .string(let value) = self { return value.utf8.count <= 80 }
        return true
    }

    private static func newline(_ output: inout [UInt8], _ spaces: Int) {
        output.append(0x0a)
        output.append(contentsOf: repeatElement(0x20, count: spaces))
    }

    private static func writeString(_ value: String, to output: inout [UInt8]) {
        output.append(0x22)
        var value = value
        value.withUTF8 { bytes in
            // Fast path: most strings (hexadecimal, identifiers) need no escape at all.
            var needsEscape = false
            for byte in bytes where byte < 0x20 || byte == 0x22 || byte == 0x5c || byte == 0x7f {
                needsEscape = true
                break
            }
            if !needsEscape {
                output.append(contentsOf: bytes)
                return
            }
            let digits: [UInt8] = Array("0123456789abcdef".utf8)
            for byte in bytes {
                switch byte {
                case 0x22: output.append(contentsOf: [0x5c, 0x22])
                case 0x5c: output.append(contentsOf: [0x5c, 0x5c])
                case 0x0a: output.append(contentsOf: [0x5c, 0x6e])
                case 0x0d: output.append(contentsOf: [0x5c, 0x72])
                case 0x09: output.append(contentsOf: [0x5c, 0x74])
                case 0x00..<0x20, 0x7f:
                    output.append(contentsOf: [0x5c, 0x75, 0x30, 0x30, digits[Int(byte >> 4)], digits[Int(byte & 0xf)]])
                default: output.append(byte)
                }
            }
        }
        output.append(0x22)
    }
}

/// Why a JSON text could not be parsed.
public struct JSONParseError: Error, CustomStringConvertible, Sendable {
    /// What is wrong, and the byte offset where it was found.
    public let description: String
}

extension JSONValue {
    /// Parses one JSON value; only white space may follow it.
    public init(parsing text: String) throws(JSONParseError) {
        try self.init(parsing: Array(text.utf8))
    }

    /// Parses one JSON value from UTF-8 bytes; only white space may follow it.
    public init(parsing bytes: [UInt8]) throws(JSONParseError) {
        var parser = JSONParser(bytes: bytes)
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.error("unexpected data after the JSON value") }
        self = value
    }
}

private struct JSONParser {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    func error(_ text: String) -> JSONParseError { JSONParseError(description: "\(text) at offset \(position)") }

    mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x0a, 0x0d, 0x09].contains(bytes[position]) { position += 1 }
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < 512 else { throw error("nesting too deep") }
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end of JSON") }
        switch bytes[position] {
        case 0x7b:
            position += 1
            var members: [(String, JSONValue)] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == 0x7d {
                position += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == 0x22 else { throw error("expected a member name") }
                let key = try parseString()
                skipWhitespace()
                guard position < bytes.count, bytes[position] == 0x3a else { throw error("expected ':'") }
                position += 1
                members.append((key, try parseValue(depth: depth + 1)))
                skipWhitespace()
                guard position < bytes.count else { throw error("unexpected end of JSON") }
                if bytes[position] == 0x2c {
                    position += 1
                    continue
                }
                guard bytes[position] == 0x7d else { throw error("expected ',' or '}'") }
                position += 1
                return .object(members)
            }
        case 0x5b:
            position += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == 0x5d {
                position += 1
                return .array(elements)
            }
            while true {
                elements.append(try parseValue(depth: depth + 1))
                skipWhitespace()
                guard position < bytes.count else { throw error("unexpected end of JSON") }
                if bytes[position] == 0x2c {
                    position += 1
                    continue
                }
                guard bytes[position] == 0x5d else { throw error("expected ',' or ']'") }
                position += 1
                return .array(elements)
            }
        case 0x22:
            return .string(try parseString())
        case 0x74: return try literal("true", .bool(true))
        case 0x66: return try literal("false", .bool(false))
        case 0x6e: return try literal("null", .null)
        default:
            return try parseNumber()
        }
    }

    mutating func literal(_ word: String, _ value: JSONValue) throws(JSONParseError) -> JSONValue {
        let utf8 = Array(word.utf8)
        guard position + utf8.count <= bytes.count, Array(bytes[position..<position + utf8.count]) == utf8 else {
            throw error("invalid literal")
        }
        position += utf8.count
        return value
    }

    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = position
        var isInteger = true
        if position < bytes.count, bytes[position] == 0x2d { position += 1 }
        while position < bytes.count {
            let byte = bytes[position]
            if byte >= 0x30 && byte <= 0x39 {
                position += 1
            } else if byte == 0x2e || byte == 0x65 || byte == 0x45 || byte == 0x2b || byte == 0x2d {
                isInteger = false
                position += 1
            } else {
                break
            }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard !text.isEmpty, text != "-" else { throw error("invalid value") }
        if isInteger, let value = Int64(text) { return .integer(value) }
        if isInteger, let value = UInt64(text) { return .unsigned(value) }
        guard let value = Double(text) else { throw error("invalid number '\(text)'") }
        return .number(value)
    }

    mutating func parseString() throws(JSONParseError) -> String {
        position += 1  // opening quote
        // Fast path: a string without escapes is copied at once.
        let plainEnd: Int? = bytes.withUnsafeBufferPointer { buffer in
            var index = position
            while index < buffer.count {
                let byte = buffer[index]
                if byte == 0x22 { return index }
                if byte == 0x5c || byte < 0x20 { return nil }
                index += 1
            }
            return nil
        }
        if let plainEnd {
            let text = String(decoding: bytes[position..<plainEnd], as: UTF8.self)
            position = plainEnd + 1
            return text
        }
        var output: [UInt8] = []
        while true {
            guard position < bytes.count else { throw error("unterminated string") }
            let byte = bytes[position]
            position += 1
            switch byte {
            case 0x22:
                return String(decoding: output, as: UTF8.self)
            case 0x5c:
                guard position < bytes.count else { throw error("unterminated escape") }
                let escape = bytes[position]
                position += 1
                switch escape {
                case 0x22: output.append(0x22)
                case 0x5c: output.append(0x5c)
                case 0x2f: output.append(0x2f)
                case 0x62: output.append(0x08)
                case 0x66: output.append(0x0c)
                case 0x6e: output.append(0x0a)
                case 0x72: output.append(0x0d)
                case 0x74: output.append(0x09)
                case 0x75:
                    var scalar = try parseHex4()
                    if (0xd800..<0xdc00).contains(scalar) {
                        guard position + 1 < bytes.count, bytes[position] == 0x5c, bytes[position + 1] == 0x75 else {
                            throw error("lone surrogate")
                        }
                        position += 2
                        let low = try parseHex4()
                        guard (0xdc00..<0xe000).contains(low) else { throw error("invalid surrogate pair") }
                        scalar = 0x10000 + ((scalar - 0xd800) << 10) + (low - 0xdc00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                    output.append(contentsOf: Array(String(Character(unicode)).utf8))
                default: throw error("invalid escape")
                }
            default:
                guard byte >= 0x20 else { throw error("control character in string") }
                output.append(byte)
            }
        }
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            position += 1
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | digit
        }
        return value
    }
}

extension JSONValue: Codable {
    /// Decodes any JSON value; object members are sorted by name, since the order is lost.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(UInt64.self) {
            self = .unsigned(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            let members = try container.decode([String: JSONValue].self)
            self = .object(members.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
    }

    /// Encodes the value; the order of object members is not kept.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .unsigned(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let members):
            try container.encode(Dictionary(members, uniquingKeysWith: { first, _ in first }))
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    /// A string.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An integer.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// A boolean.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An array.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// An object, members in the order written.
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }
    /// `null`.
    public init(nilLiteral: ()) { self = .null }
}
