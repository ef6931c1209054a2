internal import DialogueCrypto
public import DialogueDelivery
public import DialogueIdentifiers
public import DialogueMessages
internal import DialogueTrust
internal import Foundation

/// The current members of a list, as its server lists them ([list-ep-members]).
public struct ListMembers: Sendable, Decodable {
    /// One member.
    public struct Member: Sendable, Decodable {
        /// The member's address.
        public let address: String
        /// The fingerprint of its identity key.
        public let fingerprint: String
        /// The position of its `joined` entry.
        public let joined: UInt64
    }

    /// The members.
    public let members: [Member]
    /// The list's current epoch.
    public let epoch: UInt64
}

/// What posting did ([list-ep-post]).
public struct ListPostReport: Sendable {
    /// The post, as signed.
    public let post: ListPost
    /// The message identifier (for replies: `in-reply-to`).
    public let messageID: ContentIdentifier
    /// Whether the server appended it (`201`/`200`) or holds it for the owner (`202`, moderated).
    public let held: Bool
    /// The blobs uploaded to the list server.
    public let uploaded: Int
}

extension MailClient {
    /// The base URL of `list`'s server.
    func listServer(_ list: Address) async throws -> BaseURL {
        try await directory.baseURL(for: String(list.domain))
    }

    /// The fingerprint of the list key as this device pinned it from the list's card (trust on first
    /// use, as for any sender).
    func pinnedListKey(_ list: Address) async throws -> ContentIdentifier {
        let judged = try await card(for: list)
        guard judged.assessment.verdict.severity != .alarm else {
            throw ClientError(
                .trustAlarm,
                "the list \(list): \(judged.assessment.verdict.name): \(judged.assessment.verdict.explanation)")
        }
        return judged.card.fingerprint
    }

    /// The current members of `list` (`GET /lists/{list}/members`), for the owner and members.
    public func listMembers(_ list: Address) async throws -> ListMembers {
        let base = try await listServer(list)
        let answer = try await http.send("GET", base.endpoint("/lists/\(list.text)/members"), signed: true)
        guard answer.status == 200 else { throw answer.error("GET /lists/\(list)/members") }
        do { return try JSONDecoder().decode(ListMembers.self, from: Data(answer.body)) } catch {
            throw ClientError(.invalidResponse, "the members of \(list) do not decode: \(error)")
        }
    }

    // MARK: Posting

    /// Posts to `list`: learns the current epoch and its key ([list-post-seal]) from the index this
    /// device follows, or, for an author that does not follow it (a non-member of an `open` or
    /// `moderated` list), from the list's information ([list-ep-info-author]); seals with the list as
    /// the one recipient; sends the author-signed post; and uploads the blobs the server names in its
    /// `409 missing-blobs`, then posts again ([list-ep-post]). Posting first is what lets a non-member
    /// upload at all: the server accepts its blobs only for a pending post of its key.
    public func post(_ composition: Composition, to list: Address) async throws -> ListPostReport {
        let (descriptor, epoch, epochKey) = try await postingEpoch(list)
        var draft: MessageDraft
        if let epochKey {
            draft = MessageDraft(
                recipients: [.init(address: list, encryptionKey: epochKey)], date: ClientClock.now(),
                subject: composition.subject, parts: composition.parts)
        } else {
            draft = MessageDraft(
                recipients: [.init(card: try await card(for: list).card, address: list, role: .to)],
                date: ClientClock.now(), subject: composition.subject, parts: composition.parts)
            draft.mode = .public
        }
        draft.senderAddress = address
        draft.inReplyTo = composition.inReplyTo
        draft.references = composition.references
        let sealed = try await MessageSealer(sender: identity, store: store).seal(draft)
        let chunks = Array(Set(sealed.signedManifest.manifest.parts.flatMap(\.chunks))).sorted()
        var total = UInt64(sealed.envelopeBytes.count)
        for chunk in chunks { total += UInt64(try await store.get(chunk)?.count ?? 0) }
        let post = try ListPost(
            list: list, author: address, envelope: sealed.envelopeID, envelopeSize: UInt64(sealed.envelopeBytes.count),
            messageSize: total, epoch: descriptor.mode == .encrypted ? epoch : 0, created: ClientClock.now(),
            signingKey: identity.signingKey)
        let request = try ListPostRequest(post: post, chunks: chunks)
        let base = try await listServer(list)
        let posts = base.endpoint("/lists/\(list.text)/posts")
        var answer = try await http.send(
            "POST", posts, body: request.encodedBytes, contentType: "application/cbor", signed: true)
        var uploaded = 0
        if answer.status == 409 {
            let missing = answer.error("POST /lists/…/posts").blobs
            for id in missing { uploaded += try await uploadToList(id, list: list, base: base) }
            answer = try await http.send(
                "POST", posts, body: request.encodedBytes, contentType: "application/cbor", signed: true)
        }
        guard [200, 201, 202].contains(answer.status) else { throw answer.error("POST /lists/\(list)/posts") }
        return ListPostReport(post: post, messageID: sealed.messageID, held: answer.status == 202, uploaded: uploaded)
    }

