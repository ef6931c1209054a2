internal import AsyncHTTPClient
internal import DialogueCrypto
internal import DialogueDelivery
internal import DialogueIdentifiers
internal import DialogueMessages
internal import Foundation
internal import NIOCore
internal import NIOHTTP1

/// The client's HTTP stack: one pooled async-http-client, no redirects (an answer is what the
/// server said, and a blob that fails verification is never looked for elsewhere by a redirect),
/// time limits, and request signatures for the account's user requests ([dlv-request-sign]).
final class ClientHTTP: Sendable {
    /// The longest a connection may take to open.
    static let connectTimeout = TimeAmount.seconds(10)
    /// The longest a server may stay silent: beyond the longest inbox wait ([dlv-inbox-wait], 60 s).
    static let readTimeout = TimeAmount.seconds(90)
    /// The largest JSON or CBOR answer read (a card response, a listing, a status).
    static let maximumAnswer = 4 << 20

    let http: HTTPClient
    let signer: RequestSigner?

    init(identity: SecretIdentity?, address: Address?) throws(ClientError) {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.timeout = .init(connect: ClientHTTP.connectTimeout, read: ClientHTTP.readTimeout)
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        if let identity, let address {
            do {
                signer = try RequestSigner(
                    keyID: RequestKeyID(user: address, fingerprint: identity.fingerprint),
                    signingKey: identity.signingKey)
            } catch {
                throw ClientError(.malformed, "cannot sign as \(address): \(error.reason)")
            }
        } else {
            signer = nil
        }
    }

    /// Closes the connections.
    func shutdown() async { try? await http.shutdown() }

    /// Sends `method url` with `body`, signed when `signed`, and reads an answer of at most `limit` bytes.
    func send(
        _ method: String, _ url: String, body: [UInt8]? = nil, contentType: String? = nil, signed: Bool = false,
        limit: Int = ClientHTTP.maximumAnswer
    ) async throws(ClientError) -> ServerAnswer {
        let response = try await start(method, url, body: body, contentType: contentType, signed: signed)
        var collected: [UInt8] = []
        if method != "HEAD" {
            do {
                for try await buffer in response.body {
                    guard collected.count + buffer.readableBytes <= limit else {
                        throw ClientError(.limitsExceeded, "\(method) \(url): the answer is larger than \(limit) bytes")
                    }
                    collected.append(contentsOf: buffer.readableBytesView)
                }
            } catch let error as ClientError {
                throw error
            } catch {
                throw ClientHTTP.unreachable(url, error)
            }
        }
        return ServerAnswer(
            status: Int(response.status.code), fields: response.headers.map { (name: $0.name.lowercased(), $0.value) },
            body: collected)
    }

    /// Starts a request and returns the response with its body unread (to stream a blob).
    func start(_ method: String, _ url: String, body: [UInt8]? = nil, contentType: String? = nil, signed: Bool = false)
        async throws(ClientError) -> HTTPClientResponse
    {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if signed {
            guard let signer else { throw ClientError(.notConfigured, "no identity to sign \(method) \(url) with") }
            let now = ClientClock.now()
            do {
                let signature = try signer.sign(
                    method: method, targetURI: url, body: body ?? [], created: now,
                    expires: now + RequestProfile.maximumLifetime, nonce: RequestSigner.randomNonce())
                for field in signature.fields { request.headers.add(name: field.name, value: field.value) }
            } catch {
                throw ClientError(.malformed, "cannot sign \(method) \(url): \(error.reason)")
            }
        }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            return try await http.execute(request, timeout: ClientHTTP.readTimeout)
        } catch {
            throw ClientHTTP.unreachable(url, error)
        }
    }

    static func unreachable(_ url: String, _ error: any Error) -> ClientError {
        ClientError(.unreachable, "\(url): \(error)")
    }
}
