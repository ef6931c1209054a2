internal import HummingbirdCore
internal import Logging
internal import NIOCore
internal import NIOHTTP1
internal import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1.1 child channel with ``LiveBlobChannelHandler`` placed after its connection
/// state handler, so that the answers sent on the fast path count, as the application's do, for the
/// connection's idle timeout and for closing it at a graceful shutdown; with its
/// ``EncodedAnswerWriter`` just before the HTTP/1.1 encoder (after TLS, which goes first), and
/// ``RequestMethodPairing`` after a decoder that feeds nothing to the encoder:
///
///     [TLS] writer encoder decoder pairing codec [additional] state fast-path application
///
/// (Hummingbird's own `additionalChannelHandlers` go before the state handler, which would then take
/// a connection busy with fast answers for an idle one.)
struct MailHTTP1Channel: HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value

    let http1: HTTP1Channel
    let fastPath: LiveBlobFastPath?

    var responder: HTTPChannelHandler.Responder { http1.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard let fastPath else { return http1.setup(channel: channel, logger: logger) }
        // HTTP1Channel's pipeline, but for the decoder: configureHTTPServerPipeline pairs its decoder
        // with its encoder, and that pairing breaks on a connection with answers sent below the
        // encoder (RequestMethodPairing says how); this decoder feeds nothing to the encoder.
        return channel.eventLoop.makeCompletedFuture {
            let configuration = http1.configuration
            var limits = NIOHTTPDecoderLimitConfiguration()
            limits.maxHeaderFieldSize = configuration.httpDecoder.maxHeaderFieldSize
            limits.maxHeaderListSize = configuration.httpDecoder.maxHeaderListSize
            limits.maxHeaderFieldCount = configuration.httpDecoder.maxHeaderFieldCount
            let writer = EncodedAnswerWriter()
            let pairing = RequestMethodPairing()
            let operations = channel.pipeline.syncOperations
            try operations.addHandler(writer)
            try operations.addHandler(HTTPResponseEncoder(configuration: .init()))
            try operations.addHandler(
                ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes, limitConfiguration: limits)))
            try operations.addHandler(pairing)
            try operations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try operations.addHandlers(configuration.additionalChannelHandlers())
            try operations.addHandler(
                HTTPConnectionStateHandler(idleTimeout: configuration.idleTimeout.map { .init($0) }, logger: logger))
            try operations.addHandler(LiveBlobChannelHandler(fastPath, writer: writer, pairing: pairing))
            return try NIOAsyncChannel(
                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value: Value, logger: Logger) async { await http1.handle(value: value, logger: logger) }
}
