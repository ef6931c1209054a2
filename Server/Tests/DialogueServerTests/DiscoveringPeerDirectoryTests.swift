import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import DialogueServer
import DialogueServerStorage
import Synchronization
import Testing

/// Discovery of other servers' documents, with a fake network (Spec: delivery.md#dlv-discovery).
@Suite struct DiscoveringPeerDirectoryTests {
    /// Answers `GET`s from a table and counts them.
    final class FakeWeb: DocumentFetching {
        private let state = Mutex<(pages: [String: PeerResponse], gets: [String])>(([:], []))

        func serve(_ url: String, _ response: PeerResponse) { state.withLock { $0.pages[url] = response } }
        var gets: [String] { state.withLock { $0.gets } }

        func get(_ url: String) async throws -> PeerResponse {
            let page = state.withLock { state -> PeerResponse? in
                state.gets.append(url)
                return state.pages[url]
            }
            guard let page else { throw FakeNetworkError.connectionRefused }
            return page
        }
    }

    let web = FakeWeb()
    let clock = ManualClock(1_000_000)
    let oldKey = Fixtures.key("b.example old")
    let newKey = Fixtures.key("b.example new")

    func document(
        domain: String = "b.example", base: String = "https://mail.b.example/dialogue/v1",
        keys: [Ed25519.SigningKey]? = nil,
        expires: UInt64 = 1_000_000 + 2_000_000
    ) throws -> PeerResponse {
        let signing = keys ?? [oldKey]
        let document = try ServerDocument(
            domain: domain, baseURL: BaseURL(base),
            keys: signing.map { try ServerKey(publicKey: $0.publicKey, validFrom: 0, validUntil: 10_000_000) },
            signingKeys: signing, created: 999_000, expires: expires, maximumMessageSize: 1 << 26,
            maximumRecipients: 100)
        return PeerResponse(status: 200, contentType: "application/cbor", body: document.encodedBytes)
    }

    func fingerprint(_ key: Ed25519.SigningKey) -> ContentIdentifier {
        ContentIdentifier.hashing(key.publicKey.rawRepresentation, context: .serverKey)
    }

    /// Spec: [dlv-discovery-https] — without a peers-file entry the document comes from
    /// `https://D/.well-known/dialogue-server`, checked for the domain asked for.
    @Test func theWellKnownDocumentIsFetchedOverHTTPS() async throws {
        web.serve("https://b.example/.well-known/dialogue-server", try document())
        let directory = DiscoveringPeerDirectory(peers: nil, fetcher: web, clock: clock)
        let found = try await directory.document(of: "b.example")
        #expect(found.baseURL.text == "https://mail.b.example/dialogue/v1")
        #expect(web.gets == ["https://b.example/.well-known/dialogue-server"])
        // A document that speaks for another domain is refused (address-mismatch).
        web.serve("https://c.example/.well-known/dialogue-server", try document())
        await #expect(throws: DiscoveryError.self) { try await directory.document(of: "c.example") }
    }

    /// Spec: [dlv-discovery-https] — an `http` base URL is refused unless its host is a loopback address.
    @Test func anHTTPBaseURLIsRefusedUnlessLoopback() async throws {
        web.serve(
            "https://b.example/.well-known/dialogue-server", try document(base: "http://mail.b.example/dialogue/v1"))
        web.serve(
            "https://c.example/.well-known/dialogue-server",
            try document(domain: "c.example", base: "http://127.0.0.1:8080/v1"))
        let directory = DiscoveringPeerDirectory(peers: nil, fetcher: web, clock: clock)
        await #expect(throws: DiscoveryError.self) { try await directory.document(of: "b.example") }
        #expect(try await directory.document(of: "c.example").baseURL.text == "http://127.0.0.1:8080/v1")
    }

    /// Spec: [dlv-discovery], [dlv-peers] — a peers-file entry comes first: its document is fetched from
    /// `BASE/server` (plain HTTP allowed) and must list a key the entry names.
    @Test func aPeersFileEntryComesFirstAndMustNameAListedKey() async throws {
        let peers = try PeersFile(
            parsing: """
                b.example http://10.0.0.5:8080/dialogue/v1 \(fingerprint(oldKey).text(kind: .serverKey))
                c.example http://10.0.0.6:8080/dialogue/v1 \(fingerprint(newKey).text(kind: .serverKey))

                """)
        web.serve("http://10.0.0.5:8080/dialogue/v1/server", try document(base: "http://10.0.0.5:8080/dialogue/v1"))
        web.serve(
            "http://10.0.0.6:8080/dialogue/v1/server",
            try document(domain: "c.example", base: "http://10.0.0.6:8080/dialogue/v1"))
        let directory = DiscoveringPeerDirectory(peers: peers, fetcher: web, clock: clock)
        #expect(try await directory.document(of: "b.example").baseURL.text == "http://10.0.0.5:8080/dialogue/v1")
        await #expect(throws: DiscoveryError.self) { try await directory.document(of: "c.example") }
        #expect(!web.gets.contains { $0.contains(".well-known") })
    }

