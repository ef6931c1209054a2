public import DialogueIdentifiers

/// The lists of a ``MemoryMailStore``: each list's record, its index, its members and its posts, and the
/// blobs its held and appended posts name, which stay live for as long as the list exists.
public struct MemoryListState: Sendable {
    var records: [String: ListRecord] = [:]
    var entries: [String: [ListEntryRecord]] = [:]
    var members: [String: [String: ListMemberRecord]] = [:]
    var posts: [String: [ContentIdentifier: ListPostRecord]] = [:]
    /// How many held or appended posts name each blob.
    var blobCounts: [ContentIdentifier: Int] = [:]

    /// An empty state.
    public init() {}

    /// Whether a held or appended post of any list names the blob.
    func names(_ id: ContentIdentifier) -> Bool { blobCounts[id, default: 0] > 0 }

    mutating func name(_ blobs: [ContentIdentifier]) {
        for blob in blobs { blobCounts[blob, default: 0] += 1 }
    }

    mutating func unname(_ blobs: [ContentIdentifier]) {
        for blob in blobs {
            let count = blobCounts[blob, default: 0] - 1
            blobCounts[blob] = count > 0 ? count : nil
        }
    }
}
