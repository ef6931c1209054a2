internal import Foundation

/// What a peer answered to one request: the status, the `Retry-After` in seconds, the problem type and
/// a bounded body (Spec: [dlv-retry-classes], [dlv-errors]).
public struct PeerResponse: Hashable, Sendable {
    /// The HTTP status.
    public var status: Int
    /// `Retry-After` in seconds (Spec: [dlv-retry-backoff] reads it in seconds), when the answer had one.
    public var retryAfter: UInt64?
    /// The `Content-Type`, when the answer had one.
    public var contentType: String?
    /// The body, at most the client's limit.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, retryAfter: UInt64? = nil, contentType: String? = nil, body: [UInt8] = []) {
        self.status = status
        self.retryAfter = retryAfter
        self.contentType = contentType
        self.body = body
    }

    /// The `type` of a problem document body (`urn:dialogue:problem:…`), or `nil` when the body is none.
    public var problemType: String? {
        guard contentType?.lowercased().hasPrefix("application/problem+json") == true,
            let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        else { return nil }
        return object["type"] as? String
    }

    /// `status` and problem type in one line, as the outbox records it for the sender to see.
    public var summary: String {
        if let problemType { return "\(status) \(problemType)" }
        return "\(status)"
    }

    /// Parses `Retry-After` as delta-seconds; an HTTP date or anything else is ignored.
    public static func retryAfterSeconds(_ value: String?) -> UInt64? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty, value.count <= 10,
            value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        else { return nil }
        return UInt64(value)
    }
}
