import AsyncHTTPClient
import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import Foundation
import NIOCore
import NIOHTTP1

/// A user agent's HTTP requests to real servers on loopback, signed as the profile says
/// ([dlv-request-sign]): what the multi-server tests use to play alice, bob and carol.
struct LoopbackClient: Sendable {
    struct Answer {
        var status: Int
        var body: [UInt8]
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) ?? [:] }
    }

    let http: HTTPClient

    static func make() -> LoopbackClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(30))
        return LoopbackClient(http: HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration))
    }

    func shutdown() async { try? await http.shutdown() }

    /// `method base+path`, signed by `user` when given.
    func send(
        _ method: String, _ base: String, _ path: String, body: [UInt8]? = nil, contentType: String? = nil,
        as user: LoopbackUser? = nil
    ) async throws -> Answer {
        try await send(
            method, base, path, body: body, contentType: contentType,
            signer: user.map { ($0.keyID, $0.secret.signingKey) })
    }

    /// `method base+path`, signed by the key identifier and key of `signer` (a user or a server).
    func send(
        _ method: String, _ base: String, _ path: String, body: [UInt8]? = nil, contentType: String? = nil,
        signer: (RequestKeyID, Ed25519.SigningKey)?
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: base + path)
        request.method = .init(rawValue: method)
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let (keyID, key) = signer {
            let now = UInt64(Date().timeIntervalSince1970)
            let signature = try RequestSigner(keyID: keyID, signingKey: key).sign(
                method: method, targetURI: base + path, body: body ?? [], created: now, expires: now + 300,
                nonce: RequestSigner.randomNonce())
            for field in signature.fields { request.headers.add(name: field.name, value: field.value) }
        }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await http.execute(request, timeout: .seconds(30))
            let collected = try await response.body.collect(upTo: 64 << 20)
            return Answer(status: Int(response.status.code), body: Array(buffer: collected))
        } catch {
            throw ProcessFailure("\(method) \(base)\(path) (\(body?.count ?? 0) bytes): \(error)")
        }
    }

    /// Uploads a blob as `user`.
    func upload(_ bytes: [UInt8], to base: String, as user: LoopbackUser) async throws -> Answer {
        try await send(
            "PUT", base, "/blobs/" + ContentIdentifier.hashing(bytes, context: .blob).text(kind: .blob), body: bytes,
            contentType: "application/octet-stream", as: user)
    }

    /// Fetches a blob, unsigned, and checks it against its identifier as every fetcher must ([id-verify]).
    func fetch(_ id: ContentIdentifier, from base: String) async throws -> [UInt8]? {
        let answer = try await send("GET", base, "/blobs/" + id.text(kind: .blob))
        guard answer.status == 200, ContentIdentifier.hashing(answer.body, context: .blob) == id else { return nil }
        return answer.body
    }

    /// The inbox entries of `user` at its server, waiting up to `wait` seconds for the first.
    func inbox(_ base: String, as user: LoopbackUser, wait: Int = 0) async throws -> [[String: Any]] {
        let answer = try await send("GET", base, "/inbox?wait=\(wait)", as: user)
        guard answer.status == 200 else { throw ProcessFailure("inbox: \(answer.status)") }
        return answer.json["entries"] as? [[String: Any]] ?? []
    }
}

/// A test user: its secret identity (keys and card) and its request key identifier.
struct LoopbackUser: Sendable {
    let secret: SecretIdentity

    init(_ address: String) throws {
        let signingKey = Ed25519.SigningKey()
        let encryptionKey = X25519.PrivateKey()
        let now = UInt64(Date().timeIntervalSince1970)
        let card = try IdentityCard(
            addresses: [try Address(canonical: address)], signingKey: signingKey,
            encryptionKey: encryptionKey.publicKey, created: now - 60, expires: now + 86_400 * 30)
        secret = try SecretIdentity(signingKey: signingKey, encryptionKey: encryptionKey, card: card)
    }

    var address: Address { secret.card.addresses[0] }
    var keyID: RequestKeyID { RequestKeyID(user: address, fingerprint: secret.card.fingerprint) }
}
