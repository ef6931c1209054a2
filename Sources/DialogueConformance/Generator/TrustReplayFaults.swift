/// The ill-formed histories of `trust_replay.json` (Spec: conformance.md, [conf-replay-well-formed]):
/// one good history, then that history with one fault each, and the precedence between faults.
extension TrustReplayVectors {
    /// An edit of one event.
    typealias Edit = (JSONValue) -> JSONValue

    /// Sets a member (replacing it in place, or appending it).
    static func set(_ key: String, _ value: JSONValue) -> Edit { { $0.setting(key, value) } }

    /// Removes a member.
    static func removing(_ key: String) -> Edit {
        { event in .object((event.objectValue ?? []).filter { $0.0 != key }) }
    }

    /// Several edits, in order.
    static func all(_ edits: Edit...) -> Edit { { event in edits.reduce(event) { $1($0) } } }

    /// The good history the faults are made in: one event of each type, then two decisions.
    static func goodHistory() -> History {
        let h = History()
        h.message(alice1, id: "m1", verdict("first-contact"))
        h.unsigned(alice, id: "u1", verdict("downgrade"))
        h.statement(rotation(alice1, alice2).bytes, "applied")
        h.verify(alice, alice2)
        h.decide("accept-change", alice, "no-key-change")
        return h
    }

    /// The indices of the good history's events.
    enum Slot: Int {
        case message = 0
        case unsigned
        case statement
        case verify
        case acceptChange
    }

