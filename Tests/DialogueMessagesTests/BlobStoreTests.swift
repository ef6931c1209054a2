import DialogueIdentifiers
import DialogueMessages
import Foundation
import Testing

@Suite("Blob stores and streaming (messages.md#msg-parts, identifiers.md#id-verify)")
struct BlobStoreTests {
    @Test("DirectoryBlobStore: put, get and contains, under the blob identifier")
    func putGetContains() async throws {
        try await withTemporaryDirectory { root in
            let store = try DirectoryBlobStore(root: root + "/blobs")
            let bytes = Fixture.content(10_000)
            let id = try await store.put(bytes)
            #expect(id == ContentIdentifier.hashing(bytes, context: .blob))
            #expect(try await store.contains(id))
            #expect(try await store.get(id) == bytes)
            let missing = ContentIdentifier.hashing([9], context: .blob)
            #expect(try await store.get(missing) == nil)
            #expect(try await !store.contains(missing))
            let path = store.path(of: id)
            #expect(path.hasPrefix(root + "/blobs/") && path.hasSuffix(id.text(kind: .blob)))
            #expect(readFile(path) == bytes)
            // The empty blob is a blob, not an absence.
            let empty = try await store.put([])
            #expect(try await store.get(empty) == [])
            // Another store on the same directory sees the same blobs.
            #expect(try await DirectoryBlobStore(root: root + "/blobs").get(id) == bytes)
        }
    }

    @Test("DirectoryBlobStore: writes are atomic, leaving no temporary file behind")
    func atomicWrites() async throws {
        try await withTemporaryDirectory { root in
            let store = try DirectoryBlobStore(root: root)
            let blobs = (0..<20).map { Fixture.content(1000 + $0, salt: UInt8($0)) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for blob in blobs + blobs {
                    group.addTask { try await store.put(blob) }
                }
                try await group.waitForAll()
            }
            #expect(directoryEntries(root + "/tmp").isEmpty)
            for blob in blobs {
                #expect(try await store.get(ContentIdentifier.hashing(blob, context: .blob)) == blob)
            }
            let files = directoryEntries(root).filter { $0 != "tmp" }.flatMap { directoryEntries(root + "/" + $0) }
            #expect(files.count == blobs.count)
            #expect(files.allSatisfy { $0.hasPrefix("blob-") && !$0.contains(".") })
        }
    }

    @Test("DirectoryBlobStore: putting a blob that is already there does nothing")
    func idempotentPut() async throws {
        try await withTemporaryDirectory { root in
            let store = try DirectoryBlobStore(root: root)
            let bytes = Fixture.content(500)
            let id = try await store.put(bytes)
            try await store.put(bytes, as: id)
            #expect(try await store.get(id) == bytes)
            // Identical identifiers mean identical bytes: a second put under the same name keeps the first.
            try await store.put([1, 2, 3], as: id)
            #expect(try await store.get(id) == bytes)
            #expect(directoryEntries(root + "/tmp").isEmpty)
        }
    }

    @Test("MemoryBlobStore: idempotent puts and a fetch count of blobs actually returned")
    func memoryStore() async throws {
        let store = MemoryBlobStore()
        let id = try await store.put([1, 2, 3])
        await store.put([4, 5, 6], as: id)
        #expect(await store.get(id) == [1, 2, 3])
        #expect(await store.get(ContentIdentifier.hashing([], context: .blob)) == nil)
        #expect(await store.fetchCount == 1)
        #expect(await store.contains(id))
        await store.replace(id, with: nil)
        #expect(await !store.contains(id))
        #expect(await store.identifiers.isEmpty)
    }

    @Test("FileChunkSource: a file is cut into full chunks and a shorter last one")
    func fileChunkSource() async throws {
        try await withTemporaryDirectory { directory in
            for size in [0, 1, chunk, chunk + 1] {
                let path = "\(directory)/in-\(size)"
                writeFile(path, Fixture.content(size))
                var source = try FileChunkSource(path: path)
                var sizes: [Int] = []
                while let next = try await source.nextChunk() { sizes.append(next.count) }
                let expected =
                    size == 0
                    ? [] : Array(repeating: chunk, count: size / chunk) + (size % chunk == 0 ? [] : [size % chunk])
                #expect(sizes == expected)
            }
            #expect(throws: FileChunkSource.Failure.self) { _ = try FileChunkSource(path: "\(directory)/absent") }
        }
    }

