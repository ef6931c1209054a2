public import DialogueDelivery
public import DialogueIdentifiers
public import DialogueServerStorage

/// What a server knows of other domains' servers: their base URLs and keys, from the peers file or
/// from discovery (Spec: delivery.md#dlv-discovery). The HTTP layer asks it to attribute server
/// requests; the outbox asks it where to send.
public protocol PeerDirectory: Sendable {
    /// The verified server document of `domain` (cached as [dlv-discovery-cache] allows), or an error
    /// that says why there is none (unreachable, invalid, not HTTPS).
    func document(of domain: String) async throws -> ServerDocument
    /// The key of `domain` with this fingerprint, valid at `time`, or `nil` (Spec: [dlv-server-key-validity]).
    /// An implementation refetches a cached document once when the fingerprint is unknown, at most once a
    /// minute per domain, so that a rollover is seen at once.
    func serverKey(of domain: String, fingerprint: ContentIdentifier, at time: UInt64) async -> ServerKeyValidity?
    /// The document of `domain` for an outbox probe, which must reach the peer: a cached failure does not
    /// answer it (Spec: [dlv-retry-per-peer]); a cached document does.
    func probeDocument(of domain: String) async throws -> ServerDocument
}

extension PeerDirectory {
    /// A directory that caches no failure probes with ``document(of:)``.
    public func probeDocument(of domain: String) async throws -> ServerDocument { try await document(of: domain) }
}

/// Fetches blobs from other servers by identifier and checks them ([id-verify]), for `keep`
/// (Spec: [dlv-keep]). Implemented with async-http-client; tests use a fake.
public protocol BlobFetcher: Sendable {
    /// Fetches `id` from `baseURL`'s `/blobs/{id}` and writes it to `files` (verified, durable);
    /// returns its size. Throws when the server answers anything but `200` or the bytes do not match.
    func fetch(_ id: ContentIdentifier, from baseURL: BaseURL, into files: BlobFiles, limit: Int) async throws
        -> Int
}
