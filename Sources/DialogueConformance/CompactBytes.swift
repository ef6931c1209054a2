internal import DialogueCrypto

/// Byte strings of a vector input written by a rule instead of in full, so that vectors of the
/// largest inputs (a 16 MiB envelope, 65,536 chunk identifiers) stay small in the repository
/// (Spec: conformance.md#conf-vectors, "Compact byte strings").
///
/// `{"concat": [piece, …]}` stands for the concatenation of its pieces, each a hexadecimal
/// string or `{"hex": h, "times": n}` (the bytes of `h` repeated `n` times). The runner expands
/// every input before it is sent, so an adapter never sees the compact form.
enum CompactBytes {
    /// `value` with every compact byte string replaced by its hexadecimal string, at any depth.
    static func expand(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            if members.count == 1, members[0].0 == "concat", let pieces = members[0].1.arrayValue {
                return .string(hex(of: pieces))
            }
            return .object(members.map { ($0.0, expand($0.1)) })
        case .array(let elements):
            return .array(elements.map(expand))
        default:
            return value
        }
    }

    private static func hex(of pieces: [JSONValue]) -> String {
        var text = ""
        for piece in pieces {
            if let literal = piece.stringValue {
                text += literal
            } else if let unit = piece["hex"]?.stringValue, let times = piece["times"]?.integerValue, times >= 0 {
                text += String(repeating: unit, count: Int(times))
            }
        }
        return text
    }

    /// The compact form of `bytes` that writes its longest run of `unit` once with a count, if that
    /// run is longer than `minimumRun` units; otherwise the plain hexadecimal string.
    static func compact(_ bytes: [UInt8], unit: [UInt8], minimumRun: Int = 64) -> JSONValue {
        var best = (start: 0, count: 0)
        var index = 0
        while index + unit.count <= bytes.count {
            var count = 0
            while index + (count + 1) * unit.count <= bytes.count,
                bytes[(index + count * unit.count)..<(index + (count + 1) * unit.count)].elementsEqual(unit)
            {
                count += 1
            }
            if count > best.count { best = (index, count) }
            index += max(1, count * unit.count)
        }
        guard best.count > minimumRun else { return .string(Hex.encode(bytes)) }
        let end = best.start + best.count * unit.count
        return .object([
            (
                "concat",
                .array([
                    .string(Hex.encode(Array(bytes[..<best.start]))),
                    .object([("hex", .string(Hex.encode(unit))), ("times", .integer(Int64(best.count)))]),
                    .string(Hex.encode(Array(bytes[end...]))),
                ])
            )
        ])
    }
}
