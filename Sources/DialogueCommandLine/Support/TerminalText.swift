/// How every sender-controlled string reaches the terminal: escaped, so that a message can
/// neither send control sequences to the terminal nor forge a line of the command's own output
/// (Spec: messages.md#msg-reader-display).
///
/// Escaped, as visible text that the terminal does not interpret: C0 controls (U+0000 to
/// U+001F), DEL and the C1 controls (U+007F to U+009F) as `\x1b`; every format character of
/// general category Cf (which holds the bidirectional embeddings, overrides and isolates
/// U+202A to U+202E and U+2066 to U+2069, the marks and zero-width characters U+200B to
/// U+200F, U+061C and U+FEFF) and the line and paragraph separators U+2028 and U+2029 as
/// `\u{202e}`. Backslashes are left as they are: the escaping is for display, not a reversible
/// encoding.
///
/// ```swift
/// print("subject     \(TerminalText.line(subject))")   // one line, whatever the subject holds
/// for line in TerminalText.body(text) { print(line) }     // "| " before every line of the text
/// ```
enum TerminalText {
    /// What starts every line of a message's text, so that no line of it looks like one of the
    /// command's labels (`trust`, `from`, `part 1`…), which all start at the first column.
    static let bodyPrefix = "| "

    /// `text` as one line: every character listed above is escaped, tabs and line breaks included.
    static func line(_ text: some StringProtocol) -> String {
        var result = ""
        for scalar in text.unicodeScalars { append(scalar, to: &result, keepingTabs: false) }
        return result
    }

    /// The lines of a message's text, each starting with ``bodyPrefix``. Line feeds (and CR LF)
    /// end lines; tabs stay; a lone carriage return, which would move the cursor back over the
    /// prefix, is escaped like every other control character.
    static func body(_ text: some StringProtocol) -> [String] {
        var lines: [String] = []
        var current = bodyPrefix
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\n" || (scalar == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n") {
                lines.append(current)
                current = bodyPrefix
                index += scalar == "\r" ? 2 : 1
                continue
            }
            append(scalar, to: &current, keepingTabs: true)
            index += 1
        }
        if current != bodyPrefix || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// Whether `scalar` is shown as an escape rather than as itself.
    static func isEscaped(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1f, 0x7f...0x9f, 0x2028, 0x2029: return true
        default: return scalar.properties.generalCategory == .format
        }
    }

    private static func append(_ scalar: Unicode.Scalar, to result: inout String, keepingTabs: Bool) {
        guard isEscaped(scalar), !(keepingTabs && scalar == "\t") else {
            result.unicodeScalars.append(scalar)
            return
        }
        let hex = String(scalar.value, radix: 16)
        result += scalar.value <= 0xff ? "\\x" + (hex.count == 1 ? "0" + hex : hex) : "\\u{\(hex)}"
    }
}
