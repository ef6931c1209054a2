/// Why a trust store could not be opened or used (Spec: trust.md#trust-store).
///
/// A store that is lost, replaced or damaged is reported with its own code, never silently
/// replaced by an empty one: an empty store would greet every known contact as a stranger.
/// Equality compares the code only.
public struct TrustStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name.
        public let name: String

        private init(_ name: String) { self.name = name }

        /// The store that was in use is gone (its file was deleted or moved).
        public static let storeLost = Code("trust-store-lost")
        /// A different store is where the known store was.
        public static let storeReplaced = Code("trust-store-replaced")
        /// Storage integrity check failed, or the file is not a database.
        public static let corrupted = Code("trust-store-corrupted")
        /// The event log's hash chain is broken: entries were removed or altered.
        public static let logDamaged = Code("trust-log-damaged")
        /// The file is a database of some other application.
        public static let notATrustStore = Code("not-a-trust-store")
        /// The store was written by a newer version of this software.
        public static let newerVersion = Code("trust-store-newer")
        /// A write was attempted in a read transaction.
        public static let readOnly = Code("read-only")
        /// The database reported an error (locked beyond the timeout, disk full, I/O error…).
        public static let database = Code("database")

        /// The code's name.
        public var description: String { name }
    }

    /// The code.
    public let code: Code
    /// Details for people: what was found and what to do.
    public let reason: String

    /// Creates an error.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// `code: reason`.
    public var description: String { "\(code.name): \(reason)" }

    /// Compares codes only.
    public static func == (lhs: TrustStoreError, rhs: TrustStoreError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
