/// What a store holds, for the operator's metrics: the outbox's depth and the blobs' bytes.
public struct StoreStatistics: Hashable, Sendable {
    /// Deliveries whose notification the outbox still has to send (pending or retrying).
    public var waitingNotifications: Int
    /// Acknowledgements the outbox still has to relay.
    public var waitingRelays: Int
    /// Blobs held: live, or uploaded and not yet named.
    public var blobs: Int
    /// Their bytes.
    public var bytes: UInt64

    /// Statistics with these values.
    public init(waitingNotifications: Int, waitingRelays: Int, blobs: Int, bytes: UInt64) {
        self.waitingNotifications = waitingNotifications
        self.waitingRelays = waitingRelays
        self.blobs = blobs
        self.bytes = bytes
    }
}
