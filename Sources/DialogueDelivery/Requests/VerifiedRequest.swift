/// A request whose signature passed steps 1 to 7 of [dlv-request-verify]: who signed it, when,
/// and the digest its body must have (Spec: delivery.md#dlv-request-verify).
///
/// Step 8, the body, comes last, so that a server can stream a large body while it hashes it
/// and reject it at its end without having stored it:
///
/// ```swift
/// let verified = try await verifier.verify(head)
/// var hasher = ContentDigest.Hasher()
/// for try await chunk in body { hasher.update(chunk); /* write to a temporary file */ }
/// try verified.checkBody(digest: hasher.finalize())   // authentication-failed: discard the file
/// ```
public struct VerifiedRequest: Hashable, Sendable {
    /// Who signed.
    public let keyID: RequestKeyID
    /// The signature's label.
    public let label: String
    /// `created`.
    public let created: UInt64
    /// `expires`.
    public let expires: UInt64
    /// `nonce`.
    public let nonce: String
    /// The `Content-Digest` the body must match.
    public let contentDigest: ContentDigest

    /// Step 8 for a body hashed as it streamed.
    ///
    /// - Throws: ``DeliveryError`` `authentication-failed` when `digest` is not the
    ///   `Content-Digest` that was signed.
    public func checkBody(digest: ContentDigest) throws(DeliveryError) {
        guard digest == contentDigest else {
            throw DeliveryError(.authenticationFailed, "the body's SHA-256 is not the signed Content-Digest")
        }
    }

    /// Step 8 for a body held whole.
    ///
    /// - Throws: ``DeliveryError`` `authentication-failed` when the body's SHA-256 is not the
    ///   signed `Content-Digest`.
    public func checkBody(_ body: some Sequence<UInt8>) throws(DeliveryError) {
        try checkBody(digest: ContentDigest(body: body))
    }
}
