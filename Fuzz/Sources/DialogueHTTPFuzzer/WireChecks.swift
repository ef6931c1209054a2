internal import DialogueConformance
internal import DialogueFuzzSupport
internal import DialogueIdentifiers
internal import DialogueServer
internal import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import HummingbirdCore
internal import Logging
internal import NIOCore
internal import NIOEmbedded
internal import NIOHTTP1

/// The `http-wire` target: a fuzz input (after the byte that picks a context) is the bytes a client
/// sends on one connection, written into the connection handler `dialogued` sets up for each accepted
/// socket (``httpConnection(idleTimeout:fastPath:responder:)``), on an in-memory channel. So the bytes
/// pass through everything a socket's would: NIO's HTTP/1.1 parser, ``RequestMethodPairing``, the
/// connection state handler, the live-blob fast path and ``EncodedAnswerWriter``, then
/// Hummingbird's request loop and ``MailResponder``; pipelined requests are answered in turn.
///
/// Properties, on the bytes the server wrote back:
/// - they are whole HTTP/1.1 answers, one for each request the parser delivered, in order
///   (a `HEAD`'s without a body), and nothing else; a stream that is not HTTP ends with the
///   parser's `400` and `Connection: close`;
/// - no `5xx`, but a `503` when the server had to ask another server and could not (as in `http`);
/// - an application's refusal is a problem document of [dlv-errors] whose `status` is the answer's.
///
/// With `DIALOGUE_FUZZ_DEBUG` set, each input's answers and request heads go to standard error
/// (`DIALOGUE_FUZZ_DEBUG=1 … DialogueHTTPFuzzer -runs=1 FILE` to look at one).
enum WireChecks {
    /// The bytes of the blob every context's server holds, live: the blob the route seeds fetch
    /// (`hello`, `blob-aektfneh…`, which the connection seeds fetch), so that its fetches take the fast path.
    static let liveBlob = Array("hello".utf8)
    static let logger = Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })

    static func check(_ input: [UInt8], contexts: FuzzContexts) {
        guard let (context, field) = contexts.split(input) else { return }
        let server: FuzzServer
        do {
            server = try FuzzServer(context: context)
            try server.holdLive(liveBlob)
        } catch { fatalError("the fuzz server cannot start: \(error)") }
        guard let exchange = Blocking.run({ await converse(Array(field), server: server) }) else { return }
        if getenv("DIALOGUE_FUZZ_DEBUG") != nil {
            StandardError.print(String(decoding: exchange.written, as: UTF8.self))
            StandardError.print("\(exchange.requests)")
        }
        let answers: [WireAnswer]
        do { answers = try WireAnswer.read(exchange.written, methods: exchange.requests.map(\.method)) } catch {
            fatalError("the server wrote \(error): \(String(decoding: exchange.written.prefix(600), as: UTF8.self))")
        }
        // Every request the parser delivered is answered in turn, up to one after which the server closes;
        // a stream that stops being HTTP gets one answer more, the parser's 400.
        let requests = exchange.requests
        let firstClose = requests.firstIndex { $0.closes }
        let expected = firstClose.map { $0 + 1 } ?? requests.count
        let refused = answers.last?.isParserRefusal ?? false
        require(
            answers.count == expected || (firstClose == nil && refused && answers.count == expected + 1),
            "\(requests.map(\.method)) answered \(answers.map(\.status))")
        for (index, answer) in answers.enumerated() {
            require(
                answer.status < 500 || (answer.status == 503 && server.fetcher.wasAsked),
                "answer \(index): \(answer.status) \(String(decoding: answer.body.prefix(300), as: UTF8.self))")
            if answer.status >= 400 && !(answer.isParserRefusal && index == answers.count - 1) {
                // The last answer may be the HTTP layer's 400; every other refusal is the application's.
                checkProblem(answer)
            }
        }
    }

    /// An application's refusal is a problem document of the spec's table.
    static func checkProblem(_ answer: WireAnswer) {
        require(
            answer.field("content-type") == "application/problem+json",
            "\(answer.status) without a problem document: \(answer.fields)")
        guard answer.method != "HEAD" else { return }
        guard let document = try? JSONValue(parsing: answer.body) else {
            fatalError("\(answer.status): the problem document is not JSON")
        }
        require(
            HTTPChecks.problemTypes.contains(document["type"]?.stringValue ?? ""), "unknown problem type in \(document)"
        )
        require(document["status"]?.unsignedValue == UInt64(answer.status), "problem status differs: \(document)")
    }

    /// What one connection carried.
    struct Exchange: Sendable {
        /// The requests the parser delivered, in order.
        var requests: [RequestMethods.Head]
        /// Every byte the server wrote.
        var written: [UInt8]
    }

    /// Sends `bytes` on a new connection to `server`, then closes the sending side, as a client that
    /// has said everything does; collects what the server writes until it closes the connection.
    /// `nil` when the connection was still open after ``HTTPChecks/longPollAllowance`` (a long poll
    /// that waits, as it may).
    static func converse(_ bytes: [UInt8], server: FuzzServer) async -> Exchange? {
        let channel = NIOAsyncTestingChannel()
        let fastPath = LiveBlobFastPath(
            service: server.service, metrics: ServerMetrics(), gate: ShutdownGate(), logger: logger,
            serverName: "dialogued")
        let responder = MailResponder<BasicRequestContext>(service: server.service)
        // What Hummingbird's Application does for every request of a connection (but for the Date and
        // Server fields, which no check reads).
        let connection = httpConnection(idleTimeout: 30, fastPath: fastPath) {
            (request: Request, writer: consuming ResponseWriter, channel: any Channel) in
            let context = BasicRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
            let response: Response
            do { response = try await responder.respond(to: request, context: context) } catch let error
                as HTTPParserError
            {
                throw error
            } catch { fatalError("the responder threw \(error)") }
            try await writer.write(response: response.head, body: response.body)
        }
        let methods = RequestMethods()
        let closed = await serve(bytes, on: channel, with: connection, recording: methods)
        var written: [UInt8] = []
        do {
            while let buffer = try await channel.readOutbound(as: ByteBuffer.self) {
                written += buffer.readableBytesView
            }
        } catch { fatalError("the server wrote what the harness cannot read: \(error)") }
        _ = try? await channel.finish(acceptAlreadyClosed: true)
        guard closed else { return nil }
        return Exchange(requests: methods.heads, written: written)
    }
}

