/// X25519 key agreement (RFC 7748), with the all-zero shared secret rejected.
///
/// ```swift
/// let alice = X25519.PrivateKey()
/// let bob = X25519.PrivateKey()
/// let secret = try alice.sharedSecret(with: bob.publicKey)  // equals bob's with alice.publicKey
/// ```
///
/// Public keys are taken as RFC 7748 defines them: the top bit is ignored, values of `u` at or
/// above 2^255 - 19 are reduced, and points on the twist are accepted. A public key that makes the
/// shared secret all zeros (a low-order point) is rejected with
/// ``CryptoError/Code/weakPublicKey`` (Spec: primitives.md#prim-x25519-zero).
public enum X25519 {
    /// The length of a private key, a public key and a shared secret: 32 bytes.
    public static let keyByteCount = 32
}
