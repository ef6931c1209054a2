internal import DialogueCBOR
public import DialogueCrypto
public import DialogueIdentifiers
public import DialogueMessages

/// A membership change or a key roll, signed by the list key (Spec: lists.md#list-event).
///
/// ```
/// list-event-body = { 0: 1, 1: list, 2: serial, 3: kind, 4: epoch, ? 5: epoch public key,
///                     ? 6: member, ? 7: member identity key, 8: created }
/// list-event = [ bstr (body), bstr .size 64 ]    ; signed by the list key
/// ```
///
/// Every event states the epoch that applies after it and, in an encrypted list, that epoch's
/// X25519 public key, the key authors seal to ([list-epoch-roll]).
public struct ListEvent: Hashable, Sendable {
    /// The largest event, in bytes (Spec: [list-event-verify] step 1).
    public static let maximumSize = 1024

    /// What the verifier knows of the list's previous event: its serial and the epoch after it.
    public struct Previous: Hashable, Sendable {
        /// The previous event's serial.
        public let serial: UInt64
        /// The list's epoch after the previous event.
        public let epoch: UInt64

        /// Describes a previous event.
        public init(serial: UInt64, epoch: UInt64) {
            self.serial = serial
            self.epoch = epoch
        }
    }

    /// The list's address.
    public let list: Address
    /// 1 for the list's first event, then one more for each event.
    public let serial: UInt64
    /// What the event records.
    public let kind: ListEventKind
    /// The list's epoch once this event applies.
    public let epoch: UInt64
    /// In an encrypted list, the X25519 public key of ``epoch``; `nil` in a public list.
    public let epochKey: X25519.PublicKey?
    /// The member joined, left or removed; `nil` for a key roll.
    public let member: Address?
    /// That member's Ed25519 identity key; `nil` for a key roll.
    public let memberKey: Ed25519.VerifyingKey?
    /// When it was signed, in seconds since 1970.
    public let created: UInt64
    /// The event exactly as received or issued: `[body, signature]`.
    public let encodedBytes: [UInt8]

    /// What the next event's verifier needs to know of this one.
    public var asPrevious: Previous { Previous(serial: serial, epoch: epoch) }

    /// Issues an event signed with the list's identity key.
    ///
    /// - Parameters:
    ///   - member: The member and its identity key, for every kind but ``ListEventKind/keyRolled``.
    ///   - epochKey: The epoch's public key in an encrypted list, `nil` in a public list.
    /// - Throws: `malformed` for an event a verifier would reject at steps 1 to 4.
    public init(
        list: Address, serial: UInt64, kind: ListEventKind, epoch: UInt64, epochKey: X25519.PublicKey?,
        member: (address: Address, key: Ed25519.VerifyingKey)?, created: UInt64, signingKey: Ed25519.SigningKey
    ) throws(DeliveryError) {
        var entries: [CBORValue.MapEntry] = [
            .init(key: 0, value: 1), .init(key: 1, value: .text(list.text)), .init(key: 2, value: .unsigned(serial)),
            .init(key: 3, value: .unsigned(kind.rawValue)), .init(key: 4, value: .unsigned(epoch)),
        ]
        if let epochKey { entries.append(.init(key: 5, value: .bytes(epochKey.rawRepresentation))) }
        if let member {
            entries.append(.init(key: 6, value: .text(member.address.text)))
            entries.append(.init(key: 7, value: .bytes(member.key.rawRepresentation)))
        }
        entries.append(.init(key: 8, value: .unsigned(created)))
        let body = DeliveryWire.encode(entries)
        let signature = signingKey.signature(for: DeliveryWire.signatureInput(.listEvent, body))
        self = try ListEvent.parse(DeliveryWire.encodeSigned(body: body, signature: signature)).event
    }

    /// Decodes and verifies an event in the order of [list-event-verify], reporting the first failure.
    ///
    /// - Parameters:
    ///   - list: The list's address, the descriptor's (step 6).
    ///   - listKey: The descriptor's list key (step 5).
    ///   - mode: The descriptor's mode, and `history` its history (step 7, [list-epoch-roll]).
    ///   - previous: The list's previous event, `nil` for the first (step 7).
    ///   - now: The verifier's clock (step 8).
    public init(
        verifying bytes: some Collection<UInt8>, list: Address, listKey: Ed25519.VerifyingKey, mode: ListMode,
        history: ListHistory, previous: Previous?, now: UInt64
    ) throws(DeliveryError) {
        let event = try ListEvent.signed(bytes, list: list, listKey: listKey)
        try event.checkSequence(mode: mode, history: history, previous: previous)
        try DeliveryWire.checkCreated(event.created, now: now, "the event")
        self = event
    }

    /// Decodes and verifies a list's latest event as an author that does not follow the index reads
    /// it from `GET /lists/{list}` (Spec: [list-ep-info-author]): steps 1 to 6 and 8 of
    /// [list-event-verify], and of step 7 the rules that need no previous event: key 5 is present
    /// exactly when the list is encrypted, and a public list's event is at epoch 0 and rolls no key.
    /// The serial and the epoch's succession need the previous event, which such an author does not
    /// have.
    ///
    /// - Parameters:
    ///   - list: The list's address, the descriptor's (step 6).
    ///   - listKey: The descriptor's list key (step 5).
    ///   - mode: The descriptor's mode.
    ///   - now: The verifier's clock (step 8).
    public init(
        verifyingLatest bytes: some Collection<UInt8>, list: Address, listKey: Ed25519.VerifyingKey, mode: ListMode,
        now: UInt64
    ) throws(DeliveryError) {
        let event = try ListEvent.signed(bytes, list: list, listKey: listKey)
        try event.checkEpochKeyPresence(mode: mode)
        if mode == .public { try event.checkPublicEpoch() }
        try DeliveryWire.checkCreated(event.created, now: now, "the event")
        self = event
    }

