internal import DialogueCrypto
internal import DialogueIdentifiers
internal import DialogueMessages

/// The rules of trust.md, applied inside one store transaction at one receive time. Every
/// decision of the specification's transition table is made here, so that the in-memory and
/// the SQLite store behave identically.
struct TrustRules {
    let transaction: any TrustStoreTransaction
    let now: UInt64
    let skew: UInt64

    /// A binding moved by a rotation during the current observation.
    typealias Moves = [Address: (from: Ed25519.VerifyingKey, to: Ed25519.VerifyingKey)]

    // MARK: - Observing a signed message (Spec: [trust-observe-order])

    func observe(_ observation: TrustObservation) throws -> TrustAssessment {
        if let seen = try transaction.seenMessage(observation.messageID) {
            return TrustAssessment(
                verdict: seen.verdict, statements: [], isDuplicate: true, receivedAt: seen.receivedAt)
        }
        var moves: Moves = [:]
        var outcomes: [StatementOutcome] = []
        // A statement part over 8,192 bytes is not read: it has no outcome and does not count
        // towards the 16 (Spec: [trust-statement-transport]).
        let carried = observation.statements.lazy.filter { $0.count <= StatementLimits.maximumSize }
        for bytes in carried.prefix(StatementLimits.maximumPartsPerMessage) {
            outcomes.append(try process(bytes, moves: &moves))
        }
        var binding = try transaction.binding(for: observation.sender)
        if binding?.key != observation.identityKey {
            let held = try transaction.heldStatements(subjectKey: observation.identityKey)
            for statement in held {
                let outcome = try process(statement.bytes, moves: &moves)
                if outcome != .ignored(.stillHeld) { outcomes.append(outcome) }
            }
            if !held.isEmpty { binding = try transaction.binding(for: observation.sender) }
        }
        var verdict = try judge(observation, stored: binding, moves: moves)
        switch verdict {
        case .known, .verified:
            let problems = outcomes.compactMap { outcome -> StatementProblem? in
                if case .problem(let problem) = outcome { problem } else { nil }
            }
            if let worst = problems.max(by: { $0.severity < $1.severity }), worst.severity > verdict.severity {
                verdict = .statementProblem(
                    address: observation.sender, fingerprint: observation.identityKey.fingerprint, problem: worst
                )
            }
        default:
            break
        }
        try transaction.save(
            SeenMessage(id: observation.messageID, address: observation.sender, receivedAt: now, verdict: verdict)
        )
        return TrustAssessment(verdict: verdict, statements: outcomes, isDuplicate: false, receivedAt: now)
    }

    /// The verdict on the sender, after the message's statements were applied (Spec: [trust-transitions]).
    private func judge(_ observation: TrustObservation, stored: TrustBinding?, moves: Moves) throws -> TrustVerdict {
        let address = observation.sender
        if try transaction.isBlocked(address) {
            if var binding = stored {
                binding.lastSeen = max(binding.lastSeen, now)
                binding.messageCount += 1
                try transaction.save(binding)
            }
            return .blocked(address: address)
        }
        guard var binding = stored else { return try firstContact(observation) }
        binding.lastSeen = max(binding.lastSeen, now)
        binding.messageCount += 1
        let verdict = try judge(observation, binding: &binding, moves: moves)
        try transaction.save(binding)
        return verdict
    }

