/// What an index entry holds (Spec: lists.md#list-index).
public enum ListEntryKind: UInt64, ListChoice, Hashable {
    /// A list descriptor ([list-descriptor]).
    case descriptor = 0
    /// A membership event ([list-event]).
    case event = 1
    /// A post ([list-post]).
    case post = 2

    /// The name the conformance operations use: `descriptor`, `event` or `post`.
    public var name: String {
        switch self {
        case .descriptor: "descriptor"
        case .event: "event"
        case .post: "post"
        }
    }
}
