internal import DialogueConformance
internal import DialogueFuzzSupport
internal import DialogueServer
internal import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import HummingbirdCore
internal import Logging
internal import NIOCore
internal import NIOEmbedded

/// The HTTP surface of `dialogued`, driven in process: a fuzz input is one request (in
/// ``RequestText``'s form, after the byte that picks a context), answered by the server's own
/// ``MailResponder`` as its HTTP/1.1 channel would hand it over, without a socket.
///
/// Properties beyond "no crash, no hang":
/// - No `5xx`, but a `503` when the server had to ask another server (keep) and could not: the
///   fuzz server reaches no one. Any other `503` is the server's own failure
///   (`MailProblem.wrapping` of an unexpected error), which is a finding.
/// - Every refusal (`4xx`) is an RFC 9457 document of `application/problem+json` whose `type` is
///   one of the problem types of [dlv-errors] and whose `status` is the answer's own.
/// - A `Content-Length` that the answer states is the length of its body; `HEAD` of a blob has no body.
enum HTTPChecks {
    /// The problem types of the delivery chapter's table.
    static let problemTypes = Set(ProblemType.allCases.map(\.uri))
    /// How long a long poll that the input asked for (a signed `wait=`) may wait before it is cut.
    static let longPollAllowance: Duration = .seconds(2)
    /// The channel every request context names: one for the whole run, since a testing channel that
    /// is never closed keeps its pipeline alive (a leak per input otherwise). No route reads it.
    static let channel = NIOAsyncTestingChannel()
    static let logger = Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })

    static func check(_ input: [UInt8], contexts: FuzzContexts) {
        guard let (context, field) = contexts.split(input), let text = RequestText(parsing: Array(field)),
            let head = head(of: text)
        else { return }
        let server: FuzzServer
        do { server = try FuzzServer(context: context) } catch {
            fatalError("the fuzz server cannot start: \(error)")
        }
        let body = text.body
        // A long poll waits as long as its `wait` asks; any positive value (the route refuses a bad one).
        let items = URLComponents(string: head.path ?? "")?.queryItems ?? []
        let isLongPoll = items.contains { $0.name == "wait" && (UInt64($0.value ?? "") ?? 0) > 0 }
        guard let answer = Blocking.run({ await respond(head, body: body, server: server, isLongPoll: isLongPoll) })
        else { return }
        let status = answer.status
        require(
            status < 500 || (status == 503 && server.fetcher.wasAsked),
            "\(head.method) \(head.path ?? ""): \(status) \(String(decoding: answer.body, as: UTF8.self))")
        if status >= 400 { checkProblem(answer, head: head) }
        // HEAD of a blob is answered by the responder itself (headers, no body); the connection layer
        // drops the body of every other HEAD answer.
        if head.method == .head, status == 200, head.path?.contains("/blobs/") == true {
            require(answer.body.isEmpty, "HEAD of a blob answered with a body")
        }
        if let length = answer.headers[.contentLength], head.method != .head {
            require(Int(length) == answer.body.count, "Content-Length \(length) for \(answer.body.count) bytes")
        }
    }

    /// A refusal is a problem document of the spec's table.
    static func checkProblem(_ answer: Answer, head: HTTPRequest) {
        require(
            answer.headers[.contentType] == "application/problem+json",
            "\(answer.status) without a problem document")
        guard let document = try? JSONValue(parsing: answer.body) else {
            fatalError("\(answer.status): the problem document is not JSON")
        }
        require(problemTypes.contains(document["type"]?.stringValue ?? ""), "unknown problem type in \(document)")
        require(document["status"]?.unsignedValue == UInt64(answer.status), "problem status differs: \(document)")
    }

    /// The request head as the HTTP/1.1 parser would deliver it, or `nil` for an input that the
    /// parser refuses before the application sees it (a method or field name that is not a token,
    /// a target or value with control characters). The framing is the parser's: the body is the
    /// input's, with its true `Content-Length`.
    static func head(of text: RequestText) -> HTTPRequest? {
        guard let method = HTTPRequest.Method(text.method) else { return nil }
        var target = Substring(text.targetURI)
        if target.hasPrefix("https://mail.example.org") { target = target.dropFirst("https://mail.example.org".count) }
        guard target.hasPrefix("/"), target.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7f }) else { return nil }
        var fields = HTTPFields()
        for (name, value) in text.headers {
            guard let fieldName = HTTPField.Name(name),
                value.utf8.allSatisfy({ $0 != 0x0d && $0 != 0x0a && $0 != 0 })
            else { return nil }
            if fieldName == .contentLength || fieldName == .transferEncoding { continue }
            fields.append(HTTPField(name: fieldName, value: value.trimmingCharacters(in: .whitespaces)))
        }
        if !text.body.isEmpty || method == .post || method == .put {
            fields[.contentLength] = String(text.body.count)
        }
        return HTTPRequest(
            method: method, scheme: "https", authority: "mail.example.org", path: String(target), headerFields: fields)
    }

    /// What the responder answered, its body collected; `nil` for a long poll that was still
    /// waiting, as it may, after ``longPollAllowance``.
    static func respond(_ head: HTTPRequest, body: [UInt8], server: FuzzServer, isLongPoll: Bool) async -> Answer? {
        let responder = MailResponder<BasicRequestContext>(service: server.service)
        let request = Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: body)))
        let context = BasicRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
        return await withTaskGroup(of: Answer?.self) { group in
            group.addTask {
                let response: Response
                do { response = try await responder.respond(to: request, context: context) } catch {
                    fatalError("the responder threw \(error)")
                }
                let collector = BodyCollector()
                do { try await response.body.write(collector) } catch {
                    fatalError("the body could not be written: \(error)")
                }
                return Answer(status: response.status.code, headers: response.headers, body: collector.bytes)
            }
            if isLongPoll {
                group.addTask {
                    try? await Task.sleep(for: longPollAllowance)
                    return nil
                }
            }
            let first = await group.next()!
            group.cancelAll()
            return first
        }
    }
}

/// An answer, whole.
struct Answer: Sendable {
    let status: Int
    let headers: HTTPFields
    let body: [UInt8]
}

/// Collects a response body; a class, because the responder consumes the writer it is given.
final class BodyCollector: ResponseBodyWriter, @unchecked Sendable {
    private(set) var bytes: [UInt8] = []

    func write(_ buffer: ByteBuffer) async throws { bytes += buffer.readableBytesView }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
