public import DialogueDelivery
internal import DialogueMessages
internal import Synchronization

/// Finds the server of a domain as [dlv-discovery] says, for a user agent: the peers file first
/// (its base URL, and a document that lists a key the entry names), then the well-known URL over
/// HTTPS; the account's own domain is served by its configured home server. Verified documents are
/// cached for at most 24 hours and never beyond their expiry ([dlv-discovery-cache]).
final class ServerDirectory: Sendable {
    /// The longest a verified document is cached.
    static let cacheLifetime: UInt64 = 86_400

    let http: ClientHTTP
    let peers: PeersFile?
    let home: (domain: String, baseURL: BaseURL)
    private let cache = Mutex<[String: (document: ServerDocument, until: UInt64)]>([:])

    init(http: ClientHTTP, peers: PeersFile?, homeDomain: String, homeBaseURL: BaseURL) {
        self.http = http
        self.peers = peers
        home = (homeDomain, homeBaseURL)
    }

    /// The verified server document of `domain`.
    func document(for domain: String) async throws(ClientError) -> ServerDocument {
        let now = ClientClock.now()
        if let cached = cache.withLock({ $0[domain] }), now < cached.until { return cached.document }
        let document: ServerDocument
        if let entry = peers?.entry(for: domain) {
            document = try await fetch(entry.baseURL.endpoint("/server"), domain: domain, allowingHTTP: true)
            guard document.keys.contains(where: { entry.fingerprints.contains($0.fingerprint) }) else {
                throw ClientError(
                    .unknownKey,
                    "the document of \(domain) lists no key that line \(entry.line) of the peers file names")
            }
        } else if domain == home.domain {
            // The account's own server, as configured: the user chose this base URL.
            document = try await fetch(home.baseURL.endpoint("/server"), domain: domain, allowingHTTP: true)
        } else {
            document = try await fetch(
                "https://\(domain)/.well-known/dialogue-server", domain: domain, allowingHTTP: false)
        }
        cache.withLock { $0[domain] = (document, min(document.expires, now + ServerDirectory.cacheLifetime)) }
        return document
    }

    /// The base URL of `domain`'s server.
    func baseURL(for domain: String) async throws(ClientError) -> BaseURL {
        if domain == home.domain, peers?.entry(for: domain) == nil { return home.baseURL }
        return try await document(for: domain).baseURL
    }

    private func fetch(_ url: String, domain: String, allowingHTTP: Bool) async throws(ClientError) -> ServerDocument {
        let answer = try await http.send("GET", url, limit: ServerDocument.maximumSize)
        guard answer.status == 200 else {
            if answer.status == 404 { throw ClientError(.noServer, "no Dialogue server document at \(url)") }
            throw answer.error("GET \(url)")
        }
        do {
            return try ServerDocument(
                verifying: answer.body, domain: domain, now: ClientClock.now(), allowingHTTP: allowingHTTP)
        } catch {
            throw ClientError(.init(error.code.name), "the server document at \(url): \(error.reason)")
        }
    }
}

extension ClientError.Code {
    /// A signature by a key that cannot be attributed ([dlv-errors]).
    public static let unknownKey = ClientError.Code("unknown-key")
}
