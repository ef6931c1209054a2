/// A list of this server as its store holds it: the current descriptor and the latest membership event,
/// exactly as received, and what the server decides from them (Spec: lists.md#list-descriptor,
/// lists.md#list-event).
public struct ListRecord: Hashable, Sendable {
    /// The list's canonical address, the address of its account.
    public var address: String
    /// The current descriptor, exactly as received.
    public var descriptor: [UInt8]
    /// The list key (the descriptor's key 2), which signs its events; it never changes.
    public var listKey: [UInt8]
    /// The descriptor's revision.
    public var revision: UInt64
    /// The mode: 0 encrypted, 1 public.
    public var mode: UInt64
    /// The posting policy: 0 members, 1 moderated, 2 open.
    public var posting: UInt64
    /// The history: 0 the whole archive, 1 from joining.
    public var history: UInt64
    /// The latest membership event, exactly as received; `nil` before the first.
    public var latestEvent: [UInt8]?
    /// The serial of the latest event (0 before the first).
    public var serial: UInt64
    /// The epoch of the latest event (0 before the first).
    public var epoch: UInt64
    /// The position of the index's last entry.
    public var length: UInt64

    /// A list record.
    public init(
        address: String, descriptor: [UInt8], listKey: [UInt8], revision: UInt64, mode: UInt64, posting: UInt64,
        history: UInt64,
        latestEvent: [UInt8]? = nil, serial: UInt64 = 0, epoch: UInt64 = 0, length: UInt64 = 0
    ) {
        self.address = address
        self.descriptor = descriptor
        self.listKey = listKey
        self.revision = revision
        self.mode = mode
        self.posting = posting
        self.history = history
        self.latestEvent = latestEvent
        self.serial = serial
        self.epoch = epoch
        self.length = length
    }
}
