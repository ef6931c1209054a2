internal import AsyncHTTPClient
internal import DialogueDelivery
internal import DialogueIdentifiers
internal import DialogueMessages
internal import NIOCore
internal import NIOHTTP1
internal import Synchronization

/// A ``BlobStore`` that answers from the local client store and fetches only what it lacks:
/// each missing blob is fetched by identifier from the first source that has it, checked against
/// its identifier ([id-verify]) and only then kept, so nothing is ever fetched twice and an
/// interrupted fetch resumes with the blobs it is missing.
struct FetchingBlobStore: BlobStore {
    let local: ClientStore
    let http: ClientHTTP
    /// Base URLs to fetch from, in order: the home server's kept copy, the sender's server.
    let sources: [BaseURL]
    let progress: ProgressHandler?
    let fetched: FetchCounter

    func put(_ bytes: [UInt8], as id: ContentIdentifier) async throws { try await local.put(bytes, as: id) }

    func get(_ id: ContentIdentifier) async throws -> [UInt8]? {
        try await get(id, limit: MessageLimits.maximumEnvelopeSize)
    }

    func get(_ id: ContentIdentifier, limit: Int) async throws -> [UInt8]? {
        if let bytes = try await local.get(id, limit: limit) { return bytes }
        var lastError: ClientError?
        for source in sources {
            do {
                guard let bytes = try await fetch(id, from: source, limit: limit) else { continue }
                try await local.keep(verified: bytes, as: id)  // fetch(_:from:limit:) checked them
                fetched.add(bytes.count)
                return bytes
            } catch let error as ClientError where error.code == .gone || error.code == .unreachable {
                // Deleted there (the sender's server after the last acknowledgement), or down: try the next.
                lastError = error
            }
        }
        if let lastError, lastError.code == .gone { throw lastError }
        return nil
    }

    func contains(_ id: ContentIdentifier) async throws -> Bool { try await local.contains(id) }

    /// Every blob is checked: as it is read back from the local store, or as it is received.
    var checksIdentifiers: Bool { true }

    /// Makes the blobs kept so far durable.
    func flush() async throws { try await local.flush() }

    /// `GET BASE/blobs/{id}`: the bytes when they hash to `id`, `nil` for a `404`.
    private func fetch(_ id: ContentIdentifier, from source: BaseURL, limit: Int) async throws(ClientError) -> [UInt8]?
    {
        let url = source.endpoint("/blobs/" + id.text(kind: .blob))
        let response = try await http.start("GET", url)
        let status = Int(response.status.code)
        guard status == 200 else {
            let answer = try? await ServerAnswer(
                status: status, fields: response.headers.map { ($0.name.lowercased(), $0.value) },
                body: Array(buffer: response.body.collect(upTo: 65_536)))
            if status == 404 { return nil }
            throw answer?.error("GET \(url)") ?? ClientError(.invalidResponse, "GET \(url): \(status)", status: status)
        }
        let total = response.headers.first(name: "content-length").flatMap(Int.init)
        if let total, total > limit {
            throw ClientError(.limitsExceeded, "\(url) is \(total) bytes; at most \(limit) are allowed here")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(total ?? 0, limit))
        // Hashed as it arrives, each piece while it is still in the cache, and never again after.
        var hasher = ContentHasher(context: .blob)
        do {
            for try await buffer in response.body {
                guard bytes.count + buffer.readableBytes <= limit else {
                    throw ClientError(.limitsExceeded, "\(url) is larger than \(limit) bytes")
                }
                buffer.withUnsafeReadableBytes { hasher.update($0) }
                bytes.append(contentsOf: buffer.readableBytesView)
                progress?(
                    .init(
                        direction: .download, blob: id, bytes: bytes.count, total: total, finished: false,
                        skipped: false))
            }
        } catch let error as ClientError {
            throw error
        } catch {
            throw ClientHTTP.unreachable(url, error)
        }
        guard hasher.finalize() == id else {
            throw ClientError(.authenticationFailed, "\(url) served bytes that do not hash to \(id.text(kind: .blob))")
        }
        progress?(
            .init(direction: .download, blob: id, bytes: bytes.count, total: total, finished: true, skipped: false))
        return bytes
    }
}

/// Counts what a client fetched from servers: blobs and bytes.
public final class FetchCounter: Sendable {
    private let state = Mutex<(blobs: Int, bytes: Int)>((0, 0))

    /// A counter at zero.
    public init() {}

    func add(_ bytes: Int) { state.withLock { $0 = ($0.blobs + 1, $0.bytes + bytes) } }

    /// Blobs fetched so far.
    public var blobs: Int { state.withLock { $0.blobs } }
    /// Bytes fetched so far.
    public var bytes: Int { state.withLock { $0.bytes } }
}
