import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Foundation
import Testing

@Suite("Verdict severities")
struct SeverityTableTests {
    /// One value of every verdict case, with arbitrary data.
    static let verdicts: [TrustVerdict] = {
        let address = Fixture.address("alice@example.org")
        let other = Fixture.address("bob@example.org")
        let key = Fixture.messageID("a")
        let key2 = Fixture.messageID("b")
        return [
            .firstContact(address: address, fingerprint: key),
            .known(address: address, fingerprint: key, firstSeen: t0, messageCount: 2),
            .verified(address: address, fingerprint: key),
            .keyChanged(address: address, pinned: key, presented: key2, latched: false, pinnedRevoked: false),
            .rotated(address: address, from: key, to: key2),
            .revoked(address: address, fingerprint: key, reason: "lost"),
            .supersededKey(address: address, presented: key, current: key2),
            .conflictingStatements(address: address, pinned: key),
            .downgrade(address: address, pinned: key),
            .unsigned(address: address),
            .blocked(address: address),
            .lookAlike(address: address, fingerprint: key, resembles: other),
            .sharedKey(address: address, fingerprint: key, alsoUsedBy: [other]),
        ]
    }()

    /// The verdict table of Spec/trust.md, read from the specification itself.
    static func specificationTable() throws -> [String: String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Spec/trust.md"), encoding: .utf8)
        // The table that follows "Every observation yields exactly one verdict:".
        let start = try #require(text.range(of: "Every observation yields exactly one verdict:")).upperBound
        let lines = text[start...].split(separator: "\n").prefix { $0.hasPrefix("|") }
        var table: [String: String] = [:]
        for line in lines where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2, ["info", "notice", "alarm"].contains(cells[1]) else { continue }
            table[cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = cells[1]
        }
        return table
    }

    @Test("trust-severity: every verdict has the severity that the specification's table gives it")
    func severitiesMatchTheSpecification() throws {
        let table = try Self.specificationTable()
        #expect(table.count == Self.verdicts.count, "the table lists \(table.count) verdicts with a fixed severity")
        for verdict in Self.verdicts {
            #expect(table[verdict.name] == verdict.severity.description, "\(verdict.name)")
            #expect(!verdict.explanation.isEmpty)
        }
    }

    @Test("trust-severity: a statement problem takes the severity of the problem")
    func statementProblemSeverity() {
        let address = Fixture.address("alice@example.org")
        let key = Fixture.messageID("a")
        for problem: StatementProblem in [.invalid(reason: "x"), .rollback(reason: "y"), .conflict(oldKey: key)] {
            let verdict = TrustVerdict.statementProblem(address: address, fingerprint: key, problem: problem)
            #expect(verdict.severity == problem.severity)
        }
        #expect(TrustSeverity.alarm > .notice && TrustSeverity.notice > .info)
    }
}
