internal import DialogueCBOR
internal import DialogueCrypto
public import DialogueIdentifiers

/// What the sender signs: the whole message except the content of its parts
/// (Spec: messages.md#msg-manifest).
public struct Manifest: Hashable, Sendable {
    /// Encrypted or public; the same as the envelope's.
    public var mode: MessageMode
    /// The sender's address, one of the card's addresses.
    public var senderAddress: Address
    /// The sender's card.
    public var senderCard: IdentityCard
    /// The recipients, in the sender's order.
    public var recipients: [Recipient]
    /// The sender's date, seconds since 1970.
    public var date: UInt64
    /// The headers; `subject` is the subject.
    public var headers: [String: String]
    /// The parts, in order.
    public var parts: [PartDescriptor]
    /// Identifiers of the messages this one answers.
    public var inReplyTo: [ContentIdentifier]
    /// Identifiers of the thread's earlier messages, oldest first.
    public var references: [ContentIdentifier]
    /// The envelope's ephemeral X25519 public key `E` (encrypted mode only).
    public var ephemeralKey: [UInt8]?
    /// The key commitment (encrypted mode only).
    public var keyCommitment: [UInt8]?

    /// The subject, if the message has one.
    public var subject: String? { headers["subject"] }

    /// Creates a manifest.
    public init(
        mode: MessageMode,
        senderAddress: Address,
        senderCard: IdentityCard,
        recipients: [Recipient],
        date: UInt64,
        headers: [String: String],
        parts: [PartDescriptor],
        inReplyTo: [ContentIdentifier],
        references: [ContentIdentifier],
        ephemeralKey: [UInt8]?,
        keyCommitment: [UInt8]?
    ) {
        self.mode = mode
        self.senderAddress = senderAddress
        self.senderCard = senderCard
        self.recipients = recipients
        self.date = date
        self.headers = headers
        self.parts = parts
        self.inReplyTo = inReplyTo
        self.references = references
        self.ephemeralKey = ephemeralKey
        self.keyCommitment = keyCommitment
    }

    /// The canonical encoding.
    public func encoded() -> [UInt8] {
        var entries: [CBORValue.MapEntry] = [
            .init(key: 0, value: 1),
            .init(key: 1, value: .unsigned(mode.rawValue)),
            .init(key: 2, value: .text(senderAddress.text)),
            .init(key: 3, value: .bytes(senderCard.encodedBytes)),
            .init(
                key: 4,
                value: .array(
                    recipients.map {
                        .map([
                            .init(key: 0, value: .text($0.address.text)),
                            .init(key: 1, value: .unsigned($0.role.rawValue)),
                            .init(key: 2, value: .bytes($0.encryptionKey.rawRepresentation)),
                        ])
                    }
                )
            ),
            .init(key: 5, value: .unsigned(date)),
            .init(key: 6, value: .map(headers.map { .init(key: .text($0.key), value: .text($0.value)) })),
            .init(
                key: 7,
                value: .array(
                    parts.map {
                        .map([
                            .init(key: 0, value: .text($0.mediaType)),
                            .init(key: 1, value: .text($0.fileName)),
                            .init(key: 2, value: .unsigned($0.size)),
                            .init(key: 3, value: .bytes($0.key)),
                            .init(key: 4, value: .array($0.chunks.map { .bytes($0.binaryRepresentation) })),
                        ])
                    }
                )
            ),
            .init(key: 8, value: .array(inReplyTo.map { .bytes($0.binaryRepresentation) })),
            .init(key: 9, value: .array(references.map { .bytes($0.binaryRepresentation) })),
        ]
        if let ephemeralKey { entries.append(.init(key: 10, value: .bytes(ephemeralKey))) }
        if let keyCommitment { entries.append(.init(key: 11, value: .bytes(keyCommitment))) }
        return Schema.encode(.map(entries))
    }