    /// The descriptor, the current epoch and its public key (`nil` in a public list) to post with.
    ///
    /// A device that follows `list` follows it first: its index has checked every event in order. A
    /// device that does not, or whose user is no longer a member (`403`), reads `GET /lists/{list}` and
    /// checks both objects as [list-ep-info-author] says, against the list key pinned from its card.
    func postingEpoch(_ list: Address) async throws -> (ListDescriptor, UInt64, X25519.PublicKey?) {
        let pinned = try await pinnedListKey(list)
        if try await store.followed(list).descriptor != nil {
            do {
                _ = try await follow(list, openPosts: false)
                let state = try await store.followed(list)
                if let descriptorBytes = state.descriptor, let previous = state.previous {
                    let descriptor = try checkedDescriptor(descriptorBytes, list: list, pinned: pinned)
                    guard descriptor.mode == .encrypted else { return (descriptor, previous.epoch, nil) }
                    guard let key = try await store.eventKey(list, epoch: previous.epoch) else {
                        throw ClientError(.notFound, "no event announced the key of epoch \(previous.epoch) of \(list)")
                    }
                    return (descriptor, previous.epoch, key)
                }
            } catch let error as ClientError where error.status == 403 {}
        }
        let base = try await listServer(list)
        let answer = try await http.send("GET", base.endpoint("/lists/\(list.text)"), signed: false)
        guard answer.status == 200 else { throw answer.error("GET /lists/\(list)") }
        let now = ClientClock.now()
        do {
            let info = try ListInfo(decoding: answer.body)
            let descriptor = try checkedDescriptor(info.descriptor, list: list, pinned: pinned)
            guard let eventBytes = info.latestEvent else {
                throw ClientError(.notFound, "\(list) has no membership event yet: it accepts no post")
            }
            let event = try ListEvent(
                verifyingLatest: eventBytes, list: list, listKey: descriptor.listKey, mode: descriptor.mode, now: now)
            return (descriptor, event.epoch, event.epochKey)
        } catch let error as DeliveryError {
            throw ClientError(.init(error.code.name), "the information of \(list): \(error.reason)")
        }
    }

    /// Uploads blob `id` to the list server (`PUT /lists/{list}/blobs/{blob}`); returns 1 when sent.
    private func uploadToList(_ id: ContentIdentifier, list: Address, base: BaseURL) async throws -> Int {
        guard let bytes = try await store.get(id) else {
            throw ClientError(.missingBlobs, "the local store lacks \(id.text(kind: .blob))", blobs: [id])
        }
        let answer = try await http.send(
            "PUT", base.endpoint("/lists/\(list.text)/blobs/\(id.text(kind: .blob))"), body: bytes,
            contentType: "application/octet-stream", signed: true)
        guard answer.status == 201 || answer.status == 200 else { throw answer.error("PUT /lists/…/blobs/…") }
        return answer.status == 201 ? 1 : 0
    }

    // MARK: Following

