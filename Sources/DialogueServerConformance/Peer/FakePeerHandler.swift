internal import DialogueDelivery
internal import NIOCore
internal import NIOHTTP1

/// One connection of the peer server: collects a request (body up to 1 MiB), answers it with the
/// peer's `respond`, and closes the connection when the client does not keep it alive.
final class FakePeerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let maximumBody = 1 << 20

    private let respond: @Sendable (PeerRequest) -> (Int, String, [UInt8])
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false

    init(respond: @escaping @Sendable (PeerRequest) -> (Int, String, [UInt8])) { self.respond = respond }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let received):
            head = received
            body = []
            tooLarge = false
        case .body(var buffer):
            if body.count + buffer.readableBytes > FakePeerHandler.maximumBody {
                tooLarge = true
            } else if let bytes = buffer.readBytes(length: buffer.readableBytes) {
                body += bytes
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let (status, contentType, bytes) =
                tooLarge
                ? FakePeer.problem(413, "limits-exceeded")
                : respond(
                    PeerRequest(
                        method: head.method.rawValue, uri: head.uri,
                        fields: head.headers.map { RequestHead.Field($0.name, $0.value) }, body: body))
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: contentType)
            headers.add(name: "Content-Length", value: String(bytes.count))
            if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
            context.write(
                wrapOutboundOut(
                    .head(HTTPResponseHead(version: head.version, status: .init(statusCode: status), headers: headers))),
                promise: nil)
            if head.method != .HEAD {
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
            }
            let keepAlive = head.isKeepAlive
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                if !keepAlive { bound.value.close(promise: nil) }
            }
        }
    }
}
