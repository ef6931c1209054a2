public import DialogueIdentifiers

/// A failure of the mail client, with the problem class of the delivery chapter when a server
/// answered one (Spec: delivery.md#dlv-errors), or a class of the client's own.
///
/// Callers act on ``code`` (and ``status`` for a server's answer), never on ``reason``, which is
/// for people.
public struct ClientError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The class of a failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The class's name: a problem type of [dlv-errors] (`gone`, `missing-blobs`, …) or one below.
        public let name: String

        /// Creates a code with `name`.
        public init(_ name: String) { self.name = name }

        /// The server could not be reached (a connection refused, a time-out): not a protocol error.
        public static let unreachable = Code("unreachable")
        /// A server answered something the protocol does not allow (a wrong type, an unparsable body).
        public static let invalidResponse = Code("invalid-response")
        /// A fetched card's verdict is an alarm: nothing is sealed to it without the user's decision
        /// (Spec: [dlv-card-judged]).
        public static let trustAlarm = Code("trust-alarm")
        /// No account is configured, or its configuration does not read.
        public static let notConfigured = Code("not-configured")
        /// A local message, submission or part that the client does not know.
        public static let unknownMessage = Code("unknown-message")
        /// No server could be found for a domain (no peers-file entry, no well-known document).
        public static let noServer = Code("no-server")
        /// A blob whose bytes do not hash to its identifier (Spec: [id-verify]).
        public static let authenticationFailed = Code("authentication-failed")
        /// A blob, an answer or a list beyond a limit.
        public static let limitsExceeded = Code("limits-exceeded")
        /// A structural error in what the caller gave.
        public static let malformed = Code("malformed")
        /// A blob the servers no longer hold (Spec: [dlv-tombstones]).
        public static let gone = Code("gone")
        /// Blobs a server lacks (Spec: [dlv-keep], [dlv-submission-verify] step 8).
        public static let missingBlobs = Code("missing-blobs")
        /// The local client store failed.
        public static let storeFailed = Code("store-failed")

        /// The name.
        public var description: String { name }
    }

    /// The class.
    public let code: Code
    /// What happened, for people.
    public let reason: String
    /// The HTTP status when a server answered with a problem, else `nil`.
    public let status: Int?
    /// The blobs a `missing-blobs` problem named.
    public let blobs: [ContentIdentifier]

    /// Creates an error.
    public init(_ code: Code, _ reason: String, status: Int? = nil, blobs: [ContentIdentifier] = []) {
        self.code = code
        self.reason = reason
        self.status = status
        self.blobs = blobs
    }

    /// `code: reason`.
    public var description: String { "\(code.name): \(reason)" }

    /// Errors are equal when their classes and statuses are.
    public static func == (lhs: ClientError, rhs: ClientError) -> Bool {
        lhs.code == rhs.code && lhs.status == rhs.status
    }

    /// Hashes the class and status.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(status)
    }
}
