import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import Testing

@Suite struct PeersFileTests {
    let one = Fixtures.serverKey.fingerprint.text(kind: .serverKey)
    let two = Fixtures.nextServerKey.fingerprint.text(kind: .serverKey)

    /// Spec: [dlv-peers-parse] — entries, comments, empty lines, runs of spaces and tabs.
    @Test func parsesEntries() throws {
        let text = """
            # domain        base URL                              server key fingerprints
            example.org     http://10.0.0.5:8080/dialogue/v1      \(one)

            example.net\t\thttps://mail.example.net/dialogue/v1  \(one) \(two)   # two keys
              \t
            """
        let file = try PeersFile(parsing: text)
        #expect(file.entries.map(\.domain) == ["example.org", "example.net"])
        #expect(file.entries.map(\.line) == [2, 4])
        let net = try #require(file.entry(for: "example.net"))
        #expect(net.fingerprints == [Fixtures.serverKey.fingerprint, Fixtures.nextServerKey.fingerprint])
        #expect(file.entry(for: "example.org")?.baseURL.isHTTPS == false)
        #expect(file.entry(for: "example.com") == nil)
        #expect(try PeersFile(parsing: "").entries.isEmpty)
    }

    /// Spec: [dlv-peers-parse] — the whole file is rejected, naming the line, for each fault.
    @Test func rejectsTheFileNamingTheLine() {
        let good = "example.org https://a.example.org \(one)"
        let cases: [(String, Int, String)] = [
            ("\(good)\nexample.net https://b.example.net", 2, "fields"),
            ("# c\n\(good)\nExample.net https://b.example.net \(one)", 3, "canonical"),
            ("\(good)\nexample.net https://b.example.net/ \(one)", 2, "base URL"),
            ("\(good)\nexample.net https://b.example.net key-\(one.dropFirst(4))", 2, "srv"),
            ("\(good)\nexample.net https://b.example.net \(one) srv-aaaa", 2, "srv"),
            ("\(good)\n\n\(good)", 3, "line 1"),
            ("\(good)\r\n", 1, "srv"),
            ("\(good)\nexample.net\u{a0}https://b.example.net \(one)", 2, "fields"),
        ]
        for (text, line, words) in cases {
            do {
                _ = try PeersFile(parsing: text)
                Issue.record("accepted: \(text)")
            } catch {
                #expect(error.line == line, "\(text): \(error)")
                #expect(error.description.contains(words), "\(error)")
                #expect(error.deliveryError.code == .malformed)
            }
        }
        do {
            _ = try PeersFile(parsing: Array(good.utf8) + [0x0a, 0xff, 0x0a])
            Issue.record("accepted invalid UTF-8")
        } catch {
            #expect(error.line == 2)
        }
    }
}
