internal import HummingbirdCore
internal import Logging
internal import NIOCore
internal import NIOHTTP1

/// Hummingbird's HTTP/1.1 child channel with ``LiveBlobChannelHandler`` placed after its connection
/// state handler, so that the answers sent on the fast path count, as the application's do, for the
/// connection's idle timeout and for closing it at a graceful shutdown; with its
/// ``EncodedAnswerWriter`` just before the HTTP/1.1 encoder (after TLS):
///
///     [TLS] writer encoder decoder codec state fast-path application
///
/// (Hummingbird's own `additionalChannelHandlers` go before that handler, which would then take a
/// connection busy with fast answers for an idle one.)
struct MailHTTP1Channel: HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value

    let http1: HTTP1Channel
    let fastPath: LiveBlobFastPath?

    var responder: HTTPChannelHandler.Responder { http1.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        // The setup completes on the channel's event loop, before its first read.
        http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            guard let fastPath else { return value }
            let operations = channel.pipeline.syncOperations
            let encoder = try operations.handler(type: HTTPResponseEncoder.self)
            let state = try operations.handler(type: HTTPConnectionStateHandler.self)
            let writer = EncodedAnswerWriter()
            try operations.addHandler(writer, position: .before(encoder))
            try operations.addHandler(LiveBlobChannelHandler(fastPath, writer: writer), position: .after(state))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async { await http1.handle(value: value, logger: logger) }
}
