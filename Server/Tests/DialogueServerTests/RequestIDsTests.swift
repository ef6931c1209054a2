import DialogueServer
import Testing

/// The fast path's request ids look like Hummingbird's and do not repeat ([dlv-ops-metrics]).
@Suite struct RequestIDsTests {
    @Test("32 lowercase hex digits: the process's 16, then a counter")
    func form() {
        let ids = RequestIDs()
        let made = (0..<3).map { _ in ids.make() }
        #expect(made.allSatisfy { $0.wholeMatch(of: #/[0-9a-f]{32}/#) != nil }, "\(made)")
        #expect(Set(made.map { $0.prefix(16) }).count == 1)
        #expect(Set(made).count == 3)
        let low = made.compactMap { UInt64($0.dropFirst(16), radix: 16) }
        #expect(low.count == 3 && low[1] &- low[0] == 1 && low[2] &- low[1] == 1)
        #expect(RequestIDs().make().prefix(16) != made[0].prefix(16))
    }
}
