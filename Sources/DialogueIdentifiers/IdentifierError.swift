/// Why an identifier was rejected (Spec: identifiers.md#id-text-strict).
///
/// Equality compares the code only, so tests and callers can match on the
/// code while the reason stays free to improve.
public struct IdentifierError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable, machine-readable error code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name as the specification spells it, e.g. `wrong-length`.
        public let name: String

        private init(_ name: String) { self.name = name }

        /// The text form's kind is not in the kind table, or there is no `-`.
        public static let unknownKind = Code("unknown-kind")
        /// The kind is known but is not the kind the caller asked for.
        public static let wrongKind = Code("wrong-kind")
        /// A character is outside the base32 alphabet.
        public static let invalidCharacter = Code("invalid-character")
        /// The length does not make a whole identifier of an assigned algorithm.
        public static let wrongLength = Code("wrong-length")
        /// The fill bits of the last character are not zero.
        public static let nonCanonical = Code("non-canonical")
        /// The algorithm code is not assigned.
        public static let unknownAlgorithm = Code("unknown-algorithm")

        /// The code's name.
        public var description: String { name }
    }

    /// What kind of error this is.
    public let code: Code

    /// A human-readable explanation that names what was wrong.
    public let reason: String

    /// Creates an error; the reason is for people and is ignored by equality.
    public init(_ code: Code, _ reason: String = "") {
        self.code = code
        self.reason = reason
    }

    /// `code: reason`.
    public var description: String { "\(code.name): \(reason)" }

    /// Compares codes only.
    public static func == (lhs: IdentifierError, rhs: IdentifierError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
