public import DialogueCrypto
public import DialogueDelivery
public import DialogueIdentifiers
internal import Foundation
internal import NIOCore
internal import NIOHTTP1
internal import NIOPosix
internal import Synchronization

/// The peer server that the suite plays on loopback (Spec: conformance.md#conf-server-suite): it
/// serves its server document and the blobs the suite gives it, takes the notifications and
/// acknowledgements the server under test sends it (`202`, `200`) and keeps them for the checks,
/// which verify them. It answers nothing else, and never sends a request of its own.
public final class FakePeer: Sendable {
    /// The peer's domain.
    public let domain: String
    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    private let key: Ed25519.SigningKey
    private let channel: any Channel
    private let state = Mutex(State())

    private struct State {
        var blobs: [String: [UInt8]] = [:]
        var blobFetches: [String: Int] = [:]
        var received: [PeerRequest] = []
    }

    /// The base URL: `http://127.0.0.1:PORT/dialogue/v1`.
    public var baseURL: String { "http://127.0.0.1:\(port)" + FakePeer.basePath }
    /// The origin of ``baseURL``.
    public var origin: String { "http://127.0.0.1:\(port)" }
    static let basePath = "/dialogue/v1"

    private init(domain: String, key: Ed25519.SigningKey, channel: any Channel, port: Int) {
        self.domain = domain
        self.key = key
        self.channel = channel
        self.port = port
    }

    /// Starts the peer on `127.0.0.1:port` (0 for an ephemeral port).
    public static func start(domain: String, key: Ed25519.SigningKey, port: Int) async throws -> FakePeer {
        let box = Mutex<FakePeer?>(nil)
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(
                            FakePeerHandler { request in
                                box.withLock { $0 }?.answer(request) ?? (503, "text/plain", [])
                            })
                    }
                }
                .bind(host: "127.0.0.1", port: port).get()
        } catch {
            throw SuiteError.setup("the peer server cannot listen on 127.0.0.1:\(port): \(error)")
        }
        let peer = FakePeer(domain: domain, key: key, channel: channel, port: channel.localAddress?.port ?? port)
        box.withLock { $0 = peer }
        return peer
    }

    /// Stops listening.
    public func stop() async {
        try? await channel.close()
    }

    /// Makes `bytes` available at `BASE/blobs/{id}`.
    public func add(blob bytes: [UInt8]) {
        let id = ContentIdentifier.hashing(bytes, context: .blob).text(kind: .blob)
        state.withLock { $0.blobs[id] = bytes }
    }

    /// How many times `GET /blobs/{id}` was asked of the peer.
    public func fetches(of id: ContentIdentifier) -> Int {
        state.withLock { $0.blobFetches[id.text(kind: .blob), default: 0] }
    }

    /// The requests received so far on `path` (under the base path), oldest first.
    public func received(_ method: String, _ path: String) -> [PeerRequest] {
        state.withLock { $0.received.filter { $0.method == method && $0.uri == FakePeer.basePath + path } }
    }

    /// Waits until a request on `path` satisfies `condition`, for at most `seconds`.
    public func waitFor(
        _ method: String, _ path: String, seconds: Double, where condition: (PeerRequest) -> Bool
    ) async -> PeerRequest? {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while true {
            if let found = received(method, path).first(where: condition) { return found }
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The peer's server document, signed now ([dlv-server-document]).
    public func serverDocument(now: UInt64) throws -> ServerDocument {
        try ServerDocument(
            domain: domain, baseURL: try BaseURL(baseURL),
            keys: [try ServerKey(publicKey: key.publicKey, validFrom: now - 2_592_000, validUntil: now + 2_592_000)],
            signingKeys: [key], created: now - 60, expires: now + 86_400, maximumMessageSize: 1 << 30,
            maximumRecipients: 100)
    }

    /// The answer to one request: status, content type, body.
    func answer(_ request: PeerRequest) -> (Int, String, [UInt8]) {
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        guard path.hasPrefix(FakePeer.basePath + "/") else { return FakePeer.problem(404, "not-found") }
        let route = String(path.dropFirst(FakePeer.basePath.count))
        switch (request.method, route) {
        case ("GET", "/server"):
            let now = UInt64(Date().timeIntervalSince1970)
            guard let document = try? serverDocument(now: now) else { return FakePeer.problem(503, "unavailable") }
            return (200, "application/cbor", document.encodedBytes)
        case ("POST", "/notifications"):
            state.withLock { $0.received.append(request) }
            return (202, "application/json", Array(#"{}"#.utf8))
        case ("POST", "/acknowledgements"):
            state.withLock { $0.received.append(request) }
            return (200, "application/json", Array(#"{}"#.utf8))
        case (let method, _) where (method == "GET" || method == "HEAD") && route.hasPrefix("/blobs/"):
            let id = String(route.dropFirst("/blobs/".count))
            let blob = state.withLock { state -> [UInt8]? in
                if method == "GET" { state.blobFetches[id, default: 0] += 1 }
                return state.blobs[id]
            }
            guard let blob else { return FakePeer.problem(404, "not-found") }
            return (200, "application/octet-stream", blob)
        default:
            return FakePeer.problem(404, "not-found")
        }
    }

    static func problem(_ status: Int, _ type: String) -> (Int, String, [UInt8]) {
        let body = #"{"type":"urn:dialogue:problem:\#(type)","title":"\#(type)","status":\#(status)}"#
        return (status, "application/problem+json", Array(body.utf8))
    }
}
