import DialogueDelivery
import DialogueServer
import HTTPTypes
import Hummingbird
import Logging
import Testing

/// A context made without a channel, for driving the responder with a body stream of our own.
struct StreamTestContext: RequestContext {
    struct Source: RequestContextSource {
        var logger: Logger
    }

    var coreContext: CoreRequestContextStorage

    init(source: Source) { coreContext = .init(source: source) }
}

/// Bodies without a `Content-Length` (chunked): the responder counts as it reads.
@Suite struct StreamedBodyTests {
    @Test(
        "[dlv-limits-before-read] a chunked body is refused with 413 once it passes the limit, whatever its signature")
    func chunkedBodyIsCounted() async throws {
        let harness = try await MailHarness()
        let body = [UInt8](repeating: 7, count: 3000)
        var headers = try harness.peer("POST", "/notifications", body: body)
        headers[.transferEncoding] = "chunked"
        let (stream, source) = RequestBody.makeStream()
        let request = Request(
            head: HTTPRequest(
                method: .post, scheme: "https", authority: "mail.example.org", path: base + "/notifications",
                headerFields: headers),
            body: stream)
        Task {
            for start in stride(from: 0, to: body.count, by: 500) {
                await source.yield(ByteBuffer(bytes: body[start..<(start + 500)]))
            }
            source.finish()
        }
        let responder = MailResponder<StreamTestContext>(service: harness.service)
        let response = try await responder.respond(
            to: request, context: StreamTestContext(source: .init(logger: Logger(label: "test"))))
        #expect(response.status.code == 413)
        // The same body within the limit is read and judged on its content (not a notification: 400).
        let small = [UInt8](repeating: 7, count: 100)
        let (smallStream, smallSource) = RequestBody.makeStream()
        let smallRequest = Request(
            head: HTTPRequest(
                method: .post, scheme: "https", authority: "mail.example.org", path: base + "/notifications",
                headerFields: try harness.peer("POST", "/notifications", body: small)),
            body: smallStream)
        Task {
            await smallSource.yield(ByteBuffer(bytes: small))
            smallSource.finish()
        }
        let judged = try await responder.respond(
            to: smallRequest, context: StreamTestContext(source: .init(logger: Logger(label: "test"))))
        #expect(judged.status.code == 400)
    }
}
