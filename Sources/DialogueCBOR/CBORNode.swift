/// A decoded data item that refers into the bytes it was decoded from.
///
/// ``CBORDecoder`` returns the top-level node of an input. Like
/// swift-asn1's `ASN1Node`, a node keeps its exact ``encodedBytes`` as a slice
/// of the input, so a verifier can hash or check a signature over the bytes it
/// received rather than over a re-encoding (**[enc-verify-received]**). Byte
/// strings are slices of the input too; nothing is copied while decoding.
///
/// The typed accessors (``unsignedInteger()``, ``byteString()``, ``array()``,
/// ``map()``, …) throw ``CBORError`` with code
/// ``CBORError/Code/unexpectedType`` when the node has another type, so a
/// schema can be parsed in a few lines:
///
/// ```swift
/// let node = try CBORDecoder().decode(bytes)
/// let (version, body) = try node.withMapReader { map throws(CBORError) in
///     (try map.required(1).integer(as: UInt8.self), try map.required(2).byteString())
/// }
/// ```
///
/// Two nodes are equal when their encoded bytes are equal, which, because
/// every accepted encoding is canonical, is exactly when their values are
/// equal.
public struct CBORNode: Sendable {
    let document: CBORDocument
    let index: Int

    init(document: CBORDocument, index: Int) {
        self.document = document
        self.index = index
    }

    @inline(__always)
    var item: CBORItem { self.document[self.index] }

    /// The type of the data item.
    public var type: CBORType { self.item.type }

    /// The offset of the item's first byte in the decoded input.
    public var offset: Int { Int(self.item.start) }

    /// The depth of the item: 1 for the top-level item, and one more than its
    /// container's for any other (**[enc-limits]**).
    public var depth: Int { Int(self.item.depth) }

    /// The exact bytes of the item in the input (head and content, including
    /// all children), as a slice of the input: no copy is made.
    public var encodedBytes: ArraySlice<UInt8> {
        let item = self.item
        return self.document.slice(item.start, item.end)
    }

    /// The content of a string item (the bytes after its head).
    private var contentBytes: ArraySlice<UInt8> {
        let item = self.item
        return self.document.slice(item.start + UInt32(item.headLength), item.end)
    }

    /// The item as a plain ``CBORValue`` (byte and text strings are copied).
    public var value: CBORValue {
        self.makeValue()
    }

    private func makeValue() -> CBORValue {
        let item = self.item
        switch item.type {
        case .unsignedInteger:
            return .unsigned(item.argument)
        case .negativeInteger:
            return .negative(item.argument)
        case .byteString:
            return .bytes(Array(self.contentBytes))
        case .textString:
            return .text(String(decoding: self.contentBytes, as: UTF8.self))
        case .array:
            return .array(self.children().map { $0.makeValue() })
        case .map:
            return .map(self.entries().map { CBORValue.MapEntry(key: $0.key.makeValue(), value: $0.value.makeValue()) })
        case .boolean:
            return .bool(item.argument != 0)
        case .null:
            return .null
        }
    }

    /// The elements of an array node, walking the flat item table.
    private func children() -> [CBORNode] {
        let items = self.document
        var result: [CBORNode] = []
        result.reserveCapacity(Int(items[self.index].argument))
        var i = self.index + 1
        let end = Int(items[self.index].next)
        while i < end {
            result.append(CBORNode(document: self.document, index: i))
            i = Int(items[i].next)
        }
        return result
    }

    /// The entries of a map node, walking the flat item table.
    private func entries() -> [MapEntry] {
        let items = self.document
        var result: [MapEntry] = []
        result.reserveCapacity(Int(items[self.index].argument))
        var i = self.index + 1
        let end = Int(items[self.index].next)
        while i < end {
            let valueIndex = Int(items[i].next)
            result.append(
                MapEntry(
                    key: CBORNode(document: self.document, index: i),
                    value: CBORNode(document: self.document, index: valueIndex)
                )
            )
            i = Int(items[valueIndex].next)
        }
        return result
    }
}

// MARK: - Typed accessors

