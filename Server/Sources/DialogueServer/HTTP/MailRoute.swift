public import HTTPTypes

/// A route of the endpoint table (Spec: delivery.md#dlv-endpoints), with the methods it has, parsed
/// from a request path under the base URL's path. Path parameters are kept as text: the handler parses
/// them, so that one that does not parse is `400 malformed`, never `404`.
public enum MailRoute: Hashable, Sendable {
    /// `GET /server`.
    case serverDocument
    /// `GET /.well-known/dialogue-server`, at the root of the host.
    case wellKnown
    /// `GET /health`: liveness.
    case health
    /// `GET /ready`: readiness.
    case ready
    /// `GET /metrics`: the Prometheus text format.
    case metrics
    /// `GET`, `HEAD`, `PUT /blobs/{blob}`.
    case blob(String)
    /// `POST /submissions`.
    case submissions
    /// `GET /submissions/{submission}`.
    case submission(String)
    /// `POST /notifications`.
    case notifications
    /// `GET /inbox`.
    case inbox
    /// `DELETE /inbox/{entry}`.
    case entry(String)
    /// `POST /inbox/{entry}/keep`.
    case keep(String)
    /// `POST /inbox/{entry}/acknowledge`.
    case acknowledge(String)
    /// `POST /acknowledgements`.
    case acknowledgements
    /// `GET /cards/{address}`.
    case card(String)
    /// A route of a list (Spec: lists.md#list-endpoints).
    case list(ListRoute)

    /// The route of `path` under `basePath` (`""` or `/segment…`), or `nil` for an unknown route.
    public init?(path: String, basePath: String) {
        switch path {
        case "/.well-known/dialogue-server":
            self = .wellKnown
            return
        case "/health":
            self = .health
            return
        case "/ready":
            self = .ready
            return
        case "/metrics":
            self = .metrics
            return
        default: break
        }
        guard path.hasPrefix(basePath + "/") else { return nil }
        let parts = path.dropFirst(basePath.count + 1).split(separator: "/", omittingEmptySubsequences: false)
            .map(String.init)
        guard parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        if let list = ListRoute(parts) {
            self = .list(list)
            return
        }
        switch parts.count {
        case 1:
            switch parts[0] {
            case "server": self = .serverDocument
            case "submissions": self = .submissions
            case "notifications": self = .notifications
            case "inbox": self = .inbox
            case "acknowledgements": self = .acknowledgements
            default: return nil
            }
        case 2:
            switch parts[0] {
            case "blobs": self = .blob(parts[1])
            case "submissions": self = .submission(parts[1])
            case "inbox": self = .entry(parts[1])
            case "cards": self = .card(parts[1])
            default: return nil
            }
        case 3 where parts[0] == "inbox" && parts[2] == "keep": self = .keep(parts[1])
        case 3 where parts[0] == "inbox" && parts[2] == "acknowledge": self = .acknowledge(parts[1])
        default: return nil
        }
    }

    /// The methods the route has.
    public var methods: [HTTPRequest.Method] {
        switch self {
        case .serverDocument, .wellKnown, .health, .ready, .metrics, .submission, .inbox, .card: [.get]
        case .blob: [.get, .head, .put]
        case .submissions, .notifications, .keep, .acknowledge, .acknowledgements: [.post]
        case .entry: [.delete]
        case .list(let route): route.methods
        }
    }

    /// The route's name in metrics and logs: its path pattern, never a parameter's value.
    public var name: String {
        switch self {
        case .serverDocument: "/server"
        case .wellKnown: "/.well-known/dialogue-server"
        case .health: "/health"
        case .ready: "/ready"
        case .metrics: "/metrics"
        case .blob: "/blobs/{blob}"
        case .submissions: "/submissions"
        case .submission: "/submissions/{submission}"
        case .notifications: "/notifications"
        case .inbox: "/inbox"
        case .entry: "/inbox/{entry}"
        case .keep: "/inbox/{entry}/keep"
        case .acknowledge: "/inbox/{entry}/acknowledge"
        case .acknowledgements: "/acknowledgements"
        case .card: "/cards/{address}"
        case .list(let route): route.name
        }
    }
}
