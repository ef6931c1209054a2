internal import DialogueIdentifiers
internal import DialogueMessages
internal import DialogueTrust

/// A `trust.replay` input whose history is well formed (Spec: conformance.md, `trust.replay`,
/// [conf-replay-well-formed]): every event checked and typed, in the order of the checks, before
/// any event is replayed, so that an ill-formed history gives no result at all.
struct ReplayHistory {
    /// One event, its values checked and decoded.
    enum Event {
        /// A signed message: the observation the card and the event make.
        case message(TrustObservation)
        /// An unsigned message claiming an address.
        case unsigned(Address, ContentIdentifier)
        /// A statement received alone.
        case statement([UInt8])
        /// A user decision about an address.
        case decision(Decision, Address)
    }

    /// The five decisions of trust.md#trust-decisions.
    enum Decision {
        case verify(ContentIdentifier)
        case acceptChange
        case withdraw
        case block
        case unblock
    }

    /// The largest `clock_skew`: one day.
    static let maximumSkew: Int64 = 86_400

    /// The largest `received` or `date`: 2^53 − 1, the largest integer that every JSON reader holds exactly.
    static let maximumTime: Int64 = 9_007_199_254_740_991

    /// The skew bound S in seconds.
    let clockSkew: UInt64

    /// The events in order, each with its receive time.
    let events: [(received: UInt64, event: Event)]

    /// Checks a whole input; the first fault found decides the error.
    ///
    /// - Throws: `MessageError` of class `malformed` for every fault but those of a `message`
    ///   event's card: the class the card's own checks give, or `address-mismatch` when it
    ///   does not list the sender.
    init(_ input: JSONValue) throws(MessageError) {
        try ReplayHistory.checkMembers(input, [("clock_skew", .integer), ("events", .array)], what: "the input")
        clockSkew = try ReplayHistory.integer(input, "clock_skew", upTo: ReplayHistory.maximumSkew, what: "the input")
        var events: [(received: UInt64, event: Event)] = []
        for (index, value) in (input["events"]?.arrayValue ?? []).enumerated() {
            let what = "event \(index)"
            let type = value["type"]?.stringValue ?? ""
            guard value.objectValue != nil, let shape = ReplayHistory.shape(type, decision: value["decision"]) else {
                throw MessageError(.malformed, "\(what) is not an object with a known type")
            }
            try ReplayHistory.checkMembers(value, shape, what: "\(what) (\(type))")
            let received = try ReplayHistory.integer(value, "received", upTo: ReplayHistory.maximumTime, what: what)
            if let previous = events.last?.received, received < previous {
                throw MessageError(
                    .malformed, "\(what): received \(received) is before the previous event's \(previous)")
            }
            events.append((received, try ReplayHistory.event(type, value, what: what)))
        }
        self.events = events
    }

    // MARK: Members

    /// The JSON type a member must have.
    private enum MemberType {
        case string, integer, array, strings

        /// How an error message names the type.
        var article: String {
            switch self {
            case .string: "a string"
            case .integer: "an integer without fraction or exponent"
            case .array: "an array"
            case .strings: "an array of strings"
            }
        }
    }

    /// The members of an event of this type, in the order of the shape in conformance.md; `nil`
    /// for an unknown type. `fingerprint` belongs to a `verify` decision and to no other event.
    private static func shape(_ type: String, decision: JSONValue?) -> [(String, MemberType)]? {
        let common: [(String, MemberType)] = [("type", .string), ("received", .integer)]
        switch type {
        case "message":
            return common + [
                ("sender", .string), ("card", .string), ("message_id", .string), ("date", .integer),
                ("statements", .strings),
            ]
        case "unsigned": return common + [("address", .string), ("message_id", .string)]
        case "statement": return common + [("statement", .string)]
        case "decision":
            let verify: [(String, MemberType)] = decision?.stringValue == "verify" ? [("fingerprint", .string)] : []
            return common + [("decision", .string), ("address", .string)] + verify
        default: return nil
        }
    }