    static func buildIllFormed(_ file: FileBuilder) async throws {
        let good = goodHistory()
        let anchor = "conf-replay-well-formed"
        func request(_ members: [(String, JSONValue)]) -> JSONValue { .object(members) }
        func events(_ edits: [(Slot, Edit)]) -> JSONValue {
            var events = good.events
            for (slot, edit) in edits { events[slot.rawValue] = edit(events[slot.rawValue]) }
            return .array(events)
        }
        func fault(
            _ comment: String, flags: [String], spec: [String] = [], error: String = "malformed",
            _ edits: (Slot, Edit)...
        ) async throws {
            try await file.invalid(
                comment, flags: flags, spec: [anchor] + spec,
                input: request([("clock_skew", 600), ("events", events(edits))]), error: error)
        }
        func card(_ bytes: [UInt8]) -> Edit { set("card", .string(Hex.encode(bytes))) }
        let wrongSignature = alice1.card.flipping(-1)
        /// The good history's message, moved to `slot` (its receive time) and edited.
        func message(at slot: Slot, _ edit: @escaping Edit) -> (Slot, Edit) {
            let received = good.events[slot.rawValue]["received"] ?? .null
            return (slot, { _ in edit(good.events[Slot.message.rawValue].setting("received", received)) })
        }

        file.group("well-formed edge cases (conf-replay-well-formed)")
        try await file.valid(
            "the history the faults below are made in", flags: ["Valid"], spec: [anchor, "trust-decisions"],
            input: good.input(skew: 600), expected: .object([("results", .array(good.results))]))
        try await file.valid(
            "an empty history gives no results", flags: ["Valid", "EdgeCase"], spec: [anchor],
            input: request([("clock_skew", 600), ("events", .array([]))]),
            expected: .object([("results", .array([]))]))
        try await file.valid(
            "clock_skew at its limit, one day", flags: ["Valid", "Limit"], spec: [anchor, "trust-skew"],
            input: good.input(skew: 86_400), expected: .object([("results", .array(good.results))]))
        let sameTime = History()
        sameTime.at(t0)
        sameTime.message(alice1, id: "m1", verdict("first-contact"))
        sameTime.at(t0)
        sameTime.statement(rotation(alice1, alice2).bytes, "applied")
        sameTime.at(t0)
        sameTime.message(alice2, id: "m2", verdict("known"))
        try await file.valid(
            "events received at the same second: receive times may stay equal", flags: ["Valid", "EdgeCase"],
            spec: [anchor], input: sameTime.input(skew: 600),
            expected: .object([("results", .array(sameTime.results))]))
        try await file.valid(
            "upper-case hexadecimal is hexadecimal", flags: ["Valid", "Case"], spec: [anchor],
            input: request([
                ("clock_skew", 600),
                (
                    "events",
                    events([
                        (.message, set("card", .string(Hex.encode(alice1.card).uppercased()))),
                        (
                            .statement,
                            set("statement", .string(Hex.encode(rotation(alice1, alice2).bytes).uppercased()))
                        ),
                    ])
                ),
            ]), expected: .object([("results", .array(good.results))]))

        file.group("ill-formed requests (conf-replay-well-formed step 1)")
        let goodEvents = JSONValue.array(good.events)
        for (comment, skew, flags) in [
            ("clock_skew negative", JSONValue.integer(-1), ["Limits"]),
            ("clock_skew above one day", .integer(86_401), ["Limits"]),
            ("clock_skew a string", .string("600"), ["Layout"]),
            ("clock_skew with a fraction", .number(600.5), ["Layout"]),
        ] {
            try await file.invalid(
                comment, flags: flags, spec: [anchor, "trust-skew"],
                input: request([("clock_skew", skew), ("events", goodEvents)]), error: "malformed")
        }
        for (comment, input) in [
            ("clock_skew missing", request([("events", goodEvents)])),
            ("events missing", request([("clock_skew", 600)])),
            ("events an object, not an array", request([("clock_skew", 600), ("events", .object([]))])),
            ("a member the input does not define", request([("clock_skew", 600), ("events", goodEvents), ("now", 0)])),
        ] {
            try await file.invalid(comment, flags: ["Layout"], spec: [anchor], input: input, error: "malformed")
        }

        file.group("ill-formed events: type and members (conf-replay-well-formed steps 2.1 and 2.2)")
        try await fault("an event that is a string, not an object", flags: ["Layout"], (.unsigned, { _ in "unsigned" }))
        try await fault("an unknown event type", flags: ["Layout"], (.unsigned, set("type", "forward")))
        try await fault("an event type in upper case", flags: ["Layout", "Case"], (.unsigned, set("type", "Unsigned")))
        try await fault("an event without a type", flags: ["Layout"], (.unsigned, removing("type")))
        try await fault("an event type that is not a string", flags: ["Layout"], (.unsigned, set("type", 1)))
        try await fault("a message without date", flags: ["Layout"], (.message, removing("date")))
        try await fault("a message without statements", flags: ["Layout"], (.message, removing("statements")))
        try await fault("a message with a member it does not define", flags: ["Layout"], (.message, set("subject", "")))
        try await fault("received as a string", flags: ["Layout"], (.message, set("received", .string(String(t0)))))
        try await fault(
            "received with a fraction", flags: ["Layout"], (.unsigned, set("received", .number(1.5e9 + 0.5))))
        try await fault("statements a string, not an array", flags: ["Layout"], (.message, set("statements", "00")))
        try await fault(
            "statements holding a number", flags: ["Layout"], (.message, set("statements", .array([.integer(0)]))))
        try await fault("date as a string", flags: ["Layout"], (.message, set("date", .string(String(t0)))))
        try await fault("an unsigned event without message_id", flags: ["Layout"], (.unsigned, removing("message_id")))
        try await fault(
            "a statement event with a sender", flags: ["Layout"], (.statement, set("sender", .string(alice))))
        try await fault(
            "a statement event with the statement null", flags: ["Layout"], (.statement, set("statement", .null)))
        try await fault(
            "verify without a fingerprint", flags: ["Layout", "Decision"], (.verify, removing("fingerprint")))
        try await fault(
            "accept-change with a fingerprint", flags: ["Layout", "Decision"],
            (.acceptChange, set("fingerprint", .string(fingerprint(alice2)))))
        try await fault(
            "block with a fingerprint", flags: ["Layout", "Decision"],
            (.acceptChange, all(set("decision", "block"), set("fingerprint", .string(fingerprint(alice2))))))
        try await fault(
            "a decision that is not a string", flags: ["Layout", "Decision"], (.acceptChange, set("decision", 1)))

        file.group("ill-formed events: receive times (conf-replay-well-formed step 2.3)")
        try await fault(
            "a receive time before the previous event's", flags: ["TimeOrder"],
            (.statement, set("received", .integer(Int64(t0) + 60 - 1))))
        try await fault("a negative receive time", flags: ["Limits"], (.message, set("received", .integer(-1))))
        try await fault(
            "a receive time of 2^53", flags: ["Limits"], (.message, set("received", .integer(9_007_199_254_740_992))))

        file.group("ill-formed events: values (conf-replay-well-formed step 2.4)")
        try await fault(
            "a sender that is not canonical", flags: ["Address", "Case"], spec: ["addr-wire-canonical"],
            (.message, set("sender", "Alice@example.org")))
        try await fault(
            "a sender that is not an address", flags: ["Address"], spec: ["addr-wire-canonical"],
            (.message, set("sender", "alice")))
        try await fault("a card that is not hexadecimal", flags: ["NotHex"], (.message, set("card", "card")))
        try await fault(
            "a card of an odd number of hexadecimal digits", flags: ["NotHex"],
            (.message, set("card", .string(String(Hex.encode(alice1.card).dropLast())))))
        try await fault(
            "a card cut short: malformed, as card.verify says", flags: ["Truncated"], spec: ["card-decode"],
            (.message, card(Array(alice1.card.dropLast(10)))))
        try await fault(
            "a card whose signature does not verify: bad-signature, as card.verify says", flags: ["BadSignature"],
            spec: ["card-signature"], error: "bad-signature", (.message, card(wrongSignature)))
        var version2 = alice1.cardEntries()
        version2[0] = C.uint(2)
        try await fault(
            "a card of version 2: unsupported-version, as card.verify says", flags: ["UnknownVersion"],
            spec: ["card-version"], error: "unsupported-version", (.message, card(alice1.card(body: version2.encoded))))
        try await fault(
            "a card with a low-order encryption key: weak-key, as card.verify says", flags: ["LowOrderKey"],
            spec: ["card-weak-key"], error: "weak-key",
            (.message, card(alice1.card(body: alice1.cardEntries(encryptionKey: LowOrder.points[0].1).encoded))))
        let seventeen = ([alice] + (0..<16).map { "user\($0 + 10)@example.org" }).sorted()
        try await fault(
            "a card with 17 addresses: limits-exceeded, as card.verify says", flags: ["Limits"],
            spec: ["card-decode"], error: "limits-exceeded",
            (.message, card(alice1.card(body: alice1.cardEntries(addresses: seventeen).encoded))))
        try await fault(
            "a card that does not list the sender", flags: ["AddressMismatch"], error: "address-mismatch",
            (.message, set("sender", .string(bob1.addresses[0]))))
        try await fault(
            "a message_id of kind blob", flags: ["Identifier"], spec: ["id-text-strict"],
            (.message, set("message_id", .string("blob-" + String(messageID("m1").dropFirst(4))))))
        try await fault(
            "a message_id that is not an identifier", flags: ["Identifier"], spec: ["id-text-strict"],
            (.message, set("message_id", "m1")))
        try await fault("a negative date", flags: ["Limits"], (.message, set("date", .integer(-1))))
        try await fault("a date of 2^53", flags: ["Limits"], (.message, set("date", .integer(9_007_199_254_740_992))))
        try await fault(
            "a carried statement that is not hexadecimal", flags: ["NotHex"],
            (.message, set("statements", .array(["0g"]))))
        try await fault(
            "a carried statement with spaces around its digits", flags: ["NotHex"],
            (.message, set("statements", .array([" 0a0b "]))))
        try await fault(
            "an unsigned address that does not parse", flags: ["Address"], spec: ["addr-input"],
            (.unsigned, set("address", "not an address")))
        try await fault(
            "an unsigned message_id of kind key", flags: ["Identifier"], spec: ["id-text-strict"],
            (.unsigned, set("message_id", .string(fingerprint(alice1)))))
        try await fault(
            "a statement that is not hexadecimal", flags: ["NotHex"], (.statement, set("statement", "statement")))
        try await fault("an unknown decision", flags: ["Decision"], (.acceptChange, set("decision", "trust")))
        try await fault(
            "a decision name in another case", flags: ["Decision", "Case"],
            (.acceptChange, set("decision", "Accept-Change")))
        try await fault(
            "a decision about an address that does not parse", flags: ["Decision", "Address"], spec: ["addr-input"],
            (.acceptChange, set("address", "alice at example.org")))
        try await fault(
            "block, never refused, still needs an address that parses", flags: ["Decision", "Address"],
            spec: ["addr-input", "trust-decisions"],
            (.acceptChange, all(set("decision", "block"), set("address", "@example.org"))))
        try await fault(
            "a fingerprint of kind msg", flags: ["Decision", "Identifier"], spec: ["id-text-strict"],
            (.verify, set("fingerprint", .string(messageID("m1")))))
        try await fault(
            "a fingerprint that is not an identifier", flags: ["Decision", "Identifier"], spec: ["id-text-strict"],
            (.verify, set("fingerprint", "key-")))

        file.group("several faults: the first event with a fault decides, then the order of the checks")
        let precedence = ["conf-error-precedence"]
        try await fault(
            "a bad card in the first event, an unknown decision in a later one: bad-signature",
            flags: ["Precedence", "BadSignature"], spec: precedence, error: "bad-signature",
            (.message, card(wrongSignature)), (.acceptChange, set("decision", "trust")))
        try await fault(
            "a malformed event before an event with a bad card: malformed", flags: ["Precedence", "BadSignature"],
            spec: precedence, (.unsigned, set("address", "not an address")),
            message(at: .statement, card(wrongSignature)))
        try await fault(
            "an unknown type and a bad card in one event: the type comes first", flags: ["Precedence", "Layout"],
            spec: precedence, (.message, all(card(wrongSignature), set("type", "forward"))))
        try await fault(
            "a member too many and a bad card: the members come first", flags: ["Precedence", "Layout"],
            spec: precedence, (.message, all(card(wrongSignature), set("subject", ""))))
        try await fault(
            "a receive time going back and a bad card: the receive time comes first",
            flags: ["Precedence", "TimeOrder"], spec: precedence,
            message(at: .unsigned, all(card(wrongSignature), set("received", .integer(Int64(t0) - 1)))))
        try await fault(
            "a sender not canonical and a bad card: the sender comes first", flags: ["Precedence", "Address"],
            spec: precedence, (.message, all(card(wrongSignature), set("sender", "ALICE@example.org"))))
        try await fault(
            "a bad card and a message_id of kind key: the card comes first", flags: ["Precedence", "BadSignature"],
            spec: precedence, error: "bad-signature",
            (.message, all(card(wrongSignature), set("message_id", .string(fingerprint(alice1))))))
        try await fault(
            "a bad card that does not list the sender either: bad-signature", flags: ["Precedence", "BadSignature"],
            spec: precedence, error: "bad-signature",
            (.message, all(card(wrongSignature), set("sender", .string(bob1.addresses[0])))))
        try await fault(
            "a card that does not list the sender and a bad statement: address-mismatch",
            flags: ["Precedence", "AddressMismatch"], spec: precedence, error: "address-mismatch",
            (.message, all(set("sender", .string(bob1.addresses[0])), set("statements", .array(["zz"])))))
        try await fault(
            "an unknown decision that names a fingerprint: malformed whichever check finds it",
            flags: ["Precedence", "Decision"], spec: precedence, (.verify, set("decision", "trust")))
    }
}