extension CBORNode {
    /// One key-value pair of a map node, in the map's canonical order.
    public struct MapEntry: Sendable, Hashable {
        /// The key: an unsigned integer, a negative integer or a text string.
        public let key: CBORNode
        /// The value.
        public let value: CBORNode
    }

    /// The value of an unsigned integer (major type 0).
    ///
    /// - Throws: ``CBORError/Code/unexpectedType`` for any other type.
    public func unsignedInteger() throws(CBORError) -> UInt64 {
        let item = self.item
        guard item.type == .unsignedInteger else { throw self.unexpectedType("an unsigned integer") }
        return item.argument
    }

    /// The value of an integer (major type 0 or 1) as an `Int64`.
    ///
    /// - Throws: ``CBORError/Code/unexpectedType`` for a non-integer,
    ///   ``CBORError/Code/valueOutOfRange`` when it does not fit in `Int64`.
    public func integer() throws(CBORError) -> Int64 {
        try self.integer(as: Int64.self)
    }

    /// The value of an integer (major type 0 or 1) as a `T`.
    ///
    /// ```swift
    /// let version = try node.integer(as: UInt8.self)
    /// ```
    ///
    /// - Throws: ``CBORError/Code/unexpectedType`` for a non-integer,
    ///   ``CBORError/Code/valueOutOfRange`` when it does not fit in `T`.
    public func integer<T: FixedWidthInteger>(as type: T.Type) throws(CBORError) -> T {
        let item = self.item
        switch item.type {
        case .unsignedInteger:
            if let value = T(exactly: item.argument) { return value }
            throw self.outOfRange("integer \(item.argument)", T.self)
        case .negativeInteger:
            // The value is -1 - argument; it fits when argument <= -1 - T.min.
            if T.isSigned, let magnitude = T(exactly: item.argument) {
                return -1 - magnitude
            }
            throw self.outOfRange("integer \(negativeIntegerDescription(item.argument))", T.self)
        default:
            throw self.unexpectedType("an integer")
        }
    }

    /// The content of a byte string (major type 2), as a slice of the input.
    ///
    /// The slice keeps the input's indices; use `Array(_:)` for a copy that
    /// starts at index 0. A signed payload travels as a byte string
    /// (**[enc-signed-bstr]**): verify the signature over this slice, the
    /// bytes received, before decoding it.
    ///
    /// - Throws: ``CBORError/Code/unexpectedType`` for any other type.
    public func byteString() throws(CBORError) -> ArraySlice<UInt8> {
        guard self.type == .byteString else { throw self.unexpectedType("a byte string") }
        return self.contentBytes
    }

    /// The content of a text string (major type 3) as a `String`.
    ///
    /// - Throws: ``CBORError/Code/unexpectedType`` for any other type.
    public func textString() throws(CBORError) -> String {
        guard self.type == .textString else { throw self.unexpectedType("a text string") }
        return String(decoding: self.contentBytes, as: UTF8.self)
    }

    /// The content of a text string (major type 3) as its UTF-8 bytes, a
    /// slice of the input (already validated, **[enc-utf8]**).
    ///
    /// - Throws: ``CBORError/Code/unexpectedType`` for any other type.
    public func textStringUTF8() throws(CBORError) -> ArraySlice<UInt8> {
        guard self.type == .textString else { throw self.unexpectedType("a text string") }
        return self.contentBytes
    }

    /// The value of a Boolean (`0xf4` or `0xf5`).
    ///
    /// - Throws: ``CBORError/Code/unexpectedType`` for any other type.
    public func boolean() throws(CBORError) -> Bool {
        let item = self.item
        guard item.type == .boolean else { throw self.unexpectedType("a boolean") }
        return item.argument != 0
    }

    /// Whether the node is `null` (`0xf6`).
    public var isNull: Bool { self.type == .null }

    /// The elements of an array (major type 4), in order.
    ///
    /// - Throws: ``CBORError/Code/unexpectedType`` for any other type.
    public func array() throws(CBORError) -> [CBORNode] {
        guard self.type == .array else { throw self.unexpectedType("an array") }
        return self.children()
    }

    /// The entries of a map (major type 5), in canonical key order
    /// (**[enc-map-order]**).
    ///
    /// - Throws: ``CBORError/Code/unexpectedType`` for any other type.
    public func map() throws(CBORError) -> [MapEntry] {
        guard self.type == .map else { throw self.unexpectedType("a map") }
        return self.entries()
    }

