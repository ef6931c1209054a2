/// Decodes Dialogue's deterministic CBOR, strictly.
///
/// The decoder accepts an input only if it is the canonical encoding of
/// exactly one data item of Dialogue's subset (`Spec/encoding.md`): every rule
/// is checked and every violation is rejected with a ``CBORError`` naming the
/// rule (**[enc-reject]**); there is no lenient mode. Consequently, for every accepted input `bytes`,
/// `CBOREncoder().encode(node.value) == bytes`: one value, one encoding.
///
/// The result is a tree of ``CBORNode`` values that refer into the input
/// without copying it: byte strings and ``CBORNode/encodedBytes`` are slices
/// of the array that was passed in.
///
/// ```swift
/// let node = try CBORDecoder().decode([0xa1, 0x01, 0x42, 0xca, 0xfe])
/// let payload = try node.mapValue(forKey: 1)?.byteString()  // [0xca, 0xfe]
/// ```
public struct CBORDecoder: Sendable {
    /// The limits this decoder applies (**[enc-limits]**).
    public let limits: CBORLimits

    /// Creates a decoder with the given limits, by default those of the spec.
    public init(limits: CBORLimits = .default) {
        self.limits = limits
    }

    /// Decodes exactly one data item from `bytes`.
    ///
    /// - Parameter bytes: The complete encoding. Nothing may follow the item.
    /// - Returns: The top-level node. It keeps `bytes` alive and refers into it.
    /// - Throws: ``CBORError`` with the code of the first violation found.
    public func decode(_ bytes: [UInt8]) throws(CBORError) -> CBORNode {
        try self.decode(bytes[...])
    }

    /// Decodes exactly one data item from `bytes`.
    ///
    /// Offsets in errors and in ``CBORNode/offset`` count from
    /// `bytes.startIndex`; ``CBORNode/encodedBytes`` keeps the indices of
    /// `bytes`.
    ///
    /// - Parameter bytes: The complete encoding. Nothing may follow the item.
    /// - Returns: The top-level node. It keeps `bytes` alive and refers into it.
    /// - Throws: ``CBORError`` with the code of the first violation found.
    public func decode(_ bytes: ArraySlice<UInt8>) throws(CBORError) -> CBORNode {
        // [enc-limits]: the size limit is checked before anything is parsed.
        guard bytes.count <= self.limits.maximumEncodedSize else {
            throw CBORError(
                .tooLarge,
                reason:
                    "the input is \(bytes.count) bytes long, more than the limit of \(self.limits.maximumEncodedSize) bytes",
                offset: 0
            )
        }
        guard !bytes.isEmpty else {
            throw CBORError(.truncated, reason: "the input is empty; expected one data item at offset 0", offset: 0)
        }
        let limits = self.limits
        let result: Result<CBORItemTable, CBORError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(
                base: buffer.baseAddress!,
                count: buffer.count,
                maximumDepth: limits.maximumDepth,
                maximumItemCount: limits.maximumItemCount
            )
            do throws(CBORError) {
                try parser.parseItem(depth: 1, isKey: false)
                // [enc-one-item]
                guard parser.position == buffer.count else {
                    throw CBORError(
                        .trailingBytes,
                        reason:
                            "\(buffer.count - parser.position) bytes follow the data item that ends at offset \(parser.position)",
                        offset: parser.position
                    )
                }
                return .success(parser.items)
            } catch {
                parser.items.deallocate()
                return .failure(error)
            }
        }
        let items = try result.get()
        return CBORNode(document: CBORDocument(input: bytes, items: items), index: 0)
    }
}

extension CBORDecoder {
    /// The recursive-descent parser over a raw buffer. Reads are unchecked;
    /// every read is preceded by an explicit length check.
    struct Parser {
        let base: UnsafePointer<UInt8>
        let count: Int
        let maximumDepth: Int
        let maximumItemCount: Int
        var position = 0
        var items: CBORItemTable

        init(base: UnsafePointer<UInt8>, count: Int, maximumDepth: Int, maximumItemCount: Int) {
            self.base = base
            self.count = count
            self.maximumDepth = maximumDepth
            self.maximumItemCount = maximumItemCount
            // Never trust the input to size an allocation: a small guess that
            // grows as items are actually found.
            self.items = CBORItemTable(capacity: min(count / 8 + 1, 4096))
        }

