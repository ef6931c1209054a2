import DialogueIdentifiers
import Testing

@testable import DialogueServer

@Suite("LiveBlobCache")
struct LiveBlobCacheTests {
    let blob = ContentIdentifier.hashing([1, 2, 3], context: .blob)
    let file = LiveBlobCache.FileIdentity(device: 1, inode: 10)

    @Test("[dlv-blob-serve] a file seen live is live for the cache's lifetime, and only that very file")
    func lifetimeAndIdentity() {
        let cache = LiveBlobCache(lifetime: 5)
        #expect(!cache.isLive(blob, file: file, now: 100))
        cache.recordLive(blob, file: file, now: 100)
        #expect(cache.isLive(blob, file: file, now: 104))
        #expect(!cache.isLive(blob, file: file, now: 105))
        // The same blob uploaded again after a deletion is another file: the store is asked.
        #expect(!cache.isLive(blob, file: LiveBlobCache.FileIdentity(device: 1, inode: 11), now: 101))
        #expect(!cache.isLive(blob, file: LiveBlobCache.FileIdentity(device: 2, inode: 10), now: 101))
    }

    @Test("[dlv-tombstones] a deletion forgets the blob at once")
    func forget() {
        let cache = LiveBlobCache()
        cache.recordLive(blob, file: file, now: 100)
        cache.forget([blob])
        #expect(!cache.isLive(blob, file: file, now: 100))
    }

    @Test("a full cache starts again empty instead of growing")
    func capacity() {
        let cache = LiveBlobCache(capacity: 2)
        let others = (0..<3).map { ContentIdentifier.hashing([UInt8($0)], context: .blob) }
        cache.recordLive(others[0], file: file, now: 100)
        cache.recordLive(others[1], file: file, now: 100)
        cache.recordLive(others[2], file: file, now: 100)
        #expect(!cache.isLive(others[0], file: file, now: 100))
        #expect(cache.isLive(others[2], file: file, now: 100))
    }
}
