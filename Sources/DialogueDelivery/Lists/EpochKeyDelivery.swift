internal import DialogueCBOR
public import DialogueCrypto
public import DialogueIdentifiers
public import DialogueMessages

/// The epoch secret keys the owner gives a member, signed by the list key (Spec: lists.md#list-keys).
///
/// ```
/// list-keys-body = { 0: 1, 1: list, 2: [+ { 0: epoch, 1: public key, 2: secret key }], 3: created }
/// list-keys = [ bstr (body), bstr .size 64 ]    ; signed by the list key
/// ```
///
/// It travels as the one part, of media type ``mediaType``, of an ordinary message from the list
/// to its members ([list-keys-to-members]), so the format, trust and delivery rules of mail carry it.
public struct EpochKeyDelivery: Sendable {
    /// The largest delivery, in bytes (Spec: [list-keys-verify] step 1).
    public static let maximumSize = 131_072
    /// The most epoch keys one delivery carries.
    public static let maximumEpochs = 1024
    /// The media type of the message part that carries a delivery.
    public static let mediaType = "application/dialogue-list-keys"

    /// The list's address.
    public let list: Address
    /// The epoch keys, in strictly increasing order of epoch.
    public let epochs: [EpochKey]
    /// When it was signed, in seconds since 1970.
    public let created: UInt64
    /// The delivery exactly as received or issued: `[body, signature]`. It holds the epoch secret
    /// keys: keep it as a secret, as the member's key store keeps the keys.
    public let encodedBytes: [UInt8]

    /// Issues a delivery signed with the list's identity key.
    ///
    /// - Throws: `malformed` or `limits-exceeded` for a delivery a verifier would reject at steps 1 to 4.
    public init(list: Address, epochs: [EpochKey], created: UInt64, signingKey: Ed25519.SigningKey)
        throws(DeliveryError)
    {
        let keys: [CBORValue] = epochs.map { key in
            let secret = key.secretKey.rawRepresentation.withUnsafeBytes { Array($0) }
            return .map([
                .init(key: 0, value: .unsigned(key.epoch)),
                .init(key: 1, value: .bytes(key.publicKey.rawRepresentation)),
                .init(key: 2, value: .bytes(secret)),
            ])
        }
        let body = DeliveryWire.encode([
            .init(key: 0, value: 1), .init(key: 1, value: .text(list.text)), .init(key: 2, value: .array(keys)),
            .init(key: 3, value: .unsigned(created)),
        ])
        let signature = signingKey.signature(for: DeliveryWire.signatureInput(.listKeys, body))
        self = try EpochKeyDelivery.parse(DeliveryWire.encodeSigned(body: body, signature: signature)).delivery
    }

    /// Decodes and verifies a delivery in the order of [list-keys-verify], reporting the first failure.
    ///
    /// - Parameters:
    ///   - list: The list the verifier expected (step 6).
    ///   - listKey: The list key the member pinned from the list's card (step 5).
    ///   - now: The verifier's clock (step 8).
    public init(verifying bytes: some Collection<UInt8>, list: Address, listKey: Ed25519.VerifyingKey, now: UInt64)
        throws(DeliveryError)
    {
        let parsed = try EpochKeyDelivery.parse(Array(bytes))
        let delivery = parsed.delivery
        try DeliveryWire.checkSignature(
            parsed.signature, by: listKey, context: .listKeys, body: parsed.body,
            "the epoch keys' signature does not verify under the list key")
        guard delivery.list == list else {
            throw DeliveryError(.addressMismatch, "the epoch keys are of \(delivery.list), not \(list)")
        }
        for key in delivery.epochs where key.secretKey.publicKey != key.publicKey {
            throw DeliveryError(
                .authenticationFailed, "the public key of epoch \(key.epoch) is not the public key of its secret key")
        }
        try DeliveryWire.checkCreated(delivery.created, now: now, "the epoch keys")
        self = delivery
    }

    /// The key of `epoch`, or `nil` when the delivery does not carry it.
    public func key(for epoch: UInt64) -> EpochKey? { epochs.first { $0.epoch == epoch } }

    private init(list: Address, epochs: [EpochKey], created: UInt64, encodedBytes: [UInt8]) {
        self.list = list
        self.epochs = epochs
        self.created = created
        self.encodedBytes = encodedBytes
    }

    /// Steps 1 to 4 of [list-keys-verify].
    private static func parse(_ encoded: [UInt8]) throws(DeliveryError) -> (
        delivery: EpochKeyDelivery, body: ArraySlice<UInt8>, signature: [UInt8]
    ) {
        let (delivery, body, signature) = try DeliveryWire.parseSigned(encoded, maximumSize: maximumSize, "epoch keys")
        {
            (map) throws(DeliveryError) in
            let list = try map.address(1, "list")
            var epochs: [EpochKey] = []
            for element in try map.array(2, "epoch keys", maximumCount: maximumEpochs) {
                epochs.append(
                    try element.deliveryFields("epoch key") { (key) throws(DeliveryError) in
                        let epoch = try key.unsigned(0, "epoch")
                        let publicKey = try DeliveryWire.x25519PublicKey(
                            try key.bytes(1, count: 32, "public key"), "epoch key public key")
                        let secret = try key.bytes(2, count: 32, "secret key")
                        guard let secretKey = try? X25519.PrivateKey(rawRepresentation: secret) else {
                            throw .malformed("an epoch's secret key must be 32 bytes")
                        }
                        return EpochKey(epoch: epoch, publicKey: publicKey, secretKey: secretKey)
                    })
            }
            return EpochKeyDelivery(
                list: list, epochs: epochs, created: try map.unsigned(3, "created"), encodedBytes: encoded)
        }
        guard !delivery.epochs.isEmpty else { throw .malformed("an epoch-key delivery carries at least one key") }
        for (earlier, later) in zip(delivery.epochs, delivery.epochs.dropFirst()) where later.epoch <= earlier.epoch {
            throw .malformed(
                "epoch \(later.epoch) follows epoch \(earlier.epoch): epochs are in strictly increasing order")
        }
        return (delivery, body, signature)
    }
}
