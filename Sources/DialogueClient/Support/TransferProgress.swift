public import DialogueIdentifiers

/// One step of a transfer, for a user interface to draw: reported while a blob moves and once
/// when it has moved (or was not moved because it was already where it had to be).
public struct TransferProgress: Sendable, Hashable {
    /// Which way the bytes go.
    public enum Direction: String, Sendable, Hashable {
        /// To the home server.
        case upload
        /// From a server into the local store.
        case download
    }

    /// Which way.
    public let direction: Direction
    /// The blob.
    public let blob: ContentIdentifier
    /// The bytes moved so far.
    public let bytes: Int
    /// The blob's size, when known.
    public let total: Int?
    /// Whether the blob is done (moved, or skipped because it was already there).
    public let finished: Bool
    /// Whether nothing moved: the destination already held the blob.
    public let skipped: Bool

    /// Creates a report.
    public init(direction: Direction, blob: ContentIdentifier, bytes: Int, total: Int?, finished: Bool, skipped: Bool) {
        self.direction = direction
        self.blob = blob
        self.bytes = bytes
        self.total = total
        self.finished = finished
        self.skipped = skipped
    }
}

/// Where progress goes: called from any task, so it must be `Sendable`.
public typealias ProgressHandler = @Sendable (TransferProgress) -> Void