    /// The verdict for an address that has a binding; updates `binding` as the table says.
    private func judge(_ observation: TrustObservation, binding: inout TrustBinding, moves: Moves) throws
        -> TrustVerdict
    {
        let address = observation.sender
        let key = observation.identityKey
        if let move = moves[address], key == move.to || key == move.from {
            return .rotated(address: address, from: move.from.fingerprint, to: move.to.fingerprint)
        }
        if key == binding.key {
            switch binding.state {
            case .revoked:
                let reason = try transaction.keyRecord(for: key)?.revocationReason ?? ""
                return .revoked(address: address, fingerprint: key.fingerprint, reason: reason)
            case .frozen:
                return .conflictingStatements(address: address, pinned: binding.fingerprint)
            case .keyChangeAlarm:
                return .keyChanged(
                    address: address, pinned: binding.fingerprint, presented: key.fingerprint, latched: true,
                    pinnedRevoked: false
                )
            case .verified:
                return .verified(address: address, fingerprint: key.fingerprint)
            case .pinned:
                if let resembles = binding.lookAlikeOf {
                    return .lookAlike(address: address, fingerprint: key.fingerprint, resembles: resembles)
                }
                return .known(
                    address: address, fingerprint: key.fingerprint, firstSeen: binding.firstSeen,
                    messageCount: binding.messageCount
                )
            }
        }
        let record = try transaction.keyRecord(for: key)
        if let record, record.isRevoked {
            return .revoked(address: address, fingerprint: key.fingerprint, reason: record.revocationReason ?? "")
        }
        if let record, record.isSuperseded(for: address) {
            let current = try chainHead(from: key, for: address)
            return .supersededKey(address: address, presented: key.fingerprint, current: current.fingerprint)
        }
        if binding.pendingKey != key {
            binding.pendingKey = key
            try log(
                address, TrustEventKind.keyChange,
                "message signed with \(key.fingerprint.text(kind: .identityKey)); pinned key kept")
        }
        switch binding.state {
        case .frozen:
            return .conflictingStatements(address: address, pinned: binding.fingerprint)
        case .verified, .keyChangeAlarm:
            binding.state = .keyChangeAlarm
            return .keyChanged(
                address: address, pinned: binding.fingerprint, presented: key.fingerprint, latched: true,
                pinnedRevoked: false
            )
        case .pinned, .revoked:
            return .keyChanged(
                address: address, pinned: binding.fingerprint, presented: key.fingerprint, latched: false,
                pinnedRevoked: binding.state == .revoked
            )
        }
    }

    /// The first signed message from an address (Spec: [trust-first-contact]).
    private func firstContact(_ observation: TrustObservation) throws -> TrustVerdict {
        let address = observation.sender
        let key = observation.identityKey
        if let record = try transaction.keyRecord(for: key) {
            if record.isRevoked {
                return .revoked(address: address, fingerprint: key.fingerprint, reason: record.revocationReason ?? "")
            }
            if record.isSuperseded(for: address) {
                let current = try chainHead(from: key, for: address)
                return .supersededKey(address: address, presented: key.fingerprint, current: current.fingerprint)
            }
        }
        var binding = TrustBinding(
            address: address, key: key, state: .pinned, firstSeen: now, lastSeen: now, messageCount: 1
        )
        let verdict: TrustVerdict
        let similar = try transaction.bindings(withSkeleton: binding.skeleton).filter {
            $0.address != address && $0.key != key
        }
        let sharing = try transaction.bindings(withKey: key).filter { !observation.cardAddresses.contains($0.address) }
        if let resembles = similar.first {
            binding.lookAlikeOf = resembles.address
            verdict = .lookAlike(address: address, fingerprint: key.fingerprint, resembles: resembles.address)
        } else if !sharing.isEmpty {
            verdict = .sharedKey(address: address, fingerprint: key.fingerprint, alsoUsedBy: sharing.map(\.address))
        } else {
            verdict = .firstContact(address: address, fingerprint: key.fingerprint)
        }
        try transaction.save(binding)
        try log(address, TrustEventKind.pinned, "\(key.fingerprint.text(kind: .identityKey)) (\(verdict.name))")
        return verdict
    }

    // MARK: - Unsigned messages (Spec: [trust-downgrade])

    func observeUnsigned(claiming address: Address, messageID: ContentIdentifier?) throws -> TrustVerdict {
        if let messageID, let seen = try transaction.seenMessage(messageID) { return seen.verdict }
        let verdict: TrustVerdict
        if try transaction.isBlocked(address) {
            verdict = .blocked(address: address)
        } else if var binding = try transaction.binding(for: address) {
            binding.unsignedCount += 1
            try transaction.save(binding)
            try log(address, TrustEventKind.downgrade, "unsigned message claiming this address")
            verdict = .downgrade(address: address, pinned: binding.fingerprint)
        } else {
            verdict = .unsigned(address: address)
        }
        if let messageID {
            try transaction.save(SeenMessage(id: messageID, address: address, receivedAt: now, verdict: verdict))
        }
        return verdict
    }