    /// Decodes a manifest and its sender's card, checking structure, version and limits
    /// (Spec: [msg-manifest-decode], [msg-limits]; steps 7 and 8 of messages.md#msg-open).
    ///
    /// The signature and the consistency rules are checked by ``SignedManifest``.
    public init(decoding bytes: ArraySlice<UInt8>) throws(MessageError) {
        let node = try Schema.decode(bytes, "manifest")
        try Schema.requireVersion(node, "manifest")
        var mode = MessageMode.encrypted
        var sender: Address?
        var cardBytes: ArraySlice<UInt8> = []
        var recipients: [Recipient] = []
        var date: UInt64 = 0
        var headers: [String: String] = [:]
        var parts: [PartDescriptor] = []
        var inReplyTo: [ContentIdentifier] = []
        var references: [ContentIdentifier] = []
        var ephemeralKey: [UInt8]?
        var keyCommitment: [UInt8]?
        try Schema.map(node, "manifest") { (reader: inout CBORMapReader) throws(MessageError) in
            _ = try Schema.required(&reader, 0, "manifest version")
            let modeValue = try Schema.unsigned(Schema.required(&reader, 1, "manifest mode"), "manifest mode")
            guard let decodedMode = MessageMode(rawValue: modeValue) else {
                throw MessageError(.unsupportedVersion, "manifest mode \(modeValue) is not 0 or 1")
            }
            mode = decodedMode
            sender = try Schema.address(Schema.required(&reader, 2, "sender address"), "sender address")
            cardBytes = try Schema.bytes(Schema.required(&reader, 3, "sender card"), "sender card")
            let recipientNodes = try Schema.array(
                Schema.required(&reader, 4, "recipients"), "recipients", maximumCount: MessageLimits.maximumRecipients
            )
            for node in recipientNodes { recipients.append(try Manifest.decodeRecipient(node)) }
            date = try Schema.unsigned(Schema.required(&reader, 5, "date"), "date")
            headers = try Manifest.decodeHeaders(Schema.required(&reader, 6, "headers"))
            let partNodes = try Schema.array(
                Schema.required(&reader, 7, "parts"), "parts", maximumCount: MessageLimits.maximumParts
            )
            var chunkTotal = 0
            for node in partNodes {
                let part = try Manifest.decodePart(node, chunkBudget: MessageLimits.maximumChunks - chunkTotal)
                chunkTotal += part.chunks.count
                parts.append(part)
            }
            inReplyTo = try Manifest.decodeReferences(Schema.required(&reader, 8, "in-reply-to"), "in-reply-to")
            references = try Manifest.decodeReferences(Schema.required(&reader, 9, "references"), "references")
            if mode == .encrypted {
                ephemeralKey = try Schema.bytes(
                    Schema.required(&reader, 10, "ephemeral key"), count: 32, "ephemeral key")
                keyCommitment = try Schema.bytes(
                    Schema.required(&reader, 11, "key commitment"), count: 32, "key commitment"
                )
            }
        }
        self.mode = mode
        self.senderAddress = sender!
        self.senderCard = try IdentityCard(decoding: cardBytes)
        self.recipients = recipients
        self.date = date
        self.headers = headers
        self.parts = parts
        self.inReplyTo = inReplyTo
        self.references = references
        self.ephemeralKey = ephemeralKey
        self.keyCommitment = keyCommitment
    }

    /// Checks the rules that relate fields to each other (Spec: [msg-manifest-consistency], [msg-bcc-separate]).
    func checkConsistency() throws(MessageError) {
        if mode == .encrypted && recipients.isEmpty {
            throw .malformed("an encrypted message has at least one recipient")
        }
        guard !Manifest.hasDuplicate(recipients, by: { $0.encryptionKey.rawRepresentation }) else {
            throw .malformed("two recipients have the same encryption key")
        }
        guard !Manifest.hasDuplicate(recipients, by: { $0.address.text.utf8 }) else {
            throw .malformed("two recipients have the same address")
        }
        guard recipients.filter({ $0.role == .bcc }).count <= 1 else {
            throw .malformed("a manifest lists at most one blind-copy recipient")
        }
        for (index, part) in parts.enumerated() {
            let expected = MessageLimits.chunkCount(forPartSize: part.size)
            guard UInt64(part.chunks.count) == expected else {
                throw .malformed(
                    "part \(index) of \(part.size) bytes lists \(part.chunks.count) chunks, not \(expected)")
            }
        }
    }

    /// Whether two recipients have the same bytes under `key`.
    ///
    /// A manifest may list 4,096 recipients and every reader checks them, so this puts 64-bit
    /// digests of the keys into a small open-addressing table instead of hashing every key into
    /// a `Set` with SipHash. Only keys whose digest repeats are then compared as bytes, so a
    /// digest collision (even a crafted one) is never taken for a duplicate and costs no more
    /// than the `Set` would.
    static func hasDuplicate<Key: Collection<UInt8>>(_ recipients: [Recipient], by key: (Recipient) -> Key) -> Bool {
        guard recipients.count > 1 else { return false }
        var capacity = 8
        while capacity < 2 * recipients.count { capacity *= 2 }
        let mask = capacity - 1
        var table = [UInt64](repeating: 0, count: capacity)
        var repeated: Set<UInt64> = []
        for recipient in recipients {
            let digest = Manifest.digest(key(recipient))
            var slot = Int(truncatingIfNeeded: digest) & mask
            while table[slot] != 0 && table[slot] != digest { slot = (slot + 1) & mask }
            if table[slot] == digest { repeated.insert(digest) }
            table[slot] = digest
        }
        guard !repeated.isEmpty else { return false }
        var seen = Set<[UInt8]>()
        for recipient in recipients where repeated.contains(Manifest.digest(key(recipient))) {
            guard seen.insert(Array(key(recipient))).inserted else { return true }
        }
        return false
    }

    /// A fast 64-bit digest of a key, eight bytes at a time (not cryptographic: see
    /// ``hasDuplicate(_:by:)``); never 0, which marks an empty slot of the table.
    private static func digest(_ bytes: some Collection<UInt8>) -> UInt64 {
        bytes.withContiguousStorageIfAvailable { digest(UnsafeRawBufferPointer($0)) }
            ?? Array(bytes).withUnsafeBytes(digest)
    }

