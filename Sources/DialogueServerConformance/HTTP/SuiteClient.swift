internal import AsyncHTTPClient
internal import DialogueDelivery
internal import Foundation
internal import NIOCore
internal import NIOHTTP1

/// The suite's HTTP client for the server under test: one request at a time as the checks make them,
/// signed or not, never following redirects (an answer is what the server said), with a time limit.
struct SuiteClient: Sendable {
    /// The largest answer body the suite reads; the suite's blobs are far smaller.
    static let maximumBody = 32 << 20

    let http: HTTPClient
    /// The base URL of the server under test, without a trailing `/`.
    let baseURL: String
    let timeout: TimeAmount

    /// The absolute URL of `path` (which starts with `/` and may hold a query).
    func url(_ path: String) -> String { baseURL + path }

    /// Sends `method path` with `body`, signed by `signer` (with `defect`) unless `signer` is `nil`,
    /// with `extra` header fields.
    func send(
        _ method: String, _ path: String, body: [UInt8]? = nil, contentType: String? = nil,
        signer: SuiteSigner? = nil, defect: SuiteSigner.Defect = .none, extra: [(String, String)] = [],
        now: UInt64
    ) async throws -> SuiteAnswer {
        var fields: [RequestHead.Field] = []
        if let signer {
            fields = try signer.fields(
                method: method, targetURI: url(path), body: body ?? [], now: now, defect: defect)
        }
        return try await send(method, path, body: body, contentType: contentType, fields: fields, extra: extra)
    }

    /// Sends a request with header fields already made (to send the same signature twice).
    func send(
        _ method: String, _ path: String, body: [UInt8]?, contentType: String? = nil, fields: [RequestHead.Field],
        extra: [(String, String)] = []
    ) async throws -> SuiteAnswer {
        var request = HTTPClientRequest(url: url(path))
        request.method = HTTPMethod(rawValue: method)
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        for field in fields { request.headers.add(name: field.name, value: field.value) }
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await http.execute(request, timeout: timeout)
        var collected = ByteBuffer()
        if method != "HEAD" {
            collected = try await response.body.collect(upTo: SuiteClient.maximumBody)
        }
        return SuiteAnswer(
            status: Int(response.status.code),
            fields: response.headers.map { (name: $0.name.lowercased(), value: $0.value) },
            body: Array(buffer: collected))
    }

    /// The AsyncHTTPClient configuration: no redirects, no decompression, the time limits.
    static func configuration(timeout: TimeAmount) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(10), read: timeout)
        return configuration
    }
}
