internal import NIOCore
internal import NIOHTTPTypes

/// The channel handler of ``LiveBlobFastPath``, one per connection, between Hummingbird's connection
/// state handler and the application.
///
/// HTTP/1.1 answers go out in the order of the requests. So a request is answered here only when the
/// application owes no answer on this connection (every request handed to it has had its answer's
/// end written), and only while the connection is writable: a client that does not read its answers
/// gets the application's backpressure. Such a request is answered, whole, when its end is read (the
/// body of a `GET`, if any, is read and dropped, as the application drops it): its answer, encoded
/// here, goes out through ``EncodedAnswerWriter``; it takes its request's turn in
/// ``RequestMethodPairing``, and an `end` part for the connection state handler follows it as far as
/// that handler. Every other request passes to the application part by part.
final class LiveBlobChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let fastPath: LiveBlobFastPath
    private let writer: EncodedAnswerWriter
    private let pairing: RequestMethodPairing
    /// The encoded answer to the request being read, sent at its end; `nil` while a request goes to
    /// the application.
    private var answer: ByteBuffer?
    /// Requests handed to the application whose answer's end has not been written yet.
    private var owedByApplication = 0

    init(_ fastPath: LiveBlobFastPath, writer: EncodedAnswerWriter, pairing: RequestMethodPairing) {
        self.fastPath = fastPath
        self.writer = writer
        self.pairing = pairing
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            if owedByApplication == 0, context.channel.isWritable,
                let answer = fastPath.answer(request, allocator: context.channel.allocator)
            {
                self.answer = answer
                return
            }
            owedByApplication += 1
            context.fireChannelRead(data)
        case .body:
            if answer == nil { context.fireChannelRead(data) }
        case .end:
            guard let answer else {
                context.fireChannelRead(data)
                return
            }
            self.answer = nil
            writer.writeAndFlush(answer)
            pairing.answeredBelow()
            context.write(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { owedByApplication -= 1 }
        context.write(data, promise: promise)
    }
}
