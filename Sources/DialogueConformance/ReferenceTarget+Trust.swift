internal import DialogueCrypto
internal import DialogueIdentifiers
internal import DialogueMessages
internal import DialogueTrust

/// The trust operations of Spec/conformance.md#conf-operations: `safety.number`, `safety.parse`,
/// `statement.verify` and `trust.replay`, run on the Swift library.
extension ReferenceTarget {
    func safetyNumber(_ input: JSONValue) throws -> Outcome {
        func party(_ suffix: String) throws -> SafetyNumber {
            let address: Address
            do { address = try Address(canonical: try input.string("address_" + suffix)) } catch let error as InputError
            {
                throw error
            } catch {
                throw MessageError(.malformed, "address_\(suffix): \(error)")
            }
            guard let key = try? Ed25519.VerifyingKey(rawRepresentation: try input.hex("identity_key_" + suffix)) else {
                throw MessageError(.malformed, "identity_key_\(suffix) is 32 bytes")
            }
            return SafetyNumber(address: address, identityKey: key)
        }
        let a = try party("a")
        let b = try party("b")
        // A pair is of two parties: its payload names two different addresses (Spec: [trust-verify-uri]).
        let pair = try PairSafetyNumber(a, b)
        return .ok(
            .object([
                ("number_a", .string(a.digits)), ("number_b", .string(b.digits)), ("pair", .string(pair.digits)),
                ("payload", .string(pair.verificationURI)),
            ])
        )
    }

    func safetyParse(_ input: JSONValue) throws -> Outcome {
        let text = try input.string("payload")
        do {
            let payload = try VerificationPayload(parsing: text)
            var members: [(String, JSONValue)] = []
            for (index, party) in payload.parties.enumerated() {
                members.append(("address_\(index + 1)", .string(party.address.text)))
                members.append(("fingerprint_\(index + 1)", .string(party.fingerprint.text(kind: .identityKey))))
            }
            return .ok(.object(members))
        } catch {
            return .error("malformed", detail: nil, message: error.description)
        }
    }

    func statementVerify(_ input: JSONValue) throws -> Outcome {
        let bytes = try input.hex("statement")
        do {
            return .ok(ReferenceTarget.statementJSON(try KeyStatement(decoding: bytes)))
        } catch {
            return .error(error.code.name, detail: nil, message: error.reason)
        }
    }

    static func statementJSON(_ statement: KeyStatement) -> JSONValue {
        switch statement {
        case .rotation(let rotation):
            return .object([
                ("kind", "rotation"), ("hash", .string(Hex.encode(rotation.hash))),
                ("addresses", .array(rotation.addresses.map { .string($0.text) })),
                ("old_key", .string(Hex.encode(rotation.oldKey.rawRepresentation))),
                ("new_key", .string(Hex.encode(rotation.newKey.rawRepresentation))),
                ("sequence", .exactly(rotation.sequence)),
                ("previous", .string(Hex.encode(rotation.previousHash))),
                ("created", .exactly(rotation.created)),
                ("expires", .exactly(rotation.expires)),
            ])
        case .revocation(let revocation):
            return .object([
                ("kind", "revocation"), ("hash", .string(Hex.encode(revocation.hash))),
                ("key", .string(Hex.encode(revocation.key.rawRepresentation))),
                ("created", .exactly(revocation.created)), ("reason", .string(revocation.reason)),
            ])
        }
    }

    /// Replays a history through a fresh engine on a memory store, the clock set to each event's
    /// receive time (Spec: conformance.md, `trust.replay`). The whole history is checked first
    /// ([conf-replay-well-formed]): an ill-formed one gives its first fault's class and no result.
    func trustReplay(_ input: JSONValue) async throws -> Outcome {
        let history = try ReplayHistory(input)
        let clock = ManualTrustClock(0)
        let store = MemoryTrustStore(storeID: [UInt8](repeating: 0, count: 32))
        let engine = TrustEngine(store: store, clock: clock, clockSkew: history.clockSkew)
        var results: [JSONValue] = []
        for (received, event) in history.events {
            clock.set(received)
            results.append(try await ReferenceTarget.replay(event, engine: engine, store: store))
        }
        return .ok(.object([("results", .array(results))]))
    }

    private static func replay(_ event: ReplayHistory.Event, engine: TrustEngine, store: MemoryTrustStore)
        async throws -> JSONValue
    {
        switch event {
        case .message(let observation):
            let assessment = try await engine.observe(observation)
            return verdictJSON(
                assessment.verdict, duplicate: assessment.isDuplicate, statements: assessment.statements)
        case .unsigned(let address, let id):
            let seen = try await store.read { try $0.seenMessage(id) } != nil
            let verdict = try await engine.observeUnsigned(claiming: address, messageID: id)
            return verdictJSON(verdict, duplicate: seen, statements: [])
        case .statement(let bytes):
            let outcome = try await engine.apply(statement: bytes)
            return .object([("statements", .array([.string(outcomeName(outcome))]))])
        case .decision(let decision, let address):
            do {
                switch decision {
                case .verify(let fingerprint): try await engine.markVerified(address, fingerprint: fingerprint)
                case .acceptChange: try await engine.acceptKeyChange(address)
                case .withdraw: try await engine.withdrawVerification(address)
                case .block: try await engine.block(address)
                case .unblock: try await engine.unblock(address)
                }
                return .object([("decision", "ok")])
            } catch let error as TrustDecisionError {
                return .object([("decision", .string(error.code.name))])
            }
        }
    }

    private static func verdictJSON(_ verdict: TrustVerdict, duplicate: Bool, statements: [StatementOutcome])
        -> JSONValue
    {
        .object([
            ("verdict", .string(verdict.name)), ("severity", .string(verdict.severity.description)),
            ("duplicate", .bool(duplicate)), ("statements", .array(statements.map { .string(outcomeName($0)) })),
        ])
    }

    /// `applied`, the name of the reason a statement was ignored, or the name of its problem.
    static func outcomeName(_ outcome: StatementOutcome) -> String {
        switch outcome {
        case .rotationApplied, .revocationApplied: "applied"
        case .ignored(let reason): reason.rawValue
        case .problem(let problem): problem.name
        }
    }
}
