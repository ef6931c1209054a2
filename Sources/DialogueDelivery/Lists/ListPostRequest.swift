internal import DialogueCBOR
public import DialogueIdentifiers
internal import DialogueMessages

/// The body of `POST /lists/{list}/posts`: the signed post and the chunk identifiers of its
/// message (Spec: lists.md#list-ep-post).
///
/// ```
/// post-request = [ bstr (signed post), [* bstr .size 33] ]   ; chunks in bytewise order, at most 65,536
/// ```
///
/// The chunk list tells the server which blobs belong to the post (it cannot read the manifest of
/// an encrypted post); the request's signature covers it. The post inside is checked with
/// ``ListPost``.
public struct ListPostRequest: Hashable, Sendable {
    /// The largest body, in bytes (Spec: [list-limits-before-read]).
    public static let maximumSize = 4_194_304
    /// The most chunk identifiers a post names.
    public static let maximumChunks = 65_536

    /// The signed post's exact bytes.
    public let post: [UInt8]
    /// Every chunk identifier the envelope names, each once, in strictly increasing bytewise order.
    public let chunks: [ContentIdentifier]
    /// The body exactly as received or built.
    public let encodedBytes: [UInt8]

    /// Builds a request body; the chunks are sorted and each kept once.
    public init(post: ListPost, chunks: [ContentIdentifier]) throws(DeliveryError) {
        let sorted = Set(chunks).map(\.binaryRepresentation).sorted { $0.lexicographicallyPrecedes($1) }
        self = try ListPostRequest(
            decoding: Schema.encode(.array([.bytes(post.encodedBytes), .array(sorted.map(CBORValue.bytes))])))
    }

    /// Decodes a body: at most ``maximumSize`` bytes (checked before decoding), valid Dialogue CBOR,
    /// an array of the post and the chunk list, the list's count checked before its elements, each
    /// identifier well formed ([dlv-identifier-form]) and in strictly increasing order.
    public init(decoding bytes: some Collection<UInt8>) throws(DeliveryError) {
        let encoded = Array(bytes)
        let what = "post request"
        try DeliveryWire.checkSize(encoded, maximum: ListPostRequest.maximumSize, what)
        let (post, chunkNodes) = try DeliveryWire.lift { () throws(MessageError) in
            let node = try Schema.decode(encoded[...], what)
            let elements = try Schema.array(node, what, maximumCount: Int.max)
            guard elements.count == 2 else { throw .malformed("a post request is an array of the post and its chunks") }
            let post = try Schema.bytes(elements[0], "\(what) post")
            return (
                Array(post),
                try Schema.array(elements[1], "\(what) chunks", maximumCount: ListPostRequest.maximumChunks)
            )
        }
        var chunks: [ContentIdentifier] = []
        chunks.reserveCapacity(chunkNodes.count)
        for (index, node) in chunkNodes.enumerated() {
            let chunk = try node.deliveryIdentifier("\(what) chunk \(index + 1)")
            if let last = chunks.last,
                !last.binaryRepresentation.lexicographicallyPrecedes(chunk.binaryRepresentation)
            {
                throw .malformed("the chunks of a post request are not in strictly increasing bytewise order")
            }
            chunks.append(chunk)
        }
        self.post = post
        self.chunks = chunks
        self.encodedBytes = encoded
    }
}