    /// Follows `list`: picks up the epoch keys that arrived in the inbox ([list-keys-verify],
    /// [list-keys-match-index]), reads the index after this device's cursor (long-polling up to `wait`
    /// seconds for a first entry), checks every entry in order with [list-entry-verify] and
    /// [list-index-contiguous] and its object with its own verify list, and opens each post not yet
    /// opened with the epoch key it is sealed to, fetching only the blobs this device lacks.
    ///
    /// - Returns: The posts that were new in the index.
    /// - Throws: ``ClientError`` with the failed check's class (`malformed` for a gap, `bad-signature`,
    ///   …) at the first entry that does not verify: the entries before it are kept and the cursor stays
    ///   before it, never past it. `forbidden` (`403`) for a former member.
    @discardableResult
    public func follow(_ list: Address, wait: Int = 0, openPosts: Bool = true) async throws -> [ListPostSummary] {
        let pinned = try await pinnedListKey(list)
        let base = try await listServer(list)
        let document = try await directory.document(for: String(list.domain))
        var state = try await store.followed(list)
        var waiting = max(0, min(60, wait))
        var newPositions: [UInt64] = []
        while true {
            var query = "/lists/\(list.text)/index?limit=\(MailClient.inboxPage)"
            if let cursor = state.cursor { query += "&after=" + cursor }
            if waiting > 0 { query += "&wait=\(waiting)" }
            let answer = try await http.send("GET", base.endpoint(query), signed: true)
            guard answer.status == 200 else { throw answer.error("GET /lists/\(list)/index") }
            let page: ListIndexPage
            do { page = try JSONDecoder().decode(ListIndexPage.self, from: Data(answer.body)) } catch {
                throw ClientError(.invalidResponse, "the index of \(list) does not decode: \(error)")
            }
            var verifier = ListIndexVerifier(
                list: list, pinnedListKey: pinned, serverKeys: document.keys,
                page: ListFollowPage(list: list, state: state))
            var failure: ClientError?
            for text in page.entries {
                do { try verifier.check(text, now: ClientClock.now()) } catch {
                    failure = error
                    break
                }
            }
            var recorded = verifier.page
            if failure == nil { recorded.state.cursor = page.cursor }
            try await store.recordFollowed(recorded)
            newPositions += recorded.posts.map(\.0)
            state = recorded.state
            if let failure { throw failure }
            if page.entries.count < MailClient.inboxPage { break }
            waiting = 0
        }
        try await pickUpEpochKeys(list, pinned: pinned)
        if openPosts, let descriptor = state.descriptor {
            let mode = try checkedDescriptor(descriptor, list: list, pinned: pinned).mode
            for post in try await store.listPosts(list) where post.state != "opened" {
                _ = try? await openListPost(post, base: base, mode: mode)
            }
        }
        let positions = Set(newPositions)
        return try await store.listPosts(list).filter { positions.contains($0.position) }
    }

    func checkedDescriptor(_ bytes: [UInt8], list: Address, pinned: ContentIdentifier) throws(ClientError)
        -> ListDescriptor
    {
        try ListIndexVerifier.descriptor(bytes, list: list, pinned: pinned, now: ClientClock.now())
    }

    /// Keeps the epoch keys of every message from `list` in the inbox whose one part is a delivery
    /// signed by the list key, from a manifest whose sender is the list and whose card's identity key
    /// is the list key ([list-keys-to-members], [list-keys-match-index]).
    func pickUpEpochKeys(_ list: Address, pinned: ContentIdentifier) async throws {
        try await sync()
        for message in try await store.inbox() where message.sender == list {
            guard let opened = try? await open(message.number),
                opened.opened.manifest.senderAddress == list,
                opened.opened.manifest.senderCard.fingerprint == pinned
            else { continue }
            for (index, part) in opened.opened.manifest.parts.enumerated()
            where part.mediaType == EpochKeyDelivery.mediaType {
                guard let bytes = try? await partReader(opened, index: index).readAll(),
                    let delivery = try? EpochKeyDelivery(
                        verifying: bytes, list: list, listKey: opened.opened.manifest.senderCard.identityKey,
                        now: ClientClock.now())
                else { continue }
                try await store.keepEpochKeys(delivery.epochs, list: list)
                try await store.mark(message.number, "is_read")
                // Kept at home first, then acknowledged: the list's server may delete its copy, and this
                // user's other devices still read the keys ([dlv-keep-before-ack]).
                _ = try? await acknowledgeIfFetched(opened, policy: .keep)
            }
        }
    }

