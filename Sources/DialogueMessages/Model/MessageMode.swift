/// Whether a message is encrypted or only signed (Spec: messages.md#msg-envelope, messages.md#msg-public).
public enum MessageMode: UInt64, Hashable, Sendable, CustomStringConvertible {
    /// Signed and encrypted: the default, always.
    case encrypted = 0
    /// Signed but readable by anyone: for public mailing lists and archives, and never the default.
    case `public` = 1

    /// `encrypted` or `public`.
    public var description: String { self == .encrypted ? "encrypted" : "public" }
}
