/// Why an address was rejected (Spec: identities.md#addr).
public struct AddressError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong with the address.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        /// The address is empty.
        case empty = "empty"
        /// There is no `@`, or more than one.
        case missingOrExtraAt = "missing-or-extra-at"
        /// A character outside the allowed set (this includes white space and non-ASCII).
        case invalidCharacter = "invalid-character"
        /// The local part is empty or longer than 64 characters.
        case localPartLength = "local-part-length"
        /// A `.` starts or ends the local part, or two follow each other.
        case misplacedDot = "misplaced-dot"
        /// The domain is longer than 253 characters, or a label is empty or longer than 63.
        case domainLength = "domain-length"
        /// A label starts or ends with `-`.
        case misplacedHyphen = "misplaced-hyphen"
        /// The address is valid but not in canonical (lower-case) form where canonical form is required.
        case notCanonical = "not-canonical"
    }

    /// What was wrong.
    public let code: Code

    /// A human-readable explanation.
    public let reason: String

    init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// `code: reason`.
    public var description: String { "\(code.rawValue): \(reason)" }

    /// Compares codes only.
    public static func == (lhs: AddressError, rhs: AddressError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
