/// What a membership event records (Spec: lists.md#list-event).
public enum ListEventKind: UInt64, ListChoice, Hashable {
    /// A member joined (was added by the owner).
    case joined = 0
    /// A member left, at its own request; the key rolls.
    case left = 1
    /// The owner removed a member; the key rolls.
    case removed = 2
    /// The key rolled without a membership change.
    case keyRolled = 3

    /// Whether the event names a member (keys 6 and 7).
    public var namesMember: Bool { self != .keyRolled }

    /// Whether the event starts a new epoch in an encrypted list with this history ([list-epoch-roll]).
    public func rollsKey(history: ListHistory) -> Bool { self != .joined || history == .joining }

    /// The name the conformance operations use: `joined`, `left`, `removed` or `key-rolled`.
    public var name: String {
        switch self {
        case .joined: "joined"
        case .left: "left"
        case .removed: "removed"
        case .keyRolled: "key-rolled"
        }
    }
}
