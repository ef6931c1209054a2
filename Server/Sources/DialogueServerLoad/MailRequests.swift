internal import DialogueCrypto
internal import DialogueDelivery
internal import DialogueIdentifiers
internal import DialogueMessages
internal import NIOHTTP1

/// The signed requests of the benchmark, to the server under test at `server` (its base URL): the
/// user's uploads and submissions, and the fake peer's notifications to the user.
struct MailRequests: Sendable {
    let state: LoadState
    let server: String
    let user: RequestSigner
    let peer: RequestSigner
    /// The recipient of every submission: a user of the fake peer (its card is never needed by the server).
    let recipient: Address
    let recipientFingerprint = ContentIdentifier.hashing(SecureRandom.bytes(count: 32), context: .identityKey)

    init(stateDirectory: String, server: String) throws {
        state = try LoadState.load(stateDirectory)
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        user = try state.userSigner(directory: stateDirectory)
        peer = try state.peerSigner()
        recipient = try Address(canonical: "bob@" + state.peerDomain)
    }

    /// `PUT /blobs/{id}` of `bytes` (Spec: [dlv-upload-verify]).
    func upload(_ bytes: [UInt8]) throws -> (id: ContentIdentifier, request: PreparedRequest) {
        let id = ContentIdentifier.hashing(bytes, context: .blob)
        let request = try PreparedRequest(
            signing: .PUT, url: server + "/blobs/" + id.text(kind: .blob), body: bytes,
            contentType: "application/octet-stream", signer: user)
        return (id, request)
    }

    /// `POST /submissions` of a message naming uploaded blobs: the first is the envelope, the others its
    /// chunks (Spec: [dlv-submission]).
    func submission(naming blobs: [ContentIdentifier]) throws -> PreparedRequest {
        guard let envelope = blobs.first else { throw LoadError("a message names at least its envelope") }
        let chunks = Array(blobs.dropFirst())
        let now = unixNow()
        let submission = try Submission(
            sender: try Address(canonical: state.user),
            deliveries: [try Delivery(recipient: recipient, envelope: envelope, fingerprint: recipientFingerprint)],
            chunks: chunks, created: now, expires: now + 86_400 * 7, signingKey: try state.userKey())
        return try PreparedRequest(
            signing: .POST, url: server + "/submissions", body: submission.encodedBytes,
            contentType: "application/cbor", signer: user)
    }

    /// `POST /notifications` from the fake peer to the user, of a new random envelope (Spec: [dlv-notification]).
    func notification() throws -> PreparedRequest {
        let now = unixNow()
        let notification = try Notification(
            sender: try Address(canonical: "carol@" + state.peerDomain), recipient: try Address(canonical: state.user),
            envelope: ContentIdentifier.hashing(SecureRandom.bytes(count: 32), context: .blob), envelopeSize: 1_024,
            messageSize: 1_024, baseURL: try BaseURL(state.peerBaseURL), created: now, expires: now + 86_400,
            signingKey: try state.peerKey())
        return try PreparedRequest(
            signing: .POST, url: server + "/notifications", body: notification.encodedBytes,
            contentType: "application/cbor", signer: peer)
    }
}
