public import AsyncHTTPClient
public import DialogueDelivery
public import DialogueServerStorage
internal import Foundation
internal import NIOCore
internal import NIOHTTP1

/// The server's HTTP client for other servers: requests signed with its server key as `DOMAIN/srv-…`
/// (Spec: [dlv-request], [dlv-request-keyid]), redirects never followed ([dlv-retry-classes]: a `3xx`
/// is an answer, retried), time-limited, and answers read up to a bound, never whole.
public struct SignedHTTPClient: SignedRequestSending {
    /// The limits of one request.
    public struct Limits: Sendable {
        /// Connecting, in seconds.
        public var connectTimeout: Int64 = 10
        /// The whole request, answer included, in seconds.
        public var requestTimeout: Int64 = 30
        /// The largest answer body read, in bytes; a larger one is a network failure.
        public var maximumBody: Int = 65_536
        /// The signature lifetime, `expires − created`, in seconds (at most 300, [dlv-request]).
        public var signatureLifetime: UInt64 = 60

        /// The defaults above.
        public init() {}
    }

    /// The AsyncHTTPClient configuration the server's client needs: no redirects, the timeouts of `limits`.
    public static func configuration(_ limits: Limits) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(limits.connectTimeout), read: .seconds(limits.requestTimeout))
        configuration.decompression = .disabled
        // A refused connection is an answer for the outbox's own backoff ([dlv-retry-per-peer]), not
        // something to retry inside one request until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    private let client: HTTPClient
    private let identity: ServerIdentity
    private let domain: String
    private let clock: any ServerClock
    private let limits: Limits

    /// Creates a client over `client` (made with ``configuration(_:)``; the caller shuts it down), signing
    /// as the server of `domain`.
    public init(
        client: HTTPClient, identity: ServerIdentity, domain: String, clock: any ServerClock, limits: Limits = Limits()
    ) {
        self.client = client
        self.identity = identity
        self.domain = domain
        self.clock = clock
        self.limits = limits
    }

    /// Signs and posts `body` as `application/cbor`.
    public func post(_ body: [UInt8], to url: String) async throws -> PeerResponse {
        let now = clock.now()
        guard let key = identity.signingKey(at: now) else {
            throw DeliveryError.malformed("no server key is valid at \(now)")
        }
        let signer = try RequestSigner(
            keyID: try RequestKeyID(server: domain, fingerprint: key.fingerprint), signingKey: key.signingKey)
        let signature = try signer.sign(
            method: "POST", targetURI: url, body: body, created: now, expires: now + limits.signatureLifetime,
            nonce: RequestSigner.randomNonce())
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/cbor")
        for field in signature.fields { request.headers.add(name: field.name, value: field.value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        return try await Self.execute(request, client: client, limits: limits)
    }

    /// Sends an unsigned `GET` (server documents, [dlv-discovery]) with the same limits.
    public func get(_ url: String) async throws -> PeerResponse {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/cbor")
        return try await Self.execute(request, client: client, limits: limits)
    }

    /// Executes `request` and reads its answer up to the limit.
    static func execute(_ request: HTTPClientRequest, client: HTTPClient, limits: Limits) async throws -> PeerResponse {
        let response = try await client.execute(request, timeout: .seconds(limits.requestTimeout))
        let body = try await response.body.collect(upTo: limits.maximumBody)
        return PeerResponse(
            status: Int(response.status.code),
            retryAfter: PeerResponse.retryAfterSeconds(response.headers.first(name: "Retry-After")),
            contentType: response.headers.first(name: "Content-Type"), body: Array(buffer: body))
    }
}
