/// Reads the entries of a map node by key and reports what was left unread.
///
/// Dialogue's structures are maps with small integer (or text) keys. A parser
/// asks for the keys it knows with ``required(_:)-(Int64)`` and
/// ``optional(_:)-(Int64)``, then calls ``finish()``, which rejects any key it did
/// not ask for with ``CBORError/Code/unknownKey``. ``CBORNode/withMapReader(_:)``
/// does both steps.
///
/// ```swift
/// var map = try CBORMapReader(node)
/// let version = try map.required(1).integer(as: UInt8.self)
/// let note = try map.optional(3)?.textString()
/// try map.finish()
/// ```
///
/// A chapter that wants unknown keys to be ignored (for extensibility) skips
/// ``finish()`` or inspects ``unreadEntries``.
public struct CBORMapReader: Sendable {
    /// The map node being read.
    public let node: CBORNode

    /// The number of entries of the map.
    public let count: Int

    /// Which entries were read: one bit per entry for the first 64 (a map of
    /// Dialogue's rarely has more), then one flag per further entry. Reading a
    /// small map allocates nothing, which matters for long lists of maps such as
    /// a manifest's recipients.
    private var readMask: UInt64 = 0
    private var readOverflow: [Bool]
    /// How many distinct entries were read, so that ``finish()`` walks nothing when all were.
    private var readCount = 0

    /// Starts reading a map node.
    ///
    /// - Throws: ``CBORError/Code/unexpectedType`` if `node` is not a map.
    public init(_ node: CBORNode) throws(CBORError) {
        guard node.type == .map else { throw node.unexpectedType("a map") }
        self.node = node
        self.count = Int(node.item.argument)
        self.readOverflow = self.count > 64 ? Array(repeating: false, count: self.count - 64) : []
    }

    /// All entries of the map, in canonical order.
    public var entries: [CBORNode.MapEntry] {
        var result: [CBORNode.MapEntry] = []
        result.reserveCapacity(self.count)
        self.walk { _, key, value in
            result.append(self.entry(key, value))
            return true
        }
        return result
    }

    /// The value under an integer key, marking the key as read.
    ///
    /// - Throws: ``CBORError/Code/missingKey`` if the map has no such key.
    public mutating func required(_ key: Int64) throws(CBORError) -> CBORNode {
        guard let value = self.optional(key) else { throw self.missing("\(key)") }
        return value
    }

    /// The value under a text key, marking the key as read.
    ///
    /// - Throws: ``CBORError/Code/missingKey`` if the map has no such key.
    public mutating func required(_ key: String) throws(CBORError) -> CBORNode {
        guard let value = self.optional(key) else { throw self.missing(CBORValue.text(key).diagnosticDescription) }
        return value
    }

    /// The value under an integer key, or `nil`; marks the key as read.
    public mutating func optional(_ key: Int64) -> CBORNode? {
        // Compared in the item table itself: no node is made for the keys passed over.
        self.find { document, keyIndex in CBORNode.item(document[keyIndex], isKey: key) }
    }

    /// The value under a text key, or `nil`; marks the key as read.
    public mutating func optional(_ key: String) -> CBORNode? {
        self.find { document, keyIndex in CBORNode(document: document, index: keyIndex).hasKey(key) }
    }

    /// The entries that were not read, in canonical order.
    public var unreadEntries: [CBORNode.MapEntry] {
        var result: [CBORNode.MapEntry] = []
        self.walk { position, key, value in
            if !self.isRead(position) { result.append(self.entry(key, value)) }
            return true
        }
        return result
    }

    /// Rejects the first entry that was not read.
    ///
    /// - Throws: ``CBORError/Code/unknownKey`` naming the first unread key.
    public func finish() throws(CBORError) {
        guard self.readCount < self.count else { return }
        var unread: CBORNode?
        self.walk { position, key, _ in
            guard self.isRead(position) else {
                unread = CBORNode(document: self.node.document, index: key)
                return false
            }
            return true
        }
        guard let key = unread else { return }
        throw CBORError(
            .unknownKey,
            reason:
                "the map at offset \(self.node.offset) has the unknown key \(key.keyDescription) at offset \(key.offset)",
            offset: key.offset
        )
    }

    /// Walks the map's entries in the flat item table, as positions and the item indices of
    /// each key and value, until `body` returns `false`. Nothing is allocated.
    private func walk(_ body: (_ position: Int, _ key: Int, _ value: Int) -> Bool) {
        let document = self.node.document
        var keyIndex = self.node.index + 1
        let end = Int(document[self.node.index].next)
        var position = 0
        while keyIndex < end {
            let valueIndex = Int(document[keyIndex].next)
            guard body(position, keyIndex, valueIndex) else { return }
            keyIndex = Int(document[valueIndex].next)
            position += 1
        }
    }

    private func entry(_ key: Int, _ value: Int) -> CBORNode.MapEntry {
        CBORNode.MapEntry(
            key: CBORNode(document: self.node.document, index: key),
            value: CBORNode(document: self.node.document, index: value)
        )
    }

    /// The value of the first entry whose key matches, marking that entry as read.
    private mutating func find(_ matches: (CBORDocument, Int) -> Bool) -> CBORNode? {
        let document = self.node.document
        var found: (position: Int, value: Int)?
        self.walk { position, key, value in
            guard matches(document, key) else { return true }
            found = (position, value)
            return false
        }
        guard let found else { return nil }
        if !self.isRead(found.position) {
            self.readCount += 1
            if found.position < 64 {
                self.readMask |= 1 << UInt64(found.position)
            } else {
                self.readOverflow[found.position - 64] = true
            }
        }
        return CBORNode(document: document, index: found.value)
    }

    private func isRead(_ position: Int) -> Bool {
        position < 64 ? self.readMask & (1 << UInt64(position)) != 0 : self.readOverflow[position - 64]
    }

    private func missing(_ key: String) -> CBORError {
        CBORError(
            .missingKey,
            reason: "the map at offset \(self.node.offset) has no key \(key)",
            offset: self.node.offset
        )
    }
}
