internal import DialogueCBOR
internal import DialogueIdentifiers
internal import DialogueMessages

/// The stored form of a verdict, so that a duplicate delivery returns exactly the verdict the
/// first delivery got (Spec: [trust-duplicate]). An array: `[code, address, fields…]`.
extension TrustVerdict {
    func encoded() -> [UInt8] {
        func id(_ value: ContentIdentifier) -> CBORValue { .bytes(value.binaryRepresentation) }
        let fields: [CBORValue]
        switch self {
        case .firstContact(let address, let fingerprint):
            fields = [0, .text(address.text), id(fingerprint)]
        case .known(let address, let fingerprint, let firstSeen, let count):
            fields = [1, .text(address.text), id(fingerprint), .unsigned(firstSeen), .unsigned(count)]
        case .verified(let address, let fingerprint):
            fields = [2, .text(address.text), id(fingerprint)]
        case .keyChanged(let address, let pinned, let presented, let latched, let pinnedRevoked):
            fields = [3, .text(address.text), id(pinned), id(presented), .bool(latched), .bool(pinnedRevoked)]
        case .rotated(let address, let from, let to):
            fields = [4, .text(address.text), id(from), id(to)]
        case .revoked(let address, let fingerprint, let reason):
            fields = [5, .text(address.text), id(fingerprint), .text(reason)]
        case .supersededKey(let address, let presented, let current):
            fields = [6, .text(address.text), id(presented), id(current)]
        case .conflictingStatements(let address, let pinned):
            fields = [7, .text(address.text), id(pinned)]
        case .downgrade(let address, let pinned):
            fields = [8, .text(address.text), id(pinned)]
        case .unsigned(let address):
            fields = [9, .text(address.text)]
        case .blocked(let address):
            fields = [10, .text(address.text)]
        case .lookAlike(let address, let fingerprint, let resembles):
            fields = [11, .text(address.text), id(fingerprint), .text(resembles.text)]
        case .sharedKey(let address, let fingerprint, let others):
            fields = [12, .text(address.text), id(fingerprint), .array(others.map { .text($0.text) })]
        case .statementProblem(let address, let fingerprint, let problem):
            let encodedProblem: CBORValue =
                switch problem {
                case .invalid(let reason): [0, .text(reason)]
                case .expired(let expires): [1, .unsigned(expires)]
                case .futureDated(let created): [2, .unsigned(created)]
                case .rollback(let reason): [3, .text(reason)]
                case .conflict(let oldKey): [4, id(oldKey)]
                }
            fields = [13, .text(address.text), id(fingerprint), encodedProblem]
        }
        return Schema.encode(.array(fields))
    }

    init?(encoded bytes: [UInt8]) {
        guard let node = try? CBORDecoder().decode(bytes), case .array(let fields) = node.value, fields.count >= 2,
            case .unsigned(let code) = fields[0], case .text(let addressText) = fields[1],
            let address = try? Address(canonical: addressText)
        else { return nil }
        func id(_ index: Int) -> ContentIdentifier? {
            guard index < fields.count, case .bytes(let bytes) = fields[index] else { return nil }
            return try? ContentIdentifier(binaryRepresentation: bytes, kind: .identityKey)
        }
        func number(_ index: Int) -> UInt64? {
            guard index < fields.count, case .unsigned(let value) = fields[index] else { return nil }
            return value
        }
        func flag(_ index: Int) -> Bool? {
            guard index < fields.count, case .bool(let value) = fields[index] else { return nil }
            return value
        }
        func text(_ index: Int) -> String? {
            guard index < fields.count, case .text(let value) = fields[index] else { return nil }
            return value
        }
        switch code {
        case 0:
            guard let fingerprint = id(2) else { return nil }
            self = .firstContact(address: address, fingerprint: fingerprint)
        case 1:
            guard let fingerprint = id(2), let firstSeen = number(3), let count = number(4) else { return nil }
            self = .known(address: address, fingerprint: fingerprint, firstSeen: firstSeen, messageCount: count)
        case 2:
            guard let fingerprint = id(2) else { return nil }
            self = .verified(address: address, fingerprint: fingerprint)
        case 3:
            guard let pinned = id(2), let presented = id(3), let latched = flag(4), let revoked = flag(5) else {
                return nil
            }
            self = .keyChanged(
                address: address, pinned: pinned, presented: presented, latched: latched, pinnedRevoked: revoked
            )
        case 4:
            guard let from = id(2), let to = id(3) else { return nil }
            self = .rotated(address: address, from: from, to: to)
        case 5:
            guard let fingerprint = id(2), let reason = text(3) else { return nil }
            self = .revoked(address: address, fingerprint: fingerprint, reason: reason)
        case 6:
            guard let presented = id(2), let current = id(3) else { return nil }
            self = .supersededKey(address: address, presented: presented, current: current)
        case 7:
            guard let pinned = id(2) else { return nil }
            self = .conflictingStatements(address: address, pinned: pinned)
        case 8:
            guard let pinned = id(2) else { return nil }
            self = .downgrade(address: address, pinned: pinned)
        case 9:
            self = .unsigned(address: address)
        case 10:
            self = .blocked(address: address)
        case 11:
            guard let fingerprint = id(2), let resemblesText = text(3),
                let resembles = try? Address(canonical: resemblesText)
            else { return nil }
            self = .lookAlike(address: address, fingerprint: fingerprint, resembles: resembles)
        case 12:
            guard let fingerprint = id(2), fields.count > 3, case .array(let list) = fields[3] else { return nil }
            var others: [Address] = []
            for item in list {
                guard case .text(let text) = item, let other = try? Address(canonical: text) else { return nil }
                others.append(other)
            }
            self = .sharedKey(address: address, fingerprint: fingerprint, alsoUsedBy: others)
        case 13:
            guard let fingerprint = id(2), fields.count > 3, case .array(let problem) = fields[3], problem.count == 2,
                case .unsigned(let problemCode) = problem[0]
            else { return nil }
            let decoded: StatementProblem
            switch (problemCode, problem[1]) {
            case (0, .text(let reason)): decoded = .invalid(reason: reason)
            case (1, .unsigned(let expires)): decoded = .expired(expires: expires)
            case (2, .unsigned(let created)): decoded = .futureDated(created: created)
            case (3, .text(let reason)): decoded = .rollback(reason: reason)
            case (4, .bytes(let bytes)):
                guard let oldKey = try? ContentIdentifier(binaryRepresentation: bytes, kind: .identityKey) else {
                    return nil
                }
                decoded = .conflict(oldKey: oldKey)
            default: return nil
            }
            self = .statementProblem(address: address, fingerprint: fingerprint, problem: decoded)
        default:
            return nil
        }
    }
}
