import DialogueDelivery
import Testing

/// The in-memory replay cache (Spec: [dlv-request-replay]).
@Suite struct MemoryNonceCacheTests {
    func entry(_ nonce: String = "n", keyID: String = "k", created: UInt64 = 10_000) -> NonceCacheEntry {
        NonceCacheEntry(keyID: keyID, nonce: nonce, created: created, expires: created + 300)
    }

    /// A pair is kept until expires + 60, inclusive, and no longer.
    @Test func pairsAreKeptUntilExpiresPlusSixty() async {
        let cache = MemoryNonceCache(startedAt: 0)
        #expect(await cache.admit(entry(), now: 10_000))
        #expect(!(await cache.admit(entry(), now: 10_001)))
        #expect(!(await cache.admit(entry(), now: 10_360)))
        #expect(await cache.contains(keyID: "k", nonce: "n", now: 10_360))
        #expect(!(await cache.contains(keyID: "k", nonce: "n", now: 10_361)))
        #expect(await cache.admit(entry(), now: 10_361))
        // Pairs are (keyid, nonce): the same nonce under another keyid is another pair.
        #expect(await cache.admit(entry(keyID: "other"), now: 10_361))
    }

    @Test func expiredPairsAreSwept() async {
        let cache = MemoryNonceCache(startedAt: 0)
        for index in 0..<100 { _ = await cache.admit(entry("n\(index)"), now: 10_000) }
        #expect(await cache.count == 100)
        _ = await cache.admit(entry("late", created: 20_000), now: 20_000)
        #expect(await cache.count == 1)
    }

    /// After a restart, requests created less than 360 s before the start are refused.
    @Test func aRestartRefusesTheWindowBeforeIt() async {
        let cache = MemoryNonceCache(startedAt: 100_000)
        #expect(!(await cache.admit(entry("a", created: 100_000 - 359), now: 100_000)))
        #expect(!(await cache.admit(entry("b", created: 99_999), now: 100_000)))
        #expect(await cache.admit(entry("c", created: 100_000 - 360), now: 100_000))
        #expect(await cache.admit(entry("d", created: 100_000), now: 100_000))
    }

    /// Check and record are one step: of many concurrent admissions of one pair, one wins.
    @Test func concurrentAdmissionsAdmitOne() async {
        let cache = MemoryNonceCache(startedAt: 0)
        let wins = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<64 { group.addTask { await cache.admit(entry(), now: 10_000) } }
            var count = 0
            for await admitted in group where admitted { count += 1 }
            return count
        }
        #expect(wins == 1)
    }
}
