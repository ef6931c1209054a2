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

    /// All entries of the map, in canonical order.
    public let entries: [CBORNode.MapEntry]

    private var read: [Bool]

    /// Starts reading a map node.
    ///
    /// - Throws: ``CBORError/Code/unexpectedType`` if `node` is not a map.
    public init(_ node: CBORNode) throws(CBORError) {
        self.node = node
        self.entries = try node.map()
        self.read = Array(repeating: false, count: self.entries.count)
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
        for i in self.entries.indices where self.entries[i].key.hasKey(key) {
            self.read[i] = true
            return self.entries[i].value
        }
        return nil
    }

    /// The value under a text key, or `nil`; marks the key as read.
    public mutating func optional(_ key: String) -> CBORNode? {
        for i in self.entries.indices where self.entries[i].key.hasKey(key) {
            self.read[i] = true
            return self.entries[i].value
        }
        return nil
    }

    /// The entries whose keys have not been read yet, in canonical order.
    public var unreadEntries: [CBORNode.MapEntry] {
        self.entries.indices.filter { !self.read[$0] }.map { self.entries[$0] }
    }

    /// Checks that every key of the map has been read.
    ///
    /// - Throws: ``CBORError/Code/unknownKey`` naming the first unread key
    ///   (in canonical order), with that key's offset.
    public func finish() throws(CBORError) {
        guard let index = self.read.firstIndex(of: false) else { return }
        let key = self.entries[index].key
        throw CBORError(
            .unknownKey,
            reason:
                "the map at offset \(self.node.offset) has the unknown key \(key.keyDescription) at offset \(key.offset)",
            offset: key.offset
        )
    }

    private func missing(_ key: String) -> CBORError {
        CBORError(
            .missingKey,
            reason: "the map at offset \(self.node.offset) has no key \(key)",
            offset: self.node.offset
        )
    }
}
