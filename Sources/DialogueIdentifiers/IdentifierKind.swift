/// What an identifier names; it selects the text form's prefix (Spec: identifiers.md#id-kinds).
///
/// The kind is not part of the binary form and is not hashed.
public struct IdentifierKind: Hashable, Sendable, CustomStringConvertible {
    /// The lower-case word before the `-` in the text form.
    public let prefix: String

    /// The context under which identifiers of this kind are computed.
    public let context: DomainContext

    /// A stored blob: any byte string kept in a blob store and fetched by its hash.
    public static let blob = IdentifierKind(prefix: "blob", context: .blob)

    /// A message: the hash of its signed manifest (Spec: messages.md#msg-id).
    public static let message = IdentifierKind(prefix: "msg", context: .message)

    /// An identity's fingerprint: the hash of its Ed25519 public key (Spec: identities.md#keys).
    public static let identityKey = IdentifierKind(prefix: "key", context: .identityKey)

    /// A server key's fingerprint: the hash of a server's Ed25519 public key (Spec: delivery.md#dlv-server-keys).
    public static let serverKey = IdentifierKind(prefix: "srv", context: .serverKey)

    /// A submission: the hash of a signed submission (Spec: delivery.md#dlv-submission).
    public static let submission = IdentifierKind(prefix: "sub", context: .submissionID)

    /// Every kind defined by the specification.
    public static let all: [IdentifierKind] = [.blob, .message, .identityKey, .serverKey, .submission]

    private init(prefix: String, context: DomainContext) {
        self.prefix = prefix
        self.context = context
    }

    /// The kind with this prefix, or `nil` when the prefix is unknown.
    public init?(prefix: String) {
        guard let kind = IdentifierKind.all.first(where: { $0.prefix == prefix }) else { return nil }
        self = kind
    }

    /// The prefix.
    public var description: String { prefix }
}
