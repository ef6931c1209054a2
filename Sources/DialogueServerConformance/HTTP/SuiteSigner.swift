public import DialogueCrypto
public import DialogueDelivery

/// Who signs a request of the suite, and how: normally as the profile says ([dlv-request-sign]); a
/// check of the server's refusals changes one thing at a time.
public struct SuiteSigner: Sendable {
    /// A deliberate defect of a signed request.
    public enum Defect: Sendable, Equatable {
        /// None: a request that follows the profile.
        case none
        /// Signed `seconds` in the past (or the future, when negative), with the longest lifetime.
        case signedAgo(Int64)
        /// One bit of the signature flipped.
        case flippedSignature
        /// The header field omitted (`signature-input`, `signature` or `content-digest`).
        case missingField(String)
        /// The digest and signature of other bytes than the body sent.
        case otherBody([UInt8])
        /// A nonce chosen by the check (to send it twice).
        case nonce(String)
    }

    /// The key identifier.
    public let keyID: RequestKeyID
    let key: Ed25519.SigningKey

    /// A signer for `keyID` with `key`.
    public init(keyID: RequestKeyID, key: Ed25519.SigningKey) {
        self.keyID = keyID
        self.key = key
    }

    /// The header fields of a request to `targetURI` with `body`, signed now, with `defect`.
    func fields(method: String, targetURI: String, body: [UInt8], now: UInt64, defect: Defect) throws
        -> [RequestHead.Field]
    {
        var created = now
        if case .signedAgo(let seconds) = defect { created = UInt64(Int64(now) - seconds) }
        var nonce = RequestSigner.randomNonce()
        if case .nonce(let chosen) = defect { nonce = chosen }
        var signed = body
        if case .otherBody(let other) = defect { signed = other }
        let signature = try RequestSigner(keyID: keyID, signingKey: key).sign(
            method: method, targetURI: targetURI, body: signed, created: created,
            expires: created + RequestProfile.maximumLifetime, nonce: nonce)
        var fields = signature.fields
        switch defect {
        case .missingField(let name):
            fields.removeAll { $0.name.lowercased() == name }
        case .flippedSignature:
            fields = fields.map { field in
                guard field.name.lowercased() == "signature" else { return field }
                return RequestHead.Field(field.name, SuiteSigner.flipOneBit(field.value))
            }
        default:
            break
        }
        return fields
    }

    /// `sig=:…:` with one bit of the 64 signature bytes flipped, still canonical base64.
    static func flipOneBit(_ value: String) -> String {
        guard let open = value.firstIndex(of: ":"), let close = value.lastIndex(of: ":"), open < close,
            var bytes = StrictBase64.decode(String(value[value.index(after: open)..<close]))
        else { return value + "x" }
        bytes[0] ^= 0x01
        return String(value[...open]) + StrictBase64.encode(bytes) + String(value[close...])
    }
}
