import DialogueIdentifiers
import DialogueMessages
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Blob stores check a blob's size before they read it, and read no more than the limit + 1
/// bytes (Spec: [msg-limits], [msg-chunk-size]).
@Suite("Blob size limits are checked before reading (messages.md#msg-limits)", .serialized)
struct BlobSizeLimitTests {
    /// The peak resident memory of this process so far, in bytes.
    static func peakMemory() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }

    /// How much the process's peak may grow meanwhile. Other suites run in parallel in this process
    /// and have been seen to add 310 MiB to its peak on a loaded machine; reading even one of the
    /// sparse files whole would add at least 1 GiB, so 768 MiB separates the two with room on both sides.
    static let allowedGrowth = 768 << 20

    /// Makes `path` a sparse file of `size` bytes: it costs no disk, and reading it whole costs `size` of memory.
    static func makeSparseFile(_ path: String, size: Int) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        #expect(ftruncate(descriptor, off_t(size)) == 0)
    }

    @Test("msg-limits: a 2 GiB file at an envelope's path is limits-exceeded, and peak memory stays flat")
    func sparseEnvelope() async throws {
        try await withTemporaryDirectory { root in
            let store = try DirectoryBlobStore(root: root)
            let id = ContentIdentifier.hashing(Array("an envelope".utf8), context: .blob)
            try Self.makeSparseFile(store.path(of: id), size: 2 << 30)
            let before = Self.peakMemory()
            await expectAsyncError(.limitsExceeded) { _ = try await store.get(id) }
            await expectAsyncError(.limitsExceeded) {
                _ = try await store.get(id, limit: MessageLimits.maximumEnvelopeSize)
            }
            let growth = Self.peakMemory() - before
            #expect(growth < Self.allowedGrowth, "peak memory grew by \(growth >> 20) MiB")
        }
    }

    @Test("msg-limits, msg-chunk-size: three 1 GiB chunk files cost no memory; the part is limits-exceeded")
    func sparseChunks() async throws {
        try await withTemporaryDirectory { root in
            let store = try DirectoryBlobStore(root: root + "/store")
            let content = Fixture.content(2 * MessageLimits.chunkSize + 9, salt: 7)
            let sealer = MessageSealer(sender: Fixture.alice, store: store)
            let sealed = try await sealer.seal(
                draft(
                    to: [Fixture.bob], parts: [.init(mediaType: "application/octet-stream", content: .bytes(content))])
            )
            let opened = try EnvelopeOpener.open(try #require(try await store.get(sealed.envelopeID)), as: Fixture.bob)
            let part = opened.manifest.parts[0]
            for chunk in part.chunks {
                unlink(store.path(of: chunk))
                try Self.makeSparseFile(store.path(of: chunk), size: 1 << 30)
            }
            let before = Self.peakMemory()
            await expectAsyncError(.limitsExceeded) { _ = try await PartReader(part: part, store: store).readAll() }
            await expectAsyncError(.limitsExceeded) { _ = try await PartReader(part: part, store: store).chunk(2) }
            let growth = Self.peakMemory() - before
            #expect(growth < Self.allowedGrowth, "peak memory grew by \(growth >> 20) MiB")
        }
    }

    @Test("msg-limits: a blob of exactly the limit is read; one byte more is limits-exceeded, in every store")
    func boundary() async throws {
        try await withTemporaryDirectory { root in
            let bytes = Fixture.content(1000, salt: 8)
            let directory = try DirectoryBlobStore(root: root)
            let memory = MemoryBlobStore()
            let stores: [any BlobStore] = [directory, memory, CachingStore(local: MemoryBlobStore(), remote: memory)]
            for store in stores {
                let id = try await store.put(bytes)
                #expect(try await store.get(id, limit: 1000) == bytes)
                await expectAsyncError(.limitsExceeded) { _ = try await store.get(id, limit: 999) }
                #expect(try await store.get(ContentIdentifier.hashing([1], context: .blob), limit: 10) == nil)
            }
            // A chunk blob one byte over CHUNK + 16 never reaches the cipher: it is refused by size.
            let oversized = [UInt8](repeating: 0, count: MessageLimits.maximumChunkBlobSize + 1)
            let id = try await directory.put(oversized)
            await expectAsyncError(.limitsExceeded) {
                _ = try await directory.get(id, limit: MessageLimits.maximumChunkBlobSize)
            }
        }
    }

    @Test("msg-limits: BoundedFileReader reads a pipe up to the limit and stops one byte after it")
    func pipeLimit() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let payload = [UInt8](repeating: 0x41, count: 60_000)
        let written = payload.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) }
        #expect(written == payload.count)
        close(ends[1])
        #expect(throws: MessageError(.limitsExceeded, "")) {
            _ = try BoundedFileReader.contents(ofDescriptor: ends[0], limit: 59_999, name: "the pipe")
        }
        var again: [Int32] = [0, 0]
        #expect(pipe(&again) == 0)
        _ = payload.withUnsafeBytes { write(again[1], $0.baseAddress, $0.count) }
        close(again[1])
        #expect(try BoundedFileReader.contents(ofDescriptor: again[0], limit: 60_000, name: "the pipe") == payload)
        close(again[0])
    }

    @Test("msg-chunk-release: PartReader.write(toFile:) never replaces an existing file")
    func writeNeverReplaces() async throws {
        try await withTemporaryDirectory { directory in
            let (sealed, store) = try await seal(
                draft(to: [Fixture.bob], parts: [.init(mediaType: "text/plain", content: .bytes([1, 2, 3, 4]))])
            )
            let part = try EnvelopeOpener.open(try #require(await store.get(sealed.envelopeID)), as: Fixture.bob)
                .manifest.parts[0]
            let output = "\(directory)/notes.txt"
            writeFile(output, [9, 9])
            await #expect(throws: BlobStoreFailure.self) {
                try await PartReader(part: part, store: store).write(toFile: output)
            }
            #expect(readFile(output) == [9, 9])
            #expect(directoryEntries(directory) == ["notes.txt"], "no temporary file is left")
        }
    }
}
