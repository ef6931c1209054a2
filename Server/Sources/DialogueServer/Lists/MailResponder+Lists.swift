internal import DialogueCrypto
internal import DialogueDelivery
internal import DialogueIdentifiers
internal import DialogueMessages
internal import DialogueServerStorage
public import Hummingbird

/// The list routes (Spec: lists.md#list-endpoints): bodies limited before they are read
/// ([list-limits-before-read]), requests verified with the list's keys ([list-member-request]),
/// unsigned reads of a public list, and the index's cache headers ([list-index-cache]).
extension MailResponder {
    func respond(to route: ListRoute, _ request: Request, deadline: ContinuousClock.Instant, context: Context)
        async throws -> Response
    {
        let lists = ListService(mail: service)
        switch (route, request.method) {
        case (.lists, _):
            let (verified, body) = try await signed(
                request, deadline: deadline, as: .user, limit: ListDescriptor.maximumSize, context: context)
            return empty(try await lists.create(body, request: verified) ? .created : .ok)
        case (.list(let text), _):
            return cbor(try await lists.info(text), status: .ok)
        case (.policy(let text), _):
            let (_, _, verified, body) = try await listSigned(
                request, list: text, limit: ListDescriptor.maximumSize, deadline: deadline, lists: lists)
            try await lists.changePolicy(body, list: text, request: verified)
            return empty(.ok)
        case (.members(let text), .post):
            let (_, _, verified, body) = try await listSigned(
                request, list: text, limit: ListEvent.maximumSize, deadline: deadline, lists: lists)
            return empty(try await lists.changeMembers(body, list: text, request: verified) ? .created : .ok)
        case (.members(let text), _):
            let record = try await readable(request, list: text, deadline: deadline, lists: lists)
            let members = try await lists.members(of: record)
            return json(
                [
                    "members": members.map {
                        [
                            "address": $0.address, "joined": $0.joined,
                            "fingerprint": ContentIdentifier.hashing($0.identityKey, context: .identityKey).text(
                                kind: .identityKey),
                        ] as [String: Any]
                    },
                    "epoch": record.epoch,
                ], status: .ok)
        case (.index(let text), _):
            let limit = try queryInteger(request, "limit", 1...1000, default: 100)
            let wait = try queryInteger(request, "wait", 0...60, default: 0)
            let after = try queryCursor(request)?.sequence ?? 0
            let record = try await readable(request, list: text, deadline: deadline, lists: lists)
            let entries = try await lists.index(of: record, after: after, limit: limit, wait: wait)
            var response = json(
                [
                    "entries": entries.map { UnpaddedBase64URL.encode($0.bytes) },
                    "cursor": InboxCursor(sequence: entries.last?.position ?? after).description,
                ], status: .ok)
            // [list-index-cache]: a full page of a public list never changes; a shorter one will grow.
            response.headers[.cacheControl] =
                record.mode == ListMode.public.rawValue
                ? (entries.count == limit ? "public, max-age=31536000, immutable" : "no-cache")
                : "private, no-store"
            return response
        case (.blob(let text, let blobText), _):
            try checkDeclaredLength(request, limit: MailService.maximumBlobSize)
            let id = try identifier(blobText, .blob)
            let (address, record) = try await lists.list(text)
            let verified = try await lists.authenticate(head(request), list: address)
            try await lists.mayUpload(id, request: verified, list: record)
            return try await receiveBlob(request, blob: id, verified: verified, deadline: deadline)
        case (.posts(let text), _):
            return try await post(request, list: text, deadline: deadline, lists: lists)
        case (.held(let text), _):
            let (_, _, verified, _) = try await listSigned(
                request, list: text, limit: 0, deadline: deadline, lists: lists)
            let held = try await lists.held(list: text, request: verified)
            return json(
                [
                    "held": held.map {
                        [
                            "post": UnpaddedBase64URL.encode($0.bytes), "received": $0.received,
                            "chunks": $0.chunks.map { $0.text(kind: .blob) },
                        ] as [String: Any]
                    }
                ], status: .ok)
        case (.approve(let text, let blobText), _):
            let id = try identifier(blobText, .blob)
            let (_, _, verified, _) = try await listSigned(
                request, list: text, limit: 0, deadline: deadline, lists: lists)
            try await lists.approve(id, list: text, request: verified)
            return empty(.created)
        case (.heldPost(let text, let blobText), _):
            let id = try identifier(blobText, .blob)
            let (_, _, verified, _) = try await listSigned(
                request, list: text, limit: 0, deadline: deadline, lists: lists)
            try await lists.reject(id, list: text, request: verified)
            return empty(.noContent)
        }
    }

