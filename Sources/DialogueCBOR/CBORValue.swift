/// A CBOR data item of Dialogue's subset, as a plain value.
///
/// Use `CBORValue` to build data for ``CBOREncoder`` and to compare decoded
/// data (``CBORNode/value``). It holds only the types that `Spec/encoding.md`
/// allows (**[enc-types]**), so floats, tags and other simple values cannot
/// even be expressed.
///
/// ```swift
/// let value: CBORValue = [1: "alice", 2: .bytes([0xde, 0xad]), -1: [true, .null]]
/// let bytes = try CBOREncoder().encode(value)
/// ```
///
/// ## Equality
///
/// Two values are equal exactly when their canonical encodings are equal:
///
/// - Text strings compare by their UTF-8 bytes, not by Swift's Unicode
///   canonical equivalence, so `"\u{e9}"` and `"e\u{301}"` are different
///   values (they are different bytes on the wire).
/// - Maps compare as sets of entries: the order in which entries were listed
///   does not matter, because the encoder sorts them (**[enc-map-order]**).
public enum CBORValue: Sendable {
    /// An unsigned integer, major type 0: `n`.
    case unsigned(UInt64)
    /// A negative integer, major type 1: the value is `-1 - n`, so
    /// `.negative(0)` is -1 and `.negative(UInt64.max)` is -2^64.
    case negative(UInt64)
    /// A byte string, major type 2.
    case bytes([UInt8])
    /// A text string, major type 3.
    case text(String)
    /// An array, major type 4.
    case array([CBORValue])
    /// A map, major type 5. The entries may be listed in any order; the
    /// encoder sorts them and refuses duplicate keys.
    case map([MapEntry])
    /// `false` (`0xf4`) or `true` (`0xf5`).
    case bool(Bool)
    /// `null` (`0xf6`).
    case null

    /// One key-value pair of a ``CBORValue/map(_:)-enum.case``.
    public struct MapEntry: Sendable, Hashable {
        /// The key. Dialogue allows only integers and text strings as keys
        /// (**[enc-map-keys]**).
        public var key: CBORValue
        /// The value.
        public var value: CBORValue

        /// Creates an entry.
        public init(key: CBORValue, value: CBORValue) {
            self.key = key
            self.value = value
        }
    }
}

extension CBORValue {
    /// An integer from `Int64`: `.unsigned` for 0 and above, `.negative` below.
    public static func integer(_ value: Int64) -> CBORValue {
        value >= 0 ? .unsigned(UInt64(value)) : .negative(UInt64(bitPattern: ~value))
    }

    /// An integer of any width, or `nil` when it is outside -2^64 ... 2^64 - 1.
    public init?(exactly value: some BinaryInteger) {
        if value >= 0 {
            guard let n = UInt64(exactly: value) else { return nil }
            self = .unsigned(n)
        } else {
            // -1 - value >= 0 cannot overflow for value < 0.
            guard let n = UInt64(exactly: -1 - value) else { return nil }
            self = .negative(n)
        }
    }

    /// A map from key-value pairs, kept in the order given.
    public static func map(_ pairs: KeyValuePairs<CBORValue, CBORValue>) -> CBORValue {
        .map(pairs.map { MapEntry(key: $0.key, value: $0.value) })
    }

    /// The type of this value.
    public var type: CBORType {
        switch self {
        case .unsigned: .unsignedInteger
        case .negative: .negativeInteger
        case .bytes: .byteString
        case .text: .textString
        case .array: .array
        case .map: .map
        case .bool: .boolean
        case .null: .null
        }
    }

    /// The value as an `Int64`, or `nil` when it is not an integer or does
    /// not fit.
    public var int64Value: Int64? {
        switch self {
        case .unsigned(let n): Int64(exactly: n)
        case .negative(let n): n <= UInt64(Int64.max) ? ~Int64(n) : nil
        default: nil
        }
    }
}

// MARK: - Literals

extension CBORValue: ExpressibleByIntegerLiteral {
    /// An integer literal, as ``integer(_:)``.
    public init(integerLiteral value: Int64) {
        self = .integer(value)
    }
}

extension CBORValue: ExpressibleByStringLiteral {
    /// A string literal, as ``text(_:)``.
    public init(stringLiteral value: String) {
        self = .text(value)
    }
}

extension CBORValue: ExpressibleByBooleanLiteral {
    /// A Boolean literal, as ``bool(_:)``.
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}

extension CBORValue: ExpressibleByArrayLiteral {
    /// An array literal, as ``array(_:)``.
    public init(arrayLiteral elements: CBORValue...) {
        self = .array(elements)
    }
}

extension CBORValue: ExpressibleByDictionaryLiteral {
    /// A dictionary literal, as ``map(_:)-enum.case`` with the entries in
    /// the order written.
    public init(dictionaryLiteral elements: (CBORValue, CBORValue)...) {
        self = .map(elements.map { MapEntry(key: $0.0, value: $0.1) })
    }
}

// MARK: - Equality

extension CBORValue: Hashable {
    /// Whether two values have the same canonical encoding; see the type's
    /// discussion of equality.
    public static func == (lhs: CBORValue, rhs: CBORValue) -> Bool {
        switch (lhs, rhs) {
        case (.unsigned(let a), .unsigned(let b)): a == b
        case (.negative(let a), .negative(let b)): a == b
        case (.bytes(let a), .bytes(let b)): a == b
        case (.text(let a), .text(let b)): a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
        case (.array(let a), .array(let b)): a == b
        case (.map(let a), .map(let b)): mapsEqual(a, b)
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        default: false
        }
    }

    /// Hashes the value consistently with `==`: text by its UTF-8 bytes and
    /// maps independently of the order of their entries.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.type)
        switch self {
        case .unsigned(let n), .negative(let n):
            hasher.combine(n)
        case .bytes(let b):
            hasher.combine(b)
        case .text(let s):
            hasher.combine(s.utf8.count)
            for byte in s.utf8 { hasher.combine(byte) }
        case .array(let a):
            hasher.combine(a)
        case .map(let entries):
            hasher.combine(entries.count)
            var sum = 0
            for entry in entries {
                var entryHasher = Hasher()
                entryHasher.combine(entry)
                sum &+= entryHasher.finalize()
            }
            hasher.combine(sum)
        case .bool(let b):
            hasher.combine(b)
        case .null:
            break
        }
    }

    private static func mapsEqual(_ a: [MapEntry], _ b: [MapEntry]) -> Bool {
        guard a.count == b.count else { return false }
        if a.elementsEqual(b) { return true }
        // Different order, or different content: compare the entries as
        // multisets through their canonical encodings. An entry's encoding is
        // its key's encoding followed by its value's; key encodings are
        // prefix-free, so sorting these sorts by key, then by value.
        let sortedA = a.map(CBORWriter.uncheckedEncoding(of:)).sorted(by: { $0.lexicographicallyPrecedes($1) })
        let sortedB = b.map(CBORWriter.uncheckedEncoding(of:)).sorted(by: { $0.lexicographicallyPrecedes($1) })
        return sortedA == sortedB
    }
}

extension CBORValue: CustomStringConvertible {
    /// The value in diagnostic notation; see ``diagnosticDescription``.
    public var description: String { self.diagnosticDescription }
}
