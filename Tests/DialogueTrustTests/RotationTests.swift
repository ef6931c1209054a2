import DialogueCBOR
import DialogueCrypto
import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Testing

@Suite("rotation statements")
struct RotationTests {
    let alice1 = Fixture.identity("alice@example.org", seed: 1)
    let alice2 = Fixture.identity("alice@example.org", seed: 2)
    let alice3 = Fixture.identity("alice@example.org", seed: 3)
    let address = Fixture.address("alice@example.org")

    /// [trust-rotation-apply]: a rotation signed by the old and the new key moves the pin with a quiet
    /// notice; the new key is then simply known.
    @Test("a valid rotation moves the pin with a quiet notice", arguments: StoreKind.allCases)
    func validRotation(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        try await harness.observe(alice1, id: "m1")
        let rotation = Fixture.rotation(["alice@example.org"], from: 1, to: 2)
        let rotated = try await harness.observe(alice2, id: "m2", statements: [rotation.encodedBytes])
        #expect(rotated.verdict == .rotated(address: address, from: alice1.fingerprint, to: alice2.fingerprint))
        #expect(rotated.verdict.severity == .notice)
        #expect(
            rotated.statements
                == [.rotationApplied(from: alice1.fingerprint, to: alice2.fingerprint, moved: [address])]
        )
        let binding = try #require(try await harness.binding("alice@example.org"))
        #expect(binding.key == alice2.card.identityKey && binding.state == .pinned && binding.pendingKey == nil)
        #expect(try await harness.observe(alice2, id: "m3").verdict.name == "known")
        try await harness.expectSound()
    }

    /// [trust-rotation-apply]: a rotation delivered before any message under the new key (or announced in a
    /// message still signed by the old key) is applied the same way.
    @Test("a rotation announced under the old key, or applied on its own, moves the pin", arguments: StoreKind.allCases)
    func rotationAnnouncedOrApplied(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        try await harness.observe(alice1, id: "m1")
        let announced = try await harness.observe(
            alice1, id: "m2", statements: [Fixture.rotation(["alice@example.org"], from: 1, to: 2).encodedBytes]
        )
        #expect(announced.verdict == .rotated(address: address, from: alice1.fingerprint, to: alice2.fingerprint))
        let second = try await harness.engine.apply(
            statement: Fixture.rotation(
                ["alice@example.org"], from: 2, to: 3, sequence: 2,
                previous: Fixture.rotation(["alice@example.org"], from: 1, to: 2).hash
            ).encodedBytes
        )
        #expect(second == .rotationApplied(from: alice2.fingerprint, to: alice3.fingerprint, moved: [address]))
        #expect(try await harness.observe(alice3, id: "m3").verdict.name == "known")
    }

    /// The ways a rotation can be forged or misapplied; each leaves the pin alone and alarms.
    enum Forgery: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case missingNewKeySignature = "missing new-key signature"
        case missingOldKeySignature = "missing old-key signature"
        case wrongOldKeySignature = "old-key signature by another key"
        case wrongNewKeySignature = "new-key signature by another key"
        case signaturesSwapped = "signatures swapped"
        case wrongAddress = "rotation for another address"
        case oldKeyNotPinned = "rotation from a key that is not pinned"
        var testDescription: String { rawValue }
    }

    /// [trust-statement-decode], [trust-key-change]: forged rotations are ignored; the message under the new
    /// key is an unexpected key change.
    @Test("a forged rotation is ignored and the new key alarms", arguments: Forgery.allCases)
    func forgedRotation(forgery: Forgery) async throws {
        let harness = try Harness(.memory)
        try await harness.observe(alice1, id: "m1")
        let genuine = Fixture.rotation(["alice@example.org"], from: 1, to: 2)
        let (body, oldSignature, newSignature) = try Self.parts(genuine.encodedBytes)
        let other = Fixture.signingKey(7)
        let input = [UInt8]("dialogue-v1/rotation".utf8) + [0] + body
        let forged: [UInt8]
        switch forgery {
        case .missingNewKeySignature: forged = Self.encode([body, oldSignature])
        case .missingOldKeySignature: forged = Self.encode([body, newSignature])
        case .wrongOldKeySignature:
            forged = Self.encode([body, other.signature(for: input).rawRepresentation, newSignature])
        case .wrongNewKeySignature:
            forged = Self.encode([body, oldSignature, other.signature(for: input).rawRepresentation])
        case .signaturesSwapped: forged = Self.encode([body, newSignature, oldSignature])
        case .wrongAddress: forged = Fixture.rotation(["bob@example.org"], from: 1, to: 2).encodedBytes
        case .oldKeyNotPinned: forged = Fixture.rotation(["alice@example.org"], from: 7, to: 2).encodedBytes
        }
        let result = try await harness.observe(alice2, id: "m2", statements: [forged])
        #expect(result.verdict.name == "key-changed")
        #expect(result.verdict.severity == .alarm)
        #expect(try await harness.binding("alice@example.org")?.key == alice1.card.identityKey)
        switch forgery {
        case .wrongAddress, .oldKeyNotPinned:
            // Well-formed and authentic, but it does not concern this binding.
            guard case .rotationApplied(_, _, let moved) = try #require(result.statements.first) else {
                Issue.record("expected the statement to be recorded, got \(result.statements)")
                return
            }
            #expect(moved.isEmpty)
        default:
            guard case .problem(.invalid) = try #require(result.statements.first) else {
                Issue.record("expected an invalid statement, got \(result.statements)")
                return
            }
        }
    }

    /// [trust-replay]: a statement applied once is ignored when it comes again, in a message or alone.
    @Test("trust-statement-rules: a replayed rotation is ignored without any change", arguments: StoreKind.allCases)
    func replayedRotation(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        try await harness.observe(alice1, id: "m1")
        let rotation = Fixture.rotation(["alice@example.org"], from: 1, to: 2).encodedBytes
        try await harness.observe(alice2, id: "m2", statements: [rotation])
        let events = try await harness.engine.events()
        let replayed = try await harness.observe(alice2, id: "m3", statements: [rotation])
        #expect(replayed.statements == [.ignored(.replay)])
        #expect(replayed.verdict.name == "known")
        #expect(try await harness.engine.apply(statement: rotation) == .ignored(.replay))
        #expect(try await harness.engine.events() == events)
    }

    /// [trust-rollback]: a rotation back to a superseded key, or out of sequence, is ignored and flagged.
    @Test("trust-statement-rules: a rollback to a superseded key is ignored and flagged", arguments: StoreKind.allCases)
    func rollbackToSupersededKey(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        try await harness.observe(alice1, id: "m1")
        let first = Fixture.rotation(["alice@example.org"], from: 1, to: 2)
        try await harness.observe(alice2, id: "m2", statements: [first.encodedBytes])
        // Signed by both keys (someone holds both old keys), back to the superseded key 1.
        let back = Fixture.rotation(["alice@example.org"], from: 2, to: 1, sequence: 2, previous: first.hash)
        let result = try await harness.observe(alice2, id: "m3", statements: [back.encodedBytes])
        guard case .statementProblem(_, _, .rollback(let reason)) = result.verdict else {
            Issue.record("expected a rollback, got \(result.verdict)")
            return
        }
        #expect(reason.contains("already replaced"))
        #expect(result.verdict.severity == .alarm)
        #expect(try await harness.binding("alice@example.org")?.key == alice2.card.identityKey)
        // Out of sequence: key 2's next rotation is number 2 and must name rotation 1.
        let skipping = Fixture.rotation(["alice@example.org"], from: 2, to: 3, sequence: 5, previous: first.hash)
        guard case .problem(.rollback) = try await harness.engine.apply(statement: skipping.encodedBytes) else {
            Issue.record("an out-of-sequence rotation must be flagged")
            return
        }
        // Flagged once: the same statement again is quiet.
        #expect(try await harness.engine.apply(statement: back.encodedBytes) == .ignored(.alreadyJudged))
        #expect(try await harness.binding("alice@example.org")?.key == alice2.card.identityKey)
        try await harness.expectSound()
    }

    /// [trust-superseded]: a message signed with a superseded key is flagged whatever date it claims.
    @Test("a message backdated under a superseded key is flagged", arguments: StoreKind.allCases)
    func backdatedUnderSupersededKey(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        try await harness.observe(alice1, id: "m1")
        try await harness.observe(
            alice2, id: "m2", statements: [Fixture.rotation(["alice@example.org"], from: 1, to: 2).encodedBytes]
        )
        harness.clock.advance(by: 86_400)
        let backdated = try await harness.observe(alice1, id: "m3", date: t0 - 30 * 86_400)
        #expect(
            backdated.verdict
                == .supersededKey(address: address, presented: alice1.fingerprint, current: alice2.fingerprint)
        )
        #expect(backdated.verdict.severity == .alarm)
        #expect(backdated.verdict.explanation.contains("delivered late"))
        #expect(try await harness.binding("alice@example.org")?.key == alice2.card.identityKey)
        // A new contact who meets the old key for this address is not pinned to it either.
        let fresh = try Harness(kind)
        _ = try await fresh.engine.apply(
            statement: Fixture.rotation(["alice@example.org"], from: 1, to: 2).encodedBytes)
        #expect(try await fresh.observe(alice1, id: "m1").verdict.name == "superseded-key")
        #expect(try await fresh.binding("alice@example.org") == nil)
    }

    /// [trust-conflict]: two different rotations with one sequence number from one key: alarm, pin frozen
    /// until the user acts.
    @Test("two rotations with the same sequence number freeze the pin", arguments: StoreKind.allCases)
    func conflictingRotations(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        try await harness.observe(alice1, id: "m1")
        try await harness.observe(
            alice2, id: "m2", statements: [Fixture.rotation(["alice@example.org"], from: 1, to: 2).encodedBytes]
        )
        let rival = Fixture.rotation(["alice@example.org"], from: 1, to: 3)
        let conflict = try await harness.observe(alice3, id: "m3", statements: [rival.encodedBytes])
        #expect(conflict.verdict == .conflictingStatements(address: address, pinned: alice2.fingerprint))
        #expect(conflict.statements == [.problem(.conflict(oldKey: alice1.fingerprint))])
        #expect(conflict.verdict.severity == .alarm)
        var binding = try #require(try await harness.binding("alice@example.org"))
        #expect(binding.state == .frozen && binding.key == alice2.card.identityKey)
        #expect(binding.pendingKey == alice3.card.identityKey)
        // Frozen: even the pinned key alarms, and a further rotation does not move the pin.
        #expect(try await harness.observe(alice2, id: "m4").verdict.name == "conflicting-statements")
        let onward = Fixture.rotation(
            ["alice@example.org"], from: 2, to: 4, sequence: 2,
            previous: Fixture.rotation(["alice@example.org"], from: 1, to: 2).hash
        )
        _ = try await harness.engine.apply(statement: onward.encodedBytes)
        binding = try #require(try await harness.binding("alice@example.org"))
        #expect(binding.key == alice2.card.identityKey && binding.state == .frozen)
        // The user checked with Alice: key 3 is hers.
        try await harness.engine.acceptKeyChange(address)
        #expect(try await harness.observe(alice3, id: "m5").verdict.name == "known")
        try await harness.expectSound()
    }

    /// [trust-skew]: a statement created beyond the skew bound is held, not applied, until the receiver's
    /// clock catches up; within the bound it applies at once.
    @Test("a future-dated rotation is held until the receiver's clock allows it", arguments: StoreKind.allCases)
    func futureDatedRotationHeld(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        try await harness.observe(alice1, id: "m1")
        let early = Fixture.rotation(["alice@example.org"], from: 1, to: 2, created: t0 + 601)
        let held = try await harness.observe(alice2, id: "m2", statements: [early.encodedBytes])
        #expect(held.statements == [.problem(.futureDated(created: t0 + 601))])
        #expect(held.verdict.name == "key-changed")
        #expect(try await harness.binding("alice@example.org")?.key == alice1.card.identityKey)
        harness.clock.advance(by: 1)  // now t0 + 1: created is within 600 s
        let applied = try await harness.observe(alice2, id: "m3")
        #expect(applied.verdict == .rotated(address: address, from: alice1.fingerprint, to: alice2.fingerprint))
        // Within the skew bound: applied at once.
        let other = try Harness(kind)
        try await other.observe(alice1, id: "m1")
        let slightlyAhead = Fixture.rotation(["alice@example.org"], from: 1, to: 2, created: t0 + 600)
        #expect(
            try await other.observe(alice2, id: "m2", statements: [slightlyAhead.encodedBytes]).verdict.name
                == "rotated")
    }

    /// [trust-skew]: an expired statement is ignored with a notice; within the skew bound it still applies.
    @Test("an expired rotation is ignored with a notice", arguments: StoreKind.allCases)
    func expiredRotationIgnored(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        try await harness.observe(alice1, id: "m1")
        let stale = Fixture.rotation(["alice@example.org"], from: 1, to: 2, created: t0 - 1000, expires: t0 - 601)
        let result = try await harness.observe(alice2, id: "m2", statements: [stale.encodedBytes])
        #expect(result.statements == [.problem(.expired(expires: t0 - 601))])
        #expect(result.statements[0].severity == .notice)
        #expect(result.verdict.name == "key-changed")
        // In a message from the pinned key, the expired statement is the verdict (a notice).
        let fromOld = try await harness.observe(
            alice1, id: "m3",
            statements: [
                Fixture.rotation(["alice@example.org"], from: 1, to: 3, created: t0 - 9000, expires: t0 - 700)
                    .encodedBytes
            ]
        )
        #expect(
            fromOld.verdict
                == .statementProblem(
                    address: address, fingerprint: alice1.fingerprint, problem: .expired(expires: t0 - 700)))
        let other = try Harness(kind)
        try await other.observe(alice1, id: "m1")
        let justExpired = Fixture.rotation(["alice@example.org"], from: 1, to: 2, created: t0 - 1000, expires: t0 - 600)
        #expect(
            try await other.observe(alice2, id: "m2", statements: [justExpired.encodedBytes]).verdict.name == "rotated")
    }

    /// [trust-chain]: rotations chain by sequence number and previous hash; a contact who missed a
    /// rotation follows the whole chain when it arrives.
    @Test("a chain of rotations is followed, including a late missing link", arguments: StoreKind.allCases)
    func chainedRotations(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        try await harness.observe(alice1, id: "m1")
        let first = Fixture.rotation(["alice@example.org"], from: 1, to: 2)
        let second = Fixture.rotation(["alice@example.org"], from: 2, to: 3, sequence: 2, previous: first.hash)
        // The second arrives first: it concerns key 2, which nobody pinned; then the first links the chain.
        let result = try await harness.observe(alice3, id: "m2", statements: [second.encodedBytes, first.encodedBytes])
        #expect(result.verdict == .rotated(address: address, from: alice1.fingerprint, to: alice3.fingerprint))
        #expect(try await harness.binding("alice@example.org")?.key == alice3.card.identityKey)
        #expect(try await harness.observe(alice2, id: "m3").verdict.name == "superseded-key")
    }

    // MARK: helpers

    static func parts(_ statement: [UInt8]) throws -> ([UInt8], [UInt8], [UInt8]) {
        let node = try CBORDecoder().decode(statement)
        guard case .array(let elements) = node.value, elements.count == 3, case .bytes(let body) = elements[0],
            case .bytes(let old) = elements[1], case .bytes(let new) = elements[2]
        else { throw CBORError(.unexpectedType) }
        return (body, old, new)
    }

    static func encode(_ elements: [[UInt8]]) -> [UInt8] {
        try! CBOREncoder().encode(.array(elements.map { .bytes($0) }))
    }
}
