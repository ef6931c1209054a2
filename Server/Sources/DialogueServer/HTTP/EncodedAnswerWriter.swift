internal import NIOCore

/// Writes answers that ``LiveBlobChannelHandler`` encoded itself, below the HTTP/1.1 encoder (and
/// above TLS, when there is TLS): one buffer, head and body, in one write.
///
/// A fast answer that went through the pipeline as three parts cost a conversion to NIO's HTTP/1.1
/// types, the encoder and three queued writes: a third of the CPU time of a 1 KiB blob fetch. Writes
/// on one channel are queued in the order they are made, so these bytes keep their place among the
/// encoder's as long as the application owes no answer when they are written (which
/// ``LiveBlobChannelHandler`` checks).
/// Everything else passes through untouched.
final class EncodedAnswerWriter: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// Writes and flushes `answer`, whole; called on the channel's event loop.
    func writeAndFlush(_ answer: ByteBuffer) {
        context?.writeAndFlush(wrapOutboundOut(.byteBuffer(answer)), promise: nil)
    }
}
