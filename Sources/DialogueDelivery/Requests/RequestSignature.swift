/// The three header field values a profile signer sends, and the signature base it signed
/// (Spec: delivery.md#dlv-request):
///
/// ```
/// Content-Digest: sha-256=:BASE64(SHA-256(body)):
/// Signature-Input: dlg=("@method" "@target-uri" "content-digest");created=C;expires=E;nonce="N";keyid="K";tag="dialogue-v1"
/// Signature: dlg=:BASE64(signature):
/// ```
public struct RequestSignature: Hashable, Sendable {
    /// The value of `Content-Digest`.
    public let contentDigest: String
    /// The value of `Signature-Input`.
    public let signatureInput: String
    /// The value of `Signature`.
    public let signature: String
    /// What was signed.
    public let signatureBase: SignatureBase

    /// The three field lines, to add to the request.
    public var fields: [RequestHead.Field] {
        [
            RequestHead.Field("Content-Digest", contentDigest), RequestHead.Field("Signature-Input", signatureInput),
            RequestHead.Field("Signature", signature),
        ]
    }
}
