// Diagnostic notation (RFC 8949 section 8), restricted to Dialogue's subset.

extension CBORValue {
    /// The value in diagnostic notation (RFC 8949 section 8).
    ///
    /// | value | printed as |
    /// |---|---|
    /// | integers | decimal: `0`, `-1`, `18446744073709551615` |
    /// | byte strings | lower-case hex: `h'00ff'`, `h''` |
    /// | text strings | JSON-style quoted: `"a\"b\n"` |
    /// | arrays | `[1, 2]` |
    /// | maps | `{1: 2, "a": 3}`, entries in the order held |
    /// | others | `true`, `false`, `null` |
    ///
    /// In text strings, `"` and `\` are escaped, and so are control characters
    /// (U+0000 to U+001F, U+007F to U+009F) and the line and paragraph
    /// separators U+2028 and U+2029, as `\n`, `\t`, … or `\u00XX`; every
    /// other character is printed as itself. ``init(diagnostic:)`` parses the
    /// output back to an equal value.
    public var diagnosticDescription: String {
        var output = ""
        self.appendDiagnostic(to: &output)
        return output
    }

    /// Parses a value written in diagnostic notation.
    ///
    /// The accepted syntax is the subset that ``diagnosticDescription``
    /// prints, with whitespace (space, tab, line feed, carriage return)
    /// allowed between tokens and between the digits of `h'…'`:
    ///
    /// - integers: an optional `-` and decimal digits without leading zeros,
    ///   from -18446744073709551616 to 18446744073709551615;
    /// - byte strings: `h'…'` with an even number of hex digits, either case;
    /// - text strings: JSON strings with the escapes `\"`, `\\`, `\/`, `\b`,
    ///   `\f`, `\n`, `\r`, `\t` and `\uXXXX` (surrogate pairs combined, lone
    ///   surrogates refused);
    /// - `[…]`, `{key: value, …}`, `true`, `false`, `null`.
    ///
    /// Floats, tags, `undefined`, `simple(…)` and indefinite-length forms are
    /// refused with an explanation. A map with duplicate keys is parsed; the
    /// encoder rejects it.
    ///
    /// ```swift
    /// let value = try CBORValue(diagnostic: #"{1: h'cafe', "to": ["bob"]}"#)
    /// ```
    ///
    /// - Throws: ``CBORError`` with code ``CBORError/Code/invalidDiagnostic``
    ///   (offset: in the UTF-8 encoding of `diagnostic`), or
    ///   ``CBORError/Code/tooDeep`` when nesting exceeds the default depth limit.
    public init(diagnostic: String) throws(CBORError) {
        var parser = DiagnosticParser(Array(diagnostic.utf8), maximumDepth: CBORLimits.default.maximumDepth)
        self = try parser.parseDocument()
    }

    func appendDiagnostic(to output: inout String) {
        switch self {
        case .unsigned(let n):
            output += String(n)
        case .negative(let n):
            output += negativeIntegerDescription(n)
        case .bytes(let bytes):
            output += "h'"
            for byte in bytes { output += hex(byte) }
            output += "'"
        case .text(let text):
            appendQuoted(text, to: &output)
        case .array(let elements):
            output += "["
            for (i, element) in elements.enumerated() {
                if i > 0 { output += ", " }
                element.appendDiagnostic(to: &output)
            }
            output += "]"
        case .map(let entries):
            output += "{"
            for (i, entry) in entries.enumerated() {
                if i > 0 { output += ", " }
                entry.key.appendDiagnostic(to: &output)
                output += ": "
                entry.value.appendDiagnostic(to: &output)
            }
            output += "}"
        case .bool(let b):
            output += b ? "true" : "false"
        case .null:
            output += "null"
        }
    }
}

/// The decimal text of the negative integer `-1 - n`, which for
/// `n == UInt64.max` is -2^64 and does not fit in any standard integer type.
func negativeIntegerDescription(_ n: UInt64) -> String {
    n == .max ? "-18446744073709551616" : "-\(n + 1)"
}

private func appendQuoted(_ text: String, to output: inout String) {
    output += "\""
    for scalar in text.unicodeScalars {
        switch scalar.value {
        case 0x22: output += "\\\""
        case 0x5c: output += "\\\\"
        case 0x08: output += "\\b"
        case 0x0c: output += "\\f"
        case 0x0a: output += "\\n"
        case 0x0d: output += "\\r"
        case 0x09: output += "\\t"
        case 0x00...0x1f, 0x7f...0x9f, 0x2028, 0x2029:
            let v = scalar.value
            output += "\\u" + hex(UInt8(v >> 8)) + hex(UInt8(v & 0xff))
        default:
            output.unicodeScalars.append(scalar)
        }
    }
    output += "\""
}
