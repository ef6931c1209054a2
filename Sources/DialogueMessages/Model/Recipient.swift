public import DialogueCrypto

/// A recipient as the manifest lists it (Spec: messages.md#msg-manifest).
public struct Recipient: Hashable, Sendable {
    /// How the recipient was addressed.
    public enum Role: UInt64, Hashable, Sendable, CaseIterable, CustomStringConvertible {
        /// A primary recipient.
        case to = 0
        /// A copy.
        case cc = 1
        /// A blind copy: listed only in the blind recipient's own manifest (Spec: messages.md#msg-bcc).
        case bcc = 2

        /// `to`, `cc` or `bcc`.
        public var description: String {
            switch self {
            case .to: "to"
            case .cc: "cc"
            case .bcc: "bcc"
            }
        }
    }

    /// The recipient's address.
    public var address: Address
    /// How the recipient was addressed.
    public var role: Role
    /// The X25519 key the message was sealed to.
    public var encryptionKey: X25519.PublicKey

    /// Creates a recipient entry.
    public init(address: Address, role: Role, encryptionKey: X25519.PublicKey) {
        self.address = address
        self.role = role
        self.encryptionKey = encryptionKey
    }
}
