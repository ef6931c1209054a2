public import DialogueCrypto
internal import DialogueIdentifiers

/// Signs requests under the profile: exactly the three header values that
/// [dlv-request](delivery.md#dlv-request) pins (Spec: delivery.md#dlv-request).
///
/// ```swift
/// let signer = try RequestSigner(keyID: keyID, signingKey: identityKey)
/// let signature = try signer.sign(
///     method: "POST", targetURI: "https://mail.example.org/dialogue/v1/submissions", body: submission,
///     created: now, expires: now + 300, nonce: RequestSigner.randomNonce())
/// ```
public struct RequestSigner: Sendable {
    /// Who signs.
    public let keyID: RequestKeyID
    private let signingKey: Ed25519.SigningKey

    /// Creates a signer.
    ///
    /// - Throws: ``DeliveryError`` `malformed` when `keyID`'s fingerprint is not that of
    ///   `signingKey` (under `dialogue-v1/identity-key` for a user, `dialogue-v1/server-key` for a
    ///   server): such a request could never verify.
    public init(keyID: RequestKeyID, signingKey: Ed25519.SigningKey) throws(DeliveryError) {
        let context: DomainContext
        switch keyID.principal {
        case .user: context = .identityKey
        case .server: context = .serverKey
        }
        guard ContentIdentifier.hashing(signingKey.publicKey.rawRepresentation, context: context) == keyID.fingerprint
        else { throw .malformed("the keyid \(keyID) does not name the signing key") }
        self.keyID = keyID
        self.signingKey = signingKey
    }

    /// Signs one request.
    ///
    /// - Parameters:
    ///   - method: The method, an RFC 9110 token (`POST`).
    ///   - targetURI: The absolute URI the request is sent to ([dlv-request-target]): printable
    ///     ASCII without spaces.
    ///   - body: The body exactly as sent; empty for a body-less request.
    ///   - created: The signing time.
    ///   - expires: At most 300 seconds after `created`, and after it.
    ///   - nonce: 16 to 64 characters of `A-Z a-z 0-9 - _`, never used before by this key
    ///     (``randomNonce()``).
    /// - Throws: ``DeliveryError`` `malformed` for an input outside the profile.
    public func sign(
        method: String, targetURI: String, body: some Sequence<UInt8>, created: UInt64, expires: UInt64, nonce: String
    ) throws(DeliveryError) -> RequestSignature {
        guard !method.isEmpty, method.utf8.allSatisfy(RequestSigner.isTokenCharacter) else {
            throw .malformed("the method '\(method)' is not a token")
        }
        guard !targetURI.isEmpty, targetURI.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
            throw .malformed("the target URI holds a space, a control character or non-ASCII")
        }
        guard created < expires, expires - created <= RequestProfile.maximumLifetime else {
            throw .malformed("the lifetime \(created)...\(expires) is not created < expires ≤ created + 300")
        }
        guard RequestProfile.isNonce(nonce) else {
            throw .malformed("the nonce is not 16 to 64 characters of A-Z a-z 0-9 - _")
        }
        guard expires <= 999_999_999_999_999 else {
            throw .malformed("a time beyond RFC 8941's integers")
        }
        let digest = ContentDigest(body: body).fieldValue
        let input = StructuredInnerList(
            RequestProfile.components.map { StructuredItem(.string($0)) },
            parameters: StructuredParameters([
                .init("created", .integer(Int64(created))), .init("expires", .integer(Int64(expires))),
                .init("nonce", .string(nonce)), .init("keyid", .string(keyID.text)),
                .init("tag", .string(RequestProfile.tag)),
            ])
        )
        let head = RequestHead(
            method: method, targetURI: targetURI, fields: [RequestHead.Field("content-digest", digest)])
        let base = try SignatureBase(request: head, covering: input)
        let signature = signingKey.signature(for: base.bytes).rawRepresentation
        let label = RequestProfile.label
        return RequestSignature(
            contentDigest: digest, signatureInput: label + "=" + input.serialized,
            signature: label + "=:" + StrictBase64.encode(signature) + ":", signatureBase: base)
    }

    /// A fresh nonce: 16 random bytes in unpadded base64url, 22 characters.
    public static func randomNonce() -> String {
        let text = StrictBase64.encode(SecureRandom.bytes(count: 16))
        return String(
            text.unicodeScalars.compactMap { scalar -> Character? in
                switch scalar {
                case "+": return "-"
                case "/": return "_"
                case "=": return nil
                default: return Character(scalar)
                }
            })
    }

    /// RFC 9110's `tchar`.
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5a, 0x61...0x7a: return true
        default: return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}
