/// A membership event the list server accepted, as the store applies it (Spec: lists.md#list-event).
public struct ListEventRecord: Hashable, Sendable {
    /// The event, exactly as received.
    public var bytes: [UInt8]
    /// Its serial: the store refuses one that is not the list's serial plus one.
    public var serial: UInt64
    /// The list's epoch once it applies.
    public var epoch: UInt64
    /// Whether the member becomes current (`joined`) or former (`left`, `removed`); `nil` for a key roll.
    public var member: (address: String, identityKey: [UInt8], joins: Bool)?

    /// An event record.
    public init(
        bytes: [UInt8], serial: UInt64, epoch: UInt64, member: (address: String, identityKey: [UInt8], joins: Bool)?
    ) {
        self.bytes = bytes
        self.serial = serial
        self.epoch = epoch
        self.member = member
    }

    public static func == (lhs: ListEventRecord, rhs: ListEventRecord) -> Bool { lhs.bytes == rhs.bytes }

    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}
