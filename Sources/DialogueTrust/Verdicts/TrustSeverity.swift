/// How loudly a verdict should be shown (Spec: trust.md#trust-verdicts).
///
/// - `info`: nothing to do; shown quietly, if at all.
/// - `notice`: worth a calm line of text; no action is needed.
/// - `alarm`: the reader should not rely on who sent the message until it is checked; shown
///   prominently. The message is still delivered: the trust layer never rejects.
public enum TrustSeverity: Int, Hashable, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    /// Nothing to do.
    case info = 0
    /// Worth knowing; no action needed.
    case notice = 1
    /// Check before relying on the sender's identity.
    case alarm = 2

    /// Orders by loudness.
    public static func < (lhs: TrustSeverity, rhs: TrustSeverity) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `info`, `notice` or `alarm`.
    public var description: String {
        switch self {
        case .info: "info"
        case .notice: "notice"
        case .alarm: "alarm"
        }
    }
}
