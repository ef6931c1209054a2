public import AsyncHTTPClient
public import DialogueDelivery
public import DialogueIdentifiers
public import DialogueServerStorage
internal import NIOCore
internal import NIOHTTP1

/// Fetches a blob from another server into ``BlobFiles``, streaming: each chunk of the answer goes
/// to the blob's writer as it arrives, which hashes it and checks the identifier at the end
/// ([id-verify]); the blob is never held in memory whole (Spec: [dlv-keep]). It also makes the `HEAD`
/// of [dlv-abuse-head].
public struct HTTPBlobFetcher: BlobFetcher, EnvelopeChecking {
    /// Why a fetch failed.
    public enum Failure: Error, Hashable, Sendable, CustomStringConvertible {
        /// The server answered something other than `200`.
        case status(Int)
        /// `Content-Length` announced more than the limit.
        case tooLarge(Int)

        /// One line for people.
        public var description: String {
            switch self {
            case .status(let status): "the server answered \(status)"
            case .tooLarge(let limit): "the blob is larger than \(limit) bytes"
            }
        }
    }

    private let client: HTTPClient
    private let timeout: Int64
    private let headTimeout: Int64

    /// Creates a fetcher over `client` (no redirects: ``SignedHTTPClient/configuration(_:)``); a fetch may
    /// take `timeout` seconds, a `HEAD` `headTimeout`.
    public init(client: HTTPClient, timeout: Int64 = 300, headTimeout: Int64 = 10) {
        self.client = client
        self.timeout = timeout
        self.headTimeout = headTimeout
    }

    /// Fetches `BASE/blobs/{id}` into `files`; returns the size.
    public func fetch(_ id: ContentIdentifier, from baseURL: BaseURL, into files: BlobFiles, limit: Int) async throws
        -> Int
    {
        var request = HTTPClientRequest(url: baseURL.endpoint("/blobs/" + id.text(kind: .blob)))
        request.method = .GET
        let response = try await client.execute(request, timeout: .seconds(timeout))
        guard response.status.code == 200 else { throw Failure.status(Int(response.status.code)) }
        if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > limit {
            throw Failure.tooLarge(limit)
        }
        var writer = try files.writer(for: id, limit: limit)
        do {
            for try await chunk in response.body {
                try chunk.withUnsafeReadableBytes { try writer.append($0) }
            }
        } catch {
            writer.abandon()
            throw error
        }
        return try writer.finish()
    }

    /// `HEAD BASE/blobs/{id}`, with the short timeout of a request that a notification waits for.
    public func head(_ id: ContentIdentifier, at baseURL: BaseURL) async throws -> EnvelopeHeadAnswer {
        var request = HTTPClientRequest(url: baseURL.endpoint("/blobs/" + id.text(kind: .blob)))
        request.method = .HEAD
        let response = try await client.execute(request, timeout: .seconds(headTimeout))
        return EnvelopeHeadAnswer(
            status: Int(response.status.code),
            length: response.headers.first(name: "Content-Length").flatMap { UInt64($0) })
    }
}
