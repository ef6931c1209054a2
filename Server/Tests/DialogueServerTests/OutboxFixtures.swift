import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import DialogueServer
import DialogueServerStorage
import Synchronization

/// A pretend network of peer servers for the outbox: it records every request and answers as each
/// domain is told to, so tests count attempts exactly.
final class FakePeers: SignedRequestSending, PeerDirectory {
    /// How a peer answers.
    enum Behaviour: Sendable {
        /// Connection refused.
        case down
        /// This status, with an optional `Retry-After` and problem type.
        case answer(Int, retryAfter: UInt64? = nil, problem: String? = nil)
    }

    struct Request: Sendable {
        var url: String
        var body: [UInt8]
    }

    private struct State {
        var behaviour: [String: Behaviour] = [:]
        var requests: [Request] = []
    }

    private let state = Mutex(State())
    let serverKey = Fixtures.key("peer server")

    /// Sets how `domain` answers from now on (every domain answers `202` until told otherwise).
    func set(_ domain: String, _ behaviour: Behaviour) { state.withLock { $0.behaviour[domain] = behaviour } }

    /// Every request so far, in order.
    var requests: [Request] { state.withLock { $0.requests } }

    /// The requests that went to `domain`.
    func requests(to domain: String) -> [Request] { requests.filter { $0.url.hasPrefix("https://mail.\(domain)/") } }

    func post(_ body: [UInt8], to url: String) async throws -> PeerResponse {
        let behaviour = state.withLock { state -> Behaviour in
            state.requests.append(Request(url: url, body: body))
            let domain = url.dropFirst("https://mail.".count).prefix { $0 != "/" }
            return state.behaviour[String(domain)] ?? .answer(202)
        }
        switch behaviour {
        case .down: throw FakeNetworkError.connectionRefused
        case .answer(let status, let retryAfter, let problem):
            if let problem {
                return PeerResponse(
                    status: status, retryAfter: retryAfter, contentType: "application/problem+json",
                    body: Array(#"{"type":"urn:dialogue:problem:\#(problem)","status":\#(status)}"#.utf8))
            }
            return PeerResponse(status: status, retryAfter: retryAfter)
        }
    }

    func document(of domain: String) async throws -> ServerDocument {
        let key = try ServerKey(publicKey: serverKey.publicKey, validFrom: 0, validUntil: 10_000_000)
        return try ServerDocument(
            domain: domain, baseURL: BaseURL("https://mail.\(domain)/dialogue/v1"), keys: [key],
            signingKeys: [serverKey], created: 0, expires: 2_000_000, maximumMessageSize: 1 << 30,
            maximumRecipients: 100)
    }

    func serverKey(of domain: String, fingerprint: ContentIdentifier, at time: UInt64) async -> ServerKeyValidity? {
        nil
    }
}

enum FakeNetworkError: Error { case connectionRefused }

/// Keys, blobs and submissions for the server tests.
enum Fixtures {
    static func key(_ label: String) -> Ed25519.SigningKey {
        try! Ed25519.SigningKey(seed: BLAKE2b256.hash(Array("dialogue-server-tests/\(label)".utf8)))
    }

    static func blob(_ label: String) -> ContentIdentifier {
        ContentIdentifier.hashing(Array(label.utf8), context: .blob)
    }

    /// The identity of `a.example`'s server: one key valid for the tests' whole time range.
    static let identity = ServerIdentity(keys: [
        .init(signingKey: key("a.example server"), validFrom: 0, validUntil: 10_000_000)
    ])

    static let baseURL = try! BaseURL("https://mail.a.example/dialogue/v1")

    /// A submission of alice's to `recipients`, its envelope and chunk uploaded and held.
    static func submit(
        _ label: String, to recipients: [String], store: any MailStore, at time: UInt64 = 1_000,
        expires: UInt64 = 1_000_000
    ) async throws -> SubmissionRecord {
        let envelope = blob("envelope \(label)")
        let chunk = blob("chunk \(label)")
        try await store.recordUpload(envelope, size: 300, by: "alice@a.example", at: time)
        try await store.recordUpload(chunk, size: 5_000, by: "alice@a.example", at: time)
        let bytes = Array(label.utf8)
        let record = SubmissionRecord(
            id: ContentIdentifier.hashing(bytes, context: .submissionID), sender: "alice@a.example", bytes: bytes,
            created: time, expires: expires, accepted: time, chunks: [chunk],
            deliveries: recipients.map {
                DeliveryRecord(
                    recipient: $0, envelope: envelope,
                    fingerprint: ContentIdentifier.hashing(Array($0.utf8), context: .identityKey), stanzaIndex: 0)
            })
        _ = try await store.acceptSubmission(record)
        return record
    }
}
