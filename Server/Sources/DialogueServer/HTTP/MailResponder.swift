internal import DialogueDelivery
internal import DialogueIdentifiers
internal import DialogueServerStorage
internal import Foundation
public import Hummingbird
internal import Logging

/// Answers every route of the endpoint table (Spec: delivery.md#dlv-endpoints) with the mail service:
/// request signatures checked with `@target-uri` rebuilt from the configured base URL
/// ([dlv-request-target]), bodies limited before they are read ([dlv-limits-before-read]) and in time
/// ([dlv-limits-time]), every failure a problem document ([dlv-errors]), `503` while shutting down
/// ([dlv-ops-shutdown]), one log line and metrics per request ([dlv-ops-metrics]).
public struct MailResponder<Context: RequestContext>: HTTPResponder {
    let service: MailService
    let metrics: ServerMetrics
    let gate: ShutdownGate
    let origin: String
    let basePath: String

    /// A responder for `service`, under its configured base URL, counting into `metrics`, admitting
    /// requests through `gate`.
    public init(service: MailService, metrics: ServerMetrics = ServerMetrics(), gate: ShutdownGate = ShutdownGate()) {
        self.service = service
        self.metrics = metrics
        self.gate = gate
        origin = service.configuration.baseURL.origin
        basePath = service.configuration.baseURL.path
    }

