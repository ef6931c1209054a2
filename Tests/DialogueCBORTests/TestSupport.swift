import DialogueCBOR
import Testing

/// Bytes from a hex string; spaces are ignored.
func bytes(_ hex: String) -> [UInt8] {
    let digits = hex.filter { !$0.isWhitespace }
    precondition(digits.count % 2 == 0, "odd hex: \(hex)")
    var result: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        result.append(UInt8(digits[index..<next], radix: 16)!)
        index = next
    }
    return result
}

/// Lower-case hex of bytes.
func hexString(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}

/// Decodes `hex` and records an issue unless it is rejected with `code`
/// (and, when given, at `offset`).
func expectRejected(
    _ hex: String,
    _ code: CBORError.Code,
    offset: Int? = nil,
    limits: CBORLimits = .default,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    expectRejected(bytes(hex), code, offset: offset, limits: limits, label: hex, sourceLocation: sourceLocation)
}

/// Decodes `input` and records an issue unless it is rejected with `code`
/// (and, when given, at `offset`).
func expectRejected(
    _ input: [UInt8],
    _ code: CBORError.Code,
    offset: Int? = nil,
    limits: CBORLimits = .default,
    label: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let label = label ?? (input.count <= 64 ? hexString(input) : "\(input.count) bytes")
    do throws(CBORError) {
        let node = try CBORDecoder(limits: limits).decode(input)
        Issue.record("\(label) was accepted as \(node)", sourceLocation: sourceLocation)
    } catch {
        #expect(error.code == code, "\(label): \(error)", sourceLocation: sourceLocation)
        if let offset {
            #expect(error.offset == offset, "\(label): \(error)", sourceLocation: sourceLocation)
        }
    }
}

/// Decodes `hex`, records an issue unless it is accepted with `value`, and
/// checks that the value re-encodes to the input.
func expectAccepted(
    _ hex: String,
    _ value: CBORValue,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let input = bytes(hex)
    do throws(CBORError) {
        let node = try CBORDecoder().decode(input)
        #expect(node.value == value, "\(hex)", sourceLocation: sourceLocation)
        #expect(try CBOREncoder().encode(value) == input, "\(hex)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("\(hex) was rejected: \(error)", sourceLocation: sourceLocation)
    }
}
