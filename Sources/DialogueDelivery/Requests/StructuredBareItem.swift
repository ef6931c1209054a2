/// A bare item of an RFC 8941 structured field, in the subset that the request profile uses:
/// integers, strings and byte sequences (Spec: delivery.md#dlv-request).
///
/// Tokens, decimals, booleans (and so bare keys and parameters without a value) and the dates
/// of RFC 9651 are outside the subset: the parser rejects them as `malformed`.
public enum StructuredBareItem: Hashable, Sendable, CustomStringConvertible {
    /// An integer of at most 15 decimal digits, with an optional minus sign.
    case integer(Int64)
    /// A string of printable ASCII (0x20 to 0x7E).
    case string(String)
    /// A byte sequence, written in padded base64 between colons.
    case byteSequence([UInt8])

    /// The RFC 8941 section 4.1 serialization: `42`, `"text"` with `"` and `\` escaped, `:base64:`.
    public var serialized: String {
        switch self {
        case .integer(let value): return String(value)
        case .string(let text):
            var output = "\""
            for character in text.unicodeScalars {
                if character == "\"" || character == "\\" { output.append("\\") }
                output.unicodeScalars.append(character)
            }
            return output + "\""
        case .byteSequence(let bytes): return ":" + StrictBase64.encode(bytes) + ":"
        }
    }

    /// The serialization.
    public var description: String { serialized }

    /// The string, or `nil` for another kind of item.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The integer, or `nil` for another kind of item.
    public var integerValue: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The bytes, or `nil` for another kind of item.
    public var byteSequenceValue: [UInt8]? {
        if case .byteSequence(let bytes) = self { return bytes }
        return nil
    }
}