    /// Spec: [dlv-discovery-cache] — a document is cached at most 24 hours and never past its expiry;
    /// a failure is cached for a short while, then tried again.
    @Test func documentsAndFailuresAreCachedWithinTheirLimits() async throws {
        let url = "https://b.example/.well-known/dialogue-server"
        web.serve(url, try document())
        let directory = DiscoveringPeerDirectory(peers: nil, fetcher: web, clock: clock, failureLifetime: 60)
        _ = try await directory.document(of: "b.example")
        clock.advance(by: 86_400)
        _ = try await directory.document(of: "b.example")
        #expect(web.gets.count == 1, "cached for 24 hours")
        clock.advance(by: 1)
        _ = try await directory.document(of: "b.example")
        #expect(web.gets.count == 2, "refetched after 24 hours")
        // A document that expires within the day is not used past its expiry.
        clock.advance(by: 86_401)
        web.serve(url, try document(expires: clock.now() + 100))
        _ = try await directory.document(of: "b.example")
        #expect(web.gets.count == 3)
        clock.advance(by: 101)
        web.serve(url, PeerResponse(status: 503))
        await #expect(throws: DiscoveryError.self) { try await directory.document(of: "b.example") }
        #expect(web.gets.count == 4, "not used past its expiry")
        await #expect(throws: DiscoveryError.self) { try await directory.document(of: "b.example") }
        #expect(web.gets.count == 4, "the failure is cached")
        web.serve(url, try document())
        clock.advance(by: 60)
        _ = try await directory.document(of: "b.example")
        #expect(web.gets.count == 5, "and tried again after its lifetime")
    }

    /// Spec: [dlv-discovery-cache] — a fingerprint the cached document does not list makes one refetch,
    /// at most once a minute per domain, so that a rollover is seen at once.
    @Test func anUnknownFingerprintRefetchesAtMostOnceAMinute() async throws {
        let url = "https://b.example/.well-known/dialogue-server"
        web.serve(url, try document())
        let directory = DiscoveringPeerDirectory(peers: nil, fetcher: web, clock: clock)
        #expect(await directory.serverKey(of: "b.example", fingerprint: fingerprint(oldKey), at: clock.now()) != nil)
        #expect(web.gets.count == 1)
        #expect(await directory.serverKey(of: "b.example", fingerprint: fingerprint(newKey), at: clock.now()) == nil)
        #expect(web.gets.count == 2)
        web.serve(url, try document(keys: [oldKey, newKey]))
        #expect(await directory.serverKey(of: "b.example", fingerprint: fingerprint(newKey), at: clock.now()) == nil)
        #expect(web.gets.count == 2, "not twice within a minute")
        clock.advance(by: 60)
        let key = await directory.serverKey(of: "b.example", fingerprint: fingerprint(newKey), at: clock.now())
        #expect(key?.key == newKey.publicKey)
        #expect(web.gets.count == 3)
        // A listed key outside its validity is unknown-key without a refetch.
        #expect(await directory.serverKey(of: "b.example", fingerprint: fingerprint(newKey), at: 20_000_000) == nil)
        #expect(web.gets.count == 3)
    }
}

extension DiscoveringPeerDirectoryTests {
    /// Spec: [dlv-discovery-self] — a served domain resolves to the server itself, with no fetch, even
    /// when the peers file does not list it; a peers-file entry for it still comes first.
    @Test func aServedDomainResolvesToItselfWithoutAFetch() async throws {
        let own = DiscoveringPeerDirectory.OwnServer(domains: ["a.example"]) { _ in
            try ServerDocument(
                verifying: try self.document(domain: "a.example", base: "http://127.0.0.1:9/dialogue/v1").body,
                domain: "a.example", now: 1_000_000, allowingHTTP: true)
        }
        let peers = try PeersFile(
            parsing: Array(
                "b.example https://mail.b.example/dialogue/v1 \(fingerprint(oldKey).text(kind: .serverKey))\n".utf8))
        let directory = DiscoveringPeerDirectory(peers: peers, fetcher: web, clock: clock, own: own)
        let found = try await directory.document(of: "a.example")
        #expect(found.baseURL.text == "http://127.0.0.1:9/dialogue/v1")
        #expect(web.gets.isEmpty, "no fetch for the server's own domain")
        let key = await directory.serverKey(of: "a.example", fingerprint: fingerprint(oldKey), at: 1_000_000)
        #expect(key != nil, "its own key attributes its own requests")
        // Another domain is still discovered as before.
        await #expect(throws: DiscoveryError.self) { try await directory.document(of: "c.example") }
        #expect(web.gets == ["https://c.example/.well-known/dialogue-server"])
    }
}
