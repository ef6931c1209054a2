public import DialogueCrypto
public import DialogueIdentifiers
public import DialogueMessages

/// Where a verifier finds the key a request names (Spec: delivery.md#dlv-request-verify, step 5).
///
/// A home server knows its users' identity keys from their registered cards; it knows other
/// servers' keys from their server documents ([dlv-discovery]). An implementation that caches
/// documents SHOULD fetch a document again when asked for a fingerprint it does not list
/// ([dlv-discovery-cache]), which is why the fingerprint is part of the question.
public protocol RequestKeyResolver: Sendable {
    /// The current identity key of this server's user with `address`, or `nil` when there is no
    /// such user.
    func identityKey(of address: Address) async -> Ed25519.VerifyingKey?

    /// The key of `domain`'s server document whose fingerprint is `fingerprint`, with its
    /// validity, or `nil` when the document lists no such key (or none is held).
    func serverKey(of domain: String, fingerprint: ContentIdentifier) async -> ServerKeyValidity?
}

/// A resolver over fixed lists of users and server keys, for tests, conformance vectors and small
/// deployments whose accounts are known in advance.
public struct StaticKeyResolver: RequestKeyResolver {
    private let users: [Address: Ed25519.VerifyingKey]
    private let servers: [String: [ServerKeyValidity]]

    /// Creates a resolver: each user's current identity key, and the keys of each domain's server
    /// document.
    public init(users: [Address: Ed25519.VerifyingKey], servers: [String: [ServerKeyValidity]]) {
        self.users = users
        self.servers = servers
    }

    /// The listed key of `address`.
    public func identityKey(of address: Address) async -> Ed25519.VerifyingKey? { users[address] }

    /// The first listed key of `domain` with this fingerprint.
    public func serverKey(of domain: String, fingerprint: ContentIdentifier) async -> ServerKeyValidity? {
        servers[domain]?.first {
            ContentIdentifier.hashing($0.key.rawRepresentation, context: .serverKey) == fingerprint
        }
    }
}
