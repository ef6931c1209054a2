/// `trust_replay.json`: histories of messages, statements and decisions, and what the user sees after
/// each event (Spec: trust.md). Every expected result is written here from the specification's
/// tables; the generator fails if the Swift engine disagrees.
enum TrustReplayVectors {
    /// The first receive time of every history (2023-11-16 02:00:00 UTC).
    static let t0: UInt64 = 1_700_100_000

    /// The severities of trust.md#trust-verdicts (`statement-problem` takes its problem's).
    static let severities: [String: String] = [
        "first-contact": "info", "known": "info", "verified": "info", "key-changed": "alarm", "rotated": "notice",
        "revoked": "alarm", "superseded-key": "alarm", "conflicting-statements": "alarm", "downgrade": "alarm",
        "unsigned": "notice", "blocked": "notice", "look-alike": "alarm", "shared-key": "notice",
    ]

    /// The result of a `message` or `unsigned` event.
    static func verdict(_ name: String, _ statements: [String] = [], duplicate: Bool = false, severity: String? = nil)
        -> JSONValue
    {
        guard let severity = severity ?? severities[name] else { preconditionFailure("no severity for \(name)") }
        return .object([
            ("verdict", .string(name)), ("severity", .string(severity)), ("duplicate", .bool(duplicate)),
            ("statements", .array(statements.map { .string($0) })),
        ])
    }

    /// A history being written: its events and the results the specification requires.
    final class History {
        var time: UInt64 = TrustReplayVectors.t0
        var events: [JSONValue] = []
        var results: [JSONValue] = []

        /// Sets the receive time of the next event (each event otherwise comes 60 seconds after the last).
        func at(_ time: UInt64) { self.time = time }

        private func add(_ event: [(String, JSONValue)], _ result: JSONValue) {
            events.append(.object([("type", event[0].1), ("received", .integer(Int64(time)))] + event.dropFirst()))
            results.append(result)
            time += 60
        }

        func message(
            _ who: Identity, as address: String? = nil, card: [UInt8]? = nil, id: String, date: UInt64? = nil,
            statements: [[UInt8]] = [], _ result: JSONValue
        ) {
            add(
                [
                    ("type", "message"), ("sender", .string(address ?? who.addresses[0])),
                    ("card", .string(Hex.encode(card ?? who.card))), ("message_id", .string(messageID(id))),
                    ("date", .integer(Int64(date ?? time))),
                    ("statements", .array(statements.map { .string(Hex.encode($0)) })),
                ], result)
        }

        func unsigned(_ address: String, id: String, _ result: JSONValue) {
            add([("type", "unsigned"), ("address", .string(address)), ("message_id", .string(messageID(id)))], result)
        }

        func statement(_ bytes: [UInt8], _ outcome: String) {
            add(
                [("type", "statement"), ("statement", .string(Hex.encode(bytes)))],
                .object([("statements", .array([.string(outcome)]))]))
        }

        func decide(_ decision: String, _ address: String, fingerprint: Identity? = nil, _ result: String = "ok") {
            var event: [(String, JSONValue)] = [
                ("type", "decision"), ("decision", .string(decision)), ("address", .string(address)),
            ]
            if let fingerprint { event.append(("fingerprint", .string(TrustReplayVectors.fingerprint(fingerprint)))) }
            add(event, .object([("decision", .string(result))]))
        }

        func verify(_ address: String, _ key: Identity, _ result: String = "ok") {
            decide("verify", address, fingerprint: key, result)
        }

        func input(skew: UInt64) -> JSONValue {
            .object([("clock_skew", .integer(Int64(skew))), ("events", .array(events))])
        }
    }

    static func messageID(_ label: String) -> String {
        "msg-"
            + IdentifierVectors.base32(Construct.identifier("dialogue-v1/message", Array("trust-replay/\(label)".utf8)))
    }

    static func fingerprint(_ identity: Identity) -> String {
        "key-" + IdentifierVectors.base32(identity.fingerprintBinary)
    }

    // The cast: several keys for alice@example.org, a substitute key, and other contacts.
    static let alice1 = Identity("trust/alice-1", addresses: ["alice@example.org"])
    static let alice2 = Identity("trust/alice-2", addresses: ["alice@example.org"])
    static let alice3 = Identity("trust/alice-3", addresses: ["alice@example.org"])
    static let alice4 = Identity("trust/alice-4", addresses: ["alice@example.org"])
    /// Another key presenting a card for alice@example.org: an impostor, or a new device.
    static let substitute = Identity("trust/substitute", addresses: ["alice@example.org"])
    static let bob1 = Identity("trust/bob-1", addresses: ["bob@example.net", "robert@example.net"])
    static let bob2 = Identity("trust/bob-2", addresses: ["bob@example.net", "robert@example.net"])
    static let carol = Identity("trust/carol", addresses: ["carol@example.com"])
    static let dave = Identity("trust/dave", addresses: ["dave@example.net"])

    static let alice = "alice@example.org"

    /// A rotation between two identities' keys, created an hour before the first event, valid 90 days.
    static func rotation(
        _ old: Identity, _ new: Identity, _ addresses: [String] = [alice], sequence: UInt64 = 1, previous: [UInt8] = [],
        created: UInt64 = t0 - 3600, expires: UInt64? = nil
    ) -> Statement.Rotation {
        Statement.Rotation(
            addresses: addresses, old: old.seed, new: new.seed, sequence: sequence, previous: previous,
            created: created, expires: expires ?? created + 90 * 86_400)
    }

    static func revocation(_ identity: Identity, reason: String = "key compromised", created: UInt64 = t0 - 60)
        -> Statement.Revocation
    {
        Statement.Revocation(seed: identity.seed, created: created, reason: reason)
    }

