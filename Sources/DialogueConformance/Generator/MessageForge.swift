/// Builds envelopes by hand, from the CBOR encoder and the primitives, with a hook at every stage
/// so that each tamper reaches exactly the check it is meant for (Spec: messages.md#msg-open).
struct MessageForge {
    struct Recipient {
        var address: String
        var role: UInt64
        var key: [UInt8]
    }

    var mode: UInt64 = 0
    var senderSeed: [UInt8]
    var senderAddress: String
    var senderCard: [UInt8]
    var recipients: [Recipient]
    var date: UInt64 = 1_700_000_100
    var headers: [(String, String)] = [("subject", "Hello")]
    var parts: [Construct.Part] = []
    var inReplyTo: [[UInt8]] = []
    var references: [[UInt8]] = []
    var messageKey: [UInt8]
    var ephemeralSecret: [UInt8]
    /// The public keys the stanzas are for, in stanza order; by default every recipient, in order.
    var sealTo: [[UInt8]]?

    // Hooks, in the order they apply.
    var manifestEntries: ((inout Entries) -> Void)?
    var manifestBytes: (([UInt8]) -> [UInt8])?
    var signatureContext = "dialogue-v1/manifest"
    var signingSeed: [UInt8]?
    var signature: (([UInt8]) -> [UInt8])?
    var signedManifest: (([UInt8]) -> [UInt8])?
    var sealedManifest: (([UInt8]) -> [UInt8])?
    /// Replaces `E` in the envelope and the manifest (the stanzas then hold filler).
    var ephemeralPublic: [UInt8]?
    /// Re-encodes the real `E` (for example with bit 255 set); the stanzas stay valid.
    var ephemeralEncoding: (([UInt8]) -> [UInt8])?
    var stanzas: ((inout [[UInt8]]) -> Void)?
    var envelopeEntries: ((inout Entries) -> Void)?
    var envelopeBytes: (([UInt8]) -> [UInt8])?

    init(from sender: Identity, to recipients: [Identity], label: String) {
        senderSeed = sender.seed
        senderAddress = sender.addresses[0]
        senderCard = sender.card
        self.recipients = recipients.map { Recipient(address: $0.addresses[0], role: 0, key: $0.encryptionKey) }
        messageKey = Seeds.bytes("message/\(label)/K")
        ephemeralSecret = Seeds.bytes("message/\(label)/e")
        parts = [
            Construct.part(
                Array("Hi \(label)".utf8), key: Seeds.bytes("message/\(label)/P0"),
                mediaType: "text/plain; charset=utf-8")
        ]
    }

    var ephemeralKey: [UInt8] {
        if let ephemeralPublic { return ephemeralPublic }
        let real = Construct.publicKey(x25519: ephemeralSecret)
        return ephemeralEncoding?(real) ?? real
    }
    var commitment: [UInt8] { Array(Construct.identifier("dialogue-v1/key-commitment", messageKey).dropFirst()) }

    func manifest() -> [UInt8] {
        var entries = Entries(items: [
            (0, C.uint(1)), (1, C.uint(mode)), (2, C.text(senderAddress)), (3, C.bstr(senderCard)),
            (
                4,
                C.array(
                    recipients.map { C.intMap([(0, C.text($0.address)), (1, C.uint($0.role)), (2, C.bstr($0.key))]) }
                )
            ),
            (5, C.uint(date)), (6, C.map(headers.map { (C.text($0.0), C.text($0.1)) })),
            (7, C.array(parts.map { $0.entries.encoded })), (8, C.array(inReplyTo.map(C.bstr))),
            (9, C.array(references.map(C.bstr))),
        ])
        if mode == 0 {
            entries[10] = C.bstr(ephemeralKey)
            entries[11] = C.bstr(commitment)
        }
        manifestEntries?(&entries)
        let bytes = entries.encoded
        return manifestBytes?(bytes) ?? bytes
    }

    func signed() -> [UInt8] {
        let manifest = manifest()
        var signature = Construct.sign(seed: signingSeed ?? senderSeed, context: signatureContext, manifest)
        if let hook = self.signature { signature = hook(signature) }
        let bytes = C.array([C.bstr(manifest), C.bstr(signature)])
        return signedManifest?(bytes) ?? bytes
    }

    func stanzaList() -> [[UInt8]] {
        let keys = sealTo ?? recipients.map(\.key)
        let headerE = ephemeralKey
        var list: [[UInt8]] = []
        for (index, key) in keys.enumerated() {
            if ephemeralPublic == nil, let shared = Construct.x25519(ephemeralSecret, key) {
                let wrap = Construct.hkdf(ikm: shared, salt: headerE + key, info: "dialogue-v1/stanza")
                list.append(Construct.seal(key: wrap, nonce: Construct.zeroNonce, messageKey))
            } else {
                list.append(Seeds.bytes("filler-stanza/\(index)", count: 48))
            }
        }
        stanzas?(&list)
        return list
    }

    func envelope() -> [UInt8] {
        let signed = signed()
        var entries: Entries
        if mode == 0 {
            let headerKey = Construct.hkdf(ikm: messageKey, salt: [], info: "dialogue-v1/header-key")
            var sealed = Construct.seal(key: headerKey, nonce: Construct.zeroNonce, signed)
            if let hook = sealedManifest { sealed = hook(sealed) }
            entries = Entries(items: [
                (0, C.uint(1)), (1, C.uint(0)), (2, C.bstr(sealed)), (3, C.bstr(ephemeralKey)),
                (4, C.array(stanzaList().map(C.bstr))), (5, C.bstr(commitment)),
            ])
        } else {
            entries = Entries(items: [(0, C.uint(1)), (1, C.uint(mode)), (2, C.bstr(signed))])
        }
        envelopeEntries?(&entries)
        let bytes = entries.encoded
        return envelopeBytes?(bytes) ?? bytes
    }

    /// The message identifier of the signed manifest, binary.
    var messageID: [UInt8] { Construct.identifier("dialogue-v1/message", signed()) }
}

extension Array where Element == UInt8 {
    /// A copy with the byte at `index` (negative: from the end) XORed with `mask`.
    func flipping(_ index: Int, _ mask: UInt8 = 0x01) -> [UInt8] {
        var copy = self
        let position = index >= 0 ? index : count + index
        copy[position] ^= mask
        return copy
    }
}
