public import DialogueCrypto

/// One epoch's X25519 key pair, as an epoch-key delivery carries it (Spec: lists.md#list-keys).
///
/// Posts of the epoch are sealed to ``publicKey``; a member opens them with ``secretKey``
/// as the list's recipient key.
public struct EpochKey: Sendable {
    /// The epoch.
    public let epoch: UInt64
    /// The epoch's public key, as the event that started the epoch announced it.
    public let publicKey: X25519.PublicKey
    /// The epoch's secret key.
    public let secretKey: X25519.PrivateKey

    /// An epoch's key pair; the public key is the secret key's.
    public init(epoch: UInt64, secretKey: X25519.PrivateKey) {
        self.epoch = epoch
        self.publicKey = secretKey.publicKey
        self.secretKey = secretKey
    }

    /// A fresh key pair for `epoch`, drawn from the system's secure generator for that epoch alone
    /// (Spec: [list-epoch-fresh]).
    public static func generate(epoch: UInt64) -> EpochKey { EpochKey(epoch: epoch, secretKey: X25519.PrivateKey()) }

    /// A pair as received, whose public key the delivery's verification compares with the secret's.
    init(epoch: UInt64, publicKey: X25519.PublicKey, secretKey: X25519.PrivateKey) {
        self.epoch = epoch
        self.publicKey = publicKey
        self.secretKey = secretKey
    }
}
