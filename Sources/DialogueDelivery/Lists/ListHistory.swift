/// What a member who joins later may read (Spec: lists.md#list-descriptor, [list-epoch-roll]).
public enum ListHistory: UInt64, ListChoice, Hashable {
    /// The whole archive: a joiner receives the keys of every epoch, and joining does not roll the key.
    case archive = 0
    /// From joining: joining rolls the key, and the joiner receives the new epoch's key only.
    case joining = 1

    /// The name the conformance operations use: `archive` or `joining`.
    public var name: String { self == .archive ? "archive" : "joining" }
}