    /// The value stored under an integer key, or `nil` if the map has no such key.
    ///
    /// - Throws: ``CBORError/Code/unexpectedType`` if the node is not a map.
    public func mapValue(forKey key: Int64) throws(CBORError) -> CBORNode? {
        guard self.type == .map else { throw self.unexpectedType("a map") }
        return self.entries().first(where: { $0.key.hasKey(key) })?.value
    }

    /// The value stored under a text key, or `nil` if the map has no such key.
    ///
    /// - Throws: ``CBORError/Code/unexpectedType`` if the node is not a map.
    public func mapValue(forKey key: String) throws(CBORError) -> CBORNode? {
        guard self.type == .map else { throw self.unexpectedType("a map") }
        return self.entries().first(where: { $0.key.hasKey(key) })?.value
    }

    /// Parses a map with a ``CBORMapReader`` and then checks that every key
    /// was read, so that an unknown key is rejected with
    /// ``CBORError/Code/unknownKey``.
    ///
    /// ```swift
    /// let header = try node.withMapReader { map throws(CBORError) in
    ///     Header(version: try map.required(1).integer(as: UInt8.self),
    ///            subject: try map.optional(2)?.textString())
    /// }
    /// ```
    ///
    /// - Throws: ``CBORError/Code/unexpectedType`` if the node is not a map,
    ///   any error thrown by `body`, then ``CBORError/Code/unknownKey`` for
    ///   the first key that `body` did not read.
    public func withMapReader<Result>(
        _ body: (inout CBORMapReader) throws(CBORError) -> Result
    ) throws(CBORError) -> Result {
        var reader = try CBORMapReader(self)
        let result = try body(&reader)
        try reader.finish()
        return result
    }

    /// Whether this node is the integer `key`.
    func hasKey(_ key: Int64) -> Bool {
        Self.item(self.item, isKey: key)
    }

    /// Whether an item is the integer `key`, without making a node for it.
    static func item(_ item: CBORItem, isKey key: Int64) -> Bool {
        if key >= 0 {
            return item.type == .unsignedInteger && item.argument == UInt64(key)
        }
        return item.type == .negativeInteger && item.argument == UInt64(bitPattern: ~key)
    }

    /// Whether this node is the text string `key`.
    func hasKey(_ key: String) -> Bool {
        let item = self.item
        guard item.type == .textString, item.argument == UInt64(key.utf8.count) else { return false }
        return self.contentBytes.elementsEqual(key.utf8)
    }

    /// A short description of a key for error messages: `7` or `"name"`.
    var keyDescription: String {
        self.type == .textString || self.type.rawValue <= 1 ? self.diagnosticDescription : "\(self.type)"
    }

    func unexpectedType(_ expected: String) -> CBORError {
        CBORError(
            .unexpectedType,
            reason: "expected \(expected) at offset \(self.offset), found \(article(self.type)) \(self.type)",
            offset: self.offset
        )
    }

    private func outOfRange<T>(_ what: String, _ type: T.Type) -> CBORError {
        CBORError(
            .valueOutOfRange,
            reason: "the \(what) at offset \(self.offset) does not fit in \(T.self)",
            offset: self.offset
        )
    }
}

private func article(_ type: CBORType) -> String {
    switch type {
    case .unsignedInteger, .array: "an"
    default: "a"
    }
}

extension CBORNode: Hashable {
    /// Whether two nodes have the same encoded bytes.
    public static func == (lhs: CBORNode, rhs: CBORNode) -> Bool {
        lhs.encodedBytes == rhs.encodedBytes
    }

    /// Hashes the encoded bytes, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.encodedBytes)
    }
}

extension CBORNode: CustomStringConvertible {
    /// The item in diagnostic notation (RFC 8949 section 8), for example
    /// `{1: h'cafe', "a": [true, null]}`.
    public var diagnosticDescription: String {
        self.value.diagnosticDescription
    }

    /// The item in diagnostic notation; see ``diagnosticDescription``.
    public var description: String { self.diagnosticDescription }
}
