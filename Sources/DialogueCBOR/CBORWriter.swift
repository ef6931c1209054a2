/// Low-level output primitives shared by the encoder and by value equality.
///
/// Everything here writes the shortest form of every head
/// (**[enc-shortest]**); nothing here checks map keys or limits.
enum CBORWriter {
    /// Major type numbers, as they appear in the top three bits of a head.
    static let majorUnsigned: UInt8 = 0
    static let majorNegative: UInt8 = 1
    static let majorBytes: UInt8 = 2
    static let majorText: UInt8 = 3
    static let majorArray: UInt8 = 4
    static let majorMap: UInt8 = 5

    /// The number of bytes of the shortest head for `argument`.
    @inline(__always)
    static func headLength(_ argument: UInt64) -> Int {
        if argument < 24 { return 1 }
        if argument <= 0xff { return 2 }
        if argument <= 0xffff { return 3 }
        if argument <= 0xffff_ffff { return 5 }
        return 9
    }

    /// Appends the shortest head for `major` and `argument` (**[enc-shortest]**).
    @inline(__always)
    static func appendHead(major: UInt8, argument: UInt64, to output: inout [UInt8]) {
        let high = major << 5
        if argument < 24 {
            output.append(high | UInt8(truncatingIfNeeded: argument))
        } else if argument <= 0xff {
            output.append(high | 24)
            output.append(UInt8(truncatingIfNeeded: argument))
        } else if argument <= 0xffff {
            output.append(high | 25)
            output.append(UInt8(truncatingIfNeeded: argument >> 8))
            output.append(UInt8(truncatingIfNeeded: argument))
        } else if argument <= 0xffff_ffff {
            output.append(high | 26)
            output.append(UInt8(truncatingIfNeeded: argument >> 24))
            output.append(UInt8(truncatingIfNeeded: argument >> 16))
            output.append(UInt8(truncatingIfNeeded: argument >> 8))
            output.append(UInt8(truncatingIfNeeded: argument))
        } else {
            output.append(high | 27)
            var shift: UInt64 = 56
            while true {
                output.append(UInt8(truncatingIfNeeded: argument >> shift))
                if shift == 0 { break }
                shift -= 8
            }
        }
    }

    /// The canonical encoding of a map entry (key then value), without any
    /// check; used to compare maps as multisets.
    static func uncheckedEncoding(of entry: CBORValue.MapEntry) -> [UInt8] {
        var output: [UInt8] = []
        appendUnchecked(entry.key, to: &output)
        appendUnchecked(entry.value, to: &output)
        return output
    }

    /// Appends a canonical encoding of `value` without checking map keys,
    /// duplicates or limits. Map entries are sorted by their encodings.
    static func appendUnchecked(_ value: CBORValue, to output: inout [UInt8]) {
        switch value {
        case .unsigned(let n):
            appendHead(major: majorUnsigned, argument: n, to: &output)
        case .negative(let n):
            appendHead(major: majorNegative, argument: n, to: &output)
        case .bytes(let b):
            appendHead(major: majorBytes, argument: UInt64(b.count), to: &output)
            output.append(contentsOf: b)
        case .text(let s):
            appendHead(major: majorText, argument: UInt64(s.utf8.count), to: &output)
            output.append(contentsOf: s.utf8)
        case .array(let elements):
            appendHead(major: majorArray, argument: UInt64(elements.count), to: &output)
            for element in elements { appendUnchecked(element, to: &output) }
        case .map(let entries):
            appendHead(major: majorMap, argument: UInt64(entries.count), to: &output)
            let encoded = entries.map(uncheckedEncoding(of:)).sorted(by: { $0.lexicographicallyPrecedes($1) })
            for entry in encoded { output.append(contentsOf: entry) }
        case .bool(let b):
            output.append(b ? 0xf5 : 0xf4)
        case .null:
            output.append(0xf6)
        }
    }
}
