package import DialogueIdentifiers
package import NIOCore
internal import Synchronization

/// The bytes of the small blobs that ``LiveBlobFastPath`` served, so that serving one again costs a
/// `stat` instead of an open, an `fstat`, a read and a close (Spec: [dlv-blob-serve]).
///
/// A blob's bytes never change: its file is named by its identifier and checked against it on upload,
/// so the bytes read once are its bytes for good. What does change is whether it is live, which the
/// fast path still checks for every request, against ``LiveBlobCache``, with the identity of the file
/// that the `stat` found. A blob deleted meanwhile is therefore never served from here: its entry in
/// the live cache is gone, or its file is.
package final class SmallBlobBodies: Sendable {
    /// The largest blob kept.
    package let largest: Int
    /// The most bytes kept in all; when a body would go over, the cache starts again empty.
    package let budget: Int
    private let state = Mutex<(bodies: [ContentIdentifier: ByteBuffer], bytes: Int)>(([:], 0))

    /// An empty cache of blobs up to `largest` bytes, holding at most `budget` bytes.
    package init(largest: Int = 16 * 1024, budget: Int = 8 * 1024 * 1024) {
        self.largest = largest
        self.budget = budget
    }

    /// How many blobs' bytes are kept.
    package var count: Int { state.withLock { $0.bodies.count } }

    /// The bytes of `id`, if they are kept.
    package func body(of id: ContentIdentifier) -> ByteBuffer? { state.withLock { $0.bodies[id] } }

    /// Keeps `body` as the bytes of `id`, if it is small enough.
    package func keep(_ body: ByteBuffer, of id: ContentIdentifier) {
        guard body.readableBytes <= largest else { return }
        state.withLock { state in
            guard state.bodies[id] == nil else { return }
            if state.bytes + body.readableBytes > budget { state = ([:], 0) }
            state.bodies[id] = body
            state.bytes += body.readableBytes
        }
    }
}