    @Test("msg-parts: a file part streams through FileChunkSource and PartReader.write(toFile:) unchanged")
    func fileRoundTrip() async throws {
        try await withTemporaryDirectory { directory in
            let content = Fixture.content(2 * chunk + 5, salt: 4)
            writeFile("\(directory)/video.mp4", content)
            let store = try DirectoryBlobStore(root: "\(directory)/store")
            let sealer = MessageSealer(sender: Fixture.alice, store: store)
            let sealed = try await sealer.seal(
                draft(
                    to: [Fixture.bob],
                    parts: [
                        .init(
                            mediaType: "video/mp4", fileName: "video.mp4",
                            content: .file(path: "\(directory)/video.mp4"))
                    ])
            )
            let opened = try EnvelopeOpener.open(try #require(try await store.get(sealed.envelopeID)), as: Fixture.bob)
            let part = opened.manifest.parts[0]
            #expect(part.size == UInt64(content.count) && part.chunks.count == 3)
            try FileManager.default.createDirectory(atPath: "\(directory)/out", withIntermediateDirectories: false)
            let output = "\(directory)/out/video.mp4"
            try await PartReader(part: part, store: store).write(toFile: output)
            #expect(readFile(output) == content)
            #expect(directoryEntries("\(directory)/out") == ["video.mp4"])
            let permissions = try FileManager.default.attributesOfItem(atPath: output)[.posixPermissions] as? Int
            #expect(permissions == 0o600)
            // A missing file is an error, not an empty part.
            await #expect(throws: (any Error).self) {
                _ = try await sealer.seal(
                    draft(
                        to: [Fixture.bob],
                        parts: [.init(mediaType: "video/mp4", content: .file(path: "\(directory)/absent"))]))
            }
        }
    }

