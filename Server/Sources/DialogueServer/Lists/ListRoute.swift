public import HTTPTypes

/// A route of the list endpoint table (Spec: lists.md#list-endpoints), parsed from the path segments
/// after the base URL's path. Parameters are kept as text: the handler parses them, so that one that
/// does not parse is `400 malformed`, never `404`.
public enum ListRoute: Hashable, Sendable {
    /// `POST /lists`.
    case lists
    /// `GET /lists/{list}`.
    case list(String)
    /// `PUT /lists/{list}/policy`.
    case policy(String)
    /// `GET`, `POST /lists/{list}/members`.
    case members(String)
    /// `GET /lists/{list}/index`.
    case index(String)
    /// `PUT /lists/{list}/blobs/{blob}`.
    case blob(String, String)
    /// `POST /lists/{list}/posts`.
    case posts(String)
    /// `GET /lists/{list}/held`.
    case held(String)
    /// `DELETE /lists/{list}/held/{blob}`.
    case heldPost(String, String)
    /// `POST /lists/{list}/held/{blob}/approve`.
    case approve(String, String)

    /// The route of the segments after the base path, the first being `lists`, or `nil`.
    public init?(_ parts: [String]) {
        guard parts.first == "lists" else { return nil }
        switch parts.count {
        case 1: self = .lists
        case 2: self = .list(parts[1])
        case 3:
            switch parts[2] {
            case "policy": self = .policy(parts[1])
            case "members": self = .members(parts[1])
            case "index": self = .index(parts[1])
            case "posts": self = .posts(parts[1])
            case "held": self = .held(parts[1])
            default: return nil
            }
        case 4 where parts[2] == "blobs": self = .blob(parts[1], parts[3])
        case 4 where parts[2] == "held": self = .heldPost(parts[1], parts[3])
        case 5 where parts[2] == "held" && parts[4] == "approve": self = .approve(parts[1], parts[3])
        default: return nil
        }
    }

    /// The methods the route has.
    public var methods: [HTTPRequest.Method] {
        switch self {
        case .lists, .posts, .approve: [.post]
        case .list, .index, .held: [.get]
        case .policy, .blob: [.put]
        case .members: [.get, .post]
        case .heldPost: [.delete]
        }
    }

    /// The route's name in metrics and logs: its path pattern.
    public var name: String {
        switch self {
        case .lists: "/lists"
        case .list: "/lists/{list}"
        case .policy: "/lists/{list}/policy"
        case .members: "/lists/{list}/members"
        case .index: "/lists/{list}/index"
        case .blob: "/lists/{list}/blobs/{blob}"
        case .posts: "/lists/{list}/posts"
        case .held: "/lists/{list}/held"
        case .heldPost: "/lists/{list}/held/{blob}"
        case .approve: "/lists/{list}/held/{blob}/approve"
        }
    }
}
