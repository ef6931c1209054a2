internal import DialogueDelivery
internal import DialogueIdentifiers
internal import DialogueServerStorage
internal import HTTPTypes
internal import Hummingbird
public import Logging
internal import NIOCore
internal import Synchronization

/// Answers `GET` and `HEAD /blobs/{blob}` of a blob that ``LiveBlobCache`` saw live on the event loop,
/// without the application (Spec: [dlv-blob-serve]).
///
/// A blob fetch is most of a server's traffic and the cheapest request there is: a file open and a
/// read from the page cache. Through the application it also costs a task, an async hop per body
/// part and the router, which made a 1 KiB fetch 26% of nginx's rate. This path answers exactly
/// what ``MailResponder`` would for the same request, with the same fields, metrics and log line,
/// and only when that answer needs no store read: anything else (a blob not seen live in the last
/// seconds, a `Range`, a query, a `Connection` field, a blob above ``directReadLimit``, a draining
/// server) goes to the application unchanged.
///
/// The read is on the event loop, as nginx reads without `aio`: the file was written or served in the
/// last seconds, so it is in the page cache.
public struct LiveBlobFastPath: Sendable {
    /// The largest blob answered here: a chunk blob (Spec: [msg-chunks]). Envelopes can be larger;
    /// the application streams them.
    public static let directReadLimit = 1_048_576 + 16

    let service: MailService
    let metrics: ServerMetrics
    let gate: ShutdownGate
    let logger: Logger
    let serverName: String?
    let basePath: String
    /// The requests answered here, for the tests that check which path answered.
    package let answered = AnsweredCount()

    /// A fast path for `service`'s blobs, counting into `metrics` and logging to `logger` as the
    /// application does; `serverName` is the application's `Server` field, if any.
    public init(
        service: MailService, metrics: ServerMetrics, gate: ShutdownGate, logger: Logger, serverName: String?
    ) {
        self.service = service
        self.metrics = metrics
        self.gate = gate
        self.logger = logger
        self.serverName = serverName
        basePath = service.configuration.baseURL.path
    }

    /// The whole answer to `request`, or `nil` when the application must answer it.
    func answer(_ request: HTTPRequest) -> (head: HTTPResponse, body: ByteBuffer?)? {
        guard request.method == .get || request.method == .head, let path = request.path, !path.contains("?"),
            request.headerFields[.range] == nil, request.headerFields[.connection] == nil,
            case .blob(let text) = MailRoute(path: path, basePath: basePath),
            let id = try? ContentIdentifier(text: text, kind: .blob)
        else { return nil }
        let started = ContinuousClock.now
        guard gate.enter() else { return nil }
        defer { gate.leave() }
        guard let file = try? OpenedBlobFile(path: service.files.path(of: id)),
            file.size <= LiveBlobFastPath.directReadLimit,
            service.liveBlobs.isLive(id, file: file.identity, now: service.clock.now())
        else { return nil }
        var body: ByteBuffer?
        if request.method == .get, file.size > 0 {
            guard let bytes = try? file.read(offset: 0, count: file.size) else { return nil }
            body = bytes
        }
        var fields: HTTPFields = [
            .contentType: "application/octet-stream", .eTag: "\"\(id.text(kind: .blob))\"",
            .cacheControl: "public, max-age=31536000, immutable", .acceptRanges: "bytes",
            .contentLength: String(file.size), .date: HTTPDate.now,
        ]
        if let serverName { fields[.server] = serverName }
        let route = MailRoute.blob(text).name
        let elapsed = ContinuousClock.now - started
        metrics.count("http_requests_total", [("route", route), ("status", "200")])
        metrics.time("http_request_duration_seconds", [("route", route)], elapsed)
        let (seconds, attoseconds) = elapsed.components
        logger.info(
            "request",
            metadata: [
                "hb.request.id": .stringConvertible(RequestID()), "method": .string(request.method.rawValue),
                "route": .string(route), "status": "200",
                "duration_us": .stringConvertible(seconds * 1_000_000 + attoseconds / 1_000_000_000_000),
            ])
        answered.add()
        return (HTTPResponse(status: .ok, headerFields: fields), body)
    }
}

/// A count shared by the copies of a ``LiveBlobFastPath``.
package final class AnsweredCount: Sendable {
    private let count = Atomic<Int>(0)

    func add() { count.add(1, ordering: .relaxed) }

    /// The requests answered so far.
    package var value: Int { count.load(ordering: .relaxed) }
}
