/// Encodes ``CBORValue``s in Dialogue's deterministic CBOR.
///
/// The output is always canonical (`Spec/encoding.md`): every head in its
/// shortest form (**[enc-shortest]**), definite lengths only
/// (**[enc-definite]**), map entries sorted by the bytewise lexicographic
/// order of their key encodings (**[enc-map-order]**). The encoder refuses to
/// produce anything a decoder would reject: map keys other than integers and
/// text strings, duplicate keys, and values beyond the ``CBORLimits``.
///
/// ```swift
/// let bytes = try CBOREncoder().encode(["b": 2, "a": 1])
/// // a2 61 61 01 61 62 02: the entries are sorted
/// ```
///
/// The encoder first measures the value (checking the limits and the key
/// types), reserves exactly the capacity needed, then writes; entries given
/// in canonical order are written without any extra allocation.
public struct CBOREncoder: Sendable {
    /// The limits that the encoded value must respect (**[enc-limits]**).
    public let limits: CBORLimits

    /// Creates an encoder with the given limits, by default those of the spec.
    public init(limits: CBORLimits = .default) {
        self.limits = limits
    }

    /// Returns the canonical encoding of `value`.
    ///
    /// - Throws: ``CBORError`` with ``CBORError/Code/invalidMapKey``,
    ///   ``CBORError/Code/duplicateMapKey``, ``CBORError/Code/tooDeep`` or
    ///   ``CBORError/Code/tooLarge``. The error's offset is the position in
    ///   the output at which the problem was found.
    public func encode(_ value: CBORValue) throws(CBORError) -> [UInt8] {
        var output: [UInt8] = []
        try self.encode(value, appendingTo: &output)
        return output
    }

    /// Appends the canonical encoding of `value` to `output`.
    ///
    /// On error, `output` is left as it was.
    ///
    /// - Throws: As ``encode(_:)``.
    public func encode(_ value: CBORValue, appendingTo output: inout [UInt8]) throws(CBORError) {
        var measurer = Measurer(limits: self.limits)
        let size = try measurer.measure(value, depth: 1)
        let originalCount = output.count
        output.reserveCapacity(originalCount + size)
        var writer = Writer(output: output)
        output = []  // keep the buffer uniquely referenced by the writer
        do throws(CBORError) {
            try writer.write(value)
            output = writer.output
        } catch {
            output = writer.output
            output.removeSubrange(originalCount...)
            throw error
        }
    }
}

extension CBOREncoder {
    /// The first pass: checks depth, item count, size and key types, and
    /// returns the exact encoded size.
    struct Measurer {
        let maximumDepth: Int
        let maximumItemCount: Int
        let maximumEncodedSize: Int
        var items = 0
        var size = 0

        init(limits: CBORLimits) {
            self.maximumDepth = limits.maximumDepth
            self.maximumItemCount = limits.maximumItemCount
            self.maximumEncodedSize = limits.maximumEncodedSize
        }

        mutating func measure(_ value: CBORValue, depth: Int) throws(CBORError) -> Int {
            try self.add(value, depth: depth)
            return self.size
        }

        private mutating func count(_ bytes: Int, depth: Int) throws(CBORError) {
            guard depth <= self.maximumDepth else {
                throw CBORError(
                    .tooDeep,
                    reason:
                        "the value at output offset \(self.size) has depth \(depth), more than the limit of \(self.maximumDepth)",
                    offset: self.size
                )
            }
            self.items += 1
            guard self.items <= self.maximumItemCount else {
                throw CBORError(
                    .tooLarge,
                    reason: "the value has more than \(self.maximumItemCount) data items",
                    offset: self.size
                )
            }
            guard bytes <= self.maximumEncodedSize - self.size else {
                throw CBORError(
                    .tooLarge,
                    reason: "the encoding would be longer than the limit of \(self.maximumEncodedSize) bytes",
                    offset: self.size
                )
            }
            self.size += bytes
        }

        private mutating func add(_ value: CBORValue, depth: Int) throws(CBORError) {
            switch value {
            case .unsigned(let n), .negative(let n):
                try self.count(CBORWriter.headLength(n), depth: depth)
            case .bytes(let b):
                try self.count(CBORWriter.headLength(UInt64(b.count)) + b.count, depth: depth)
            case .text(let s):
                let length = s.utf8.count
                try self.count(CBORWriter.headLength(UInt64(length)) + length, depth: depth)
            case .array(let elements):
                try self.count(CBORWriter.headLength(UInt64(elements.count)), depth: depth)
                for element in elements { try self.add(element, depth: depth + 1) }
            case .map(let entries):
                try self.count(CBORWriter.headLength(UInt64(entries.count)), depth: depth)
                for entry in entries {
                    // [enc-map-keys]
                    switch entry.key {
                    case .unsigned, .negative, .text:
                        break
                    default:
                        throw CBORError(
                            .invalidMapKey,
                            reason:
                                "the map key \(entry.key.diagnosticDescription) at output offset \(self.size) is a \(entry.key.type); keys must be integers or text strings",
                            offset: self.size
                        )
                    }
                    try self.add(entry.key, depth: depth + 1)
                    try self.add(entry.value, depth: depth + 1)
                }
            case .bool, .null:
                try self.count(1, depth: depth)
            }
        }
    }

