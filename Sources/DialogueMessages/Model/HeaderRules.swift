/// The rules for header names and values, media types and file names (Spec: messages.md#msg-limits).
public enum HeaderRules {
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
        // Control characters are C0, DEL and C1 (U+0080 to U+009F, two bytes in UTF-8).
        guard
            !fileName.unicodeScalars.contains(where: {
                $0.value < 0x20 || (0x7f...0x9f).contains($0.value) || $0 == "/"
            })
        else {
            throw .malformed("a file name contains no '/' and no control characters")
        }
    }
}