    static func build() async throws -> VectorFile {
        let file = FileBuilder(
            "trust.replay", "Trust histories: the verdict, statement outcomes and decision results after each event")
        func history(
            _ comment: String, flags: [String] = [], spec: [String], skew: UInt64 = 600, _ write: (History) -> Void
        ) async throws {
            let history = History()
            write(history)
            try await file.valid(
                comment, flags: ["Valid"] + flags,
                spec: spec.contains("trust-severity") ? spec : spec + ["trust-severity"],
                input: history.input(skew: skew),
                expected: .object([("results", .array(history.results))]))
        }
        let r12 = rotation(alice1, alice2)
        let r23 = rotation(alice2, alice3, sequence: 2, previous: r12.hash)

        file.group("first contact and consistent use")
        try await history(
            "first contact pins the key quietly; later messages with it are known",
            spec: ["trust-first-contact", "trust-transitions", "trust-severity", "trust-never-reject"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(alice1, id: "m2", verdict("known"))
            h.message(alice1, id: "m3", verdict("known"))
        }
        try await history(
            "a card whose validity period ended changes no verdict: the key is pinned, not the card",
            spec: ["trust-first-contact", "trust-transitions"]
        ) { h in
            let expired = Identity("trust/alice-1", addresses: [alice], created: 1_600_000_000, expires: 1_650_000_000)
            h.message(expired, id: "m1", verdict("first-contact"))
            h.message(alice1, id: "m2", verdict("known"))
            h.message(expired, id: "m3", verdict("known"))
        }
        try await history(
            "a statement problem does not make a first contact worse: the verdict stays first-contact",
            spec: ["trust-observe-order", "trust-first-contact", "trust-statement-rules"]
        ) { h in
            h.message(alice1, id: "m1", statements: [[0x00]], verdict("first-contact", ["invalid"]))
        }

        file.group("duplicate deliveries (trust-duplicate)")
        try await history(
            "a message delivered again returns its first verdict and changes nothing, even after the state moved on",
            flags: ["Duplicate"], spec: ["trust-duplicate", "trust-observe-order", "trust-key-change"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(alice1, id: "m1", verdict("first-contact", duplicate: true))
            h.message(alice1, id: "m2", verdict("known"))
            h.message(alice1, id: "m1", verdict("first-contact", duplicate: true))
            h.message(substitute, id: "m3", verdict("key-changed"))
            h.decide("accept-change", alice)
            h.message(substitute, id: "m3", verdict("key-changed", duplicate: true))
            h.message(substitute, id: "m4", verdict("known"))
            h.decide("block", alice)
            h.message(alice1, id: "m2", verdict("known", duplicate: true))
        }
        try await history(
            "a duplicate does not process its statements again", flags: ["Duplicate", "Rotation"],
            spec: ["trust-duplicate", "trust-observe-order", "trust-replay"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(alice2, id: "m2", statements: [r12.bytes], verdict("rotated", ["applied"]))
            h.message(alice2, id: "m2", statements: [r12.bytes], verdict("rotated", duplicate: true))
            h.message(alice2, id: "m3", verdict("known"))
        }

        file.group("unexplained key changes (trust-key-change, trust-latch)")
        try await history(
            "key substitution without a statement: alarm, the pin is kept; an unverified binding does not latch",
            flags: ["KeyChange"], spec: ["trust-key-change", "trust-transitions", "trust-latch", "trust-decisions"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(substitute, id: "m2", verdict("key-changed"))
            h.message(alice1, id: "m3", verdict("known"))
            h.message(substitute, id: "m4", verdict("key-changed"))
            h.message(alice3, id: "m5", verdict("key-changed"))
            h.decide("accept-change", alice)
            h.message(alice3, id: "m6", verdict("known"))
            h.message(substitute, id: "m7", verdict("key-changed"))
            h.message(alice1, id: "m8", verdict("key-changed"))
        }
        try await history(
            "substitution after verification latches the alarm on every message, whatever its key, until the user acts",
            flags: ["KeyChange", "Latch", "Decision"],
            spec: ["trust-latch", "trust-key-change", "trust-transitions", "trust-decisions", "trust-verify-current"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.verify(alice, alice1)
            h.message(alice1, id: "m2", verdict("verified"))
            h.message(substitute, id: "m3", verdict("key-changed"))
            h.message(alice1, id: "m4", verdict("key-changed"))
            h.message(alice1, id: "m5", verdict("key-changed"))
            h.verify(alice, substitute, "outdated-fingerprint")
            h.message(alice1, id: "m6", verdict("key-changed"))
            h.verify(alice, alice1)
            h.message(alice1, id: "m7", verdict("verified"))
            h.message(substitute, id: "m8", verdict("key-changed"))
            h.decide("withdraw", alice)
            h.message(alice1, id: "m9", verdict("known"))
            h.message(substitute, id: "m10", verdict("key-changed"))
            h.decide("accept-change", alice)
            h.message(substitute, id: "m11", verdict("known"))
            h.decide("withdraw", alice, "not-verified")
        }
        try await history(
            "a latched alarm ends when the user accepts the change", flags: ["KeyChange", "Latch", "Decision"],
            spec: ["trust-latch", "trust-decisions"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.verify(alice, alice1)
            h.message(substitute, id: "m2", verdict("key-changed"))
            h.message(alice1, id: "m3", verdict("key-changed"))
            h.decide("accept-change", alice)
            h.message(substitute, id: "m4", verdict("known"))
            h.message(alice1, id: "m5", verdict("key-changed"))
        }
        try await history(
            "a key change explained later by a rotation: the pin follows the rotation and the pending key is cleared",
            flags: ["KeyChange", "Rotation"], spec: ["trust-rotation-apply", "trust-transitions", "trust-decisions"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(alice2, id: "m2", verdict("key-changed"))
            h.message(alice1, id: "m3", statements: [r12.bytes], verdict("rotated", ["applied"]))
            h.message(alice2, id: "m4", verdict("known"))
            h.decide("accept-change", alice, "no-key-change")
        }

        file.group("valid rotations (trust-rotation-apply)")
        try await history(
            "a rotation carried by a message under the new key moves the pin with a notice; the old key is superseded",
            flags: ["Rotation"],
            spec: [
                "trust-rotation-apply", "trust-statement-rules", "trust-statement-transport", "trust-transitions",
                "trust-superseded",
            ]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(alice2, id: "m2", statements: [r12.bytes], verdict("rotated", ["applied"]))
            h.message(alice2, id: "m3", verdict("known"))
            h.message(alice1, id: "m4", verdict("superseded-key"))
        }
        try await history(
            "a rotation announced in a message still signed by the old key", flags: ["Rotation"],
            spec: ["trust-rotation-apply", "trust-transitions"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(alice1, id: "m2", statements: [r12.bytes], verdict("rotated", ["applied"]))
            h.message(alice2, id: "m3", verdict("known"))
            h.message(alice1, id: "m4", verdict("superseded-key"))
        }
        try await history(
            "a rotation received alone moves the pin at once; the next message under the new key is simply known",
            flags: ["Rotation"], spec: ["trust-rotation-apply", "trust-statement-transport", "trust-transitions"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.statement(r12.bytes, "applied")
            h.message(alice2, id: "m2", verdict("known"))
        }
        try await history(
            "a rotation of a verified contact: the verification does not carry over to the new key",
            flags: ["Rotation", "Decision"], spec: ["trust-rotation-apply", "trust-verify-current", "trust-decisions"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.verify(alice, alice1)
            h.message(alice1, id: "m2", verdict("verified"))
            h.message(alice2, id: "m3", statements: [r12.bytes], verdict("rotated", ["applied"]))
            h.message(alice2, id: "m4", verdict("known"))
            h.verify(alice, alice1, "outdated-fingerprint")
            h.verify(alice, alice2)
            h.message(alice2, id: "m5", verdict("verified"))
        }
        try await history(
            "two rotations in one message (a contact who missed the first): the pin follows the chain",
            flags: ["Rotation"], spec: ["trust-rotation-apply", "trust-statement-rules", "trust-observe-order"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(
                alice3, id: "m2", statements: [r12.bytes, r23.bytes], verdict("rotated", ["applied", "applied"]))
            h.message(alice3, id: "m3", verdict("known"))
            h.message(alice2, id: "m4", verdict("superseded-key"))
            h.message(alice1, id: "m5", verdict("superseded-key"))
        }
        try await history(
            "the second rotation first, then the missing link: the pin moves to the head of the chain",
            flags: ["Rotation"], spec: ["trust-statement-rules", "trust-rotation-apply"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.statement(r23.bytes, "applied")
            h.message(alice3, id: "m2", statements: [r12.bytes], verdict("rotated", ["applied"]))
            h.message(alice3, id: "m3", verdict("known"))
        }
        try await history(
            "a rotation moves only the addresses it lists", flags: ["Rotation"],
            spec: ["trust-rotation-apply", "trust-superseded", "trust-key-change"]
        ) { h in
            let bobOnly = rotation(bob1, bob2, ["bob@example.net"])
            h.message(bob1, as: "bob@example.net", id: "m1", verdict("first-contact"))
            h.message(bob1, as: "robert@example.net", id: "m2", verdict("first-contact"))
            h.message(
                bob2, as: "bob@example.net", id: "m3", statements: [bobOnly.bytes], verdict("rotated", ["applied"]))
            h.message(bob2, as: "robert@example.net", id: "m4", verdict("key-changed"))
            h.message(bob1, as: "robert@example.net", id: "m5", verdict("known"))
            h.message(bob1, as: "bob@example.net", id: "m6", verdict("superseded-key"))
        }
        try await history(
            "a rotation listing two addresses moves both bindings", flags: ["Rotation"],
            spec: ["trust-rotation-apply", "trust-transitions"]
        ) { h in
            let both = rotation(bob1, bob2, bob1.addresses)
            h.message(bob1, as: "bob@example.net", id: "m1", verdict("first-contact"))
            h.message(bob1, as: "robert@example.net", id: "m2", verdict("first-contact"))
            h.message(bob2, as: "bob@example.net", id: "m3", statements: [both.bytes], verdict("rotated", ["applied"]))
            h.message(bob2, as: "robert@example.net", id: "m4", verdict("known"))
            h.message(bob1, as: "robert@example.net", id: "m5", verdict("superseded-key"))
        }
        try await history(
            "a rotation to a key whose successor was revoked: the pin moves to the revoked chain head",
            flags: ["Rotation", "Revocation"],
            spec: ["trust-rotation-apply", "trust-statement-rules", "trust-revocation-final", "trust-transitions"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.statement(r23.bytes, "applied")
            h.statement(revocation(alice3).bytes, "applied")
            h.message(alice1, id: "m2", statements: [r12.bytes], verdict("rotated", ["applied"]))
            h.message(alice3, id: "m3", verdict("revoked"))
            h.message(alice2, id: "m4", verdict("superseded-key"))
        }
        try await history(
            "more than 16 statements in a message: only the first 16 are read", flags: ["Rotation", "Limit"],
            spec: ["trust-statement-transport", "trust-observe-order"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(
                alice2, id: "m2", statements: Array(repeating: [0x00], count: 16) + [r12.bytes],
                verdict("key-changed", Array(repeating: "invalid", count: 16)))
            h.message(alice2, id: "m3", statements: [r12.bytes], verdict("rotated", ["applied"]))
        }

        file.group("forged rotations: each missing or wrong signature, and rotations that concern another binding")
        let body = r12.body
        let oldSignature = Construct.sign(seed: r12.old, context: Statement.rotationContext, body)
        let newSignature = Construct.sign(seed: r12.new, context: Statement.rotationContext, body)
        let foreign = Construct.sign(seed: substitute.seed, context: Statement.rotationContext, body)
        let forgeries: [(String, [UInt8])] = [
            ("without the new key's signature", C.array([C.bstr(body), C.bstr(oldSignature)])),
            ("without the old key's signature", C.array([C.bstr(body), C.bstr(newSignature)])),
            (
                "with the old key's signature made by another key",
                C.array([C.bstr(body), C.bstr(foreign), C.bstr(newSignature)])
            ),
            (
                "with the new key's signature made by another key",
                C.array([C.bstr(body), C.bstr(oldSignature), C.bstr(foreign)])
            ),
            ("with the signatures swapped", C.array([C.bstr(body), C.bstr(newSignature), C.bstr(oldSignature)])),
            (
                "with an address added after signing",
                C.array([
                    C.bstr(r12.entries.replacing(2, C.array([C.text(alice), C.text("mallory@example.org")])).encoded),
                    C.bstr(oldSignature), C.bstr(newSignature),
                ])
            ),
        ]
        for (comment, forged) in forgeries {
            try await history(
                "a rotation \(comment) is invalid: the new key is an unexplained key change", flags: ["Forgery"],
                spec: ["trust-statement-decode", "trust-statement-rules", "trust-key-change"]
            ) { h in
                h.message(alice1, id: "m1", verdict("first-contact"))
                h.message(alice2, id: "m2", statements: [forged], verdict("key-changed", ["invalid"]))
                h.message(alice1, id: "m3", verdict("known"))
                h.statement(forged, "invalid")
            }
        }
        try await history(
            "a forged rotation in a message signed with the pinned key: statement-problem (notice)", flags: ["Forgery"],
            spec: ["trust-observe-order", "trust-statement-decode", "trust-severity"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(
                alice1, id: "m2", statements: [C.array([C.bstr(body), C.bstr(oldSignature), C.bstr(foreign)])],
                verdict("statement-problem", ["invalid"], severity: "notice"))
            h.message(alice1, id: "m3", verdict("known"))
        }
        try await history(
            "a genuine rotation for another address (wrong address list) does not move this binding",
            flags: ["Forgery", "Rotation"], spec: ["trust-rotation-apply", "trust-key-change"]
        ) { h in
            let elsewhere = rotation(alice1, alice2, ["alice@example.com"])
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(alice2, id: "m2", statements: [elsewhere.bytes], verdict("key-changed", ["applied"]))
            h.message(alice1, id: "m3", verdict("known"))
        }
        try await history(
            "a rotation from a key that is not pinned (the substitute's own) does not move the binding",
            flags: ["Forgery", "Rotation"], spec: ["trust-rotation-apply", "trust-key-change"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(
                alice2, id: "m2", statements: [rotation(substitute, alice2).bytes], verdict("key-changed", ["applied"]))
            h.message(alice1, id: "m3", verdict("known"))
        }

        file.group("replays, restatements and rollbacks (trust-replay, trust-rollback)")
        try await history(
            "a replayed rotation is ignored without any change or report", flags: ["Replay", "Rotation"],
            spec: ["trust-replay", "trust-statement-rules"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(alice2, id: "m2", statements: [r12.bytes], verdict("rotated", ["applied"]))
            h.message(alice2, id: "m3", statements: [r12.bytes], verdict("known", ["replay"]))
            h.statement(r12.bytes, "replay")
            h.message(alice1, id: "m4", statements: [r12.bytes], verdict("superseded-key", ["replay"]))
        }
        try await history(
            "the same rotation twice in one message: applied, then a replay", flags: ["Replay", "Rotation"],
            spec: ["trust-replay", "trust-observe-order"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(alice2, id: "m2", statements: [r12.bytes, r12.bytes], verdict("rotated", ["applied", "replay"]))
        }
        try await history(
            "the same rotation in other bytes (another expiry) is a restatement, reported once",
            flags: ["Replay", "Rotation"], spec: ["trust-statement-rules", "trust-statement-hash", "trust-replay"]
        ) { h in
            var again = r12
            again.expires += 86_400
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(alice2, id: "m2", statements: [r12.bytes], verdict("rotated", ["applied"]))
            h.message(alice2, id: "m3", statements: [again.bytes], verdict("known", ["restatement"]))
            h.statement(again.bytes, "already-judged")
        }
        try await history(
            "a rollback to a superseded key is refused and flagged once; the pin stays",
            flags: ["Rollback", "Rotation"],
            spec: ["trust-rollback", "trust-statement-rules", "trust-observe-order", "trust-superseded"]
        ) { h in
            let back = rotation(alice2, alice1, sequence: 2, previous: r12.hash)
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(alice2, id: "m2", statements: [r12.bytes], verdict("rotated", ["applied"]))
            h.message(
                alice2, id: "m3", statements: [back.bytes],
                verdict("statement-problem", ["rollback"], severity: "alarm"))
            h.message(alice1, id: "m4", verdict("superseded-key"))
            h.message(alice2, id: "m5", statements: [back.bytes], verdict("known", ["already-judged"]))
        }
        try await history(
            "every kind of rollback: a skipped or lower sequence number, a wrong previous hash, a second rotation "
                + "by a rotated key, a key introduced twice",
            flags: ["Rollback", "Rotation"], spec: ["trust-rollback", "trust-statement-rules"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.statement(r12.bytes, "applied")
            h.statement(rotation(alice2, alice3, sequence: 3, previous: r12.hash).bytes, "rollback")
            h.statement(
                rotation(alice2, alice3, sequence: 2, previous: [UInt8](repeating: 7, count: 32)).bytes, "rollback")
            h.statement(rotation(alice1, alice3, sequence: 2, previous: r12.hash).bytes, "rollback")
            h.statement(r23.bytes, "applied")
            h.statement(rotation(alice3, alice4).bytes, "rollback")
            h.statement(rotation(substitute, alice3).bytes, "rollback")
            h.message(alice3, id: "m2", verdict("known"))
        }
        try await history(
            "a message backdated under a superseded key is flagged whatever date it claims",
            flags: ["Rotation"], spec: ["trust-superseded", "trust-skew"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(alice2, id: "m2", statements: [r12.bytes], verdict("rotated", ["applied"]))
            h.at(t0 + 86_400)
            h.message(alice1, id: "m3", date: t0 - 30 * 86_400, verdict("superseded-key"))
            h.message(alice1, id: "m4", date: t0 + 365 * 86_400, verdict("superseded-key"))
            h.message(alice2, id: "m5", date: 0, verdict("known"))
        }
        try await history(
            "a receiver who learnt the rotation first is never pinned to the superseded key",
            flags: ["Rotation"], spec: ["trust-superseded", "trust-first-contact", "trust-transitions"]
        ) { h in
            h.statement(r12.bytes, "applied")
            h.message(alice1, id: "m1", verdict("superseded-key"))
            h.message(alice1, id: "m2", verdict("superseded-key"))
            h.message(alice2, id: "m3", verdict("first-contact"))
        }

        file.group("conflicting rotations (trust-conflict)")
        try await history(
            "two rotations with the same sequence number freeze the binding until the user accepts a key",
            flags: ["Conflict", "Rotation", "Decision"],
            spec: ["trust-conflict", "trust-statement-rules", "trust-transitions", "trust-decisions"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(alice2, id: "m2", statements: [r12.bytes], verdict("rotated", ["applied"]))
            h.message(
                alice3, id: "m3", statements: [rotation(alice1, alice3).bytes],
                verdict("conflicting-statements", ["conflict"]))
            h.message(alice2, id: "m4", verdict("conflicting-statements"))
            h.message(alice3, id: "m5", verdict("conflicting-statements"))
            h.statement(rotation(alice2, alice4, sequence: 2, previous: r12.hash).bytes, "applied")
            h.message(alice4, id: "m6", verdict("conflicting-statements"))
            h.decide("accept-change", alice)
            h.message(alice4, id: "m7", verdict("known"))
        }
        try await history(
            "a conflict ends when the user verifies the pinned key", flags: ["Conflict", "Rotation", "Decision"],
            spec: ["trust-conflict", "trust-decisions", "trust-verify-current"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.verify(alice, alice1)
            h.message(alice2, id: "m2", statements: [r12.bytes], verdict("rotated", ["applied"]))
            h.statement(rotation(alice1, alice3).bytes, "conflict")
            h.message(alice2, id: "m3", verdict("conflicting-statements"))
            h.verify(alice, alice1, "outdated-fingerprint")
            h.verify(alice, alice2)
            h.message(alice2, id: "m4", verdict("verified"))
        }

        file.group("time: expired and future-dated statements, with the skew bound (trust-skew)")
        try await history(
            "a rotation that expired more than S ago is refused; at exactly S it still applies",
            flags: ["Skew", "Rotation"],
            spec: ["trust-skew", "trust-statement-rules"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            let expiredAt = h.time - 601
            let stale = rotation(alice1, alice2, created: expiredAt - 86_400, expires: expiredAt)
            h.at(expiredAt + 601)
            h.message(alice2, id: "m2", statements: [stale.bytes], verdict("key-changed", ["expired"]))
            h.message(alice2, id: "m3", statements: [stale.bytes], verdict("key-changed", ["already-judged"]))
            let edge = rotation(alice1, alice2, created: h.time - 86_400, expires: h.time - 600)
            h.message(alice2, id: "m4", statements: [edge.bytes], verdict("rotated", ["applied"]))
        }
        try await history(
            "an expired rotation in a message signed with the pinned key: statement-problem (notice)",
            flags: ["Skew", "Rotation"], spec: ["trust-skew", "trust-observe-order", "trust-severity"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.verify(alice, alice1)
            let stale = rotation(alice1, alice2, created: t0 - 100 * 86_400, expires: t0 - 10 * 86_400)
            h.message(
                alice1, id: "m2", statements: [stale.bytes],
                verdict("statement-problem", ["expired"], severity: "notice"))
            h.message(alice1, id: "m3", statements: [stale.bytes], verdict("verified", ["already-judged"]))
        }
        try await history(
            "a rotation created more than S ahead is held, then applied by the first message under its new key once due",
            flags: ["Skew", "Rotation"], spec: ["trust-skew", "trust-observe-order", "trust-statement-rules"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            let now = h.time
            let early = rotation(alice1, alice2, created: now + 601)
            h.message(alice2, id: "m2", statements: [early.bytes], verdict("key-changed", ["future-dated"]))
            h.at(now)
            h.message(alice2, id: "m3", verdict("key-changed"))
            h.at(now)
            h.message(alice2, id: "m4", statements: [early.bytes], verdict("key-changed", ["still-held"]))
            h.at(now + 1)
            h.message(alice2, id: "m5", verdict("rotated", ["applied"]))
            h.message(alice2, id: "m6", verdict("known"))
        }
        try await history(
            "a rotation created exactly S ahead applies at once", flags: ["Skew", "Rotation"], spec: ["trust-skew"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(
                alice2, id: "m2", statements: [rotation(alice1, alice2, created: h.time + 600).bytes],
                verdict("rotated", ["applied"]))
        }
        try await history(
            "a held rotation received alone is reconsidered when it is delivered again, not on a message under the old key",
            flags: ["Skew", "Rotation"], spec: ["trust-skew", "trust-observe-order", "trust-statement-transport"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            let early = rotation(alice1, alice2, created: t0 + 7200)
            h.statement(early.bytes, "future-dated")
            h.statement(early.bytes, "still-held")
            h.at(t0 + 7200 - 600)
            h.message(alice1, id: "m2", verdict("known"))
            h.statement(early.bytes, "applied")
            h.message(alice2, id: "m3", verdict("known"))
        }
        try await history(
            "a held rotation applied for an address without a binding: a first contact with the new key",
            flags: ["Skew", "Rotation"], spec: ["trust-skew", "trust-observe-order", "trust-first-contact"]
        ) { h in
            let early = rotation(alice1, alice2, created: t0 + 3600)
            h.statement(early.bytes, "future-dated")
            h.at(t0 + 3600)
            h.message(alice2, id: "m1", verdict("first-contact", ["applied"]))
            h.message(alice1, id: "m2", verdict("superseded-key"))
        }
        try await history(
            "with a skew bound of 0 seconds, a rotation one second ahead is held", flags: ["Skew", "Rotation"],
            spec: ["trust-skew"], skew: 0
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            let now = h.time
            h.message(
                alice2, id: "m2", statements: [rotation(alice1, alice2, created: now + 1).bytes],
                verdict("key-changed", ["future-dated"]))
            h.at(now + 1)
            h.message(alice2, id: "m3", verdict("rotated", ["applied"]))
        }

        file.group("one key, several addresses (trust-shared-key)")
        try await history(
            "a key already pinned for another address not on the card: shared-key, once", flags: ["SharedKey"],
            spec: ["trust-shared-key", "trust-transitions"]
        ) { h in
            let work = Identity("trust/alice-1", addresses: ["alice@work.example"])
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(work, id: "m2", verdict("shared-key"))
            h.message(work, id: "m3", verdict("known"))
            h.message(alice1, id: "m4", verdict("known"))
        }
        try await history(
            "a card that lists both addresses is an ordinary first contact for each", flags: ["SharedKey"],
            spec: ["trust-shared-key", "trust-first-contact"]
        ) { h in
            let both = Identity("trust/alice-1", addresses: ["alice@example.org", "alice@home.example"])
            h.message(both, as: "alice@example.org", id: "m1", verdict("first-contact"))
            h.message(both, as: "alice@home.example", id: "m2", verdict("first-contact"))
        }

        file.group("look-alike and differently-cased addresses (trust-look-alike, addr-input)")
        try await history(
            "paypa1 after paypal, with another key: look-alike on every message until verified (typed in mixed case)",
            flags: ["LookAlike", "Decision", "Case"],
            spec: ["trust-look-alike", "trust-transitions", "trust-decisions", "addr-input"]
        ) { h in
            let paypal = Identity("trust/paypal", addresses: ["paypal@example.com"])
            let impostor = Identity("trust/paypa1", addresses: ["paypa1@example.com"])
            h.message(paypal, id: "m1", verdict("first-contact"))
            h.message(impostor, id: "m2", verdict("look-alike"))
            h.message(impostor, id: "m3", verdict("look-alike"))
            h.message(paypal, id: "m4", verdict("known"))
            h.verify("PayPa1@Example.COM", impostor)
            h.message(impostor, id: "m5", verdict("verified"))
        }
        for (known, similar) in [
            ("modern@example.com", "rnodern@example.com"), ("william@example.com", "vvilliam@example.com"),
            ("dark@example.com", "clark@example.com"), ("alice.smith@example.org", "alice_smith@example.org"),
            ("alice@example.org", "alice@examp1e.org"), ("bob@example.net", "b0b@example.net"),
            ("g00gle@example.com", "google@example.com"),
        ] {
            try await history(
                "\(similar) after \(known), with another key", flags: ["LookAlike"], spec: ["trust-look-alike"]
            ) { h in
                h.message(Identity("trust/\(known)", addresses: [known]), id: "m1", verdict("first-contact"))
                h.message(Identity("trust/\(similar)", addresses: [similar]), id: "m2", verdict("look-alike"))
            }
        }
        try await history(
            "addresses that differ without looking alike are independent first contacts", flags: ["LookAlike"],
            spec: ["trust-look-alike", "trust-first-contact"]
        ) { h in
            h.message(Identity("trust/paypal", addresses: ["paypal@example.com"]), id: "m1", verdict("first-contact"))
            h.message(Identity("trust/paypal2", addresses: ["paypal2@example.com"]), id: "m2", verdict("first-contact"))
            h.message(Identity("trust/paypa", addresses: ["paypa@example.com"]), id: "m3", verdict("first-contact"))
        }
        try await history(
            "a look-alike address with the same key is not a look-alike: the same holder (shared-key)",
            flags: ["LookAlike", "SharedKey"], spec: ["trust-look-alike", "trust-shared-key"]
        ) { h in
            h.message(Identity("trust/paypal", addresses: ["paypal@example.com"]), id: "m1", verdict("first-contact"))
            h.message(Identity("trust/paypal", addresses: ["paypa1@example.com"]), id: "m2", verdict("shared-key"))
        }

        file.group("revocation (trust-revocation-final)")
        try await history(
            "self-revocation: the pinned key alarms; replays and later revocations of it change nothing",
            flags: ["Revocation", "Replay", "Decision"],
            spec: [
                "trust-revocation-final", "trust-statement-rules", "trust-replay", "trust-transitions",
                "trust-decisions", "trust-rollback",
            ]
        ) { h in
            let revoke = revocation(alice1)
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.statement(revoke.bytes, "applied")
            h.message(alice1, id: "m2", verdict("revoked"))
            h.statement(revoke.bytes, "replay")
            let again = revocation(alice1, reason: "lost laptop", created: t0 + 600)
            h.statement(again.bytes, "already-revoked")
            h.statement(again.bytes, "already-judged")
            h.message(alice2, id: "m3", statements: [r12.bytes], verdict("key-changed", ["rollback"]))
            h.verify(alice, alice1, "revoked-key")
            h.decide("accept-change", alice)
            h.message(alice2, id: "m4", verdict("known"))
            h.message(alice1, id: "m5", verdict("revoked"))
            h.verify(alice, alice2)
            h.message(alice2, id: "m6", verdict("verified"))
        }
        try await history(
            "a revocation carried by a message signed with the revoked key", flags: ["Revocation"],
            spec: ["trust-revocation-final", "trust-observe-order", "trust-transitions"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(alice1, id: "m2", statements: [revocation(alice1).bytes], verdict("revoked", ["applied"]))
            h.message(alice1, id: "m3", verdict("revoked"))
        }
        try await history(
            "a revocation is applied whatever its created date, even years ahead", flags: ["Revocation", "Skew"],
            spec: ["trust-statement-rules", "trust-revocation-final", "trust-skew"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.statement(revocation(alice1, created: t0 + 10 * 365 * 86_400).bytes, "applied")
            h.message(alice1, id: "m2", verdict("revoked"))
        }
        try await history(
            "a key revoked before its first message is never pinned", flags: ["Revocation"],
            spec: ["trust-first-contact", "trust-revocation-final", "trust-transitions"]
        ) { h in
            h.statement(revocation(substitute).bytes, "applied")
            h.message(substitute, id: "m1", verdict("revoked"))
            h.message(substitute, id: "m2", verdict("revoked"))
            h.message(alice1, id: "m3", verdict("first-contact"))
        }
        try await history(
            "after the new key is revoked, replaying the rotation changes nothing and no rotation leaves it",
            flags: ["Revocation", "Replay", "Rotation"],
            spec: ["trust-revocation-final", "trust-replay", "trust-rollback", "trust-transitions"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(alice2, id: "m2", statements: [r12.bytes], verdict("rotated", ["applied"]))
            h.statement(revocation(alice2).bytes, "applied")
            h.message(alice2, id: "m3", verdict("revoked"))
            h.message(alice2, id: "m4", statements: [r12.bytes], verdict("revoked", ["replay"]))
            h.statement(r23.bytes, "rollback")
            h.message(alice3, id: "m5", statements: [r23.bytes], verdict("key-changed", ["already-judged"]))
            h.message(alice1, id: "m6", verdict("superseded-key"))
            h.decide("accept-change", alice)
            h.message(alice3, id: "m7", verdict("known"))
        }
        try await history(
            "a pending key that was revoked cannot be accepted", flags: ["Revocation", "Decision"],
            spec: ["trust-revocation-final", "trust-decisions", "trust-transitions"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(substitute, id: "m2", verdict("key-changed"))
            h.statement(revocation(substitute).bytes, "applied")
            h.decide("accept-change", alice, "revoked-key")
            h.message(substitute, id: "m3", verdict("revoked"))
            h.message(alice1, id: "m4", verdict("known"))
        }

        try await history(
            "a revocation not signed by the key it names is invalid and revokes nothing",
            flags: ["Revocation", "Forgery"],
            spec: ["trust-statement-decode", "trust-observe-order", "trust-revocation-final"]
        ) { h in
            let genuine = revocation(alice1)
            let forged = C.array([
                C.bstr(genuine.body),
                C.bstr(Construct.sign(seed: substitute.seed, context: Statement.revocationContext, genuine.body)),
            ])
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.statement(forged, "invalid")
            h.message(
                alice1, id: "m2", statements: [forged], verdict("statement-problem", ["invalid"], severity: "notice"))
            h.message(substitute, id: "m3", statements: [forged], verdict("key-changed", ["invalid"]))
            h.message(alice1, id: "m4", verdict("known"))
        }

        file.group("decisions (trust-decisions, trust-verify-current)")
        try await history(
            "verifying an outdated fingerprint is refused; every refusal has its code", flags: ["Decision", "Case"],
            spec: ["trust-verify-current", "trust-decisions", "addr-input"]
        ) { h in
            h.verify(alice, alice1, "unknown-address")
            h.decide("accept-change", alice, "unknown-address")
            h.decide("withdraw", alice, "unknown-address")
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.verify(alice, alice2, "outdated-fingerprint")
            h.verify(alice, carol, "outdated-fingerprint")
            h.decide("accept-change", alice, "no-key-change")
            h.decide("withdraw", alice, "not-verified")
            h.message(alice2, id: "m2", statements: [r12.bytes], verdict("rotated", ["applied"]))
            h.verify(alice, alice1, "outdated-fingerprint")
            h.verify("ALICE@EXAMPLE.ORG", alice2)
            h.message(alice2, id: "m3", verdict("verified"))
            h.decide("withdraw", "Alice@Example.org")
            h.message(alice2, id: "m4", verdict("known"))
        }
        try await history(
            "blocked: every message gets blocked whatever its key; statements are still processed; unblocking restores",
            flags: ["Blocked", "Decision", "Rotation"],
            spec: ["trust-blocked", "trust-decisions", "trust-transitions", "trust-downgrade"]
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.decide("block", alice)
            h.message(alice1, id: "m2", verdict("blocked"))
            h.message(substitute, id: "m3", verdict("blocked"))
            h.message(alice2, id: "m4", statements: [r12.bytes], verdict("blocked", ["applied"]))
            h.unsigned(alice, id: "u1", verdict("blocked"))
            h.decide("block", alice)
            h.decide("unblock", alice)
            h.message(alice2, id: "m5", verdict("known"))
            h.message(substitute, id: "m6", verdict("key-changed"))
            h.decide("unblock", alice)
        }
        try await history(
            "an address blocked before any message gets no binding; unblocked, its first message is a first contact",
            flags: ["Blocked", "Decision", "Case"], spec: ["trust-blocked", "trust-decisions", "addr-input"]
        ) { h in
            h.decide("block", "Dave@Example.NET")
            h.message(dave, id: "m1", verdict("blocked"))
            h.unsigned("dave@example.net", id: "u1", verdict("blocked"))
            h.decide("unblock", "dave@example.net")
            h.message(dave, id: "m2", verdict("first-contact"))
        }

        file.group("unsigned messages (trust-downgrade)")
        try await history(
            "a signed-always sender going unsigned is a downgrade; an unknown address is only unsigned",
            flags: ["Unsigned", "Duplicate", "Case"],
            spec: ["trust-downgrade", "trust-duplicate", "addr-input", "trust-severity"]
        ) { h in
            h.unsigned("carol@example.com", id: "u1", verdict("unsigned"))
            h.message(carol, id: "m1", verdict("first-contact"))
            h.unsigned("carol@example.com", id: "u2", verdict("downgrade"))
            h.unsigned("carol@example.com", id: "u2", verdict("downgrade", duplicate: true))
            h.unsigned("Carol@Example.COM", id: "u3", verdict("downgrade"))
            h.unsigned("carol@example.com", id: "u1", verdict("unsigned", duplicate: true))
            h.message(carol, id: "m2", verdict("known"))
        }
        try await history(
            "unsigned messages never create a pin", flags: ["Unsigned"],
            spec: ["trust-downgrade", "trust-first-contact"]
        ) { h in
            h.unsigned(alice, id: "u1", verdict("unsigned"))
            h.unsigned(alice, id: "u2", verdict("unsigned"))
            h.message(substitute, id: "m1", verdict("first-contact"))
            h.message(alice1, id: "m2", verdict("key-changed"))
        }
        try await buildIllFormed(file)
        try await buildCombinations(file, history)
        return file.file
    }

    /// Histories that combine what the earlier ones test apart: each decides an order that
    /// implementations could otherwise choose differently.
    static func buildCombinations(
        _ file: FileBuilder,
        _ history: (String, [String], [String], UInt64, (History) -> Void) async throws -> Void
    ) async throws {
        let r12 = rotation(alice1, alice2)
        let r23 = rotation(alice2, alice3, sequence: 2, previous: r12.hash)
        file.group("orders that the histories above do not combine")
        try await history(
            "two rotations move one binding in one message signed by the key pinned before it: rotated",
            ["Rotation"], ["trust-transitions", "trust-rotation-apply", "trust-observe-order"], 600
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(
                alice1, id: "m2", statements: [r12.bytes, r23.bytes], verdict("rotated", ["applied", "applied"]))
            h.message(alice3, id: "m3", verdict("known"))
        }
        try await history(
            "two rotations move one binding in one message signed by the key between them: superseded",
            ["Rotation"], ["trust-transitions", "trust-superseded"], 600
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(
                alice2, id: "m2", statements: [r12.bytes, r23.bytes], verdict("superseded-key", ["applied", "applied"]))
            h.message(alice3, id: "m3", verdict("known"))
        }
        // Two held rotations to one new key, received together: the smaller statement hash is
        // processed first and applies; the other then finds its new key introduced (rollback).
        let due = t0 + 7200
        let toAlice = rotation(alice1, alice4, created: due)
        let toDave = rotation(dave, alice4, ["dave@example.net"], created: due)
        let aliceFirst = toAlice.hash.lexicographicallyPrecedes(toDave.hash)
        try await history(
            "two held rotations with one new key and one receive time are processed again in the order of their hashes",
            ["Skew", "Rotation", "Rollback"], ["trust-observe-order", "trust-skew", "trust-rollback"], 600
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(dave, id: "m2", verdict("first-contact"))
            h.message(
                alice1, id: "m3",
                statements: aliceFirst ? [toDave.bytes, toAlice.bytes] : [toAlice.bytes, toDave.bytes],
                verdict("statement-problem", ["future-dated", "future-dated"], severity: "notice"))
            h.at(due)
            h.message(
                alice4, id: "m4", verdict(aliceFirst ? "rotated" : "key-changed", ["applied", "rollback"]))
        }
        try await history(
            "verifying an outdated fingerprint of a revoked binding: outdated-fingerprint comes before revoked-key",
            ["Decision", "Revocation"], ["trust-decisions", "trust-verify-current", "trust-revocation-final"], 600
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.statement(revocation(alice1).bytes, "applied")
            h.verify(alice, substitute, "outdated-fingerprint")
            h.verify(alice, alice1, "revoked-key")
        }
        let oversized = r12.bytes + [UInt8](repeating: 0, count: 8193 - r12.bytes.count)
        try await history(
            "a carried statement over 8,192 bytes is not read: no outcome, and it does not count towards the 16",
            ["Rotation", "Limits"], ["trust-statement-transport", "trust-observe-order"], 600
        ) { h in
            h.message(alice1, id: "m1", verdict("first-contact"))
            h.message(
                alice2, id: "m2", statements: [oversized, r12.bytes] + Array(repeating: r12.bytes, count: 15),
                verdict("rotated", ["applied"] + Array(repeating: "replay", count: 15)))
        }
        try await history(
            "a blocked address without a binding gets none: after unblocking, its first message is a first contact",
            ["Blocked", "Decision"], ["trust-blocked", "trust-first-contact"], 600
        ) { h in
            h.decide("block", "carol@example.com")
            h.message(carol, id: "m1", verdict("blocked"))
            h.decide("unblock", "carol@example.com")
            h.message(carol, id: "m2", verdict("first-contact"))
        }
    }
}
