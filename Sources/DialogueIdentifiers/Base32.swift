/// Lower-case, unpadded RFC 4648 base32 with canonical fill bits (Spec: identifiers.md#id-text).
enum Base32 {
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    /// The value of each ASCII character, or 0xff; upper case maps like lower case ([id-text-case]).
    static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xff, count: 256)
        for (value, character) in alphabet.enumerated() {
            table[Int(character)] = UInt8(value)
            if character >= UInt8(ascii: "a") && character <= UInt8(ascii: "z") {
                table[Int(character - 0x20)] = UInt8(value)
            }
        }
        return table
    }()

    static func encode(_ bytes: [UInt8]) -> String {
        var output = [UInt8]()
        output.reserveCapacity((bytes.count * 8 + 4) / 5)
        var buffer: UInt32 = 0
        var bitCount = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bitCount += 8
            while bitCount >= 5 {
                bitCount -= 5
                output.append(alphabet[Int((buffer >> UInt32(bitCount)) & 0x1f)])
            }
        }
        if bitCount > 0 {
            output.append(alphabet[Int((buffer << UInt32(5 - bitCount)) & 0x1f)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func decode(_ characters: ArraySlice<UInt8>) throws(IdentifierError) -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(characters.count * 5 / 8)
        var buffer: UInt32 = 0
        var bitCount = 0
        for (offset, character) in characters.enumerated() {
            let value = values[Int(character)]
            guard value != 0xff else {
                let shown =
                    character >= 0x21 && character < 0x7f
                    ? "'\(UnicodeScalar(character))'" : "byte 0x\(hexByte(character))"
                throw IdentifierError(.invalidCharacter, "\(shown) at position \(offset) is not a base32 character")
            }
            buffer = (buffer << 5) | UInt32(value)
            bitCount += 5
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bitCount)))
            }
        }
        // [id-text-strict]: after the characters, the length (which must be that of an assigned
        // algorithm's identifier), then the fill bits, and only then the algorithm.
        let lengths = HashAlgorithm.assigned.map { ((1 + $0.digestByteCount) * 8 + 4) / 5 }
        guard lengths.contains(characters.count) else {
            throw IdentifierError(
                .wrongLength, "\(characters.count) base32 characters do not make an identifier of an assigned algorithm"
            )
        }
        guard buffer & ((1 << UInt32(bitCount)) - 1) == 0 else {
            throw IdentifierError(.nonCanonical, "the fill bits of the last character must be zero")
        }
        guard let algorithmCode = output.first, let algorithm = HashAlgorithm(code: algorithmCode) else {
            throw IdentifierError(.unknownAlgorithm, "algorithm code 0x\(hexByte(output.first ?? 0)) is not assigned")
        }
        let expectedCharacters = ((1 + algorithm.digestByteCount) * 8 + 4) / 5
        guard characters.count == expectedCharacters else {
            throw IdentifierError(
                .wrongLength,
                "a \(algorithm) identifier is \(expectedCharacters) base32 characters, not \(characters.count)"
            )
        }
        return output
    }
}