    /// Checks that `value` has exactly the members of `shape`, each of its JSON type.
    private static func checkMembers(_ value: JSONValue, _ shape: [(String, MemberType)], what: String)
        throws(MessageError)
    {
        guard let members = value.objectValue else { throw MessageError(.malformed, "\(what) is not an object") }
        for (name, _) in members where !shape.contains(where: { $0.0 == name }) {
            throw MessageError(.malformed, "\(what) has a member '\(name)' it does not define")
        }
        for (name, type) in shape {
            guard let member = value[name] else { throw MessageError(.malformed, "\(what) has no member '\(name)'") }
            let matches: Bool
            switch (type, member) {
            case (.string, .string), (.integer, .integer), (.array, .array): matches = true
            case (.strings, .array(let elements)): matches = elements.allSatisfy { $0.stringValue != nil }
            default: matches = false
            }
            guard matches else { throw MessageError(.malformed, "\(what): '\(name)' is not \(type.article)") }
        }
    }

    /// A member already known to be an integer, checked to lie from 0 to `limit`.
    private static func integer(_ value: JSONValue, _ name: String, upTo limit: Int64, what: String)
        throws(MessageError) -> UInt64
    {
        guard case .integer(let number) = value[name], (0...limit).contains(number) else {
            throw MessageError(.malformed, "\(what): '\(name)' is not an integer from 0 to \(limit)")
        }
        return UInt64(number)
    }

    /// A member already known to be a string, decoded as hexadecimal.
    private static func hex(_ text: String, _ name: String, what: String) throws(MessageError) -> [UInt8] {
        guard let bytes = Hex.decode(text) else {
            throw MessageError(.malformed, "\(what): '\(name)' is not hexadecimal")
        }
        return bytes
    }

    // MARK: Values

    /// Checks an event's values in the order of its shape, once its members are known to be there.
    private static func event(_ type: String, _ value: JSONValue, what: String) throws(MessageError) -> Event {
        func text(_ name: String) -> String { value[name]?.stringValue ?? "" }
        switch type {
        case "message":
            let sender: Address
            do { sender = try Address(canonical: text("sender")) } catch {
                throw MessageError(.malformed, "\(what): sender: \(error)")
            }
            let cardBytes = try hex(text("card"), "card", what: what)
            let card: IdentityCard
            do { card = try IdentityCard(decoding: cardBytes) } catch {
                throw MessageError(error.code, "\(what): card: \(error.reason)")
            }
            guard card.lists(sender) else {
                throw MessageError(.addressMismatch, "\(what): \(sender.text) is not on the card")
            }
            let id = try messageID(text("message_id"), what: what)
            let date = try integer(value, "date", upTo: maximumTime, what: what)
            var statements: [[UInt8]] = []
            for element in value["statements"]?.arrayValue ?? [] {
                statements.append(try hex(element.stringValue ?? "", "statements", what: what))
            }
            return .message(
                TrustObservation(
                    sender: sender, identityKey: card.identityKey, cardAddresses: card.addresses, messageID: id,
                    date: date, statements: statements))
        case "unsigned":
            let address = try typedAddress(text("address"), what: what)
            return .unsigned(address, try messageID(text("message_id"), what: what))
        case "statement":
            return .statement(try hex(text("statement"), "statement", what: what))
        default:
            let name = text("decision")
            guard name == "verify" || ReplayHistory.decisions[name] != nil else {
                throw MessageError(.malformed, "\(what): unknown decision '\(name)'")
            }
            let address = try typedAddress(text("address"), what: what)
            if let decision = ReplayHistory.decisions[name] { return .decision(decision, address) }
            do {
                return .decision(.verify(try ContentIdentifier(text: text("fingerprint"), kind: .identityKey)), address)
            } catch {
                throw MessageError(.malformed, "\(what): fingerprint: \(error)")
            }
        }
    }

    /// The decisions other than `verify`, by name.
    private static let decisions: [String: Decision] = [
        "accept-change": .acceptChange, "withdraw": .withdraw, "block": .block, "unblock": .unblock,
    ]

    /// A message identifier in its text form, of kind `msg` ([id-text-strict]).
    private static func messageID(_ text: String, what: String) throws(MessageError) -> ContentIdentifier {
        do { return try ContentIdentifier(text: text, kind: .message) } catch {
            throw MessageError(.malformed, "\(what): message_id: \(error)")
        }
    }

    /// An address as a user or a gateway gives it: folded to lower case ([addr-input]).
    private static func typedAddress(_ text: String, what: String) throws(MessageError) -> Address {
        do { return try Address(parsing: text) } catch { throw MessageError(.malformed, "\(what): address: \(error)") }
    }
}