    /// Steps 1 to 6 of [list-event-verify]: the layout, the list key's signature, the list.
    private static func signed(_ bytes: some Collection<UInt8>, list: Address, listKey: Ed25519.VerifyingKey)
        throws(DeliveryError) -> ListEvent
    {
        let parsed = try ListEvent.parse(Array(bytes))
        try DeliveryWire.checkSignature(
            parsed.signature, by: listKey, context: .listEvent, body: parsed.body,
            "the event's signature does not verify under the list key")
        guard parsed.event.list == list else {
            throw DeliveryError(.addressMismatch, "the event is for \(parsed.event.list), not \(list)")
        }
        return parsed.event
    }

    /// Events are equal when their bytes are.
    public static func == (lhs: ListEvent, rhs: ListEvent) -> Bool { lhs.encodedBytes == rhs.encodedBytes }

    /// Hashes the bytes.
    public func hash(into hasher: inout Hasher) { hasher.combine(encodedBytes) }

    /// Step 7 of [list-event-verify]: the serial, the epoch key's presence, and [list-epoch-roll].
    private func checkSequence(mode: ListMode, history: ListHistory, previous: Previous?) throws(DeliveryError) {
        let expectedSerial = (previous?.serial ?? 0) &+ 1
        guard serial == expectedSerial else {
            throw .malformed("the event's serial is \(serial); the list's next serial is \(expectedSerial)")
        }
        try checkEpochKeyPresence(mode: mode)
        let expectedEpoch: UInt64
        if mode == .public {
            try checkPublicEpoch()
            expectedEpoch = 0
        } else if let previous {
            expectedEpoch = previous.epoch &+ (kind.rollsKey(history: history) ? 1 : 0)
        } else {
            expectedEpoch = 0
        }
        guard epoch == expectedEpoch else {
            throw .malformed(
                "a \(kind.name) event must bring the list to epoch \(expectedEpoch), not \(epoch) (list-epoch-roll)")
        }
    }

    /// A public list has no epochs: no key roll (step 7 of [list-event-verify]), and epoch 0.
    private func checkPublicEpoch() throws(DeliveryError) {
        guard kind != .keyRolled else { throw .malformed("a public list has no key to roll") }
        guard epoch == 0 else {
            throw .malformed("a public list's event must be at epoch 0, not \(epoch) (list-epoch-roll)")
        }
    }

    /// Key 5 is present exactly when the list is encrypted (step 7 of [list-event-verify]).
    private func checkEpochKeyPresence(mode: ListMode) throws(DeliveryError) {
        guard (epochKey != nil) == (mode == .encrypted) else {
            throw .malformed(
                mode == .encrypted
                    ? "an event of an encrypted list must carry its epoch's public key"
                    : "an event of a public list carries no epoch key")
        }
    }

    private init(fields: Fields, encodedBytes: [UInt8]) {
        self.list = fields.list
        self.serial = fields.serial
        self.kind = fields.kind
        self.epoch = fields.epoch
        self.epochKey = fields.epochKey
        self.member = fields.member
        self.memberKey = fields.memberKey
        self.created = fields.created
        self.encodedBytes = encodedBytes
    }

    private struct Fields {
        var list: Address
        var serial: UInt64
        var kind: ListEventKind
        var epoch: UInt64
        var epochKey: X25519.PublicKey?
        var member: Address?
        var memberKey: Ed25519.VerifyingKey?
        var created: UInt64
    }

    /// Steps 1 to 4 of [list-event-verify].
    private static func parse(_ encoded: [UInt8]) throws(DeliveryError) -> (
        event: ListEvent, body: ArraySlice<UInt8>, signature: [UInt8]
    ) {
        let (fields, body, signature) = try DeliveryWire.parseSigned(encoded, maximumSize: maximumSize, "list event") {
            (map) throws(DeliveryError) in
            let list = try map.address(1, "list")
            let serial = try map.unsigned(2, "serial")
            let kind = try map.choice(3, "kind", as: ListEventKind.self)
            let epoch = try map.unsigned(4, "epoch")
            let epochKey = try map.optionalBytes(5, count: 32, "epoch key")
            let member = try map.optionalAddress(6, "member")
            let memberKey = try map.optionalBytes(7, count: 32, "member key")
            return Fields(
                list: list, serial: serial, kind: kind, epoch: epoch,
                epochKey: try epochKey.map { (raw) throws(DeliveryError) in
                    try DeliveryWire.x25519PublicKey(raw, "list event body epoch key")
                }, member: member,
                memberKey: try memberKey.map { (raw) throws(DeliveryError) in
                    try DeliveryWire.verifyingKey(raw, "list event body member key")
                }, created: try map.unsigned(8, "created"))
        }
        guard (fields.member != nil) == fields.kind.namesMember, (fields.memberKey != nil) == fields.kind.namesMember
        else {
            throw .malformed(
                fields.kind.namesMember
                    ? "a \(fields.kind.name) event names its member and the member's key (keys 6 and 7)"
                    : "a key-rolled event names no member")
        }
        guard fields.serial > 0 else { throw .malformed("an event's serial is at least 1") }
        return (ListEvent(fields: fields, encodedBytes: encoded), body, signature)
    }
}
