public import AsyncHTTPClient
public import DialogueServerStorage
public import Logging
public import ServiceLifecycle

/// Everything a running server is made of besides its HTTP application: the store, the blob files, the
/// peer directory, the outbox and the HTTP client they share. ``makeServerServices(configuration:identity:store:files:clock:logger:)``
/// builds it; the HTTP application takes its parts from here.
public struct ServerServices: Sendable {
    /// The configuration.
    public let configuration: ServerConfiguration
    /// The server's keys.
    public let identity: ServerIdentity
    /// The store.
    public let store: any MailStore
    /// The blob files.
    public let files: BlobFiles
    /// The clock.
    public let clock: any ServerClock
    /// Other servers' documents (Spec: [dlv-discovery]).
    public let directory: DiscoveringPeerDirectory
    /// The outbox (Spec: [dlv-retry]); the HTTP layer calls ``Outbox/wake()`` after a submission or an
    /// acknowledgement, and ``Outbox/heardFrom(_:)`` after a verified server request.
    public let outbox: Outbox
    /// The signed client for other servers.
    public let client: SignedHTTPClient
    /// Fetches blobs for `keep` (Spec: [dlv-keep]).
    public let blobFetcher: HTTPBlobFetcher
    /// The services to run, in start order (shut down in the reverse order: the client last).
    public var services: [any Service]
    /// The logger.
    public let logger: Logger
}

/// Builds the server's services on an HTTP client that never follows redirects.
///
/// The single place the HTTP application plugs in: the HTTP layer's `makeApplication(_:)` takes these
/// services and its service is appended to ``ServerServices/services`` by the `serve` command.
public func makeServerServices(
    configuration: ServerConfiguration, identity: ServerIdentity, store: any MailStore, files: BlobFiles,
    clock: any ServerClock, logger: Logger, settings: OutboxSettings? = nil, metrics: ServerMetrics = ServerMetrics()
) -> ServerServices {
    let limits = SignedHTTPClient.Limits()
    let httpClient = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: SignedHTTPClient.configuration(limits))
    let domain = configuration.domains.first ?? ""
    let client = SignedHTTPClient(client: httpClient, identity: identity, domain: domain, clock: clock, limits: limits)
    let own = DiscoveringPeerDirectory.OwnServer(domains: Set(configuration.domains)) { now in
        try identity.document(for: configuration, now: now)
    }
    let directory = DiscoveringPeerDirectory(peers: configuration.peers, fetcher: client, clock: clock, own: own)
    let outbox = Outbox(
        store: store, files: files, identity: identity, baseURL: configuration.baseURL, directory: directory,
        sender: client, clock: clock, settings: settings ?? OutboxSettings(configuration),
        logger: Logger(label: logger.label + ".outbox"), metrics: metrics)
    return ServerServices(
        configuration: configuration, identity: identity, store: store, files: files, clock: clock,
        directory: directory, outbox: outbox, client: client, blobFetcher: HTTPBlobFetcher(client: httpClient),
        services: [HTTPClientService(client: httpClient), outbox], logger: logger)
}

/// Keeps the shared HTTP client until graceful shutdown, then shuts it down (after the services that use it).
public struct HTTPClientService: Service {
    /// The client.
    public let client: HTTPClient

    /// Wraps `client`.
    public init(client: HTTPClient) { self.client = client }

    /// Waits for graceful shutdown, then shuts the client down.
    public func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