    // MARK: - Statements (Spec: [trust-statement-rules])

    func process(_ bytes: [UInt8], moves: inout Moves) throws -> StatementOutcome {
        let statement: KeyStatement
        do {
            statement = try KeyStatement(decoding: bytes)
        } catch {
            return .problem(.invalid(reason: error.description))
        }
        let hash = statement.hash
        let existing = try transaction.statement(hash: hash)
        switch existing?.status {
        case .applied: return .ignored(.replay)
        case .rejected: return .ignored(.alreadyJudged)
        case .held, nil: break
        }
        switch statement {
        case .revocation(let revocation):
            return try apply(revocation, bytes: bytes)
        case .rotation(let rotation):
            if rotation.created > now &+ skew {
                if existing?.status == .held { return .ignored(.stillHeld) }
                try record(
                    hash, bytes, .held, "created \(rotation.created), after the receiver's clock allows",
                    rotation.newKey)
                try log("", TrustEventKind.statementHeld, "future-dated rotation held: \(hex(hash))")
                return .problem(.futureDated(created: rotation.created))
            }
            let (limit, overflow) = rotation.expires.addingReportingOverflow(skew)
            if !overflow && limit < now {
                return try reject(hash, bytes, .expired(expires: rotation.expires), subject: rotation.newKey)
            }
            return try apply(rotation, bytes: bytes, moves: &moves)
        }
    }

    private func apply(_ revocation: RevocationStatement, bytes: [UInt8]) throws -> StatementOutcome {
        var key = try transaction.keyRecord(for: revocation.key) ?? KeyRecord(key: revocation.key)
        if key.isRevoked {
            try record(revocation.hash, bytes, .rejected, "the key was already revoked", revocation.key)
            return .ignored(.alreadyRevoked)
        }
        key.revokedBy = revocation.hash
        key.revocationReason = revocation.reason
        key.revokedAt = now
        try transaction.save(key)
        try record(revocation.hash, bytes, .applied, "revocation", revocation.key)
        var affected: [Address] = []
        for var binding in try transaction.bindings(withKey: revocation.key) {
            binding.state = .revoked
            binding.verifiedKey = nil
            try transaction.save(binding)
            try log(binding.address, TrustEventKind.revoked, "pinned key revoked by its holder: \(revocation.reason)")
            affected.append(binding.address)
        }
        if affected.isEmpty {
            try log("", TrustEventKind.revoked, "\(revocation.key.fingerprint.text(kind: .identityKey)) revoked")
        }
        return .revocationApplied(key: revocation.key.fingerprint, reason: revocation.reason, affected: affected)
    }

