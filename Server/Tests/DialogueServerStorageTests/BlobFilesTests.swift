import DialogueIdentifiers
import DialogueServerStorage
import Foundation
import Testing

/// Blob files: verified before they exist, never half-written (Spec: [dlv-durable], [dlv-upload-verify]).
@Suite struct BlobFilesTests {
    func temporaryRoot() throws -> String {
        let path = NSTemporaryDirectory() + "dialogue-blobfiles-" + UUID().uuidString
        return path
    }

    /// Spec: [dlv-upload-verify] — bytes that do not hash to the identifier are not kept.
    @Test func wrongBytesAreNotKept() throws {
        let files = try BlobFiles(root: try temporaryRoot())
        defer { try? FileManager.default.removeItem(atPath: files.root) }
        let id = ContentIdentifier.hashing(Array("right".utf8), context: .blob)
        #expect(throws: BlobFiles.Failure.self) { try files.write(Array("wrong".utf8), as: id, limit: 100) }
        #expect(files.size(of: id) == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: files.root + "/tmp").isEmpty)
        #expect(try files.write(Array("right".utf8), as: id, limit: 100) == 5)
        #expect(try files.read(id, limit: 100) == Array("right".utf8))
        #expect(try files.storedIdentifiers() == [id])
    }

    /// Spec: [dlv-limits-before-read] — a writer refuses the byte past its limit, and keeps nothing.
    @Test func theLimitIsEnforcedWhileWriting() throws {
        let files = try BlobFiles(root: try temporaryRoot())
        defer { try? FileManager.default.removeItem(atPath: files.root) }
        let bytes = [UInt8](repeating: 1, count: 101)
        let id = ContentIdentifier.hashing(bytes, context: .blob)
        #expect(throws: BlobFiles.Failure.tooLarge(limit: 100)) { try files.write(bytes, as: id, limit: 100) }
        #expect(files.size(of: id) == nil)
    }

    /// Spec: [dlv-delete-crash-safe] — what a crash left in tmp/ is removed at start-up, and removal is idempotent.
    @Test func temporariesAreClearedAndRemovalIsIdempotent() throws {
        let files = try BlobFiles(root: try temporaryRoot())
        defer { try? FileManager.default.removeItem(atPath: files.root) }
        FileManager.default.createFile(atPath: files.root + "/tmp/left-by-a-crash", contents: Data([1, 2]))
        #expect(try files.removeTemporaries() == 1)
        let id = ContentIdentifier.hashing([7], context: .blob)
        try files.write([7], as: id, limit: 10)
        try files.remove(id)
        try files.remove(id)
        #expect(files.size(of: id) == nil)
    }
}
