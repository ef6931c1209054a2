/// When a device acknowledges a message without being asked ([dlv-ack]): once it holds every blob of
/// the message, because then nothing is lost if the sender's server deletes it.
///
/// The default is ``keep``: the home server keeps a copy first ([dlv-keep-before-ack]), so the
/// user's other devices still read the message after the sender's server deleted it, and the
/// sender's server is freed as soon as this device holds everything instead of holding the
/// message until it expires.
public enum AutoAcknowledgement: String, Sendable, Hashable, Codable, CaseIterable {
    /// Ask the home server to keep every blob, then acknowledge: safe with several devices.
    case keep
    /// Acknowledge without keeping: for a single device that holds what it wants.
    case noKeep = "no-keep"
    /// Never acknowledge without an explicit `acknowledge` (`dialogue ack`).
    case off

    /// The policy of an account that does not name one.
    public static let standard = AutoAcknowledgement.keep
}