    /// Answers one request; never throws.
    public func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let route = MailRoute(path: request.uri.path, basePath: basePath)
        let response: Response
        if route == .health {
            // Liveness: the process answers, draining or not.
            response = text("ok")
        } else if gate.enter() {
            defer { gate.leave() }
            let deadline = started + .seconds(service.configuration.requestTimeout)
            do {
                response = try await dispatch(request, route: route, deadline: deadline, context: context)
            } catch let problem as MailProblem {
                response = problem.response
            } catch {
                response = MailProblem.wrapping(error).response
            }
        } else {
            response = MailProblem(.unavailable, "the server is shutting down").response
        }
        let name = route?.name ?? "unknown"
        let status = String(response.status.code)
        let elapsed = ContinuousClock.now - started
        metrics.count("http_requests_total", [("route", name), ("status", status)])
        metrics.time("http_request_duration_seconds", [("route", name)], elapsed)
        if response.status.code == 429 {
            metrics.count("rate_limited_total", [("route", name)])
        }
        // One line per request; the request id comes with the context's logger. No path parameter, no header
        // value and no body is logged: they may name users or messages.
        let (seconds, attoseconds) = elapsed.components
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue), "route": .string(name), "status": .string(status),
                "duration_us": .stringConvertible(seconds * 1_000_000 + attoseconds / 1_000_000_000_000),
            ])
        return response
    }

    private func dispatch(_ request: Request, route: MailRoute?, deadline: ContinuousClock.Instant, context: Context)
        async throws -> Response
    {
        guard let route else { throw MailProblem(.notFound, "no such route") }
        guard route.methods.contains(request.method) else {
            var response = MailProblem(.methodNotAllowed, "\(request.method.rawValue) is not a method of this route")
                .response
            response.headers[.allow] = route.methods.map(\.rawValue).joined(separator: ", ")
            return response
        }
        switch (route, request.method) {
        case (.health, _): return text("ok")
        case (.ready, _):
            _ = try await service.store.lastSequence()
            return text("ready")
        case (.metrics, _):
            guard let exposition = try await metrics.scrape(service.store) else {
                throw MailProblem(.notFound, "metrics are not served")
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: exposition)))
        case (.serverDocument, _), (.wellKnown, _):
            return cbor(try service.serverDocument(), status: .ok)
        case (.blob(let text), .put):
            return try await upload(request, blob: try identifier(text, .blob), deadline: deadline, context: context)
        case (.blob(let text), _):
            return try await serveBlob(request, blob: try identifier(text, .blob), context: context)
        case (.submissions, _):
            let (verified, body) = try await signed(
                request, deadline: deadline, as: .user, limit: Submission.maximumSize, context: context)
            let (id, acceptance) = try await service.submit(body, request: verified)
            var response = json(
                ["submission": id.text(kind: .submission)], status: acceptance == .accepted ? .created : .ok)
            response.headers[.location] =
                service.configuration.baseURL.text + "/submissions/" + id.text(kind: .submission)
            return response
        case (.submission(let text), _):
            let id = try identifier(text, .submission)
            let (verified, _) = try await signed(request, deadline: deadline, as: .user, limit: 0, context: context)
            return json(try await service.status(id, request: verified).statusJSON, status: .ok)
        case (.notifications, _):
            let (verified, body) = try await signed(
                request, deadline: deadline, as: .server, limit: DialogueDelivery.Notification.maximumSize,
                context: context)
            return empty(try await service.receiveNotification(body, request: verified) ? .accepted : .ok)
        case (.inbox, _): return try await inbox(request, deadline: deadline, context: context)
        case (.keep(let text), _):
            let sequence = try entrySequence(text)
            let (verified, body) = try await signed(
                request, deadline: deadline, as: .user, limit: MailService.maximumKeepSize, context: context)
            try await service.keep(try keepList(body), entry: sequence, body: body, request: verified)
            return empty(.ok)
        case (.acknowledge(let text), _):
            let sequence = try entrySequence(text)
            let (verified, body) = try await signed(
                request, deadline: deadline, as: .user, limit: Acknowledgement.maximumSize, context: context)
            return empty(try await service.acknowledgeEntry(sequence, bytes: body, request: verified) ? .accepted : .ok)
        case (.entry(let text), _):
            let sequence = try entrySequence(text)
            let (verified, _) = try await signed(request, deadline: deadline, as: .user, limit: 0, context: context)
            try await service.deleteEntry(sequence, request: verified)
            return empty(.noContent)
        case (.acknowledgements, _):
            let (verified, body) = try await signed(
                request, deadline: deadline, as: .server, limit: Acknowledgement.maximumSize, context: context)
            _ = try await service.receiveAcknowledgement(body, request: verified)
            return empty(.ok)
        case (.card(let address), _):
            return cbor(try await service.card(of: address), status: .ok)
        case (.list(let route), _):
            return try await respond(to: route, request, deadline: deadline, context: context)
        }
    }

    // MARK: Signed requests and bodies

    /// The request head the signature covers: `@target-uri` is the configured origin followed by the path
    /// and query as received ([dlv-request-target]).
    func head(_ request: Request) -> RequestHead {
        RequestHead(
            method: request.method.rawValue, targetURI: origin + request.uri.description,
            fields: request.headers.map { RequestHead.Field($0.name.rawName, $0.value) })
    }

    /// Refuses a body whose `Content-Length` is above `limit` before anything is read ([dlv-limits-before-read]).
    func checkDeclaredLength(_ request: Request, limit: Int) throws(MailProblem) {
        let values = request.headers[values: .contentLength]
        guard let value = values.first else { return }
        guard values.count == 1, let length = Int(value), length >= 0 else {
            throw MailProblem(.malformed, "Content-Length is not one decimal number")
        }
        guard length <= limit else {
            throw MailProblem(.limitsExceeded, "a body of \(length) bytes; this endpoint takes at most \(limit)")
        }
    }

    /// A body still arriving after the request's deadline is `408 limits-exceeded` ([dlv-limits-time]).
    /// Checked as each part arrives: a client that sends nothing at all is closed by the idle timeout.
    func checkDeadline(_ deadline: ContinuousClock.Instant) throws(MailProblem) {
        guard ContinuousClock.now <= deadline else {
            throw MailProblem(
                .limitsExceeded,
                "the body did not arrive within \(service.configuration.requestTimeout) seconds", status: 408)
        }
    }

    /// Verifies a signed request and reads its body, counting as it reads, then checks its digest.
    func signed(
        _ request: Request, deadline: ContinuousClock.Instant, as signer: MailService.Signer, limit: Int,
        context: Context
    ) async throws -> (VerifiedRequest, [UInt8]) {
        try checkDeclaredLength(request, limit: limit)
        let verified = try await service.authenticate(head(request), as: signer)
        let body = try await readBody(request, limit: limit, deadline: deadline)
        // Step 8 before the body is parsed (the keep list is parsed here, the objects by the service,
        // which checks again for callers without HTTP).
        do { try verified.checkBody(body) } catch { throw MailProblem(error) }
        return (verified, body)
    }

    /// Reads a body of at most `limit` bytes, counting as it reads, before `deadline`.
    func readBody(_ request: Request, limit: Int, deadline: ContinuousClock.Instant) async throws -> [UInt8] {
        var body: [UInt8] = []
        for try await buffer in request.body {
            try checkDeadline(deadline)
            guard body.count + buffer.readableBytes <= limit else {
                throw MailProblem(.limitsExceeded, "the body is longer than \(limit) bytes")
            }
            body.append(contentsOf: buffer.readableBytesView)
        }
        return body
    }

    /// `PUT /blobs/{blob}`: streamed into a blob file while its digest is computed (Spec: [dlv-upload-verify]).
    private func upload(
        _ request: Request, blob id: ContentIdentifier, deadline: ContinuousClock.Instant, context: Context
    ) async throws -> Response {
        try checkDeclaredLength(request, limit: MailService.maximumBlobSize)
        let verified = try await service.authenticate(head(request), as: .user)
        return try await receiveBlob(request, blob: id, verified: verified, deadline: deadline)
    }

    /// The body of an upload whose request is verified: `200` if the blob is held already, else
    /// streamed into a blob file while its digest is computed, `201` once durable.
    func receiveBlob(
        _ request: Request, blob id: ContentIdentifier, verified: VerifiedRequest, deadline: ContinuousClock.Instant
    ) async throws -> Response {
        let user = verified.keyID.principalText
        if try await service.holdsBlob(id, uploadedBy: user) { return empty(.ok) }
        var writer = try service.blobWriter(for: id)
        var digest = ContentDigest.Hasher()
        do {
            for try await buffer in request.body {
                try checkDeadline(deadline)
                try buffer.withUnsafeReadableBytes { bytes in
                    digest.update(bytes)
                    try writer.append(bytes)
                }
            }
        } catch {
            writer.abandon()
            throw MailProblem.wrapping(error)
        }
        try await service.finishUpload(writer, id: id, by: user, digest: digest.finalize(), request: verified)
        return empty(.created)
    }

    // MARK: Blobs

    /// `GET` and `HEAD /blobs/{blob}`, streamed from the file (Spec: [dlv-blob-serve]).
    private func serveBlob(_ request: Request, blob id: ContentIdentifier, context: Context) async throws -> Response {
        let file = try await openLiveBlob(id)
        let size = file.size
        var headers: HTTPFields = [
            .contentType: "application/octet-stream", .eTag: "\"\(id.text(kind: .blob))\"",
            .cacheControl: "public, max-age=31536000, immutable", .acceptRanges: "bytes",
        ]
        let range = request.method == .head ? .whole : ByteRange(field: request.headers[.range], size: size)
        switch range {
        case .unsatisfiable:
            var response = MailProblem(.limitsExceeded, "the range is outside the blob's \(size) bytes", status: 416)
                .response
            response.headers[.contentRange] = "bytes */\(size)"
            return response
        case .whole:
            headers[.contentLength] = String(size)
            guard request.method != .head, size > 0 else { return Response(status: .ok, headers: headers) }
            return Response(status: .ok, headers: headers, body: try file.body(0...(size - 1)))
        case .part(let part):
            headers[.contentLength] = String(part.count)
            headers[.contentRange] = "bytes \(part.lowerBound)-\(part.upperBound)/\(size)"
            return Response(status: .partialContent, headers: headers, body: try file.body(part))
        }
    }

    /// The file of a live blob, opened before answering, so that a deletion during the download cannot
    /// cut it short; `404` or `410` as the store says otherwise. A file that ``LiveBlobCache`` saw live
    /// needs no store read.
    private func openLiveBlob(_ id: ContentIdentifier) async throws -> OpenedBlobFile {
        let path = service.files.path(of: id)
        var opened = try OpenedBlobFile(path: path)
        if let file = opened, service.liveBlobs.isLive(id, file: file.identity, now: service.clock.now()) {
            return file
        }
        _ = try await service.servableBlob(id)
        // No file before the store said live: it was uploaded meanwhile. A file deleted since the store
        // was read is answered as the store now says (410).
        if opened == nil { opened = try OpenedBlobFile(path: path) }
        guard let file = opened else {
            _ = try await service.servableBlob(id)
            throw MailProblem(.gone, "the blob was deleted")
        }
        service.liveBlobs.recordLive(id, file: file.identity, now: service.clock.now())
        return file
    }

    // MARK: The inbox

    private func inbox(_ request: Request, deadline: ContinuousClock.Instant, context: Context) async throws -> Response
    {
        let limit = try queryInteger(request, "limit", 1...1000, default: 100)
        let wait = try queryInteger(request, "wait", 0...60, default: 0)
        let cursor = try queryCursor(request)
        let (verified, _) = try await signed(request, deadline: deadline, as: .user, limit: 0, context: context)
        let (entries, next) = try await service.inbox(after: cursor, limit: limit, wait: wait, request: verified)
        let listing: [String: Any] = [
            "entries": entries.map {
                [
                    "entry": $0.entryID, "received": $0.received,
                    "notification": UnpaddedBase64URL.encode($0.notification),
                ]
                    as [String: Any]
            },
            "cursor": next.description,
        ]
        return json(listing, status: .ok)
    }

    // MARK: Parameters and bodies

    /// The query parameter `name`: one decimal number in `range`, `value` when absent, `400` otherwise.
    func queryInteger(_ request: Request, _ name: Substring, _ range: ClosedRange<Int>, default value: Int)
        throws(MailProblem) -> Int
    {
        let values = request.uri.queryParameters[values: name]
        guard let text = values.first else { return value }
        guard values.count == 1, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let number = Int(text),
            range.contains(number)
        else { throw MailProblem(.malformed, "\(name) is not a number in \(range)") }
        return number
    }

    /// The query parameter `after`: one cursor, `nil` when absent, `400` otherwise.
    func queryCursor(_ request: Request) throws(MailProblem) -> InboxCursor? {
        let afters = request.uri.queryParameters[values: "after"]
        guard let after = afters.first else { return nil }
        guard afters.count == 1, let parsed = InboxCursor(text: String(after)) else {
            throw MailProblem(.malformed, "a malformed cursor")
        }
        return parsed
    }

    func identifier(_ text: String, _ kind: IdentifierKind) throws(MailProblem) -> ContentIdentifier {
        do { return try ContentIdentifier(text: text, kind: kind) } catch {
            throw MailProblem(.malformed, "the path parameter is not a '\(kind.prefix)' identifier")
        }
    }

    /// An entry identifier: `e` and the sequence in lower-case hexadecimal, as ``InboxEntryRecord/entryID``.
    private func entrySequence(_ text: String) throws(MailProblem) -> UInt64 {
        let digits = text.dropFirst()
        guard text.hasPrefix("e"), !digits.isEmpty, digits.count <= 16, !digits.hasPrefix("0"),
            digits.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }),
            let sequence = UInt64(digits, radix: 16)
        else { throw MailProblem(.malformed, "not an inbox entry identifier") }
        return sequence
    }

    /// `{"blobs": ["blob-…", …]}`, exactly that key, 1 to 1,024 identifiers.
    private func keepList(_ body: [UInt8]) throws(MailProblem) -> [ContentIdentifier] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], object.count == 1,
            let texts = object["blobs"] as? [String]
        else { throw MailProblem(.malformed, "the body is not {\"blobs\": [...]}") }
        guard (1...1024).contains(texts.count) else {
            throw MailProblem(.limitsExceeded, "a keep list has 1 to 1,024 blobs")
        }
        var ids: [ContentIdentifier] = []
        for text in texts { ids.append(try identifier(text, .blob)) }
        return ids
    }

    // MARK: Responses

    func empty(_ status: HTTPResponse.Status) -> Response { Response(status: status) }

    func text(_ text: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text + "\n")))
    }

    func cbor(_ bytes: [UInt8], status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "application/cbor"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func json(_ object: [String: Any], status: HTTPResponse.Status) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
