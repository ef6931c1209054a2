internal import NIOCore
internal import NIOHTTPTypes

/// Drops, before the HTTP/1.1 encoder, the `end` parts that ``LiveBlobChannelHandler`` writes for the
/// answers it sent through ``EncodedAnswerWriter``.
///
/// Hummingbird's connection state handler counts a request done when its answer's `end` passes by:
/// that is what keeps a connection busy with fast answers from being closed as idle, and what lets a
/// graceful shutdown close it between two answers. So each encoded answer is followed by an `end` of
/// its own through that handler, which stops here: the encoder, which would write a chunked body's
/// last chunk for it if the answer before was chunked, never sees it.
final class EncodedAnswerEnds: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The `end` parts still to drop; they come right after their answers, before any other part.
    private var pending = 0

    /// Marks the next `end` part written as one to drop.
    func expectEnd() { pending += 1 }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if pending > 0, case .end = unwrapOutboundIn(data) {
            pending -= 1
            promise?.succeed(())
            return
        }
        context.write(data, promise: promise)
    }
}
