internal import DialogueCBOR
internal import DialogueCrypto
internal import DialogueIdentifiers
internal import DialogueMessages

/// The event log's hash chain (Spec: [trust-store-log]):
///
/// ```
/// hash(n) = BLAKE2b-256("dialogue-v1/trust-event" || 0x00 || [n, time, address, kind, detail, hash(n-1)])
/// hash(0) = the store identifier
/// ```
enum TrustEventChain {
    static func hash(
        sequence: UInt64, time: UInt64, address: String, kind: String, detail: String, previous: [UInt8]
    ) -> [UInt8] {
        let encoded = Schema.encode(
            .array([
                .unsigned(sequence), .unsigned(time), .text(address), .text(kind), .text(detail), .bytes(previous),
            ])
        )
        return BLAKE2b256.hash(Schema.signatureInput(.trustEvent, encoded))
    }

    static func make(
        sequence: UInt64, time: UInt64, address: String, kind: String, detail: String, previous: [UInt8]
    ) -> TrustEvent {
        TrustEvent(
            sequence: sequence, time: time, address: address, kind: kind, detail: detail, previousHash: previous,
            hash: hash(sequence: sequence, time: time, address: address, kind: kind, detail: detail, previous: previous)
        )
    }

    /// The first problem in the chain, or `nil` when every entry links to the one before.
    static func verify(_ events: [TrustEvent], genesis: [UInt8]) -> String? {
        var previous = genesis
        for (index, event) in events.enumerated() {
            guard event.sequence == UInt64(index + 1) else {
                return "event log: entry \(index + 1) is missing (found \(event.sequence))"
            }
            guard event.previousHash == previous else {
                return "event log: entry \(event.sequence) does not link to the entry before it"
            }
            let expected = hash(
                sequence: event.sequence, time: event.time, address: event.address, kind: event.kind,
                detail: event.detail, previous: event.previousHash
            )
            guard expected == event.hash else { return "event log: entry \(event.sequence) was altered" }
            previous = event.hash
        }
        return nil
    }
}

/// The kinds of event the engine logs.
enum TrustEventKind {
    static let pinned = "pinned"
    static let keyChange = "key-change"
    static let rotated = "rotated"
    static let revoked = "revoked"
    static let conflict = "conflict"
    static let statementRejected = "statement-rejected"
    static let statementHeld = "statement-held"
    static let chain = "chain"
    static let downgrade = "downgrade"
    static let superseded = "superseded-key"
    static let verified = "verified"
    static let acceptedChange = "accepted-change"
    static let withdrawn = "verification-withdrawn"
    static let blocked = "blocked"
    static let unblocked = "unblocked"
}
