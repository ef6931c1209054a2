internal import ArgumentParser
internal import DialogueDelivery
internal import Hummingbird
internal import Logging
internal import NIOCore

/// `dialogued-load peer`: the fake peer server of the peers file, until SIGTERM: it serves its signed
/// server document at `BASE/server` (so the server under test can verify the peer's requests,
/// [dlv-peers]) and takes the notifications and acknowledgements the server's outbox sends it.
struct PeerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peer", abstract: "Serve the fake peer's server document and take its deliveries.")

    @Option(help: "The state directory.") var state: String
    @Option(help: "The port to listen on, on 127.0.0.1.") var port: Int

    func run() async throws {
        let loadState = try LoadState.load(state)
        let document = try loadState.peerDocument(now: unixNow()).encodedBytes
        let path = try BaseURL(loadState.peerBaseURL).path
        let router = Router()
        router.get("\(path)/server") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/cbor"],
                body: .init(byteBuffer: ByteBuffer(bytes: document)))
        }
        // The outbox's deliveries: taken without checking, the peer only has to answer as a peer would.
        router.post("\(path)/notifications") { request, _ -> Response in
            _ = try await request.body.collect(upTo: 1 << 16)
            return Response(status: .accepted)
        }
        router.post("\(path)/acknowledgements") { request, _ -> Response in
            _ = try await request.body.collect(upTo: 1 << 16)
            return Response(status: .ok)
        }
        var logger = Logger(label: "dialogued-load.peer")
        logger.logLevel = .warning
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        try await application.runService()
    }
}