        /// Parses one data item starting at `position`, in the order of checks
        /// fixed by [enc-error-order], and appends it (and its children) to
        /// `items`.
        mutating func parseItem(depth: Int, isKey: Bool) throws(CBORError) {
            let start = self.position
            guard start < self.count else {
                throw failure(
                    .truncated, at: start, "the input ends at offset \(start), where a data item was expected")
            }
            // [enc-limits]
            guard depth <= self.maximumDepth else {
                throw failure(
                    .tooDeep, at: start,
                    "the data item at offset \(start) has depth \(depth), more than the limit of \(self.maximumDepth)")
            }
            guard self.items.count < self.maximumItemCount else {
                throw failure(
                    .tooLarge, at: start,
                    "the data item at offset \(start) is one more than the limit of \(self.maximumItemCount) items")
            }

            let initial = self.base[start]
            let major = initial >> 5
            let additional = initial & 0x1f
            let remainingAfterInitial = self.count - start - 1

            // The head: [enc-well-formed], [enc-definite], then truncation.
            let argument: UInt64
            let headLength: Int
            switch additional {
            case 0...23:
                argument = UInt64(additional)
                headLength = 1
            case 24:
                guard remainingAfterInitial >= 1 else { throw self.truncatedHead(start, needed: 1) }
                argument = UInt64(self.base[start + 1])
                headLength = 2
            case 25:
                guard remainingAfterInitial >= 2 else { throw self.truncatedHead(start, needed: 2) }
                argument = UInt64(self.base[start + 1]) << 8 | UInt64(self.base[start + 2])
                headLength = 3
            case 26:
                guard remainingAfterInitial >= 4 else { throw self.truncatedHead(start, needed: 4) }
                argument = UInt64(
                    UInt32(bigEndian: UnsafeRawPointer(self.base + start + 1).loadUnaligned(as: UInt32.self))
                )
                headLength = 5
            case 27:
                guard remainingAfterInitial >= 8 else { throw self.truncatedHead(start, needed: 8) }
                argument = UInt64(bigEndian: UnsafeRawPointer(self.base + start + 1).loadUnaligned(as: UInt64.self))
                headLength = 9
            case 28...30:
                throw failure(
                    .notWellFormed, at: start,
                    "the initial byte 0x\(hex(initial)) at offset \(start) uses the reserved additional information \(additional)"
                )
            default:  // 31
                if major == 0 || major == 1 || major == 6 {
                    throw failure(
                        .notWellFormed, at: start,
                        "the initial byte 0x\(hex(initial)) at offset \(start) has additional information 31, which major type \(major) does not define"
                    )
                }
                throw failure(
                    .indefiniteLength, at: start,
                    major == 7
                        ? "a break stop code (0xff) at offset \(start): indefinite lengths are not allowed"
                        : "the \(majorName(major)) at offset \(start) has an indefinite length, which is not allowed")
            }

            // [enc-types]: tags and all of major type 7 but false, true, null.
            var simple: UInt64 = 0
            if major == 7 {
                switch additional {
                case 20, 21, 22:
                    simple = UInt64(additional)
                case 24 where argument < 32:
                    // RFC 8949 section 3.3: not well-formed.
                    throw failure(
                        .notWellFormed, at: start,
                        "simple value \(argument) at offset \(start) is written in the two-byte form, which is reserved for values 32 to 255"
                    )
                default:
                    throw failure(
                        .typeNotAllowed, at: start,
                        "\(simpleName(additional, argument)) at offset \(start) is not allowed")
                }
            } else if major == 6 {
                throw failure(
                    .typeNotAllowed, at: start,
                    "tag \(argument) at offset \(start) is not allowed: Dialogue uses no tags")
            } else if additional >= 24 {
                // [enc-shortest], [enc-shortest-decode]
                let shortest: Bool
                switch additional {
                case 24: shortest = argument >= 24
                case 25: shortest = argument > 0xff
                case 26: shortest = argument > 0xffff
                default: shortest = argument > 0xffff_ffff
                }
                guard shortest else {
                    throw failure(
                        .nonShortestForm, at: start,
                        "the \(majorName(major)) at offset \(start) writes the argument \(argument) in \(headLength) bytes; its shortest form has \(CBORWriter.headLength(argument))"
                    )
                }
            }

            // [enc-map-keys]
            if isKey && !(major == 0 || major == 1 || major == 3) {
                throw failure(
                    .invalidMapKey, at: start,
                    "the map key at offset \(start) is of type \(major == 7 ? (simple == 22 ? "null" : "boolean") : majorName(major)); keys must be integers or text strings"
                )
            }

            let contentStart = start + headLength
            let remaining = self.count - contentStart
            let index = self.items.count
            var item = CBORItem(
                argument: argument,
                start: UInt32(truncatingIfNeeded: start),
                end: UInt32(truncatingIfNeeded: contentStart),
                next: UInt32(truncatingIfNeeded: index + 1),
                headLength: UInt8(truncatingIfNeeded: headLength),
                depth: UInt8(truncatingIfNeeded: depth),
                type: .unsignedInteger
            )

            switch major {
            case 0:
                self.items.append(item)
                self.position = contentStart
            case 1:
                item.type = .negativeInteger
                self.items.append(item)
                self.position = contentStart
            case 2, 3:
                // [enc-truncated]: checked before anything is done with the length.
                guard argument <= UInt64(remaining) else {
                    throw failure(
                        .truncated, at: start,
                        "the \(majorName(major)) at offset \(start) declares \(argument) content bytes, but \(remaining) remain"
                    )
                }
                let length = Int(argument)
                if major == 3 {
                    // [enc-utf8]
                    if let bad = UTF8Validation.firstInvalidOffset(self.base + contentStart, count: length) {
                        throw failure(
                            .invalidUTF8, at: contentStart + bad,
                            "the text string at offset \(start) is not valid UTF-8 at offset \(contentStart + bad)")
                    }
                    item.type = .textString
                } else {
                    item.type = .byteString
                }
                let end = contentStart + length
                item.end = UInt32(truncatingIfNeeded: end)
                self.items.append(item)
                self.position = end
            case 4:
                // Every element takes at least one byte.
                guard argument <= UInt64(remaining) else {
                    throw failure(
                        .truncated, at: start,
                        "the array at offset \(start) declares \(argument) elements, but only \(remaining) bytes remain"
                    )
                }
                item.type = .array
                self.items.append(item)
                self.position = contentStart
                var left = argument
                while left > 0 {
                    try self.parseItem(depth: depth + 1, isKey: false)
                    left -= 1
                }
                self.items.close(index, end: self.position, next: self.items.count)
            case 5:
                // Every entry takes at least two bytes.
                guard argument <= UInt64(remaining / 2) else {
                    throw failure(
                        .truncated, at: start,
                        "the map at offset \(start) declares \(argument) entries, but only \(remaining) bytes remain")
                }
                item.type = .map
                self.items.append(item)
                self.position = contentStart
                var left = argument
                var previousKeyStart = -1
                var previousKeyEnd = -1
                while left > 0 {
                    let keyStart = self.position
                    try self.parseItem(depth: depth + 1, isKey: true)
                    let keyEnd = self.position
                    // [enc-map-order]
                    if previousKeyStart >= 0 {
                        let order = compareBytes(
                            self.base + previousKeyStart,
                            previousKeyEnd - previousKeyStart,
                            self.base + keyStart,
                            keyEnd - keyStart
                        )
                        if order == 0 {
                            throw failure(
                                .duplicateMapKey, at: keyStart,
                                "the map at offset \(start) repeats the key at offset \(previousKeyStart) at offset \(keyStart)"
                            )
                        }
                        if order > 0 {
                            throw failure(
                                .unsortedMapKeys, at: keyStart,
                                "in the map at offset \(start), the key at offset \(keyStart) sorts before the previous key at offset \(previousKeyStart)"
                            )
                        }
                    }
                    previousKeyStart = keyStart
                    previousKeyEnd = keyEnd
                    try self.parseItem(depth: depth + 1, isKey: false)
                    left -= 1
                }
                self.items.close(index, end: self.position, next: self.items.count)
            default:  // 7: false, true or null
                if simple == 22 {
                    item.type = .null
                } else {
                    item.type = .boolean
                    item.argument = simple == 21 ? 1 : 0
                }
                self.items.append(item)
                self.position = contentStart
            }
        }

