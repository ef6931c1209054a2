internal import DialogueDelivery
internal import DialogueIdentifiers
internal import DialogueServerStorage
internal import HTTPTypes
internal import Hummingbird
public import Logging
internal import Metrics
internal import NIOCore
internal import Synchronization

/// Answers `GET` and `HEAD /blobs/{blob}` of a blob that ``LiveBlobCache`` saw live on the event loop,
/// without the application (Spec: [dlv-blob-serve]).
///
/// A blob fetch is most of a server's traffic and the cheapest request there is: a `stat` and a read
/// from the page cache (or, for a blob of at most 16 KiB served before, from ``SmallBlobBodies``).
/// Through the application it also costs a task, an async hop per body part and the router, which
/// made a 1 KiB fetch 26% of nginx's rate. This path answers exactly what ``MailResponder`` would for
/// the same request, with the same fields, metrics and log line, encoded here and written in one
/// buffer (``LiveBlobChannelHandler``), and only when that answer needs no store read: anything else
/// (a blob not seen live in the last seconds, a `Range`, a query, a `Connection` field, a blob above
/// ``directReadLimit``, a draining server) goes to the application unchanged.
///
/// The read is on the event loop, as nginx reads without `aio`: the file was written or served in the
/// last seconds, so it is in the page cache.
public struct LiveBlobFastPath: Sendable {
    /// The largest blob answered here: a chunk blob (Spec: [msg-chunks]). Envelopes can be larger;
    /// the application streams them.
    public static let directReadLimit = 1_048_576 + 16

    let service: MailService
    let gate: ShutdownGate
    let logger: Logger
    /// `logger`'s handler, when it is a ``LineLogHandler`` that can be given the fields in order.
    let lines: LineLogHandler?
    /// `BASE-PATH/blobs/`: a request path is this and a blob identifier's text, or not a blob fetch.
    let prefix: [UInt8]
    /// The status line and the fields of an answer that never change, encoded: the application's
    /// (a test compares the two answers field by field).
    let head: [UInt8]
    let requests: Metrics.Counter
    let duration: Metrics.Timer
    let route = MailRoute.blob("").name
    /// What a fetched path names, so that a blob fetched again is not parsed again.
    let names = NameCache()
    /// The ids of the requests answered here.
    let requestIDs = RequestIDs()
    /// The bytes of small blobs served, so that one served again is not read again.
    package let bodies = SmallBlobBodies()
    /// The requests answered here, for the tests that check which path answered.
    package let answered = AnsweredCount()

    /// A fast path for `service`'s blobs, counting into `metrics` and logging to `logger` as the
    /// application does; `serverName` is the application's `Server` field, if any.
    public init(
        service: MailService, metrics: ServerMetrics, gate: ShutdownGate, logger: Logger, serverName: String?
    ) {
        self.service = service
        self.gate = gate
        self.logger = logger
        lines = (logger.handler as? LineLogHandler).flatMap { $0.writesFieldsAlone ? $0 : nil }
        prefix = Array((service.configuration.baseURL.path + "/blobs/").utf8)
        var fields: HTTPFields = [
            .contentType: "application/octet-stream", .cacheControl: "public, max-age=31536000, immutable",
            .acceptRanges: "bytes",
        ]
        if let serverName { fields[.server] = serverName }
        head = Array(("HTTP/1.1 200 OK\r\n" + fields.map { "\($0.name.rawName): \($0.value)\r\n" }.joined()).utf8)
        requests = metrics.counter("http_requests_total", [("route", route), ("status", "200")])
        duration = metrics.timer("http_request_duration_seconds", [("route", route)])
    }

