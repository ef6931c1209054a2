internal import HTTPTypes
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
/// here, goes out through ``EncodedAnswerWriter``, and a stand-in answer follows it through the
/// pipeline as far as that writer, for the connection state handler and NIO's encoder. Every other
/// request passes to the application part by part.
final class LiveBlobChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let fastPath: LiveBlobFastPath
    private let writer: EncodedAnswerWriter
    /// The encoded answer to the request being read, sent at its end; `nil` while a request goes to
    /// the application.
    private var answer: ByteBuffer?
    /// What goes through the pipeline for an answer sent encoded: an answer without a body.
    private static let standIn = HTTPResponse(status: .noContent)
    /// Requests handed to the application whose answer's end has not been written yet.
    private var owedByApplication = 0

    init(_ fastPath: LiveBlobFastPath, writer: EncodedAnswerWriter) {
        self.fastPath = fastPath
        self.writer = writer
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
            // The stand-in: Hummingbird's connection state handler counts the request done at its
            // end, and NIO's encoder takes the request's method off its queue at its head.
            writer.discardingWrites {
                context.write(wrapOutboundOut(.head(LiveBlobChannelHandler.standIn)), promise: nil)
                context.write(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { owedByApplication -= 1 }
        context.write(data, promise: promise)
    }
}
