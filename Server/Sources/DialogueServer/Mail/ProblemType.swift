/// The problem types of the delivery chapter, each with its status (Spec: delivery.md#dlv-errors).
public enum ProblemType: String, CaseIterable, Hashable, Sendable {
    /// A body, a header field or a path parameter that does not decode.
    case malformed
    /// An object of another version.
    case unsupportedVersion = "unsupported-version"
    /// A body, a count or a range beyond a limit.
    case limitsExceeded = "limits-exceeded"
    /// A signature that does not verify.
    case badSignature = "bad-signature"
    /// A signature by a key the server cannot attribute.
    case unknownKey = "unknown-key"
    /// Outside its validity window.
    case expired
    /// A request nonce already used.
    case replayed
    /// A body whose digest, or a blob whose identifier, does not match.
    case authenticationFailed = "authentication-failed"
    /// An acknowledgement by someone the submission does not list.
    case notARecipient = "not-a-recipient"
    /// An address that is not the signer's.
    case addressMismatch = "address-mismatch"
    /// A signed request by someone not allowed to make it.
    case forbidden
    /// An unknown route, blob, entry or submission.
    case notFound = "not-found"
    /// A notification for a user the server does not have.
    case unknownRecipient = "unknown-recipient"
    /// A method the route does not have.
    case methodNotAllowed = "method-not-allowed"
    /// A submission or keep naming blobs the server does not hold.
    case missingBlobs = "missing-blobs"
    /// A deleted blob or submission.
    case gone
    /// Over a rate limit.
    case rateLimited = "rate-limited"
    /// Shutting down, or the storage is unavailable.
    case unavailable

    /// The HTTP status of the type (the table of [dlv-errors]).
    public var status: Int {
        switch self {
        case .malformed, .unsupportedVersion: 400
        case .limitsExceeded: 413
        case .badSignature, .unknownKey, .expired, .replayed: 401
        case .authenticationFailed: 422
        case .notARecipient, .addressMismatch, .forbidden: 403
        case .notFound, .unknownRecipient: 404
        case .methodNotAllowed: 405
        case .missingBlobs: 409
        case .gone: 410
        case .rateLimited: 429
        case .unavailable: 503
        }
    }

    /// `urn:dialogue:problem:` and the name.
    public var uri: String { "urn:dialogue:problem:" + rawValue }

    /// The title: the name with spaces.
    public var title: String { rawValue.split(separator: "-").joined(separator: " ") }
}
