public import DialogueIdentifiers

/// What an append to a list's index changes besides the index (Spec: [list-index-append-only]).
public enum ListAppend: Hashable, Sendable {
    /// A new list and its descriptor, entry 1 ([list-ep-create]); ``StoreError/alreadyExists(_:)`` if the
    /// list exists.
    case created(ListRecord)
    /// A new descriptor ([list-descriptor-revision]): ``StoreError/conflict(_:)`` unless its revision is
    /// larger than the current one.
    case descriptor(ListRecord)
    /// A membership event ([list-event]): ``StoreError/conflict(_:)`` unless its serial is the list's
    /// serial plus one.
    case event(ListEventRecord)
    /// A post, new or held ([list-ep-post]): ``StoreError/missingBlobs(_:)`` unless every blob is live or
    /// uploaded by its author, ``StoreError/alreadyExists(_:)`` if the list has appended it already.
    case post(ListPostRecord)
}

/// Signs the index entry at a position: the store calls it inside the transaction that appends, so that
/// the position is the store's own order, never a guess.
public typealias ListEntrySigner = @Sendable (_ position: UInt64) throws -> [UInt8]

/// The lists a server serves (Spec: lists.md): the lists, their append-only indexes, their members, and
/// the posts held or waiting for their blobs. The blobs a held or appended post names are live for as
/// long as the list exists: no sweep and no deletion of mail ever removes them ([list-index-append-only]).
///
/// Every method that writes is durable before it returns ([dlv-durable]).
public protocol ListStore: Sendable {
    /// The list with this address, or `nil`.
    func list(_ address: String) async throws -> ListRecord?
    /// Appends the next entry of `list`, signed at its position by `sign`, with the change it carries,
    /// all or nothing; returns the entry.
    func appendListEntry(_ change: ListAppend, list: String, sign: @escaping ListEntrySigner) async throws
        -> ListEntryRecord
    /// The entries of `list` after position `after`, in order, at most `limit`.
    func listEntries(list: String, after: UInt64, limit: Int) async throws -> [ListEntryRecord]
    /// Every member of `list`, current or former, in address order.
    func listMembers(list: String) async throws -> [ListMemberRecord]
    /// The member of `list` with this address, current or former.
    func listMember(list: String, address: String) async throws -> ListMemberRecord?
    /// The post of `list` whose envelope is `envelope`, in any state.
    func listPost(list: String, envelope: ContentIdentifier) async throws -> ListPostRecord?
    /// The posts of `list` in `state`, oldest first.
    func listPosts(list: String, state: ListPostRecord.State) async throws -> [ListPostRecord]
    /// Records a post waiting for its blobs (replacing a pending one of the same envelope), or holds it
    /// for the owner, its blobs kept. ``StoreError/missingBlobs(_:)`` when holding a post whose blobs are
    /// not held; ``StoreError/alreadyExists(_:)`` if the envelope is held or appended already.
    func recordListPost(_ post: ListPostRecord) async throws
    /// Drops a held post of `list`; returns the blobs nothing names any more, recorded as deleted.
    /// ``StoreError/notFound(_:)`` when no such post is held.
    func rejectListPost(list: String, envelope: ContentIdentifier, at time: UInt64) async throws
        -> [ContentIdentifier]
    /// Forgets pending posts received at or before `before` (24 hours ago).
    func expireListPending(before: UInt64) async throws
}