        private func truncatedHead(_ start: Int, needed: Int) -> CBORError {
            CBORError(
                .truncated,
                reason:
                    "the head at offset \(start) needs \(needed) more bytes after its initial byte, but \(self.count - start - 1) remain",
                offset: start
            )
        }
    }
}

/// Builds a decoding error. Kept out of line, with the reason as an
/// autoclosure, so that the hot path of the parser carries no string code.
@inline(never)
private func failure(_ code: CBORError.Code, at offset: Int, _ reason: @autoclosure () -> String) -> CBORError {
    CBORError(code, reason: reason(), offset: offset)
}

/// Three-way bytewise lexicographic comparison: negative, zero or positive.
@inline(__always)
private func compareBytes(_ a: UnsafePointer<UInt8>, _ aCount: Int, _ b: UnsafePointer<UInt8>, _ bCount: Int) -> Int {
    let n = min(aCount, bCount)
    var i = 0
    while i < n {
        let x = a[i]
        let y = b[i]
        if x != y { return x < y ? -1 : 1 }
        i &+= 1
    }
    return aCount == bCount ? 0 : (aCount < bCount ? -1 : 1)
}

private func majorName(_ major: UInt8) -> String {
    switch major {
    case 0: "unsigned integer"
    case 1: "negative integer"
    case 2: "byte string"
    case 3: "text string"
    case 4: "array"
    case 5: "map"
    case 6: "tag"
    default: "simple value or float"
    }
}

private func simpleName(_ additional: UInt8, _ argument: UInt64) -> String {
    switch additional {
    case 20: "false"
    case 21: "true"
    case 22: "null"
    case 23: "undefined (0xf7)"
    case 25: "a half-precision float"
    case 26: "a single-precision float"
    case 27: "a double-precision float"
    default: "simple value \(argument)"
    }
}

func hex(_ byte: UInt8) -> String {
    let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xf)]])
}