    @Test("msg-chunk-release: a failed read leaves no partial output file and keeps an existing one")
    func failedWriteLeavesNothing() async throws {
        try await withTemporaryDirectory { directory in
            let content = Fixture.content(3 * chunk + 7, salt: 5)
            let (sealed, store) = try await seal(
                draft(
                    to: [Fixture.bob], parts: [.init(mediaType: "application/octet-stream", content: .bytes(content))])
            )
            let part = try EnvelopeOpener.open(try #require(await store.get(sealed.envelopeID)), as: Fixture.bob)
                .manifest.parts[0]

            // The last chunk is missing: nothing appears.
            await store.replace(part.chunks[3], with: nil)
            let output = "\(directory)/out.bin"
            await expectAsyncError(.truncated) { try await PartReader(part: part, store: store).write(toFile: output) }
            #expect(directoryEntries(directory).isEmpty, "no output and no temporary file")

            // A corrupt chunk over an existing file: the file is untouched.
            writeFile(output, [1, 2, 3])
            let second = try #require(await store.get(part.chunks[1]))
            await store.replace(part.chunks[1], with: second.flipping(at: 0))
            await expectAsyncError(.authenticationFailed) {
                try await PartReader(part: part, store: store).write(toFile: output)
            }
            #expect(readFile(output) == [1, 2, 3])
            #expect(directoryEntries(directory) == ["out.bin"])
        }
    }

    @Test(
        "msg-chunk-release: a part longer than the background-sync interval is written whole; a failure after a sync leaves nothing"
    )
    func writeSyncsInTheBackground() async throws {
        try await withTemporaryDirectory { directory in
            let chunks = 18  // the writer syncs in the background every 16 MiB
            let content = Fixture.content(chunks * chunk - 9, salt: 6)
            let (sealed, store) = try await seal(
                draft(
                    to: [Fixture.bob], parts: [.init(mediaType: "application/octet-stream", content: .bytes(content))])
            )
            let part = try EnvelopeOpener.open(try #require(await store.get(sealed.envelopeID)), as: Fixture.bob)
                .manifest.parts[0]
            let output = "\(directory)/out.bin"
            try await PartReader(part: part, store: store).write(toFile: output)
            #expect(readFile(output) == content)

            // The last chunk is damaged, after the first background sync: no partial file appears.
            let last = try #require(await store.get(part.chunks[chunks - 1]))
            await store.replace(part.chunks[chunks - 1], with: last.flipping(at: 3))
            let second = "\(directory)/again.bin"
            await expectAsyncError(.authenticationFailed) {
                try await PartReader(part: part, store: store).write(toFile: second)
            }
            #expect(directoryEntries(directory) == ["out.bin"], "no output and no temporary file")
        }
    }

    @Test("msg-chunk-release: a store that checks identifiers itself spares the hash, never the authentication")
    func checkingStoreStillAuthenticates() async throws {
        let (sealed, store) = try await seal(
            draft(to: [Fixture.bob], parts: [.init(mediaType: "text/plain", content: .bytes(Fixture.content(100)))]))
        let part = try EnvelopeOpener.open(try #require(await store.get(sealed.envelopeID)), as: Fixture.bob)
            .manifest.parts[0]
        let claiming = ClaimsChecked(base: store)
        #expect(try await PartReader(part: part, store: claiming).readAll() == Fixture.content(100))
        // A store that wrongly claims to have checked: the tag under the part key still fails.
        let blob = try #require(await store.get(part.chunks[0]))
        await store.replace(part.chunks[0], with: blob.flipping(at: 0))
        await expectAsyncError(.authenticationFailed) { _ = try await PartReader(part: part, store: claiming).chunk(0) }
        // The same bytes from a store that makes no such claim fail the identifier check first.
        await expectAsyncError(.authenticationFailed) { _ = try await PartReader(part: part, store: store).chunk(0) }
    }

    @Test("msg-parts: StreamChunkSource re-cuts buffers of any size into exact chunks")
    func streamChunkSource() async throws {
        let content = Fixture.content(2 * chunk + 300, salt: 6)
        let cuts = [0, 3, chunk - 1, chunk + 10, 2 * chunk, 2 * chunk + 299, content.count]
        let buffers = zip(cuts, cuts.dropFirst()).map { Array(content[$0..<$1]) }
        let store = MemoryBlobStore()
        let key = [UInt8](repeating: 0x33, count: 32)
        let streamed = try await PartEncryptor(store: store).encrypt(
            StreamChunkSource(Buffers(buffers: buffers)), key: key, mediaType: "text/plain")
        #expect(streamed.size == UInt64(content.count) && streamed.chunks.count == 3)
        #expect(try await PartReader(part: streamed, store: store).readAll() == content)
        // The same plaintext and key give the same blobs however the input is cut or however many cores seal it.
        let whole = try await PartEncryptor(store: store, concurrency: 1).encrypt(
            BytesChunkSource(content), key: key, mediaType: "text/plain")
        #expect(whole == streamed)
        let empty = try await PartEncryptor(store: store).encrypt(
            StreamChunkSource(Buffers(buffers: [[], []])), key: key, mediaType: "text/plain")
        #expect(empty.size == 0 && empty.chunks.count == 1)
    }

    @Test("msg-part-key-fresh: a part key must be 32 bytes")
    func partKeyLength() async {
        await expectAsyncError(.malformed) {
            _ = try await PartEncryptor(store: MemoryBlobStore()).encrypt(
                BytesChunkSource([1]), key: [1, 2, 3], mediaType: "text/plain")
        }
    }
}

/// An asynchronous sequence of byte buffers, as a network stream delivers them.
struct Buffers: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let buffers: [[UInt8]]

    struct AsyncIterator: AsyncIteratorProtocol, Sendable {
        var remaining: [[UInt8]]
        mutating func next() async -> [UInt8]? { remaining.isEmpty ? nil : remaining.removeFirst() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: buffers) }
}

/// A store that says it checked every blob against its identifier (``BlobStore/checksIdentifiers``)
/// and does not: ``PartReader`` skips its own hash, and still authenticates every chunk.
private struct ClaimsChecked: BlobStore {
    let base: MemoryBlobStore

    var checksIdentifiers: Bool { true }
    func put(_ bytes: [UInt8], as id: ContentIdentifier) async throws { await base.put(bytes, as: id) }
    func get(_ id: ContentIdentifier) async throws -> [UInt8]? { await base.get(id) }
    func contains(_ id: ContentIdentifier) async throws -> Bool { await base.contains(id) }
}
