internal import AsyncHTTPClient
internal import Foundation
internal import NIOCore

/// The server conformance suite (Spec: conformance.md#conf-server-suite): drives any server of the
/// delivery protocol over HTTP, as h2spec drives an HTTP/2 server, and checks each endpoint's success
/// path, every error class with its problem type, idempotency, replayed, expired and forged
/// signatures, a non-recipient's acknowledgement, deletion after the last acknowledgement, `Range`
/// and `HEAD`, and the request limits.
///
/// It needs the two test accounts and the peer server of ``SuiteCredentials``, registered with the
/// server under test; it plays the peer itself, on loopback.
///
/// ```swift
/// let suite = ServerSuite(baseURL: "http://127.0.0.1:8080/dialogue/v1", credentials: credentials)
/// let report = try await suite.run { result in if result.status != .passed { print(result.line) } }
/// print(report.closingLine)    // 52 passed, 0 failed, 0 skipped
/// ```
public struct ServerSuite: Sendable {
    /// The base URL of the server under test.
    public let baseURL: String
    /// The accounts and peer the operator registered.
    public let credentials: SuiteCredentials
    /// Seconds to wait for one answer.
    public var requestTimeout: Double = 30
    /// Seconds to wait for the server's outbox to reach the peer (a notification, a relayed
    /// acknowledgement).
    public var deliveryTimeout: Double = 30

    /// A suite for the server at `baseURL`.
    public init(baseURL: String, credentials: SuiteCredentials) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.credentials = credentials
    }

    /// Starts the peer, runs every check in order, and stops the peer; `progress` sees each result as
    /// it comes.
    ///
    /// - Throws: ``SuiteError`` when the suite cannot run at all (the peer cannot listen).
    public func run(progress: @escaping @Sendable (ServerCheckResult) -> Void = { _ in }) async throws
        -> ServerSuiteReport
    {
        let peer = try await FakePeer.start(
            domain: credentials.peerDomain, key: credentials.peerKey, port: credentials.peerPort)
        let http = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: SuiteClient.configuration(timeout: .milliseconds(Int64(requestTimeout * 1000))))
        let client = SuiteClient(
            http: http, baseURL: baseURL, timeout: .milliseconds(Int64(requestTimeout * 1000)))
        let run = try SuiteRun(
            client: client, peer: peer, credentials: credentials, deliveryTimeout: deliveryTimeout, progress: progress)
        await run.all()
        try? await http.shutdown()
        await peer.stop()
        return ServerSuiteReport(results: run.results)
    }
}