extension WireChecks {
    /// Sets `connection` up on `channel`, with `methods` after its decoder, and runs it while `bytes`
    /// arrive and the input ends; whether it closed within ``HTTPChecks/longPollAllowance`` (if not,
    /// the channel is closed).
    static func serve<Handler: HTTPChannelHandler>(
        _ bytes: [UInt8], on channel: NIOAsyncTestingChannel, with connection: Handler,
        recording methods: RequestMethods
    ) async -> Bool {
        let value: Handler.Value
        do {
            value = try await channel.eventLoop.flatSubmit { connection.setup(channel: channel, logger: logger) }.get()
            try await channel.eventLoop.submit {
                let operations = channel.pipeline.syncOperations
                let decoder = try operations.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
                try operations.addHandler(methods, position: .after(decoder.handler))
            }.get()
        } catch { fatalError("the connection cannot be set up: \(error)") }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await connection.handle(value: value, logger: logger)
                return true
            }
            group.addTask {
                // A parser error is answered by the pipeline (a 400, and closing).
                _ = try? await channel.writeInbound(ByteBuffer(bytes: bytes))
                channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
                try? await Task.sleep(for: HTTPChecks.longPollAllowance)
                return false
            }
            let first = await group.next()!
            if !first { channel.close(promise: nil) }
            group.cancelAll()
            await group.waitForAll()
            return first
        }
    }
}

/// Keeps the method of every request head the server's HTTP/1.1 decoder delivers, in order; placed
/// just after that decoder, it passes every part on unchanged.
final class RequestMethods: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    /// One request head: its method, and whether the connection ends after its answer.
    struct Head: Sendable {
        let method: String
        let closes: Bool
    }

    /// Written on the channel's event loop, read once the connection is closed.
    private(set) var heads: [Head] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            heads.append(Head(method: head.method.rawValue, closes: !head.isKeepAlive))
        }
        context.fireChannelRead(data)
    }
}
