import DialogueCBOR
import DialogueDelivery
import DialogueIdentifiers
import Testing

/// The two unsigned bodies of the list routes: `list-info` and `post-request`.
@Suite struct ListWireTests {
    let now = ListFixtures.now

    /// Spec: [list-ep-info] — the descriptor and the latest event travel as their exact bytes; the
    /// event is absent before the first one.
    @Test func listInfoCarriesTheExactObjects() throws {
        let descriptor = try ListFixtures.descriptor()
        let event = try ListFixtures.event(1, .joined, epoch: 0, member: ("alice@example.org", Fixtures.alice))
        let info = try ListInfo(descriptor: descriptor, latestEvent: event)
        let decoded = try ListInfo(decoding: info.encodedBytes)
        #expect(decoded.descriptor == descriptor.encodedBytes && decoded.latestEvent == event.encodedBytes)
        #expect(try ListInfo(descriptor: descriptor, latestEvent: nil).latestEvent == nil)
        let extra = try CBOREncoder().encode(.map([.init(key: 0, value: .bytes([1])), .init(key: 2, value: 0)]))
        #expect(Fixtures.failure { () throws(DeliveryError) in _ = try ListInfo(decoding: extra) } == .malformed)
        let large = [UInt8](repeating: 0, count: ListInfo.maximumSize + 1)
        #expect(Fixtures.failure { () throws(DeliveryError) in _ = try ListInfo(decoding: large) } == .limitsExceeded)
    }

    /// Spec: [list-ep-post], [list-limits-before-read] — a post request holds the post and its chunks,
    /// each once, in bytewise order; the count is checked before the identifiers.
    @Test func postRequestsListTheirChunksInOrder() throws {
        let post = try ListPost(
            list: ListFixtures.list, author: Fixtures.address("bob@example.net"), envelope: Fixtures.envelope,
            envelopeSize: 3000, messageSize: 5000, epoch: 1, created: now, signingKey: Fixtures.bob)
        let chunks = [Fixtures.blob("2"), Fixtures.blob("1"), Fixtures.blob("2")]
        let request = try ListPostRequest(post: post, chunks: chunks)
        let decoded = try ListPostRequest(decoding: request.encodedBytes)
        #expect(decoded.post == post.encodedBytes && decoded.chunks.count == 2)
        #expect(
            decoded.chunks[0].binaryRepresentation.lexicographicallyPrecedes(decoded.chunks[1].binaryRepresentation))

        func body(_ chunks: [CBORValue], elements: Int = 2) throws -> [UInt8] {
            let all: [CBORValue] = [.bytes(post.encodedBytes), .array(chunks), .bytes([])]
            return try CBOREncoder().encode(.array(Array(all.prefix(elements))))
        }
        let descending = decoded.chunks.reversed().map { CBORValue.bytes($0.binaryRepresentation) }
        #expect(
            Fixtures.failure { () throws(DeliveryError) in _ = try ListPostRequest(decoding: try! body(descending)) }
                == .malformed)
        #expect(
            Fixtures.failure { () throws(DeliveryError) in _ = try ListPostRequest(decoding: try! body([], elements: 3))
            }
                == .malformed)
        #expect(
            Fixtures.failure { () throws(DeliveryError) in
                _ = try ListPostRequest(decoding: try! body([.bytes([2] + [UInt8](repeating: 0, count: 32))]))
            }
                == .malformed)
        // 65,537 empty byte strings: refused by their count, not by the first one's length.
        let tooMany = try body([CBORValue](repeating: .bytes([]), count: ListPostRequest.maximumChunks + 1))
        #expect(
            Fixtures.failure { () throws(DeliveryError) in _ = try ListPostRequest(decoding: tooMany) }
                == .limitsExceeded)
        let large = [UInt8](repeating: 0, count: ListPostRequest.maximumSize + 1)
        #expect(
            Fixtures.failure { () throws(DeliveryError) in _ = try ListPostRequest(decoding: large) } == .limitsExceeded
        )
    }
}
