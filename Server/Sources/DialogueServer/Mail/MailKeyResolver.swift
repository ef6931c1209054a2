public import DialogueCrypto
public import DialogueDelivery
public import DialogueIdentifiers
public import DialogueMessages
public import DialogueServerStorage

/// Finds the key a signed request names (Spec: [dlv-request-verify] step 5): a user's current identity
/// key from the account store, another server's key from the peer directory.
public struct MailKeyResolver: RequestKeyResolver {
    private let accounts: any AccountStore
    private let peers: any PeerDirectory
    private let clock: any ServerClock

    /// Creates a resolver.
    public init(accounts: any AccountStore, peers: any PeerDirectory, clock: any ServerClock) {
        self.accounts = accounts
        self.peers = peers
        self.clock = clock
    }

    /// The identity key of the account with `address`.
    public func identityKey(of address: Address) async -> Ed25519.VerifyingKey? {
        guard let account = try? await accounts.account(address.text) else { return nil }
        return try? Ed25519.VerifyingKey(rawRepresentation: account.identityKey)
    }

    /// The key of `domain`'s document with this fingerprint; the verifier checks its validity at `created`.
    public func serverKey(of domain: String, fingerprint: ContentIdentifier) async -> ServerKeyValidity? {
        if let key = await peers.serverKey(of: domain, fingerprint: fingerprint, at: clock.now()) { return key }
        // A key no longer valid now may still have been valid at the request's `created`.
        guard let document = try? await peers.document(of: domain),
            let key = document.keys.first(where: { $0.fingerprint == fingerprint })
        else { return nil }
        return ServerKeyValidity(key: key.publicKey, validFrom: key.validFrom, validUntil: key.validUntil)
    }
}
