/// The types of data item that Dialogue's CBOR subset allows (**[enc-types]**).
///
/// Each corresponds to one major type of RFC 8949, except that major type 7
/// contributes only ``boolean`` (`0xf4`, `0xf5`) and ``null`` (`0xf6`).
public enum CBORType: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Major type 0: an integer from 0 to 2^64 - 1.
    case unsignedInteger = 0
    /// Major type 1: an integer from -2^64 to -1.
    case negativeInteger = 1
    /// Major type 2: a string of bytes.
    case byteString = 2
    /// Major type 3: a string of Unicode text in UTF-8.
    case textString = 3
    /// Major type 4: a sequence of data items.
    case array = 4
    /// Major type 5: a sequence of key-value pairs with distinct, sorted keys.
    case map = 5
    /// `false` (`0xf4`) or `true` (`0xf5`).
    case boolean = 6
    /// `null` (`0xf6`).
    case null = 7

    /// The name used in error messages, for example `"byte string"`.
    public var description: String {
        switch self {
        case .unsignedInteger: "unsigned integer"
        case .negativeInteger: "negative integer"
        case .byteString: "byte string"
        case .textString: "text string"
        case .array: "array"
        case .map: "map"
        case .boolean: "boolean"
        case .null: "null"
        }
    }
}