    /// Opens post `post` with the secret key of its epoch ([list-post-open]): the envelope by the
    /// post's identifier from the list server, the list's address as own address, the manifest's
    /// sender and card key checked against the post's author and key, the author judged by trust.
    @discardableResult
    func openListPost(_ post: ListPostSummary, base: BaseURL, mode: ListMode) async throws -> OpenedMessage? {
        // A public list's posts are public messages: no key opens them ([list-public]).
        let key = mode == .public ? X25519.PrivateKey() : try await store.usableEpochKey(post.list, epoch: post.epoch)
        guard let secret = key else {
            let later = try await store.epochKeys(post.list).contains { $0.epoch > post.epoch }
            try await store.recordListPost(
                list: post.list, position: post.position,
                state: later ? "posted before you could read this list" : "key not received yet", opened: nil)
            return nil
        }
        let blobs = fetching(from: [base])
        guard let bytes = try await blobs.get(post.envelope, limit: MessageLimits.maximumEnvelopeSize) else {
            throw ClientError(.notFound, "the list server holds no envelope \(post.envelope.text(kind: .blob))")
        }
        let opened: OpenedMessage
        do {
            opened = try EnvelopeOpener.open(bytes, encryptionKey: secret, ownAddresses: [post.list])
        } catch {
            throw ClientError(.init(error.code.name), "post \(post.position) of \(post.list): \(error.reason)")
        }
        guard opened.isPublic == (mode == .public) else {
            throw ClientError(.malformed, "post \(post.position) of \(post.list) is not in the list's mode")
        }
        let authorKey = try await store.listPostAuthorKey(post.list, position: post.position)
        guard opened.manifest.senderAddress == post.author,
            opened.manifest.senderCard.identityKey.rawRepresentation == authorKey
        else {
            throw ClientError(
                .addressMismatch,
                "post \(post.position) of \(post.list) is signed by \(opened.manifest.senderAddress), the post names \(post.author)"
            )
        }
        let statements = await TrustedOpener(engine: trust, blobs: blobs).statementParts(of: opened)
        let assessment = try await trust.observe(opened, statements: statements)
        try await store.recordListPost(
            list: post.list, position: post.position, state: "opened",
            opened: (opened.manifest, opened.messageID, assessment.verdict.name))
        return opened
    }

    /// Opens post `position` of `list` (fetching what this device lacks) and a reader of each part.
    public func readListPost(_ list: Address, position: UInt64) async throws -> (
        post: ListPostSummary, message: OpenedMessage?, parts: [PartReader]
    ) {
        guard let post = try await store.listPosts(list).first(where: { $0.position == position }) else {
            throw ClientError(.unknownMessage, "\(list) has no post at \(position) on this device: follow it first")
        }
        let base = try await listServer(list)
        guard let descriptor = try await store.followed(list).descriptor else {
            throw ClientError(.unknownMessage, "\(list) is not followed on this device")
        }
        let mode = try checkedDescriptor(descriptor, list: list, pinned: try await pinnedListKey(list)).mode
        guard let opened = try await openListPost(post, base: base, mode: mode) else {
            return (try await store.listPosts(list).first { $0.position == position } ?? post, nil, [])
        }
        let readers = opened.manifest.parts.map { PartReader(part: $0, store: fetching(from: [base])) }
        return (try await store.listPosts(list).first { $0.position == position } ?? post, opened, readers)
    }
}

/// One page of `GET /lists/{list}/index` ([list-ep-index]).
struct ListIndexPage: Decodable {
    let entries: [String]
    let cursor: String
}
