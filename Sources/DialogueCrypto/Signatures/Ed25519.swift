/// Ed25519 signatures (RFC 8032, PureEdDSA over edwards25519), with libsodium's strict
/// verification rules.
///
/// Signing is deterministic: the same key and message always give the same signature.
/// Verification uses `crypto_sign_verify_detached`, which rejects a signature whose `S` is not
/// below the group order, whose `R` is a small-order point, and any public key that is a
/// small-order point or not canonically encoded (Spec: primitives.md#prim-ed25519-strict).
///
/// ```swift
/// let key = Ed25519.SigningKey()
/// let signature = key.signature(for: message)
/// key.publicKey.isValidSignature(signature, for: message)  // true
/// ```
public enum Ed25519 {
    /// The length of a seed (the secret key of RFC 8032): 32 bytes.
    public static let seedByteCount = 32

    /// The length of a public key: 32 bytes.
    public static let publicKeyByteCount = 32

    /// The length of a signature: 64 bytes (`R || S`).
    public static let signatureByteCount = 64
}
