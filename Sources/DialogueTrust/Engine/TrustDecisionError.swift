/// Why a user decision was refused (Spec: trust.md#trust-decisions).
public struct TrustDecisionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name.
        public let name: String

        private init(_ name: String) { self.name = name }

        /// No binding exists for the address: no message from it was received.
        public static let unknownAddress = Code("unknown-address")
        /// The fingerprint is not the one currently pinned: verifying an outdated (or wrong)
        /// fingerprint is refused.
        public static let outdatedFingerprint = Code("outdated-fingerprint")
        /// There is no key change to accept.
        public static let noKeyChange = Code("no-key-change")
        /// The binding is not verified.
        public static let notVerified = Code("not-verified")
        /// The key was revoked by its holder and cannot be verified or accepted.
        public static let revokedKey = Code("revoked-key")
        /// A verification payload does not name this identity and exactly one other party.
        public static let payloadMismatch = Code("payload-mismatch")

        /// The code's name.
        public var description: String { name }
    }

    /// The code.
    public let code: Code
    /// Details for people.
    public let reason: String

    /// Creates an error.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// `code: reason`.
    public var description: String { "\(code.name): \(reason)" }

    /// Compares codes only.
    public static func == (lhs: TrustDecisionError, rhs: TrustDecisionError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
