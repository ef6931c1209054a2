import DialogueMessages
import DialogueServerConformance
import Foundation
import Testing

/// `dialogued` against the server conformance suite (Spec: conformance.md#conf-server-suite): a real
/// process on loopback, the suite's accounts and peer registered as an operator would, every check run.
@Suite(.serialized) struct ServerSuiteTests {
    @Test("dialogued passes every check of the server conformance suite, and none is skipped")
    func dialoguedPassesTheSuite() async throws {
        let server = try DialoguedProcess(domain: "example.org")
        defer { server.remove() }
        let credentials = try SuiteCredentials.generate(
            domain: "example.org", peerPort: try DialoguedProcess.freePort(),
            now: UInt64(Date().timeIntervalSince1970))
        // The two users and the two lists (Spec: lists.md#list-overview: a list is an account).
        for (_, account) in credentials.accounts {
            try server.addUser(account.address.text, cardBytes: account.card.encodedBytes)
        }
        try server.setPeers([credentials.peersLine])
        try await server.start()
        let report = try await ServerSuite(baseURL: server.baseURL, credentials: credentials).run()
        for result in report.results where result.status != .passed {
            Issue.record(Comment(rawValue: result.line))
        }
        #expect(report.failed == 0 && report.skipped == 0, "\(report.closingLine)\n\(server.log(tail: 3_000))")
        #expect(report.results.count >= 50)
        #expect(report.results.contains { $0.anchor == "list-index-cache" && $0.status == .passed })
    }

    @Test("The suite's credentials survive writing and reading, with the secrets for their owner only")
    func credentialsRoundTrip() throws {
        let directory = NSTemporaryDirectory() + "suite-credentials-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let credentials = try SuiteCredentials.generate(domain: "example.org", peerPort: 47_025, now: 1_800_000_000)
        let instructions = try credentials.write(to: directory)
        #expect(instructions.contains("dialogued user add conformance-a@example.org"))
        #expect(instructions.contains("dialogued user add conformance-list@example.org"))
        #expect(instructions.contains(credentials.peersLine))
        let read = try SuiteCredentials.read(from: directory)
        #expect(read.user.card.encodedBytes == credentials.user.card.encodedBytes)
        #expect(read.otherUser.card.encodedBytes == credentials.otherUser.card.encodedBytes)
        #expect(read.peersLine == credentials.peersLine)
        #expect(read.lists?.public.card.encodedBytes == credentials.lists?.public.card.encodedBytes)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/credentials.json")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(throws: SuiteError.self) { try credentials.write(to: directory) }
    }
}
