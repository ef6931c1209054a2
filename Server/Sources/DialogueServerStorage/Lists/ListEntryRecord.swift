/// One index entry: its position and the exact signed entry bytes (Spec: lists.md#list-index).
public struct ListEntryRecord: Hashable, Sendable {
    /// The position: 1 for the list's first entry, then one more for each.
    public var position: UInt64
    /// The signed list entry, exactly as served.
    public var bytes: [UInt8]

    /// An entry record.
    public init(position: UInt64, bytes: [UInt8]) {
        self.position = position
        self.bytes = bytes
    }
}