    /// The whole answer to `request`, encoded as HTTP/1.1 in a buffer from `allocator`, or `nil` when
    /// the application must answer it.
    func answer(_ request: HTTPRequest, allocator: ByteBufferAllocator) -> ByteBuffer? {
        guard request.method == .get || request.method == .head, let path = request.path,
            path.utf8.count > prefix.count, path.utf8.starts(with: prefix),
            request.headerFields[.range] == nil, request.headerFields[.connection] == nil
        else { return nil }
        // A query, another segment or an escape is no identifier's text: the application answers it.
        guard let name = names.name(of: path, prefix: prefix.count, files: service.files) else { return nil }
        let started = ContinuousClock.now
        guard gate.enter() else { return nil }
        defer { gate.leave() }
        guard let status = BlobFiles.status(ofPath: name.file), status.size <= LiveBlobFastPath.directReadLimit,
            service.liveBlobs.isLive(name.id, file: LiveBlobCache.FileIdentity(status), now: service.clock.now())
        else { return nil }
        let bodySize = request.method == .get ? status.size : 0
        var answer = allocator.buffer(capacity: head.count + name.eTagField.count + 64 + bodySize)
        answer.writeBytes(head)
        answer.writeBytes(name.eTagField)
        answer.writeString("Content-Length: \(status.size)\r\nDate: \(HTTPDate.now)\r\n\r\n")
        if bodySize > 0 {
            if var body = bodies.body(of: name.id), body.readableBytes == bodySize {
                answer.writeBuffer(&body)
            } else {
                // The file opened must be the one found live (not one uploaded again since the stat).
                let start = answer.writerIndex
                guard let file = try? OpenedBlobFile(path: name.file),
                    file.identity == LiveBlobCache.FileIdentity(status),
                    file.size == bodySize, (try? file.read(offset: 0, count: bodySize, into: &answer)) != nil
                else { return nil }
                if bodySize <= bodies.largest, let bytes = answer.getBytes(at: start, length: bodySize) {
                    bodies.keep(ByteBuffer(bytes: bytes), of: name.id)
                }
            }
        }
        let elapsed = ContinuousClock.now - started
        requests.increment()
        let (seconds, attoseconds) = elapsed.components
        duration.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        let microseconds = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        // One list of fields, in key order, for either handler.
        let fields: [(key: String, value: String)] = [
            ("duration_us", String(microseconds)), ("hb.request.id", requestIDs.make()),
            ("method", request.method.rawValue), ("route", route), ("status", "200"),
        ]
        if let lines {
            lines.log(.info, "request", sortedFields: fields)
        } else {
            logger.info(
                "request", metadata: Logger.Metadata(uniqueKeysWithValues: fields.map { ($0.key, .string($0.value)) }))
        }
        answered.add()
        return answer
    }
}

/// What the paths of recent fetches name: the blob, its file and its `ETag`. A path that does not
/// end in a blob identifier's text is not kept; when full, the cache starts again empty.
final class NameCache: Sendable {
    struct Name: Sendable {
        let id: ContentIdentifier
        let file: String
        /// The `ETag` field, encoded.
        let eTagField: [UInt8]
    }

    static let capacity = 4096
    private let names = Mutex<[String: Name]>([:])

    /// The name of `path`, whose first `prefix` bytes are the blob route's.
    func name(of path: String, prefix: Int, files: BlobFiles) -> Name? {
        if let name = names.withLock({ $0[path] }) { return name }
        let text = String(decoding: path.utf8.dropFirst(prefix), as: UTF8.self)
        guard let id = try? ContentIdentifier(text: text, kind: .blob) else { return nil }
        let name = Name(
            id: id, file: files.path(of: id), eTagField: Array("ETag: \"\(id.text(kind: .blob))\"\r\n".utf8))
        names.withLock { names in
            if names.count >= NameCache.capacity { names.removeAll(keepingCapacity: true) }
            names[path] = name
        }
        return name
    }
}

/// A count shared by the copies of a ``LiveBlobFastPath``.
package final class AnsweredCount: Sendable {
    private let count = Atomic<Int>(0)

    func add() { count.add(1, ordering: .relaxed) }

    /// The requests answered so far.
    package var value: Int { count.load(ordering: .relaxed) }
}
