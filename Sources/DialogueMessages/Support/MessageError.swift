/// Why a card, a secret identity file or a message was rejected (Spec: messages.md#msg-errors).
///
/// The codes are the specification's error classes, so that every implementation reports
/// the same class for the same input; the reason adds detail for people. Equality compares
/// the code only.
public struct MessageError: Error, Hashable, Sendable, CustomStringConvertible {
    /// One of the specification's error classes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The class's name as the specification spells it, e.g. `not-a-recipient`.
        public let name: String

        private init(_ name: String) { self.name = name }

        /// Bytes that do not decode, or that violate a structural rule.
        public static let malformed = Code("malformed")
        /// A version or mode this implementation does not know.
        public static let unsupportedVersion = Code("unsupported-version")
        /// A size or count beyond a limit of the specification.
        public static let limitsExceeded = Code("limits-exceeded")
        /// No stanza opens with the recipient's key, or the manifest does not list the recipient.
        public static let notARecipient = Code("not-a-recipient")
        /// A card or manifest signature that does not verify.
        public static let badSignature = Code("bad-signature")
        /// An AEAD tag, a key commitment or a blob identifier that does not match.
        public static let authenticationFailed = Code("authentication-failed")
        /// An address that is not one that the card or the recipient has.
        public static let addressMismatch = Code("address-mismatch")
        /// A part whose chunks stop before the final chunk, or input that ends early.
        public static let truncated = Code("truncated")
        /// An X25519 public key of low order.
        public static let weakKey = Code("weak-key")

        /// Every class, in the specification's order.
        public static let all: [Code] = [
            .malformed, .unsupportedVersion, .limitsExceeded, .notARecipient, .badSignature,
            .authenticationFailed, .addressMismatch, .truncated, .weakKey,
        ]

        /// The class with this name, or `nil`.
        public init?(name: String) {
            guard let code = Code.all.first(where: { $0.name == name }) else { return nil }
            self = code
        }

        /// The class's name.
        public var description: String { name }
    }

    /// The error class.
    public let code: Code

    /// A human-readable explanation that names what was wrong.
    public let reason: String

    /// Creates an error of class `code`.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// `code: reason`.
    public var description: String { "\(code.name): \(reason)" }

    /// Compares classes only.
    public static func == (lhs: MessageError, rhs: MessageError) -> Bool { lhs.code == rhs.code }

    /// Hashes the class only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// A `malformed` error: the commonest class, for `throw .malformed("…")`.
    public static func malformed(_ reason: String) -> MessageError { MessageError(.malformed, reason) }
    static func limits(_ reason: String) -> MessageError { MessageError(.limitsExceeded, reason) }
}
