import DialogueIdentifiers
import DialogueMessages
import Testing

@Suite("Partial retrieval and resume (messages.md#msg-partial)")
struct PartialRetrievalTests {
    static let parts = [
        Fixture.content(100, salt: 1),
        Fixture.content(2 * chunk + 11, salt: 2),
        Fixture.content(3 * chunk + 7, salt: 3),
    ]

    /// A message from Alice to Bob with three parts, and the store the sender's server holds.
    static func message() async throws -> (sealed: MessageSealer.SealedMessage, store: MemoryBlobStore) {
        try await seal(
            draft(
                to: [Fixture.bob], subject: "Holiday pictures",
                parts: parts.enumerated().map {
                    .init(mediaType: "image/jpeg", fileName: "img\($0.offset).jpg", content: .bytes($0.element))
                }
            )
        )
    }

    @Test("msg-partial: the envelope alone shows the headers and the parts with their sizes")
    func manifestAlone() async throws {
        let (sealed, store) = try await PartialRetrievalTests.message()
        #expect(await store.fetchCount == 0)
        let opened = try EnvelopeOpener.open(try #require(await store.get(sealed.envelopeID)), as: Fixture.bob)
        #expect(await store.fetchCount == 1, "only the envelope was fetched")
        #expect(opened.manifest.subject == "Holiday pictures")
        #expect(opened.manifest.parts.map(\.size) == PartialRetrievalTests.parts.map { UInt64($0.count) })
        #expect(opened.manifest.parts.map(\.fileName) == ["img0.jpg", "img1.jpg", "img2.jpg"])
        #expect(opened.manifest.parts.map(\.chunks.count) == [1, 3, 4])
    }

    @Test("msg-partial: reading only part 2 fetches only its chunks")
    func onlyPartTwo() async throws {
        let (sealed, store) = try await PartialRetrievalTests.message()
        let opened = try EnvelopeOpener.open(try #require(await store.get(sealed.envelopeID)), as: Fixture.bob)
        let before = await store.fetchCount
        let second = opened.manifest.parts[1]
        #expect(try await PartReader(part: second, store: store).readAll() == PartialRetrievalTests.parts[1])
        #expect(await store.fetchCount - before == second.chunks.count)
    }

    @Test("msg-partial: chunks open on their own, in any order (chunk 2, then chunk 0)")
    func anyOrder() async throws {
        let (sealed, store) = try await PartialRetrievalTests.message()
        let opened = try EnvelopeOpener.open(try #require(await store.get(sealed.envelopeID)), as: Fixture.bob)
        let part = opened.manifest.parts[2]
        let content = PartialRetrievalTests.parts[2]
        let reader = PartReader(part: part, store: store)
        let before = await store.fetchCount
        #expect(try await reader.chunk(2) == Array(content[(2 * chunk)..<(3 * chunk)]))
        #expect(try await reader.chunk(0) == Array(content[..<chunk]))
        #expect(try await reader.chunk(3) == Array(content[(3 * chunk)...]))
        #expect(await store.fetchCount - before == 3)
        // Streaming from the middle.
        var tail: [UInt8] = []
        for try await plaintext in reader.chunks(from: 2) { tail += plaintext }
        #expect(tail == Array(content[(2 * chunk)...]))
    }

    @Test("msg-partial: after an interruption, resuming fetches only the chunks not yet held")
    func resumeAfterInterruption() async throws {
        let (sealed, server) = try await PartialRetrievalTests.message()
        let local = MemoryBlobStore()
        let opened = try EnvelopeOpener.open(try #require(await server.get(sealed.envelopeID)), as: Fixture.bob)
        let part = opened.manifest.parts[2]

        // The connection drops after two chunks.
        let dropping = CachingStore(local: local, remote: InterruptingStore(base: server, allowedGets: 2))
        await #expect(throws: InterruptingStore.Interrupted.self) {
            _ = try await PartReader(part: part, store: dropping, lookahead: 1).readAll()
        }
        let held = await local.identifiers
        #expect(Set(held) == Set(part.chunks.prefix(2)))

        // Resume: only the missing chunks cross the network.
        let before = await server.fetchCount
        let resumed = CachingStore(local: local, remote: server)
        #expect(try await PartReader(part: part, store: resumed).readAll() == PartialRetrievalTests.parts[2])
        #expect(await server.fetchCount - before == part.chunks.count - 2)
        #expect(Set(await local.identifiers) == Set(part.chunks))
    }

    @Test("msg-partial: resuming chunk by chunk fetches exactly the chunks the client lacks")
    func resumeMissingChunksOnly() async throws {
        let (sealed, server) = try await PartialRetrievalTests.message()
        let local = MemoryBlobStore()
        let opened = try EnvelopeOpener.open(try #require(await server.get(sealed.envelopeID)), as: Fixture.bob)
        let part = opened.manifest.parts[1]
        let client = CachingStore(local: local, remote: server)
        _ = try await PartReader(part: part, store: client).chunk(1)
        var missing: [Int] = []
        for (index, id) in part.chunks.enumerated() {
            if await !local.contains(id) { missing.append(index) }
        }
        #expect(missing == [0, 2])
        let before = await server.fetchCount
        var pieces: [Int: [UInt8]] = [:]
        for index in 0..<part.chunks.count {
            pieces[index] = try await PartReader(part: part, store: client).chunk(index)
        }
        #expect(await server.fetchCount - before == missing.count)
        #expect((0..<part.chunks.count).flatMap { pieces[$0]! } == PartialRetrievalTests.parts[1])
    }

    @Test("msg-partial: a client never fetches a blob it already holds")
    func cachedBlobsAreNotFetchedAgain() async throws {
        let (sealed, server) = try await PartialRetrievalTests.message()
        let client = CachingStore(local: MemoryBlobStore(), remote: server)
        let opened = try EnvelopeOpener.open(try #require(await client.get(sealed.envelopeID)), as: Fixture.bob)
        for part in opened.manifest.parts { _ = try await PartReader(part: part, store: client).readAll() }
        let total = await server.fetchCount
        #expect(total == 1 + opened.manifest.parts.map(\.chunks.count).reduce(0, +))
        // Reading everything again crosses no network.
        _ = try EnvelopeOpener.open(try #require(await client.get(sealed.envelopeID)), as: Fixture.bob)
        for part in opened.manifest.parts { _ = try await PartReader(part: part, store: client).readAll() }
        #expect(await server.fetchCount == total)
    }

    @Test("msg-partial: the stream reads ahead on several tasks yet delivers chunks in order")
    func lookahead() async throws {
        let (sealed, store) = try await PartialRetrievalTests.message()
        let opened = try EnvelopeOpener.open(try #require(await store.get(sealed.envelopeID)), as: Fixture.bob)
        for lookahead in [1, 2, 8] {
            var bytes: [UInt8] = []
            for try await plaintext in PartReader(part: opened.manifest.parts[2], store: store, lookahead: lookahead)
                .chunks()
            {
                bytes += plaintext
            }
            #expect(bytes == PartialRetrievalTests.parts[2])
        }
    }
}
