public import DialogueDelivery
public import DialogueIdentifiers
public import DialogueServerStorage

/// Why the mail service refused something: a problem type, a detail for people, and for
/// `missing-blobs` the blobs (Spec: delivery.md#dlv-errors). The HTTP layer answers it as an
/// RFC 9457 problem document.
public struct MailProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// The type, which decides the status.
    public var type: ProblemType
    /// Free text for people; never secrets or content.
    public var detail: String
    /// The missing blobs of a `missing-blobs` problem.
    public var blobs: [ContentIdentifier]
    /// A status that replaces the type's own (`416` for an unsatisfiable range, `408` for a body that
    /// came too slowly: both `limits-exceeded`).
    public var statusOverride: Int?
    /// When to come back, in seconds: the `Retry-After` of a `rate-limited` or `unavailable` answer
    /// ([dlv-abuse-rate]); ``defaultRetryAfter`` when `nil`.
    public var retryAfter: UInt64?

    /// The `Retry-After` of a `rate-limited` or `unavailable` problem that names none.
    public static let defaultRetryAfter: UInt64 = 5

    /// Creates a problem.
    public init(
        _ type: ProblemType, _ detail: String, blobs: [ContentIdentifier] = [], status: Int? = nil,
        retryAfter: UInt64? = nil
    ) {
        self.type = type
        self.detail = detail
        self.blobs = blobs
        self.statusOverride = status
        self.retryAfter = retryAfter
    }

    /// The problem of an object or request check: its class is a problem type of the same name.
    public init(_ error: DeliveryError) {
        self.init(ProblemType(rawValue: error.code.name) ?? .malformed, error.reason)
    }

    /// The problem of a store refusal.
    public init(_ error: StoreError) {
        switch error {
        case .alreadyExists(let what): self.init(.malformed, "already exists: \(what)")
        case .notFound(let what): self.init(.notFound, "not found: \(what)")
        case .missingBlobs(let ids): self.init(.missingBlobs, error.description, blobs: ids)
        case .gone(let what): self.init(.gone, "gone: \(what)")
        case .conflict(let what): self.init(.malformed, "conflict: \(what)")
        case .unavailable: self.init(.unavailable, "the storage is unavailable")
        }
    }

    /// Wraps any error: a ``MailProblem``, a ``DeliveryError`` or a ``StoreError`` keep their meaning;
    /// anything else is the server's own failure (`503 unavailable`), never blamed on the client.
    public static func wrapping(_ error: any Error) -> MailProblem {
        switch error {
        case let problem as MailProblem: problem
        case let error as DeliveryError: MailProblem(error)
        case let error as StoreError: MailProblem(error)
        case let failure as BlobFiles.Failure:
            switch failure {
            case .tooLarge(let limit): MailProblem(.limitsExceeded, "more than \(limit) bytes")
            case .wrongContent: MailProblem(.authenticationFailed, failure.description)
            case .io: MailProblem(.unavailable, "the blob storage failed")
            }
        default: MailProblem(.unavailable, "the server failed")
        }
    }

    /// The status answered.
    public var status: Int { statusOverride ?? type.status }

    /// `type: detail`.
    public var description: String { "\(type.rawValue): \(detail)" }
}