    private static func digest(_ buffer: UnsafeRawBufferPointer) -> UInt64 {
        var state = UInt64(truncatingIfNeeded: buffer.count) &* 0x9e37_79b9_7f4a_7c15
        var offset = 0
        while offset < buffer.count {
            var word: UInt64 = 0
            if buffer.count - offset >= 8 {
                word = buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            } else {
                for index in offset..<buffer.count { word |= UInt64(buffer[index]) << ((index - offset) * 8) }
            }
            state = (state ^ word) &* 0xbf58_476d_1ce4_e5b9
            state ^= state >> 31
            offset += 8
        }
        state = state &* 0x94d0_49bb_1331_11eb
        return max(1, state ^ (state >> 29))
    }

    /// Checks the limits that a decoder enforces (Spec: [msg-limits]), so that a sealer never signs
    /// a manifest that its readers would reject.
    func checkLimits() throws(MessageError) {
        guard recipients.count <= MessageLimits.maximumRecipients else {
            throw .limits("\(recipients.count) recipients; at most \(MessageLimits.maximumRecipients) are allowed")
        }
        guard headers.count <= MessageLimits.maximumHeaders else {
            throw .limits("\(headers.count) headers; at most \(MessageLimits.maximumHeaders) are allowed")
        }
        for (name, value) in headers { try HeaderRules.check(name: name, value: value) }
        guard parts.count <= MessageLimits.maximumParts else {
            throw .limits("\(parts.count) parts; at most \(MessageLimits.maximumParts) are allowed")
        }
        var chunkTotal = 0
        for part in parts {
            try HeaderRules.check(mediaType: part.mediaType, fileName: part.fileName)
            chunkTotal += part.chunks.count
        }
        guard chunkTotal <= MessageLimits.maximumChunks else {
            throw .limits("\(chunkTotal) chunks; at most \(MessageLimits.maximumChunks) are allowed in one message")
        }
        guard inReplyTo.count <= MessageLimits.maximumReferences, references.count <= MessageLimits.maximumReferences
        else {
            throw .limits("in-reply-to and references hold at most \(MessageLimits.maximumReferences) identifiers each")
        }
    }

    private static func decodeRecipient(_ node: CBORNode) throws(MessageError) -> Recipient {
        try Schema.map(node, "recipient") { (reader: inout CBORMapReader) throws(MessageError) in
            let address = try Schema.address(Schema.required(&reader, 0, "recipient address"), "recipient address")
            let roleValue = try Schema.unsigned(Schema.required(&reader, 1, "recipient role"), "recipient role")
            guard let role = Recipient.Role(rawValue: roleValue) else {
                throw .malformed("recipient role \(roleValue) is not 0, 1 or 2")
            }
            let key = try Schema.slice(Schema.required(&reader, 2, "recipient key"), count: 32, "recipient key")
            return Recipient(address: address, role: role, encryptionKey: try! X25519.PublicKey(rawRepresentation: key))
        }
    }

    private static func decodeHeaders(_ node: CBORNode) throws(MessageError) -> [String: String] {
        let entries = try Schema.reading("headers") { () throws(CBORError) in try node.map() }
        guard entries.count <= MessageLimits.maximumHeaders else {
            throw .limits("\(entries.count) headers; at most \(MessageLimits.maximumHeaders) are allowed")
        }
        var headers: [String: String] = [:]
        for entry in entries {
            let name = try Schema.text(entry.key, "header name")
            let value = try Schema.text(entry.value, "header value")
            try HeaderRules.check(name: name, value: value)
            headers[name] = value
        }
        return headers
    }

    private static func decodePart(_ node: CBORNode, chunkBudget: Int) throws(MessageError) -> PartDescriptor {
        try Schema.map(node, "part") { (reader: inout CBORMapReader) throws(MessageError) in
            let mediaType = try Schema.text(Schema.required(&reader, 0, "media type"), "media type")
            let fileName = try Schema.text(Schema.required(&reader, 1, "file name"), "file name")
            try HeaderRules.check(mediaType: mediaType, fileName: fileName)
            let size = try Schema.unsigned(Schema.required(&reader, 2, "part size"), "part size")
            let key = try Schema.bytes(Schema.required(&reader, 3, "part key"), count: 32, "part key")
            let chunkNodes = try Schema.array(
                Schema.required(&reader, 4, "chunks"), "chunks", maximumCount: max(0, chunkBudget)
            )
            var chunks: [ContentIdentifier] = []
            chunks.reserveCapacity(chunkNodes.count)
            for node in chunkNodes { chunks.append(try Schema.identifier(node, "chunk identifier", kind: .blob)) }
            guard !chunks.isEmpty else { throw .malformed("a part has at least one chunk") }
            return PartDescriptor(mediaType: mediaType, fileName: fileName, size: size, key: key, chunks: chunks)
        }
    }

    private static func decodeReferences(_ node: CBORNode, _ what: String) throws(MessageError) -> [ContentIdentifier] {
        let nodes = try Schema.array(node, what, maximumCount: MessageLimits.maximumReferences)
        var identifiers: [ContentIdentifier] = []
        for node in nodes { identifiers.append(try Schema.identifier(node, what, kind: .message)) }
        return identifiers
    }
}
