import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import DialogueServer

/// Each answer takes the method of its request: an answer to HEAD goes without a body, and a fast
/// answer sent below the encoder takes its turn (Spec: [dlv-blob-serve]).
@Suite struct RequestMethodPairingTests {
    /// NIO's encoder (fed nothing by a decoder) and the pairing, with three requests read.
    func channel(_ methods: [HTTPMethod]) throws -> (EmbeddedChannel, RequestMethodPairing) {
        let pairing = RequestMethodPairing()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([HTTPResponseEncoder(), pairing])
        for method in methods {
            try channel.writeInbound(HTTPServerRequestPart.head(.init(version: .http1_1, method: method, uri: "/")))
            try channel.writeInbound(HTTPServerRequestPart.end(nil))
        }
        return (channel, pairing)
    }

    /// What the encoder wrote for one answer of `status` with `body`, and whether writing the body failed.
    func answer(_ channel: EmbeddedChannel, _ status: HTTPResponseStatus, body: String?) throws -> (String, Bool) {
        let head = HTTPResponseHead(
            version: .http1_1, status: status, headers: ["content-length": "\(body?.count ?? 0)"])
        channel.write(HTTPServerResponsePart.head(head), promise: nil)
        var refused = false
        if let body {
            let written = channel.write(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: body))))
            channel.flush()
            refused = (try? written.wait()) == nil
        }
        channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
        var text = ""
        while let part = try channel.readOutbound(as: IOData.self) {
            if case .byteBuffer(let buffer) = part { text += String(buffer: buffer) }
        }
        return (text, refused)
    }

    @Test(
        "a GET answer keeps its body, a HEAD answer loses it (the write fails), an informational answer takes no turn")
    func headAnswersHaveNoBody() throws {
        let (channel, _) = try channel([.GET, .HEAD, .GET])
        #expect(try answer(channel, .ok, body: "one").0.hasSuffix("\r\n\r\none"))
        let informational = try answer(channel, .continue, body: nil)
        #expect(informational.0.hasPrefix("HTTP/1.1 100 Continue"))
        let head = try answer(channel, .ok, body: "two")
        #expect(head.0.hasPrefix("HTTP/1.1 200 OK") && head.0.hasSuffix("content-length: 3\r\n\r\n") && head.1)
        #expect(try answer(channel, .ok, body: "three").0.hasSuffix("\r\n\r\nthree"))
        _ = try channel.finish()
    }

    @Test("a fast answer takes its request's turn and its end part stops here")
    func answeredBelowTakesATurn() throws {
        let (channel, pairing) = try channel([.HEAD, .GET])
        pairing.answeredBelow()
        channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
        #expect(try channel.readOutbound(as: IOData.self) == nil)
        // The GET after the fast HEAD keeps its body.
        #expect(try answer(channel, .ok, body: "kept").0.hasSuffix("\r\n\r\nkept"))
        _ = try channel.finish()
    }
}
