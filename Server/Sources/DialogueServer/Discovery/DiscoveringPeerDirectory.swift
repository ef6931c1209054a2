public import DialogueDelivery
public import DialogueIdentifiers
public import DialogueServerStorage

/// Finds and caches other domains' server documents (Spec: [dlv-discovery]).
///
/// A peers-file entry comes first: its document is fetched from `BASE/server` and must list a key the
/// entry names ([dlv-peers]). Otherwise the document is `GET https://DOMAIN/.well-known/dialogue-server`,
/// never over plain HTTP, and its base URL may be `http` only for a loopback host ([dlv-discovery-https]).
/// Either way the document is checked as [dlv-server-document-verify] says, for the domain asked for.
/// A domain the server serves itself resolves to its own document, without a fetch ([dlv-discovery-self]).
///
/// A verified document is kept at most 24 hours and never past its `expires`; a failure is kept for
/// ``failureLifetime`` (at most the hour [dlv-discovery-cache] allows). A fingerprint the cached document
/// does not list makes one refetch, at most once a minute per domain, so that a rollover is seen at once.
public actor DiscoveringPeerDirectory: PeerDirectory {
    /// The longest a document is cached, in seconds (Spec: [dlv-discovery-cache]).
    public static let documentLifetime: UInt64 = 86_400
    /// The longest a failure may be cached, in seconds (Spec: [dlv-discovery-cache]).
    public static let maximumFailureLifetime: UInt64 = 3_600
    /// The shortest time between two refetches for an unknown fingerprint, in seconds.
    public static let refetchInterval: UInt64 = 60

    private enum Cached {
        case document(ServerDocument, until: UInt64)
        case failure(DiscoveryError, until: UInt64)
    }

    /// The domains this server serves, and how it makes its own document: they resolve to itself
    /// ([dlv-discovery-self]).
    public struct OwnServer: Sendable {
        /// The served domains.
        public let domains: Set<String>
        /// The server's own document, made at a time.
        public let document: @Sendable (UInt64) throws -> ServerDocument

        /// The server of `domains`, whose document `document` makes.
        public init(domains: Set<String>, document: @escaping @Sendable (UInt64) throws -> ServerDocument) {
            self.domains = domains
            self.document = document
        }
    }

    private let peers: PeersFile?
    private let own: OwnServer?
    private let fetcher: any DocumentFetching
    private let clock: any ServerClock
    /// How long a failure is cached, in seconds: short by default, because the outbox's per-peer backoff
    /// already spaces its requests to a failing peer ([dlv-retry-per-peer]).
    public let failureLifetime: UInt64
    private var cache: [String: Cached] = [:]
    private var lastRefetch: [String: UInt64] = [:]

    /// Creates a directory; `failureLifetime` is clamped to an hour. The domains of `own` resolve to
    /// that server without a fetch, unless the peers file names them.
    public init(
        peers: PeersFile?, fetcher: any DocumentFetching, clock: any ServerClock, failureLifetime: UInt64 = 60,
        own: OwnServer? = nil
    ) {
        self.peers = peers
        self.own = own
        self.fetcher = fetcher
        self.clock = clock
        self.failureLifetime = min(failureLifetime, Self.maximumFailureLifetime)
    }

    /// The verified document of `domain`, from the cache while it may be used.
    public func document(of domain: String) async throws -> ServerDocument {
        let now = clock.now()
        switch cache[domain] {
        case .document(let document, let until) where now <= until: return document
        case .failure(let error, let until) where now < until: throw error
        default: return try await refresh(domain, now: now)
        }
    }

    /// The key of `domain` with `fingerprint`, valid at `time`; a fingerprint the document does not list
    /// makes one refetch, at most once a minute per domain (Spec: [dlv-discovery-cache]).
    public func serverKey(of domain: String, fingerprint: ContentIdentifier, at time: UInt64) async
        -> ServerKeyValidity?
    {
        guard let document = try? await document(of: domain) else { return nil }
        if let key = Self.key(fingerprint, in: document, at: time) { return key }
        guard !document.keys.contains(where: { $0.fingerprint == fingerprint }) else { return nil }
        let now = clock.now()
        if let last = lastRefetch[domain], now < last + Self.refetchInterval { return nil }
        lastRefetch[domain] = now
        guard let fresh = try? await refresh(domain, now: now) else { return nil }
        return Self.key(fingerprint, in: fresh, at: time)
    }

    /// Forgets what is cached for `domain`.
    public func forget(_ domain: String) { cache[domain] = nil }

    /// The document for an outbox probe: a cached failure is dropped first, so that a peer that came back
    /// is seen by the next probe, not an hour later (Spec: [dlv-retry-per-peer]).
    public func probeDocument(of domain: String) async throws -> ServerDocument {
        if case .failure = cache[domain] { cache[domain] = nil }
        return try await document(of: domain)
    }

    private static func key(_ fingerprint: ContentIdentifier, in document: ServerDocument, at time: UInt64)
        -> ServerKeyValidity?
    {
        guard let key = try? document.key(fingerprint, at: time) else { return nil }
        return ServerKeyValidity(key: key.publicKey, validFrom: key.validFrom, validUntil: key.validUntil)
    }

    /// Fetches, verifies and caches the document of `domain`, or caches and throws why not.
    private func refresh(_ domain: String, now: UInt64) async throws(DiscoveryError) -> ServerDocument {
        do {
            let document = try await fetch(domain, now: now)
            cache[domain] = .document(document, until: min(now + Self.documentLifetime, document.expires))
            return document
        } catch {
            cache[domain] = .failure(error, until: now + failureLifetime)
            throw error
        }
    }

    private func fetch(_ domain: String, now: UInt64) async throws(DiscoveryError) -> ServerDocument {
        let entry = peers?.entry(for: domain)
        if entry == nil, let own, own.domains.contains(domain) {
            do { return try own.document(now) } catch {
                throw DiscoveryError(domain: domain, reason: "this server's own document cannot be made: \(error)")
            }
        }
        let url = entry.map { $0.baseURL.endpoint("/server") } ?? "https://\(domain)/.well-known/dialogue-server"
        let response: PeerResponse
        do {
            response = try await fetcher.get(url)
        } catch {
            throw DiscoveryError(domain: domain, reason: "GET \(url) got no answer: \(error)")
        }
        guard response.status == 200 else {
            throw DiscoveryError(domain: domain, reason: "GET \(url) answered \(response.status)")
        }
        let document: ServerDocument
        do {
            // Only a peers-file entry allows an http base URL; ServerDocument allows a loopback host either way.
            document = try ServerDocument(
                verifying: response.body, domain: domain, now: now, allowingHTTP: entry != nil)
        } catch {
            throw DiscoveryError(domain: domain, reason: "the document of \(url) is refused: \(error)")
        }
        if let entry {
            guard document.keys.contains(where: { entry.fingerprints.contains($0.fingerprint) }) else {
                throw DiscoveryError(
                    domain: domain,
                    reason: "the document lists no key that the peers file names (line \(entry.line))")
            }
        }
        return document
    }
}
