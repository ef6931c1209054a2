/// Who may post to a list (Spec: lists.md#list-descriptor, [list-policy-check]).
public enum ListPosting: UInt64, ListChoice, Hashable {
    /// Only current members' posts are appended; others are `403 forbidden`.
    case members = 0
    /// Every post is held until the owner approves it.
    case moderated = 1
    /// Anyone's post is appended.
    case open = 2

    /// The name the conformance operations use: `members`, `moderated` or `open`.
    public var name: String {
        switch self {
        case .members: "members"
        case .moderated: "moderated"
        case .open: "open"
        }
    }
}
