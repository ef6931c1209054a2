/// Whether a list's posts are sealed to its epoch keys or public (Spec: lists.md#list-descriptor).
public enum ListMode: UInt64, ListChoice, Hashable {
    /// Posts are sealed to the list's current epoch key; the default ([list-encrypted-default]).
    case encrypted = 0
    /// Posts are public messages, signed but readable by anyone (Spec: messages.md#msg-public).
    case `public` = 1

    /// The name the conformance operations use: `encrypted` or `public`.
    public var name: String { self == .encrypted ? "encrypted" : "public" }
}
