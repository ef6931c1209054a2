import DialogueCBOR
import DialogueCrypto
import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Foundation
import Testing

@Suite("statement encoding")
struct StatementTests {
    /// A rotation body with every field, for tampering.
    static func body(
        version: CBORValue = 1, kind: CBORValue = 0, addresses: CBORValue = ["alice@example.org"], old: UInt8 = 1,
        new: UInt8 = 2, sequence: CBORValue = 1, previous: CBORValue = .bytes([]), created: CBORValue = .unsigned(t0),
        expires: CBORValue = .unsigned(t0 + 100), extra: [CBORValue.MapEntry] = []
    ) -> [UInt8] {
        try! CBOREncoder().encode(
            .map(
                [
                    .init(key: 0, value: version), .init(key: 1, value: kind), .init(key: 2, value: addresses),
                    .init(key: 3, value: .bytes(Fixture.signingKey(old).publicKey.rawRepresentation)),
                    .init(key: 4, value: .bytes(Fixture.signingKey(new).publicKey.rawRepresentation)),
                    .init(key: 5, value: sequence), .init(key: 6, value: previous), .init(key: 7, value: created),
                    .init(key: 8, value: expires),
                ] + extra
            )
        )
    }

    /// Signs `body` as a rotation with keys `old` and `new`.
    static func signed(_ body: [UInt8], old: UInt8 = 1, new: UInt8 = 2) -> [UInt8] {
        let input = [UInt8]("dialogue-v1/rotation".utf8) + [0] + body
        return try! CBOREncoder().encode(
            .array([
                .bytes(body), .bytes(Fixture.signingKey(old).signature(for: input).rawRepresentation),
                .bytes(Fixture.signingKey(new).signature(for: input).rawRepresentation),
            ])
        )
    }

    /// [trust-rotation], [trust-statement-hash]: what is made decodes to the same fields; the hash is
    /// over the body under its own context.
    @Test("a rotation round-trips and its hash is BLAKE2b-256 of the body under dialogue-v1/statement")
    func rotationRoundTrip() throws {
        let made = Fixture.rotation(
            ["bob@example.org", "alice@example.org"], from: 1, to: 2, created: t0, expires: t0 + 100)
        let decoded = try RotationStatement(decoding: made.encodedBytes)
        #expect(decoded == made)
        #expect(decoded.addresses.map(\.text) == ["alice@example.org", "bob@example.org"])
        #expect(decoded.oldKey == Fixture.signingKey(1).publicKey && decoded.newKey == Fixture.signingKey(2).publicKey)
        #expect(decoded.sequence == 1 && decoded.previousHash.isEmpty && decoded.expires == t0 + 100)
        let (body, _, _) = try RotationTests.parts(made.encodedBytes)
        #expect(made.hash == BLAKE2b256.hash([UInt8]("dialogue-v1/statement".utf8) + [0] + body))
        #expect(body == StatementTests.body(addresses: ["alice@example.org", "bob@example.org"]))
        let revocation = try RevocationStatement(revoking: Fixture.signingKey(1), created: t0, reason: "lost")
        #expect(try RevocationStatement(decoding: revocation.encodedBytes) == revocation)
        #expect(throws: MessageError(.malformed, "")) { try RotationStatement(decoding: revocation.encodedBytes) }
    }

    /// [trust-statement-decode]: the worked example of trust.md, byte for byte.
    @Test("the specification's example rotation and revocation, byte for byte")
    func specificationExample() throws {
        let rotation = Fixture.rotation(["alice@example.org"], from: 1, to: 2, created: t0, expires: t0 + 7_776_000)
        let (body, _, _) = try RotationTests.parts(rotation.encodedBytes)
        #expect(hexString(body) == StatementTests.exampleBody)
        #expect(hexString(rotation.hash) == StatementTests.exampleHash)
        #expect(rotation.encodedBytes.count == 1 + 2 + body.count + 2 * (2 + 64))
        let revocation = try RevocationStatement(
            revoking: Fixture.signingKey(1), created: t0, reason: "key compromised")
        #expect(hexString(revocation.encodedBytes) == StatementTests.exampleRevocation)
    }

    static let exampleBody =
        "a900010100028171616c696365406578616d706c652e6f72670358208a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c0458208139770ea87d175f56a35466c34c7ecccb8d8a91b4ee37a25df60f5b8fc9b39405010640071a6553f100081a65ca9800"
    static let exampleHash = "4ad8ec11150db5bf00d4b1ef42ef134ca44c3c01faef032541aa84e5d0b16d81"
    static let exampleRevocation =
        "82583fa5000101010258208a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c031a6553f100046f6b657920636f6d70726f6d697365645840f97d6f84a0b3d0b215ee9de4e67cbeefa256a44c0913a46d7579c862eb244097b094e5ebadb8d45efbfc843b4b056611272f3646c145e5451c282d4a282baa02"