    /// The second pass: writes the canonical bytes.
    struct Writer {
        var output: [UInt8]
        /// Entry boundaries of the maps being written (a stack shared by
        /// nested maps): key start, key end, entry end.
        var boundaries: [Int] = []

        init(output: [UInt8]) {
            self.output = output
        }

        mutating func write(_ value: CBORValue) throws(CBORError) {
            switch value {
            case .unsigned(let n):
                CBORWriter.appendHead(major: CBORWriter.majorUnsigned, argument: n, to: &self.output)
            case .negative(let n):
                CBORWriter.appendHead(major: CBORWriter.majorNegative, argument: n, to: &self.output)
            case .bytes(let b):
                CBORWriter.appendHead(major: CBORWriter.majorBytes, argument: UInt64(b.count), to: &self.output)
                self.output.append(contentsOf: b)
            case .text(let s):
                self.writeText(s)
            case .array(let elements):
                CBORWriter.appendHead(major: CBORWriter.majorArray, argument: UInt64(elements.count), to: &self.output)
                for element in elements { try self.write(element) }
            case .map(let entries):
                try self.writeMap(entries)
            case .bool(let b):
                self.output.append(b ? 0xf5 : 0xf4)
            case .null:
                self.output.append(0xf6)
            }
        }

        private mutating func writeText(_ s: String) {
            var s = s
            s.withUTF8 { utf8 in
                CBORWriter.appendHead(major: CBORWriter.majorText, argument: UInt64(utf8.count), to: &self.output)
                self.output.append(contentsOf: utf8)
            }
        }

        /// [enc-map-order]: entries already in canonical order are written in
        /// place; otherwise the written entries are sorted afterwards.
        private mutating func writeMap(_ entries: [CBORValue.MapEntry]) throws(CBORError) {
            CBORWriter.appendHead(major: CBORWriter.majorMap, argument: UInt64(entries.count), to: &self.output)
            let base = self.boundaries.count
            var sorted = true
            var previousKeyStart = -1
            var previousKeyEnd = -1
            for entry in entries {
                let keyStart = self.output.count
                try self.write(entry.key)
                let keyEnd = self.output.count
                if sorted && previousKeyStart >= 0 {
                    let order = self.compare(previousKeyStart, previousKeyEnd, keyStart, keyEnd)
                    if order == 0 { throw self.duplicate(keyStart) }
                    if order > 0 { sorted = false }
                }
                previousKeyStart = keyStart
                previousKeyEnd = keyEnd
                try self.write(entry.value)
                self.boundaries.append(keyStart)
                self.boundaries.append(keyEnd)
                self.boundaries.append(self.output.count)
            }
            defer { self.boundaries.removeSubrange(base...) }
            guard !sorted else { return }

            let n = entries.count
            var order = Array(0..<n)
            order.sort { a, b in
                let ka = base + 3 * a
                let kb = base + 3 * b
                return self.compare(
                    self.boundaries[ka], self.boundaries[ka + 1], self.boundaries[kb], self.boundaries[kb + 1]
                ) < 0
            }
            for i in 1..<n {
                let ka = base + 3 * order[i - 1]
                let kb = base + 3 * order[i]
                if self.compare(
                    self.boundaries[ka], self.boundaries[ka + 1], self.boundaries[kb], self.boundaries[kb + 1])
                    == 0
                {
                    throw self.duplicate(max(self.boundaries[ka], self.boundaries[kb]))
                }
            }
            let regionStart = self.boundaries[base]
            let regionEnd = self.boundaries[base + 3 * n - 1]
            var region: [UInt8] = []
            region.reserveCapacity(regionEnd - regionStart)
            for i in order {
                let k = base + 3 * i
                region.append(contentsOf: self.output[self.boundaries[k]..<self.boundaries[k + 2]])
            }
            self.output.replaceSubrange(regionStart..<regionEnd, with: region)
        }

        private func compare(_ aStart: Int, _ aEnd: Int, _ bStart: Int, _ bEnd: Int) -> Int {
            self.output.withUnsafeBufferPointer { buffer in
                let aCount = aEnd - aStart
                let bCount = bEnd - bStart
                let n = min(aCount, bCount)
                var i = 0
                while i < n {
                    let x = buffer[aStart + i]
                    let y = buffer[bStart + i]
                    if x != y { return x < y ? -1 : 1 }
                    i += 1
                }
                return aCount == bCount ? 0 : (aCount < bCount ? -1 : 1)
            }
        }

        private func duplicate(_ offset: Int) -> CBORError {
            CBORError(
                .duplicateMapKey, reason: "the map repeats the key written at output offset \(offset)", offset: offset)
        }
    }
}

extension CBORValue {
    /// The canonical encoding of this value, with the default limits.
    ///
    /// - Throws: As ``CBOREncoder/encode(_:)``.
    public func encoded() throws(CBORError) -> [UInt8] {
        try CBOREncoder().encode(self)
    }
}