    private func apply(_ rotation: RotationStatement, bytes: [UInt8], moves: inout Moves) throws -> StatementOutcome {
        let hash = rotation.hash
        var old = try transaction.keyRecord(for: rotation.oldKey) ?? KeyRecord(key: rotation.oldKey)
        var new = try transaction.keyRecord(for: rotation.newKey) ?? KeyRecord(key: rotation.newKey)
        func rollback(_ reason: String) throws -> StatementOutcome {
            try reject(hash, bytes, .rollback(reason: reason), subject: rotation.newKey)
        }
        if old.isRevoked { return try rollback("the old key was revoked") }
        if new.isRevoked { return try rollback("the new key was revoked") }
        if let signed = old.rotatedSequence {
            if signed == rotation.sequence && old.successor == rotation.newKey {
                try record(hash, bytes, .rejected, "restatement of an applied rotation", rotation.newKey)
                return .ignored(.restatement)
            }
            if signed == rotation.sequence { return try conflict(rotation, bytes: bytes, old: old) }
            return try rollback("the old key already signed rotation \(signed); this one is \(rotation.sequence)")
        }
        if new.rotatedBy != nil {
            // The new key was replaced already: acceptable only as the missing link of a known chain.
            guard new.rotatedPrevious == hash, new.rotatedSequence == rotation.sequence + 1 else {
                return try rollback("the new key was already replaced by a later key")
            }
        }
        if let position = old.introducedSequence {
            guard rotation.sequence == position + 1, rotation.previousHash == old.introducedBy else {
                return try rollback("out of sequence: the old key's next rotation is number \(position + 1)")
            }
        }
        if let introduced = new.introducedBy, introduced != hash {
            return try rollback("the new key was already introduced by another rotation")
        }
        old.rotatedBy = hash
        old.rotatedSequence = rotation.sequence
        old.rotatedPrevious = rotation.previousHash
        old.successor = rotation.newKey
        old.rotatedAddresses = rotation.addresses
        new.introducedBy = hash
        new.introducedSequence = rotation.sequence
        try transaction.save(old)
        try transaction.save(new)
        try record(hash, bytes, .applied, "rotation \(rotation.sequence)", rotation.newKey)
        try log(
            "", TrustEventKind.chain,
            "rotation \(rotation.sequence): \(rotation.oldKey.fingerprint.text(kind: .identityKey)) -> "
                + "\(rotation.newKey.fingerprint.text(kind: .identityKey))"
        )
        var moved: [Address] = []
        for var binding in try transaction.bindings(withKey: rotation.oldKey)
        where rotation.lists(binding.address) && binding.state != .frozen {
            let head = try chainHead(from: rotation.newKey, for: binding.address)
            let from = binding.key
            binding.key = head
            binding.state = try transaction.keyRecord(for: head)?.isRevoked == true ? .revoked : .pinned
            binding.verifiedKey = nil
            if binding.pendingKey == head { binding.pendingKey = nil }
            try transaction.save(binding)
            try log(
                binding.address, TrustEventKind.rotated,
                "pin moved by a signed rotation to \(head.fingerprint.text(kind: .identityKey))"
            )
            // Two rotations may move one binding in one observation: `from` stays the pin it had
            // before the observation (Spec: [trust-transitions], row 7).
            moves[binding.address] = (moves[binding.address]?.from ?? from, head)
            moved.append(binding.address)
        }
        return .rotationApplied(from: rotation.oldKey.fingerprint, to: rotation.newKey.fingerprint, moved: moved)
    }

    /// Two rotations signed by one old key with one sequence number (Spec: [trust-conflict]).
    private func conflict(_ rotation: RotationStatement, bytes: [UInt8], old: KeyRecord) throws -> StatementOutcome {
        try record(
            rotation.hash, bytes, .rejected, "conflicts with the applied rotation \(hex(old.rotatedBy ?? []))",
            rotation.newKey)
        let addresses = Set(rotation.addresses + old.rotatedAddresses)
        var keys = [rotation.oldKey, rotation.newKey]
        if let successor = old.successor {
            keys.append(successor)
            for address in addresses { keys.append(try chainHead(from: successor, for: address)) }
        }
        var frozen = Set<Address>()
        for key in keys {
            for var binding in try transaction.bindings(withKey: key)
            where addresses.contains(binding.address) && binding.state != .revoked && !frozen.contains(binding.address)
            {
                binding.state = .frozen
                binding.verifiedKey = nil
                try transaction.save(binding)
                try log(binding.address, TrustEventKind.conflict, "conflicting rotations; pin frozen")
                frozen.insert(binding.address)
            }
        }
        try log(
            "", TrustEventKind.conflict,
            "\(rotation.oldKey.fingerprint.text(kind: .identityKey)) signed two rotations numbered \(rotation.sequence)"
        )
        return .problem(.conflict(oldKey: rotation.oldKey.fingerprint))
    }

    private func reject(_ hash: [UInt8], _ bytes: [UInt8], _ problem: StatementProblem, subject: Ed25519.VerifyingKey)
        throws -> StatementOutcome
    {
        try record(hash, bytes, .rejected, problem.name, subject)
        try log("", TrustEventKind.statementRejected, "\(problem.name): \(hex(hash))")
        return .problem(problem)
    }

