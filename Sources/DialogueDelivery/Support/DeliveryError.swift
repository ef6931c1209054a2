/// Why a delivery object or a signed request was rejected (Spec: delivery.md#dlv-errors).
///
/// The codes are the specification's error classes, so that every implementation reports the
/// same class for the same input; the reason adds detail for people. Equality compares the
/// code only. A server answers each class with the problem type of the same name and the
/// status of the specification's table (the HTTP binding is the server's, not this module's).
public struct DeliveryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// One of the specification's error classes for delivery objects and requests.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The class's name as the specification spells it, e.g. `unknown-key`.
        public let name: String

        private init(_ name: String) { self.name = name }

        /// Bytes or header fields that do not decode, or that break a structural rule.
        public static let malformed = Code("malformed")
        /// An object of another version.
        public static let unsupportedVersion = Code("unsupported-version")
        /// A size, a count or a range beyond a limit.
        public static let limitsExceeded = Code("limits-exceeded")
        /// A signature that does not verify.
        public static let badSignature = Code("bad-signature")
        /// A signature by a key the verifier cannot attribute.
        public static let unknownKey = Code("unknown-key")
        /// A request or an object outside its validity window.
        public static let expired = Code("expired")
        /// A request nonce that was already accepted.
        public static let replayed = Code("replayed")
        /// A body whose digest, or a blob whose identifier, does not match.
        public static let authenticationFailed = Code("authentication-failed")
        /// An acknowledgement by someone the submission does not list.
        public static let notARecipient = Code("not-a-recipient")
        /// An address that is not the signer's, or a domain that does not match.
        public static let addressMismatch = Code("address-mismatch")

        /// Every class, in the specification's order.
        public static let all: [Code] = [
            .malformed, .unsupportedVersion, .limitsExceeded, .badSignature, .unknownKey, .expired, .replayed,
            .authenticationFailed, .notARecipient, .addressMismatch,
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
    public static func == (lhs: DeliveryError, rhs: DeliveryError) -> Bool { lhs.code == rhs.code }

    /// Hashes the class only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// A `malformed` error, the commonest class.
    public static func malformed(_ reason: String) -> DeliveryError { DeliveryError(.malformed, reason) }
}
