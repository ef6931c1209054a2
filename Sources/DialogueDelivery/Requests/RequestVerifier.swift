internal import DialogueCrypto
internal import DialogueIdentifiers

/// Verifies signed requests under the profile, in the order of [dlv-request-verify], reporting
/// the first failure (Spec: delivery.md#dlv-request-verify).
///
/// 1. The three header fields, each once, at most 1,024 bytes, strict RFC 8941 dictionaries
///    (``ReceivedSignature``): `limits-exceeded`, `malformed`.
/// 2. The profile (``ReceivedSignature``): `malformed`.
/// 3. The `keyid` (``RequestKeyID``): `malformed`.
/// 4. The times ([dlv-request-time]): `created < expires ≤ created + 300`, else `malformed`;
///    `created − 60 ≤ now ≤ expires + 60`, else `expired`.
/// 5. The key (``RequestKeyResolver``): `unknown-key`.
/// 6. The signature over the ``SignatureBase``: `bad-signature`.
/// 7. The nonce ([dlv-request-replay], ``NonceCache``): `replayed`; the pair is recorded only
///    here, after the signature verified.
/// 8. The body, by ``VerifiedRequest/checkBody(digest:)``: `authentication-failed`.
public struct RequestVerifier: Sendable {
    private let keys: any RequestKeyResolver
    private let nonces: any NonceCache
    private let clock: @Sendable () -> UInt64

    /// Creates a verifier.
    ///
    /// - Parameters:
    ///   - keys: Where the users' and the servers' keys come from (step 5).
    ///   - nonces: The replay cache (step 7).
    ///   - clock: The verifier's clock, in seconds since 1970-01-01T00:00:00Z, read once per request.
    public init(keys: any RequestKeyResolver, nonces: any NonceCache, clock: @escaping @Sendable () -> UInt64) {
        self.keys = keys
        self.nonces = nonces
        self.clock = clock
    }

    /// Runs steps 1 to 7 on a request's head; the caller runs step 8 on the body with the result.
    ///
    /// - Throws: ``DeliveryError``, the class of the first step that fails.
    public func verify(_ request: RequestHead) async throws(DeliveryError) -> VerifiedRequest {
        let now = clock()
        let received = try ReceivedSignature(request)
        let keyID = try RequestKeyID(parsing: received.keyID)
        let (created, expires) = (received.created, received.expires)
        guard created < expires, expires - created <= RequestProfile.maximumLifetime else {
            throw .malformed("the lifetime \(created)...\(expires) is not created < expires ≤ created + 300")
        }
        // `expires` has at most 15 digits (RFC 8941), so `expires + 60` cannot overflow; `now`
        // comes from the clock and is not added to.
        let early = created > now ? created - now : 0
        guard early <= RequestProfile.clockSkew, now <= expires + RequestProfile.clockSkew else {
            throw DeliveryError(.expired, "now (\(now)) is outside \(created) − 60 ... \(expires) + 60")
        }
        let key = try await resolve(keyID, at: created)
        let base = try SignatureBase(request: request, covering: received.signatureInput)
        guard key.isValidSignature(received.signature, for: base.bytes) else {
            throw DeliveryError(.badSignature, "the signature does not verify under \(keyID)")
        }
        let entry = NonceCacheEntry(keyID: received.keyID, nonce: received.nonce, created: created, expires: expires)
        guard await nonces.admit(entry, now: now) else {
            throw DeliveryError(.replayed, "the nonce \(received.nonce) of \(keyID) was accepted before")
        }
        return VerifiedRequest(
            keyID: keyID, label: received.label, created: created, expires: expires, nonce: received.nonce,
            contentDigest: received.contentDigest)
    }

    /// Runs all eight steps on a request whose body is held whole.
    ///
    /// - Throws: ``DeliveryError``, the class of the first step that fails.
    public func verify(_ request: RequestHead, body: some Sequence<UInt8>) async throws(DeliveryError)
        -> VerifiedRequest
    {
        let verified = try await verify(request)
        try verified.checkBody(body)
        return verified
    }

    /// Step 5: the key the fingerprint names, for a user its current identity key, for a server a
    /// key of its document valid at `created` ([dlv-server-key-validity]).
    private func resolve(_ keyID: RequestKeyID, at created: UInt64) async throws(DeliveryError)
        -> Ed25519.VerifyingKey
    {
        switch keyID.principal {
        case .user(let address):
            guard let key = await keys.identityKey(of: address),
                ContentIdentifier.hashing(key.rawRepresentation, context: .identityKey) == keyID.fingerprint
            else {
                throw DeliveryError(.unknownKey, "\(keyID) is not the current identity key of a user of this server")
            }
            return key
        case .server(let domain):
            guard let server = await keys.serverKey(of: domain, fingerprint: keyID.fingerprint),
                ContentIdentifier.hashing(server.key.rawRepresentation, context: .serverKey) == keyID.fingerprint
            else {
                throw DeliveryError(
                    .unknownKey, "\(domain)'s server document lists no key \(keyID.fingerprint.text(kind: .serverKey))")
            }
            guard server.isValid(at: created) else {
                throw DeliveryError(
                    .unknownKey,
                    "the key \(keyID) is valid \(server.validFrom)...\(server.validUntil), not at \(created)")
            }
            return server.key
        }
    }
}
