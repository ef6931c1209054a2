/// What the answer to a notification or a relayed acknowledgement means for the outbox
/// (Spec: delivery.md#dlv-retry-classes).
public enum ResponseClass: Hashable, Sendable {
    /// `2xx`: the peer took it; the delivery is confirmed.
    case confirmed
    /// A `4xx` other than `408`, `425` and `429`: the delivery is `failed` with that status and
    /// problem, and is not retried.
    case permanentFailure
    /// `408`, `425`, `429`, `5xx`, a network or TLS failure, or any other status (`1xx` as a final
    /// answer, `3xx`: redirects are not followed): tried again later ([dlv-retry-backoff]).
    case retry

    /// The class of an HTTP status.
    public init(status: Int) {
        switch status {
        case 200...299: self = .confirmed
        case 408, 425, 429: self = .retry
        case 400...499: self = .permanentFailure
        default: self = .retry
        }
    }

    /// The class of a request that got no HTTP answer (connection refused, timeout, TLS failure).
    public static let networkFailure = ResponseClass.retry
}
