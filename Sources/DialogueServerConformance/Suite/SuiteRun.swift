internal import DialogueCrypto
internal import DialogueDelivery
internal import DialogueIdentifiers
internal import DialogueMessages
internal import Foundation

/// One run of the server suite: its checks in order, and what earlier checks produced for later ones
/// (the server's document, an accepted submission, an inbox entry).
final class SuiteRun {
    let client: SuiteClient
    let peer: FakePeer
    let credentials: SuiteCredentials
    let deliveryTimeout: Double
    let progress: (ServerCheckResult) -> Void
    private(set) var results: [ServerCheckResult] = []

    /// The two test accounts, as request signers.
    let user: SuiteSigner
    let otherUser: SuiteSigner
    /// The peer, as a server signing requests.
    let peerSigner: SuiteSigner
    /// Two recipients at the peer, whose keys the suite holds to acknowledge as they would.
    let bob: SuiteCredentials.Account
    let carol: SuiteCredentials.Account

    // What the checks produce for later ones.
    var document: ServerDocument?
    var submission: Submission?
    var inboxEntry: String?
    var inboxCursor: String?
    var notification: DialogueDelivery.Notification?

    /// The message the suite sends: an envelope, for bob and carol at the peer, and one chunk.
    let envelope = SuiteRun.randomBytes(3_000)
    let chunk = SuiteRun.randomBytes(100_000)
    /// The message the peer announces to the first account, held by the peer.
    let incoming = SuiteRun.randomBytes(2_000)

    init(
        client: SuiteClient, peer: FakePeer, credentials: SuiteCredentials, deliveryTimeout: Double,
        progress: @escaping (ServerCheckResult) -> Void
    ) throws {
        self.client = client
        self.peer = peer
        self.credentials = credentials
        self.deliveryTimeout = deliveryTimeout
        self.progress = progress
        user = SuiteSigner(
            keyID: RequestKeyID(user: credentials.user.address, fingerprint: credentials.user.card.fingerprint),
            key: credentials.user.signingKey)
        otherUser = SuiteSigner(
            keyID: RequestKeyID(
                user: credentials.otherUser.address, fingerprint: credentials.otherUser.card.fingerprint),
            key: credentials.otherUser.signingKey)
        peerSigner = SuiteSigner(
            keyID: try RequestKeyID(server: credentials.peerDomain, fingerprint: credentials.peerKeyFingerprint),
            key: credentials.peerKey)
        let now = SuiteRun.now()
        bob = try SuiteRun.recipient("bob@" + credentials.peerDomain, now: now)
        carol = try SuiteRun.recipient("carol@" + credentials.peerDomain, now: now)
        peer.add(blob: incoming)
    }

    /// Every check, in the order they build on each other.
    func all() async {
        await discovery()
        await requestSignatures()
        await sending()
        await receiving()
        await lists()
    }

    // MARK: Running checks

    /// Runs one check and records its outcome.
    func check(_ anchor: String, _ name: String, _ body: () async throws -> Void) async {
        let result: ServerCheckResult
        do {
            try await body()
            result = ServerCheckResult(anchor: anchor, name: name, status: .passed, detail: "")
        } catch let failure as CheckFailure {
            result = ServerCheckResult(anchor: anchor, name: name, status: .failed, detail: failure.reason)
        } catch let skipped as CheckSkipped {
            result = ServerCheckResult(anchor: anchor, name: name, status: .skipped, detail: skipped.reason)
        } catch {
            result = ServerCheckResult(anchor: anchor, name: name, status: .failed, detail: "\(error)")
        }
        results.append(result)
        progress(result)
    }

    // MARK: Requests

    /// A request to the server under test, signed by `signer` unless it is `nil`.
    func send(
        _ method: String, _ path: String, body: [UInt8]? = nil, contentType: String? = nil,
        as signer: SuiteSigner? = nil, defect: SuiteSigner.Defect = .none, extra: [(String, String)] = []
    ) async throws -> SuiteAnswer {
        try await client.send(
            method, path, body: body, contentType: contentType, signer: signer, defect: defect, extra: extra,
            now: SuiteRun.now())
    }

    /// A signed CBOR `POST`.
    func post(_ path: String, cbor body: [UInt8], as signer: SuiteSigner, defect: SuiteSigner.Defect = .none)
        async throws -> SuiteAnswer
    {
        try await send("POST", path, body: body, contentType: "application/cbor", as: signer, defect: defect)
    }

    /// `PUT /blobs/{id}` of `bytes` by the first account.
    func upload(_ bytes: [UInt8], as id: ContentIdentifier? = nil) async throws -> SuiteAnswer {
        let id = id ?? SuiteRun.blobID(bytes)
        return try await send(
            "PUT", "/blobs/" + id.text(kind: .blob), body: bytes, contentType: "application/octet-stream", as: user)
    }

    /// A notification from `dave@PEER` (or `sender`) to `recipient`, signed by the peer's key.
    func peerNotification(
        to recipient: Address, blob: [UInt8], sender: String? = nil, created: UInt64? = nil, lifetime: UInt64 = 86_400,
        key: Ed25519.SigningKey? = nil
    ) throws -> DialogueDelivery.Notification {
        let created = created ?? SuiteRun.now()
        return try DialogueDelivery.Notification(
            sender: try Address(canonical: sender ?? "dave@" + credentials.peerDomain), recipient: recipient,
            envelope: SuiteRun.blobID(blob), envelopeSize: UInt64(blob.count), messageSize: UInt64(blob.count),
            baseURL: try BaseURL(peer.baseURL), created: created, expires: created + lifetime,
            signingKey: key ?? credentials.peerKey)
    }

    /// Verifies a request that the server under test sent to the peer: signed by a key of its server
    /// document, valid now, over exactly the body received ([dlv-request-verify]).
    func verifyServerRequest(_ request: PeerRequest) async throws {
        let document = try needs(document, "the server document")
        let keys = document.keys.map {
            ServerKeyValidity(key: $0.publicKey, validFrom: $0.validFrom, validUntil: $0.validUntil)
        }
        let verifier = RequestVerifier(
            keys: StaticKeyResolver(users: [:], servers: [credentials.domain: keys]),
            nonces: MemoryNonceCache(startedAt: 0), clock: { SuiteRun.now() })
        let verified: VerifiedRequest
        do {
            verified = try await verifier.verify(request.head(origin: peer.origin), body: request.body)
        } catch {
            throw CheckFailure("the server's request to the peer does not verify: \(error)")
        }
        guard case .server(let domain) = verified.keyID.principal, domain == credentials.domain else {
            throw CheckFailure("the server's request is signed as \(verified.keyID), not as its domain's server")
        }
    }

    // MARK: Helpers

    static func now() -> UInt64 { UInt64(Date().timeIntervalSince1970) }

    static func blobID(_ bytes: [UInt8]) -> ContentIdentifier { ContentIdentifier.hashing(bytes, context: .blob) }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    static func recipient(_ address: String, now: UInt64) throws -> SuiteCredentials.Account {
        try SuiteCredentials.Account(
            address: try Address(canonical: address), signingSeed: randomBytes(32), encryptionSecret: randomBytes(32),
            created: now - 60)
    }
}
