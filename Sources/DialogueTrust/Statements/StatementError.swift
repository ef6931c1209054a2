/// Why a rotation or revocation statement was not accepted as well-formed and authentic
/// (Spec: trust.md#trust-statement-decode).
///
/// The classes are those of the Messages chapter, so that tools report statements and messages
/// alike. Equality compares the code only.
public struct StatementError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The error class.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The class's name as the specification spells it.
        public let name: String

        private init(_ name: String) { self.name = name }

        /// Bytes that do not decode, or that break a structural rule.
        public static let malformed = Code("malformed")
        /// A version or statement kind this implementation does not know.
        public static let unsupportedVersion = Code("unsupported-version")
        /// A statement larger than the limit.
        public static let limitsExceeded = Code("limits-exceeded")
        /// A signature that does not verify.
        public static let badSignature = Code("bad-signature")

        /// The class's name.
        public var description: String { name }
    }

    /// The class.
    public let code: Code
    /// What was wrong, for people.
    public let reason: String

    /// Creates an error.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// `code: reason`.
    public var description: String { "\(code.name): \(reason)" }

    /// Compares codes only.
    public static func == (lhs: StatementError, rhs: StatementError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    static func malformed(_ reason: String) -> StatementError { StatementError(.malformed, reason) }
}
