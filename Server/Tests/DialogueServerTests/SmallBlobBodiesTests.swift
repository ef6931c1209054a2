import DialogueServer
import NIOCore
import Testing

/// The bytes of small blobs kept by the fast path: bounded by blob and in all (Spec: [dlv-blob-serve]).
@Suite struct SmallBlobBodiesTests {
    @Test("a blob above the largest size is not kept; over the budget the cache starts again empty")
    func bounds() {
        let bodies = SmallBlobBodies(largest: 100, budget: 250)
        let ids = (0..<4).map { blobID([UInt8($0)]) }
        bodies.keep(ByteBuffer(repeating: 1, count: 101), of: ids[0])
        #expect(bodies.count == 0)
        bodies.keep(ByteBuffer(repeating: 2, count: 100), of: ids[1])
        bodies.keep(ByteBuffer(repeating: 3, count: 100), of: ids[2])
        #expect(bodies.count == 2)
        #expect(bodies.body(of: ids[1]) == ByteBuffer(repeating: 2, count: 100))
        bodies.keep(ByteBuffer(repeating: 4, count: 100), of: ids[3])
        #expect(bodies.count == 1)
        #expect(bodies.body(of: ids[1]) == nil && bodies.body(of: ids[3]) == ByteBuffer(repeating: 4, count: 100))
    }
}