    /// A request on a list's route signed with the list's keys, and its body of at most `limit` bytes,
    /// refused by its declared length before the list is even looked up ([list-limits-before-read]).
    private func listSigned(
        _ request: Request, list text: String, limit: Int, deadline: ContinuousClock.Instant, lists: ListService,
        author: (address: Address, key: Ed25519.VerifyingKey)? = nil
    ) async throws -> (Address, ListRecord, VerifiedRequest, [UInt8]) {
        try checkDeclaredLength(request, limit: limit)
        let (address, record) = try await lists.list(text)
        let verified = try await lists.authenticate(head(request), list: address, author: author)
        let body = try await readBody(request, limit: limit, deadline: deadline)
        do { try verified.checkBody(body) } catch { throw MailProblem(error) }
        return (address, record, verified, body)
    }

    /// A list whose index and members the request may read: anyone's for a public list, unsigned; the
    /// owner's or a current member's for an encrypted one ([list-member-request]).
    private func readable(_ request: Request, list text: String, deadline: ContinuousClock.Instant, lists: ListService)
        async throws -> ListRecord
    {
        let (_, record) = try await lists.list(text)
        if record.mode == ListMode.public.rawValue { return record }
        let (_, _, verified, _) = try await listSigned(request, list: text, limit: 0, deadline: deadline, lists: lists)
        _ = try await lists.requester(verified, list: record)
        return record
    }

    /// `POST /lists/{list}/posts`: the body is read before the request is verified, because a
    /// non-member's request is verified with the key 3 of the post it carries ([list-ep-post]).
    private func post(_ request: Request, list text: String, deadline: ContinuousClock.Instant, lists: ListService)
        async throws -> Response
    {
        try checkDeclaredLength(request, limit: ListPostRequest.maximumSize)
        let (address, record) = try await lists.list(text)
        let body = try await readBody(request, limit: ListPostRequest.maximumSize, deadline: deadline)
        let parsed = Result { () throws(DeliveryError) -> (ListPost, ListPostRequest) in
            let postRequest = try ListPostRequest(decoding: body)
            let post = try ListPost(
                verifying: postRequest.post, list: address, epoch: record.epoch, now: service.clock.now())
            return (post, postRequest)
        }
        let verified: VerifiedRequest
        do {
            let author = (try? parsed.get()).map { ($0.0.author, $0.0.authorKey) }
            verified = try await lists.authenticate(head(request), list: address, author: author)
        } catch {
            // A stranger's request is verified with its post's key: a post that does not verify is the
            // reason the request cannot be.
            if case .failure(let failure) = parsed { throw MailProblem(failure) }
            throw error
        }
        do { try verified.checkBody(body) } catch { throw MailProblem(error) }
        let (post, postRequest): (ListPost, ListPostRequest)
        do { (post, postRequest) = try parsed.get() } catch { throw MailProblem(error) }
        switch try await lists.post(
            post, chunks: postRequest.chunks, list: address, record: record, request: verified)
        {
        case .appended: return empty(.created)
        case .held: return empty(.accepted)
        case .repeated: return empty(.ok)
        }
    }
}
