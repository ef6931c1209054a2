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
        self.forEachEntry { _, key, value in
            result.append(CBORNode.MapEntry(key: key, value: value))
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
        // Integer keys are compared in the item table itself: no node (and no reference to the
        // document) is made for the keys passed over.
        let document = self.node.document
        var keyIndex = self.node.index + 1
        let end = Int(document[self.node.index].next)
        var position = 0
        while keyIndex < end {
            let keyItem = document[keyIndex]
            let valueIndex = Int(keyItem.next)
            if CBORNode.item(keyItem, isKey: key) {
                self.markRead(position)
                return CBORNode(document: document, index: valueIndex)
            }
            keyIndex = Int(document[valueIndex].next)
            position += 1
        }
        return nil
    }

    /// The value under a text key, or `nil`; marks the key as read.
    public mutating func optional(_ key: String) -> CBORNode? {
        self.find { $0.hasKey(key) }
    }

    /// The entries that were not read, in canonical order.
    public var unreadEntries: [CBORNode.MapEntry] {
        var result: [CBORNode.MapEntry] = []
        self.forEachEntry { position, key, value in
            if !self.isRead(position) { result.append(CBORNode.MapEntry(key: key, value: value)) }
            return true
        }
        return result
    }

    /// Rejects the first entry that was not read.
    ///
    /// - Throws: ``CBORError/Code/unknownKey`` naming the first unread key.
    public func finish() throws(CBORError) {
        if self.count <= 64 && self.readMask == (self.count == 64 ? .max : (1 << UInt64(self.count)) - 1) { return }
        var unread: CBORNode?
        self.forEachEntry { position, key, _ in
            guard self.isRead(position) else {
                unread = key
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

    /// Walks the map's entries in the flat item table, without building an array, until
    /// `body` returns `false`.
    private func forEachEntry(_ body: (Int, CBORNode, CBORNode) -> Bool) {
        let document = self.node.document
        var keyIndex = self.node.index + 1
        let end = Int(document[self.node.index].next)
        var position = 0
        while keyIndex < end {
            let valueIndex = Int(document[keyIndex].next)
            let keep = body(
                position, CBORNode(document: document, index: keyIndex), CBORNode(document: document, index: valueIndex)
            )
            guard keep else { return }
            keyIndex = Int(document[valueIndex].next)
            position += 1
        }
    }

    private mutating func find(_ matches: (CBORNode) -> Bool) -> CBORNode? {
        var found: (position: Int, value: CBORNode)?
        self.forEachEntry { position, key, value in
            guard matches(key) else { return true }
            found = (position, value)
            return false
        }
        guard let found else { return nil }
        self.markRead(found.position)
        return found.value
    }

    private mutating func markRead(_ position: Int) {
        if position < 64 {
            self.readMask |= 1 << UInt64(position)
        } else {
            self.readOverflow[position - 64] = true
        }
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
