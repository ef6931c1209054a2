internal import DialogueCBOR

/// The blob that carries the stanzas and the sealed, signed manifest (Spec: messages.md#msg-envelope).
public struct Envelope: Hashable, Sendable {
    /// The size of one stanza: a 32-byte key and a 16-byte tag.
    public static let stanzaSize = 48

    /// Encrypted or public.
    public var mode: MessageMode
    /// Encrypted: the sealed signed manifest; public: the signed manifest.
    public var payload: [UInt8]
    /// The ephemeral X25519 public key `E` (encrypted mode).
    public var ephemeralKey: [UInt8]?
    /// The stanzas, 48 bytes each (encrypted mode).
    public var stanzas: [[UInt8]]
    /// The key commitment (encrypted mode).
    public var keyCommitment: [UInt8]?

    /// Creates an envelope.
    public init(
        mode: MessageMode, payload: [UInt8], ephemeralKey: [UInt8]?, stanzas: [[UInt8]], keyCommitment: [UInt8]?
    ) {
        self.mode = mode
        self.payload = payload
        self.ephemeralKey = ephemeralKey
        self.stanzas = stanzas
        self.keyCommitment = keyCommitment
    }

    /// The canonical encoding, which is the envelope blob.
    public func encoded() -> [UInt8] {
        var entries: [CBORValue.MapEntry] = [
            .init(key: 0, value: 1),
            .init(key: 1, value: .unsigned(mode.rawValue)),
            .init(key: 2, value: .bytes(payload)),
        ]
        if mode == .encrypted {
            entries.append(.init(key: 3, value: .bytes(ephemeralKey ?? [])))
            entries.append(.init(key: 4, value: .array(stanzas.map { .bytes($0) })))
            entries.append(.init(key: 5, value: .bytes(keyCommitment ?? [])))
        }
        return Schema.encode(.map(entries))
    }

    /// Decodes an envelope blob: steps 1 to 3 of messages.md#msg-open, in that order. The version
    /// and mode are read before the rest of the layout (Spec: [msg-envelope-version]).
    public init(decoding bytes: [UInt8]) throws(MessageError) {
        let fields = try Fields(decoding: bytes)
        self.init(
            mode: fields.mode, payload: Array(fields.payload), ephemeralKey: fields.ephemeralKey.map(Array.init),
            stanzas: fields.stanzas.map(Array.init), keyCommitment: fields.keyCommitment.map(Array.init)
        )
    }

    /// An envelope's fields as slices of the blob, checked as ``init(decoding:)`` checks them.
    /// The opener reads these: an envelope to 1,000 recipients then costs no copy of its
    /// stanzas or its sealed manifest.
    struct Fields {
        var mode = MessageMode.encrypted
        var payload: ArraySlice<UInt8> = []
        var ephemeralKey: ArraySlice<UInt8>?
        var stanzas: [ArraySlice<UInt8>] = []
        var keyCommitment: ArraySlice<UInt8>?

        private init() {}

        init(decoding bytes: [UInt8]) throws(MessageError) {
            guard bytes.count <= MessageLimits.maximumEnvelopeSize else {
                throw .limits("an envelope has at most \(MessageLimits.maximumEnvelopeSize) bytes, not \(bytes.count)")
            }
            let node = try Schema.decode(bytes[...], "envelope")
            try Schema.requireVersion(node, "envelope")
            var stanzaCount = 0
            self = try Schema.map(node, "envelope") { (reader: inout CBORMapReader) throws(MessageError) in
                var fields = Fields()
                _ = try Schema.required(&reader, 0, "envelope version")
                let modeValue = try Schema.unsigned(Schema.required(&reader, 1, "envelope mode"), "envelope mode")
                guard let decodedMode = MessageMode(rawValue: modeValue) else {
                    throw MessageError(.unsupportedVersion, "envelope mode \(modeValue) is not 0 or 1")
                }
                fields.mode = decodedMode
                fields.payload = try Schema.bytes(Schema.required(&reader, 2, "envelope payload"), "envelope payload")
                guard fields.mode == .encrypted else { return fields }
                fields.ephemeralKey = try Schema.slice(
                    Schema.required(&reader, 3, "ephemeral key"), count: 32, "ephemeral key")
                let stanzaNodes = try Schema.reading("stanzas") { () throws(CBORError) in
                    try reader.required(4).array()
                }
                guard !stanzaNodes.isEmpty else { throw .malformed("an encrypted envelope has at least one stanza") }
                stanzaCount = stanzaNodes.count
                fields.stanzas.reserveCapacity(min(stanzaCount, MessageLimits.maximumRecipients))
                for node in stanzaNodes {
                    let stanza = try Schema.bytes(node, "stanza")
                    guard stanza.count == Envelope.stanzaSize else {
                        throw .malformed("a stanza must be \(Envelope.stanzaSize) bytes, not \(stanza.count)")
                    }
                    // Past the limit the count is reported in step 3; nothing more is kept.
                    if stanzaCount <= MessageLimits.maximumRecipients { fields.stanzas.append(stanza) }
                }
                fields.keyCommitment = try Schema.slice(
                    Schema.required(&reader, 5, "key commitment"), count: 32, "key commitment")
                return fields
            }
            // Step 3 comes after the layout of step 1 (Spec: [msg-open-order]).
            guard stanzaCount <= MessageLimits.maximumRecipients else {
                throw .limits("\(stanzaCount) stanzas; at most \(MessageLimits.maximumRecipients) are allowed")
            }
        }
    }
}
