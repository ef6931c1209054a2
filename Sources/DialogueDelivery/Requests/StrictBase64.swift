/// The padded base64 of RFC 4648 section 4, read strictly: the one encoding of each byte string
/// (Spec: delivery.md#dlv-request-verify, step 1).
///
/// RFC 8941 byte sequences use this alphabet. RFC 8941 asks parsers to tolerate missing padding
/// and non-zero fill bits; Dialogue does not: a decoder that accepted several spellings of one
/// signature would let a request be replayed under another spelling, and would let two
/// implementations disagree about which bytes were signed.
public enum StrictBase64 {
    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The padded base64 of `bytes`.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= input.count {
            let word = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            for shift in [18, 12, 6, 0] { output.append(alphabet[Int(word >> UInt32(shift) & 0x3f)]) }
            index += 3
        }
        switch input.count - index {
        case 1:
            let word = UInt32(input[index]) << 16
            output += [alphabet[Int(word >> 18 & 0x3f)], alphabet[Int(word >> 12 & 0x3f)], 0x3d, 0x3d]
        case 2:
            let word = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
            output += [
                alphabet[Int(word >> 18 & 0x3f)], alphabet[Int(word >> 12 & 0x3f)], alphabet[Int(word >> 6 & 0x3f)],
                0x3d,
            ]
        default: break
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes canonical padded base64, or returns `nil`: a length that is not a multiple of 4,
    /// a character outside the alphabet, padding that is missing, misplaced or longer than two
    /// characters, or fill bits that are not zero.
    public static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        let input = Array(text)
        guard input.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 4 * 3)
        var index = 0
        while index < input.count {
            let isLast = index + 4 == input.count
            let padding = isLast ? (input[index + 3] == 0x3d ? (input[index + 2] == 0x3d ? 2 : 1) : 0) : 0
            var word: UInt32 = 0
            for offset in 0..<(4 - padding) {
                guard let value = value(of: input[index + offset]) else { return nil }
                word = word << 6 | UInt32(value)
            }
            word <<= UInt32(6 * padding)
            switch padding {
            case 0: output += [UInt8(word >> 16 & 0xff), UInt8(word >> 8 & 0xff), UInt8(word & 0xff)]
            case 1:
                guard word & 0xff == 0 else { return nil }
                output += [UInt8(word >> 16 & 0xff), UInt8(word >> 8 & 0xff)]
            default:
                guard word & 0xffff == 0 else { return nil }
                output.append(UInt8(word >> 16 & 0xff))
            }
            index += 4
        }
        return output
    }

    /// Decodes canonical padded base64 text, or returns `nil`.
    public static func decode(_ text: String) -> [UInt8]? { decode(Array(text.utf8)) }

    private static func value(of character: UInt8) -> UInt8? {
        switch character {
        case 0x41...0x5a: return character - 0x41
        case 0x61...0x7a: return character - 0x61 + 26
        case 0x30...0x39: return character - 0x30 + 52
        case 0x2b: return 62
        case 0x2f: return 63
        default: return nil
        }
    }
}
