/// The rules for header names and values, media types and file names (Spec: messages.md#msg-limits).
///
/// Each check tests the length first and the characters second: a length outside the table's
/// range is `limits-exceeded`, a character the table does not allow is `malformed`.
public enum HeaderRules {
    /// The code points of Unicode general category Cf (format characters) as of Unicode 16.0, which
    /// a file name may not hold (Spec: [msg-file-name-format]): bidirectional overrides and
    /// isolates, zero-width characters, the byte order mark, tag characters and the like.
    ///
    /// The list is fixed here rather than read from the platform's Unicode tables, because those
    /// differ between libraries and versions (Python 3.11's tables lack U+13439 to U+1343F).
    public static let formatCharacters: [ClosedRange<UInt32>] = [
        0x00AD...0x00AD, 0x0600...0x0605, 0x061C...0x061C, 0x06DD...0x06DD, 0x070F...0x070F,
        0x0890...0x0891, 0x08E2...0x08E2, 0x180E...0x180E, 0x200B...0x200F, 0x202A...0x202E,
        0x2060...0x2064, 0x2066...0x206F, 0xFEFF...0xFEFF, 0xFFF9...0xFFFB, 0x110BD...0x110BD,
        0x110CD...0x110CD, 0x13430...0x1343F, 0x1BCA0...0x1BCA3, 0x1D173...0x1D17A, 0xE0001...0xE0001,
        0xE0020...0xE007F,
    ]

    /// Whether `scalar` is a control character: C0 (U+0000 to U+001F), DEL or C1 (U+0080 to U+009F).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value)
    }

    /// Whether `scalar` is one of ``formatCharacters``.
    static func isFormat(_ scalar: Unicode.Scalar) -> Bool {
        // Every listed code point is at or above U+00AD: most text never reaches the search.
        scalar.value >= 0xAD && formatCharacters.contains { $0.contains(scalar.value) }
    }

    /// Checks a header; the sealer and the decoder both apply it.
    public static func check(name: String, value: String) throws(MessageError) {
        let bytes = Array(name.utf8)
        guard (1...MessageLimits.maximumHeaderNameSize).contains(bytes.count) else {
            throw .limits("header name '\(name)' has \(bytes.count) bytes; 1 to 64 are allowed")
        }
        guard bytes.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2d }) else {
            throw .malformed("header name '\(name)' may contain only a-z, 0-9 and '-'")
        }
        guard value.utf8.count <= MessageLimits.maximumHeaderValueSize else {
            throw .limits("header '\(name)' has a value of \(value.utf8.count) bytes; at most 16384 are allowed")
        }
        // A header is one line of text: a line break or an escape sequence in it can only forge
        // what a reader is shown (Spec: [msg-header-value-controls]).
        guard !value.unicodeScalars.contains(where: { isControl($0) && $0 != "\t" }) else {
            throw .malformed("header '\(name)' holds a control character other than TAB")
        }
    }

    /// Checks a part's media type and file name.
    public static func check(mediaType: String, fileName: String) throws(MessageError) {
        let type = Array(mediaType.utf8)
        guard (1...MessageLimits.maximumMediaTypeSize).contains(type.count) else {
            throw .limits("a media type has 1 to 255 bytes, not \(type.count)")
        }
        guard type.allSatisfy({ $0 >= 0x20 && $0 <= 0x7e }) else {
            throw .malformed("a media type is printable ASCII")
        }
        let name = Array(fileName.utf8)
        guard name.count <= MessageLimits.maximumFileNameSize else {
            throw .limits("a file name has at most 255 bytes, not \(name.count)")
        }
        guard !fileName.unicodeScalars.contains(where: { isControl($0) || $0 == "/" }) else {
            throw .malformed("a file name contains no '/' and no control characters")
        }
        // `invoice\u{202E}fdp.exe` shows as `invoiceexe.pdf` (Spec: [msg-file-name-format]).
        guard !fileName.unicodeScalars.contains(where: isFormat) else {
            throw .malformed("a file name contains no Unicode format characters (general category Cf)")
        }
    }
}
