internal import NIOCore
internal import NIOHTTP1

/// Pairs each answer with the method of the request it answers, so that an answer to `HEAD` (or
/// `CONNECT`) goes without a body (RFC 9110 section 9.3.2, RFC 9112 section 6.3), between NIO's
/// HTTP/1.1 decoder and the HTTPTypes codec, for a connection where some answers never pass NIO's
/// encoder ([dlv-blob-serve]).
///
/// NIO's encoder does this pairing itself when its decoder feeds it each request's method
/// (`configureHTTPServerPipeline`), but it takes a method off its queue only for an answer it
/// encodes: after an answer that ``LiveBlobChannelHandler`` encoded and sent below it, every later
/// answer would take the method of the request before its own (an answer to `GET` after a fast
/// `HEAD` lost its body), and a connection of fast answers would grow the queue without end. So that
/// connection's decoder feeds nothing to the encoder (``MailHTTP1Channel``), and this handler keeps
/// the queue: the application's answers take their turns as they pass; a fast answer takes its turn
/// through ``answeredBelow()``, which also drops the `end` part that follows it for Hummingbird's
/// connection state handler (the encoder, which would write a chunked body's last chunk for it,
/// never sees it).
///
/// As NIO's encoder does, the head of an answer to `HEAD` passes whole (its `Content-Length` says what
/// a `GET` would get), a body part written for it fails with `responseBodyNotAllowed`, and its `end`
/// writes nothing (a chunked answer's last chunk would be a body).
final class RequestMethodPairing: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// The methods of the requests read and not answered yet, oldest first.
    private var methods: [HTTPMethod] = []
    private var first = 0
    /// Whether the answer being written answers `HEAD` or `CONNECT`.
    private var withoutBody = false
    /// `end` parts still to drop, each right after the answer that ``answeredBelow()`` stood for.
    private var endsToDrop = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) { methods.append(head.method) }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            // A non-final informational answer (100 Continue) is followed by the final one.
            let code = head.status.code
            if !(100..<200).contains(code) || code == 101, let method = nextMethod() {
                withoutBody = method == .HEAD || method == .CONNECT
            }
        case .body:
            if withoutBody {
                promise?.fail(NIOHTTPResponseEncoderError.responseBodyNotAllowed)
                return
            }
        case .end:
            if endsToDrop > 0 {
                endsToDrop -= 1
                promise?.succeed(())
                return
            }
            if withoutBody {
                withoutBody = false
                promise?.succeed(())
                return
            }
        }
        context.write(data, promise: promise)
    }

    /// Takes the turn of the oldest request, whose answer was sent below the encoder, and drops the
    /// `end` part that comes next; called on the channel's event loop.
    func answeredBelow() {
        _ = nextMethod()
        endsToDrop += 1
    }

    private func nextMethod() -> HTTPMethod? {
        guard first < methods.count else { return nil }
        let method = methods[first]
        first += 1
        if first == methods.count {
            methods.removeAll(keepingCapacity: true)
            first = 0
        }
        return method
    }
}