    private func record(
        _ hash: [UInt8], _ bytes: [UInt8], _ status: StatementStatus, _ note: String, _ subject: Ed25519.VerifyingKey
    ) throws {
        let receivedAt = try transaction.statement(hash: hash)?.receivedAt ?? now
        try transaction.save(
            StatementRecord(
                hash: hash, bytes: bytes, receivedAt: receivedAt, status: status, note: note, subjectKey: subject)
        )
    }

    /// The newest key reached from `key` by applied rotations that list `address` (Spec: [trust-chain]).
    func chainHead(from key: Ed25519.VerifyingKey, for address: Address) throws -> Ed25519.VerifyingKey {
        var current = key
        for _ in 0..<256 {
            guard let record = try transaction.keyRecord(for: current), let successor = record.successor,
                record.rotatedAddresses.contains(address)
            else { break }
            current = successor
        }
        return current
    }

    // MARK: - User decisions (Spec: trust.md#trust-decisions)

    func markVerified(_ address: Address, fingerprint: ContentIdentifier) throws {
        guard var binding = try transaction.binding(for: address) else { throw unknown(address) }
        guard binding.fingerprint == fingerprint else {
            var reason =
                "\(fingerprint.text(kind: .identityKey)) is not the key pinned for \(address) "
                + "(\(binding.fingerprint.text(kind: .identityKey))); verifying an outdated fingerprint is refused."
            if binding.pendingKey?.fingerprint == fingerprint {
                reason += " It is the changed key they used: accept the change first, then verify it."
            } else {
                reason += " Compare the current safety number again."
            }
            throw TrustDecisionError(.outdatedFingerprint, reason)
        }
        if try transaction.keyRecord(for: binding.key)?.isRevoked == true {
            throw TrustDecisionError(.revokedKey, "the key pinned for \(address) was revoked by its holder")
        }
        binding.state = .verified
        binding.verifiedKey = binding.key
        binding.pendingKey = nil
        binding.lookAlikeOf = nil
        try transaction.save(binding)
        try log(address, TrustEventKind.verified, fingerprint.text(kind: .identityKey))
    }

    func acceptKeyChange(_ address: Address) throws {
        guard var binding = try transaction.binding(for: address) else { throw unknown(address) }
        guard let pending = binding.pendingKey else {
            throw TrustDecisionError(.noKeyChange, "no unexplained key change is recorded for \(address)")
        }
        if try transaction.keyRecord(for: pending)?.isRevoked == true {
            throw TrustDecisionError(.revokedKey, "the key \(address) changed to was revoked by its holder")
        }
        let old = binding.fingerprint
        binding.key = pending
        binding.state = .pinned
        binding.verifiedKey = nil
        binding.pendingKey = nil
        try transaction.save(binding)
        try log(
            address, TrustEventKind.acceptedChange,
            "\(old.text(kind: .identityKey)) -> \(pending.fingerprint.text(kind: .identityKey)) accepted by the user"
        )
    }

    func withdrawVerification(_ address: Address) throws {
        guard var binding = try transaction.binding(for: address) else { throw unknown(address) }
        guard binding.state == .verified || binding.state == .keyChangeAlarm else {
            throw TrustDecisionError(.notVerified, "\(address) is not verified (state \(binding.state.rawValue))")
        }
        binding.state = .pinned
        binding.verifiedKey = nil
        try transaction.save(binding)
        try log(address, TrustEventKind.withdrawn, "verification withdrawn by the user")
    }

    func setBlocked(_ address: Address, _ blocked: Bool) throws {
        guard try transaction.isBlocked(address) != blocked else { return }
        try transaction.setBlocked(address, blocked, at: now)
        try log(address, blocked ? TrustEventKind.blocked : TrustEventKind.unblocked, "by the user")
    }

    private func unknown(_ address: Address) -> TrustDecisionError {
        TrustDecisionError(.unknownAddress, "no message from \(address) has been received; nothing is pinned for it")
    }

    private func log(_ address: Address, _ kind: String, _ detail: String) throws {
        try log(address.text, kind, detail)
    }

    private func log(_ address: String, _ kind: String, _ detail: String) throws {
        try transaction.appendEvent(time: now, address: address, kind: kind, detail: detail)
    }
}

func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        output.append(digits[Int(byte >> 4)])
        output.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: output, as: UTF8.self)
}