    /// [trust-statement-decode]: every violation gets its class, in the specification's order.
    @Test(
        "malformed rotations are rejected with their class",
        arguments: [
            ("version 2", body(version: 2), "unsupported-version"),
            ("kind 7", body(kind: 7), "unsupported-version"),
            ("sequence 0", body(sequence: 0), "malformed"),
            ("sequence 1 with a previous hash", body(previous: .bytes([UInt8](repeating: 1, count: 32))), "malformed"),
            ("sequence 2 without a previous hash", body(sequence: 2), "malformed"),
            (
                "previous hash of 31 bytes", body(sequence: 2, previous: .bytes([UInt8](repeating: 1, count: 31))),
                "malformed"
            ),
            ("expires before created", body(expires: .unsigned(t0)), "malformed"),
            ("same old and new key", body(new: 1), "malformed"),
            ("no address", body(addresses: []), "malformed"),
            ("unsorted addresses", body(addresses: ["bob@example.org", "alice@example.org"]), "malformed"),
            ("duplicate addresses", body(addresses: ["alice@example.org", "alice@example.org"]), "malformed"),
            ("upper-case address", body(addresses: ["Alice@example.org"]), "malformed"),
            ("17 addresses", body(addresses: .array((0..<17).map { .text("a\($0 + 10)@example.org") })), "malformed"),
            ("unknown key 9", body(extra: [.init(key: 9, value: 0)]), "malformed"),
            ("created as text", body(created: "now"), "malformed"),
        ]
    )
    func malformedRotation(name: String, body: [UInt8], code: String) {
        do {
            _ = try KeyStatement(decoding: StatementTests.signed(body, new: name == "same old and new key" ? 1 : 2))
            Issue.record("\(name) should be rejected")
        } catch {
            #expect(error.code.name == code, "\(name): \(error)")
        }
    }

    /// [trust-statement-decode]: shape and size are checked before anything else.
    @Test("outer shape and size are checked first")
    func outerShape() {
        let good = StatementTests.signed(StatementTests.body())
        #expect((try? KeyStatement(decoding: good)) != nil)
        let tooBig = [UInt8](repeating: 0, count: StatementLimits.maximumSize + 1)
        #expect(throws: MessageError(.limitsExceeded, "")) { try KeyStatement(decoding: tooBig) }
        #expect(throws: MessageError(.malformed, "")) { try KeyStatement(decoding: good + [0]) }
        #expect(throws: MessageError(.malformed, "")) { try KeyStatement(decoding: [0x80]) }
        // A short signature is malformed, not a bad signature.
        var short = good
        let signatureStart = short.count - 66
        short[signatureStart] = 0x58
        short[signatureStart + 1] = 63
        short.removeLast()
        #expect(throws: MessageError(.malformed, "")) { try KeyStatement(decoding: short) }
        var flipped = good
        flipped[flipped.count - 1] ^= 1
        #expect(throws: MessageError(.badSignature, "")) { try KeyStatement(decoding: flipped) }
    }

    /// [trust-statement-decode]: every prefix of a valid statement fails cleanly (drip-feed).
    @Test("every prefix of a valid statement is rejected")
    func dripFeed() {
        let bytes = Fixture.rotation(["alice@example.org"], from: 1, to: 2).encodedBytes
        for length in 0..<bytes.count {
            #expect(throws: MessageError.self) { try KeyStatement(decoding: Array(bytes.prefix(length))) }
        }
    }

    /// [trust-duplicate]: the stored form of every verdict decodes to the same verdict.
    @Test("every verdict survives its stored form")
    func verdictCoding() async throws {
        let a = Fixture.address("alice@example.org")
        let f = Fixture.identity("alice@example.org", seed: 1).fingerprint
        let verdicts: [TrustVerdict] = [
            .firstContact(address: a, fingerprint: f),
            .known(address: a, fingerprint: f, firstSeen: 5, messageCount: 9),
            .verified(address: a, fingerprint: f),
            .keyChanged(address: a, pinned: f, presented: f, latched: true, pinnedRevoked: false),
            .rotated(address: a, from: f, to: f), .revoked(address: a, fingerprint: f, reason: "r"),
            .supersededKey(address: a, presented: f, current: f), .conflictingStatements(address: a, pinned: f),
            .downgrade(address: a, pinned: f), .unsigned(address: a), .blocked(address: a),
            .lookAlike(address: a, fingerprint: f, resembles: a),
            .sharedKey(address: a, fingerprint: f, alsoUsedBy: [a, a]),
            .statementProblem(address: a, fingerprint: f, problem: .invalid(reason: "x")),
            .statementProblem(address: a, fingerprint: f, problem: .expired(expires: 3)),
            .statementProblem(address: a, fingerprint: f, problem: .futureDated(created: 4)),
            .statementProblem(address: a, fingerprint: f, problem: .rollback(reason: "y")),
            .statementProblem(address: a, fingerprint: f, problem: .conflict(oldKey: f)),
        ]
        let harness = try Harness(.sqlite)
        for (index, verdict) in verdicts.enumerated() {
            let id = Fixture.messageID("v\(index)")
            try await harness.engine.store.write(durable: false) { transaction in
                try transaction.save(SeenMessage(id: id, address: a, receivedAt: 1, verdict: verdict))
            }
            let back = try await harness.engine.store.read { try $0.seenMessage(id)?.verdict }
            #expect(back == verdict)
            #expect(!verdict.explanation.isEmpty && !verdict.howToVerify.isEmpty)
        }
    }
}

func hexString(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
