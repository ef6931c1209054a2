// Diagnostic variants of DirectoryBlobStore, for finding where seal and open time goes. They use
// the library store's own file layout (`DirectoryBlobStore.path(of:)`), so envelopes sealed with
// one can be opened with another. Selected with DIALOGUE_BENCH_STORE; never used for the headline
// figures, which always use the library's DirectoryBlobStore.
//
//   directory           the library's DirectoryBlobStore (default)
//   nofsync             the same steps without fsync
//   offload             the same steps (with fsync), run on a Dispatch queue instead of the
//                       Swift concurrency pool, so blocking syscalls never hold a pool thread
//   offload-nofsync     both
//   sliced              the library's steps (with fsync), writing 128 KiB per write() call
//   sliced-nofsync      128 KiB writes, no fsync
//   discard             keeps nothing (seal only): the cost of sealing without storage
//
// DIALOGUE_BENCH_WRITE=sliced makes `open` write the attachment itself, 128 KiB per write(),
// instead of calling PartReader.write(toFile:) (which writes 1 MiB per call).
import DialogueIdentifiers
import DialogueMessages
import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

func makeStore(root: String) throws -> any BlobStore {
    let kind = ProcessInfo.processInfo.environment["DIALOGUE_BENCH_STORE"] ?? "directory"
    let library = try DirectoryBlobStore(root: root)
    switch kind {
    case "directory": return library
    case "nofsync": return DiagnosticStore(layout: library, fsync: false, offload: false)
    case "offload": return DiagnosticStore(layout: library, fsync: true, offload: true)
    case "offload-nofsync": return DiagnosticStore(layout: library, fsync: false, offload: true)
    case "sliced": return DiagnosticStore(layout: library, fsync: true, offload: false, slice: 128 << 10)
    case "sliced-nofsync": return DiagnosticStore(layout: library, fsync: false, offload: false, slice: 128 << 10)
    case "discard": return DiscardStore()
    default: throw Failure("unknown DIALOGUE_BENCH_STORE \(kind)")
    }
}

/// Stores nothing and finds nothing.
struct DiscardStore: BlobStore {
    func put(_ bytes: [UInt8], as id: ContentIdentifier) async throws {}
    func get(_ id: ContentIdentifier) async throws -> [UInt8]? { nil }
    func contains(_ id: ContentIdentifier) async throws -> Bool { false }
}

/// DirectoryBlobStore's steps with plain syscalls: write to a temporary file, optionally fsync,
/// rename; read with one `read` into an array (no `Data` in between).
struct DiagnosticStore: BlobStore {
    let layout: DirectoryBlobStore
    let fsync: Bool
    let offload: Bool
    let slice: Int
    private static let queue = DispatchQueue(label: "dialogue-bench.io", attributes: .concurrent)

    init(layout: DirectoryBlobStore, fsync: Bool, offload: Bool, slice: Int = .max) {
        self.layout = layout
        self.fsync = fsync
        self.offload = offload
        self.slice = slice
    }

    private func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        guard offload else { return try body() }
        return try await withCheckedThrowingContinuation { continuation in
            Self.queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    func put(_ bytes: [UInt8], as id: ContentIdentifier) async throws {
        let destination = layout.path(of: id)
        let temporary = "\(layout.root)/tmp/\(id.text(kind: .blob)).\(getpid()).\(UInt64.random(in: 0...UInt64.max))"
        let fsync = self.fsync
        let slice = self.slice
        try await run {
            if access(destination, F_OK) == 0 { return }
            mkdir(String(destination[..<destination.lastIndex(of: "/")!]), 0o755)
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            guard descriptor >= 0 else { throw Failure("cannot create \(temporary): errno \(errno)") }
            guard writeAll(descriptor, bytes, slice: slice) else {
                close(descriptor)
                throw Failure("cannot write \(temporary)")
            }
            if fsync { _ = Glibc.fsync(descriptor) }
            close(descriptor)
            guard rename(temporary, destination) == 0 else { throw Failure("cannot rename to \(destination)") }
        }
    }

    func get(_ id: ContentIdentifier) async throws -> [UInt8]? {
        let file = layout.path(of: id)
        return try await run {
            let descriptor = open(file, O_RDONLY)
            guard descriptor >= 0 else { return nil }
            defer { close(descriptor) }
            var status = stat()
            guard fstat(descriptor, &status) == 0 else { throw Failure("cannot stat \(file)") }
            let size = Int(status.st_size)
            return try [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                count = 0
                while count < size {
                    let result = read(descriptor, buffer.baseAddress! + count, size - count)
                    if result < 0 && errno == EINTR { continue }
                    guard result > 0 else { throw Failure("cannot read \(file)") }
                    count += result
                }
            }
        }
    }

    func contains(_ id: ContentIdentifier) async throws -> Bool { access(layout.path(of: id), F_OK) == 0 }
}

/// Writes all of `bytes` to `descriptor`, at most `slice` bytes per call.
func writeAll(_ descriptor: Int32, _ bytes: [UInt8], slice: Int) -> Bool {
    bytes.withUnsafeBytes { buffer in
        var written = 0
        while written < buffer.count {
            let result = Glibc.write(descriptor, buffer.baseAddress! + written, min(slice, buffer.count - written))
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { return false }
            written += result
        }
        return true
    }
}
