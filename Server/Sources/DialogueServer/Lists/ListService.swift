internal import DialogueCBOR
public import DialogueCrypto
public import DialogueDelivery
public import DialogueIdentifiers
public import DialogueMessages
public import DialogueServerStorage

/// The list protocol of a list server, independent of HTTP (Spec: lists.md#list-endpoints): lists,
/// their policies and members, the index and its long poll, posts and moderation. Every refusal is a
/// ``MailProblem``; the mail service provides the store, the files, the clock and the request checks.
public struct ListService: Sendable {
    /// Who a request on a list's route is.
    public enum Requester: Hashable, Sendable {
        /// The list's own account, by its current identity key.
        case owner
        /// A current member, by the key of its `joined` event.
        case member
        /// Nobody in particular: an unsigned read of a public list.
        case anyone
    }

    /// How long a post waits for its blobs, in seconds ([list-ep-post]).
    public static let pendingLifetime: UInt64 = 86_400

    /// The mail service whose store, files, clock and identity the lists share.
    public let mail: MailService

    /// The list service of `mail`.
    public init(mail: MailService) { self.mail = mail }

    private var store: any MailStore { mail.store }

    // MARK: Lists and requests

    /// The list with this address, `400` if the address is not canonical, `404` if the server has none.
    public func list(_ text: String) async throws(MailProblem) -> (Address, ListRecord) {
        guard let address = try? Address(canonical: text) else {
            throw MailProblem(.malformed, "the list is not a canonical address")
        }
        guard let record = try await mail.run({ try await self.store.list(address.text) }) else {
            throw MailProblem(.notFound, "no such list")
        }
        return (address, record)
    }

    /// Verifies a request on a list's route with the list's keys ([list-member-request]); `author` is
    /// the author of the post it carries.
    public func authenticate(
        _ head: RequestHead, list: Address, author: (address: Address, key: Ed25519.VerifyingKey)? = nil
    ) async throws(MailProblem) -> VerifiedRequest {
        try await mail.authenticate(head, keys: ListKeyResolver(store: store, list: list.text, author: author))
    }

    /// Who made a verified request: the owner or a current member; anyone else is `403 forbidden`
    /// ([list-member-request]), a former member included ([list-ep-index]).
    public func requester(_ request: VerifiedRequest, list: ListRecord, ownerOnly: Bool = false)
        async throws(MailProblem) -> Requester
    {
        let principal = request.keyID.principalText
        if principal == list.address,
            let account = try await mail.run({ try await self.store.account(principal) }),
            account.fingerprint == request.keyID.fingerprint
        {
            return .owner
        }
        guard !ownerOnly else { throw MailProblem(.forbidden, "only the list's owner may do this") }
        let member = try await mail.run { try await self.store.listMember(list: list.address, address: principal) }
        guard let member, member.current,
            ContentIdentifier.hashing(member.identityKey, context: .identityKey) == request.keyID.fingerprint
        else { throw MailProblem(.forbidden, "not a current member of the list") }
        return .member
    }

    // MARK: Creating a list and changing it

    /// Creates a list from its descriptor, signed by the list's own account; `true` when it is new,
    /// `false` for the same descriptor again (Spec: [list-ep-create]).
    public func create(_ bytes: [UInt8], request: VerifiedRequest) async throws(MailProblem) -> Bool {
        try mail.check(bytes, request)
        let account = try await mail.userAccount(request)
        let address: Address
        do { address = try Address(canonical: account.address) } catch {
            throw MailProblem(.unavailable, "the account's address is not canonical")
        }
        let descriptor = try verifyDescriptor(bytes, list: address, account: account)
        if let existing = try await mail.run({ try await self.store.list(address.text) }) {
            guard existing.descriptor == bytes else {
                throw MailProblem(.malformed, "the list exists: change its policy with PUT /lists/{list}/policy")
            }
            return false
        }
        let record = ListRecord(
            address: address.text, descriptor: bytes, listKey: descriptor.listKey.rawRepresentation,
            revision: descriptor.revision, mode: descriptor.mode.rawValue, posting: descriptor.posting.rawValue,
            history: descriptor.history.rawValue)
        do {
            _ = try await append(.created(record), list: address, kind: .descriptor, object: bytes)
        } catch let problem where problem.type == .malformed && problem.detail.hasPrefix("already exists") {
            return false
        }
        return true
    }

    /// Replaces the list's descriptor, by the owner (Spec: [list-descriptor-revision]).
    public func changePolicy(_ bytes: [UInt8], list text: String, request: VerifiedRequest) async throws(MailProblem) {
        try mail.check(bytes, request)
        let (address, record) = try await list(text)
        _ = try await requester(request, list: record, ownerOnly: true)
        let account = try await mail.userAccount(request)
        if record.descriptor == bytes { return }
        let descriptor = try verifyDescriptor(bytes, list: address, account: account)
        guard descriptor.listKey.rawRepresentation == record.listKey, descriptor.mode.rawValue == record.mode else {
            throw MailProblem(.malformed, "a descriptor that changes the list's key or mode is a new list")
        }
        guard descriptor.revision > record.revision else {
            throw MailProblem(.malformed, "revision \(descriptor.revision) is not above \(record.revision)")
        }
        var changed = record
        changed.descriptor = bytes
        changed.revision = descriptor.revision
        changed.posting = descriptor.posting.rawValue
        changed.history = descriptor.history.rawValue
        _ = try await append(.descriptor(changed), list: address, kind: .descriptor, object: bytes)
    }

    /// Appends a membership event, by the owner; `true` when it is new, `false` for the list's latest
    /// event again (Spec: [list-event-verify], [list-members-state]).
    public func changeMembers(_ bytes: [UInt8], list text: String, request: VerifiedRequest) async throws(MailProblem)
        -> Bool
    {
        try mail.check(bytes, request)
        let (address, record) = try await list(text)
        _ = try await requester(request, list: record, ownerOnly: true)
        if record.latestEvent == bytes { return false }
        let key = try listKey(record)
        let mode = try mode(record)
        let event: ListEvent
        do {
            event = try ListEvent(
                verifying: bytes, list: address, listKey: key, mode: mode,
                history: ListHistory(rawValue: record.history) ?? .archive,
                previous: record.latestEvent == nil
                    ? nil : ListEvent.Previous(serial: record.serial, epoch: record.epoch), now: mail.clock.now())
        } catch { throw MailProblem(error) }
        var member: (address: String, identityKey: [UInt8], joins: Bool)?
        if let address = event.member, let key = event.memberKey {
            let known = try await mail.run {
                try await self.store.listMember(list: record.address, address: address.text)
            }
            let isCurrent = known?.current ?? false
            switch event.kind {
            case .joined where isCurrent:
                throw MailProblem(.malformed, "\(address) is a current member already")
            case .left where !isCurrent, .removed where !isCurrent:
                throw MailProblem(.malformed, "\(address) is not a current member")
            case .left, .removed:
                guard known?.identityKey == key.rawRepresentation else {
                    throw MailProblem(.malformed, "the event's member key is not the one of \(address)'s joined event")
                }
            case .joined, .keyRolled: break
            }
            member = (address.text, key.rawRepresentation, event.kind == .joined)
        }
        let change = ListEventRecord(bytes: bytes, serial: event.serial, epoch: event.epoch, member: member)
        _ = try await append(.event(change), list: address, kind: .event, object: bytes)
        return true
    }

    // MARK: Reading

    /// The list's information: its descriptor and latest event (Spec: [list-ep-info]).
    public func info(_ text: String) async throws(MailProblem) -> [UInt8] {
        let (_, record) = try await list(text)
        var entries: [CBORValue.MapEntry] = [.init(key: 0, value: .bytes(record.descriptor))]
        if let event = record.latestEvent { entries.append(.init(key: 1, value: .bytes(event))) }
        do { return try CBOREncoder().encode(.map(entries)) } catch {
            throw MailProblem(.unavailable, "the list information cannot be encoded")
        }
    }

    /// The current members in address order, and the epoch (Spec: [list-ep-members]).
    public func members(of record: ListRecord) async throws(MailProblem) -> [ListMemberRecord] {
        try await mail.run { try await self.store.listMembers(list: record.address) }.filter(\.current)
    }

    /// The entries after `after`, waiting up to `wait` seconds for one when there is none (Spec:
    /// [list-ep-index]).
    public func index(of record: ListRecord, after: UInt64, limit: Int, wait: Int) async throws(MailProblem)
        -> [ListEntryRecord]
    {
        guard after <= record.length else { throw MailProblem(.malformed, "an unknown cursor") }
        let deadline = ContinuousClock.now + .seconds(min(wait, mail.configuration.maximumWait))
        var closing = false
        while true {
            let generation = await mail.listNotifier.generation(of: record.address)
            let entries = try await mail.run {
                try await self.store.listEntries(list: record.address, after: after, limit: limit)
            }
            if !entries.isEmpty { return entries }
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero, !closing else { return [] }
            let seconds = Double(remaining.components.seconds) + Double(remaining.components.attoseconds) * 1e-18
            closing = !(await mail.listNotifier.wait(for: record.address, after: generation, seconds: seconds))
        }
    }

    // MARK: Posting

    /// Whether the requester may upload `blob` to the list: the owner, a current member, or the author of
    /// a pending post that names it (Spec: [list-ep-post]).
    public func mayUpload(_ blob: ContentIdentifier, request: VerifiedRequest, list record: ListRecord)
        async throws(MailProblem)
    {
        do {
            _ = try await requester(request, list: record)
            return
        } catch let problem where problem.type == .forbidden {
            let pending = try await mail.run { try await self.store.listPosts(list: record.address, state: .pending) }
            let user = request.keyID.principalText
            let allowed = pending.contains {
                $0.author == user && $0.blobs.contains(blob)
                    && ContentIdentifier.hashing($0.authorKey, context: .identityKey) == request.keyID.fingerprint
            }
            guard allowed else { throw problem }
        }
    }

    /// What a post did.
    public enum PostOutcome: Sendable {
        /// Appended: `201`.
        case appended
        /// Held for the owner: `202`.
        case held
        /// The same post again: `200`.
        case repeated
    }

    /// Checks and appends (or holds) a post; `409 missing-blobs` with a pending record while a blob is not
    /// held (Spec: [list-ep-post], [list-post-verify], [list-policy-check]). `post` is the body's post,
    /// already verified against the list's current epoch by the caller (so that its author's key could
    /// verify the request).
    public func post(
        _ post: ListPost, chunks: [ContentIdentifier], list address: Address, record: ListRecord,
        request: VerifiedRequest
    ) async throws(MailProblem) -> PostOutcome {
        guard request.keyID.principalText == post.author.text else {
            throw MailProblem(
                .addressMismatch, "the request is by \(request.keyID.principalText), not the post's author")
        }
        guard request.keyID.fingerprint == post.authorFingerprint else {
            throw MailProblem(.forbidden, "the request is not signed by the post's author key")
        }
        guard record.serial > 0 else { throw MailProblem(.forbidden, "the list has no member yet") }
        let posting = ListPosting(rawValue: record.posting) ?? .members
        if posting == .members {
            let member = try await mail.run {
                try await self.store.listMember(list: record.address, address: post.author.text)
            }
            guard let member, member.current, member.identityKey == post.authorKey.rawRepresentation else {
                throw MailProblem(.forbidden, "only current members post to this list")
            }
        }
        if let existing = try await mail.run({
            try await self.store.listPost(list: record.address, envelope: post.envelope)
        }), existing.state != .pending {
            guard existing.bytes == post.encodedBytes else {
                throw MailProblem(.malformed, "another post of this list names this envelope")
            }
            return .repeated
        }
        var held = ListPostRecord(
            list: record.address, envelope: post.envelope, bytes: post.encodedBytes, chunks: chunks,
            author: post.author.text, authorKey: post.authorKey.rawRepresentation, received: mail.clock.now(),
            state: posting == .moderated ? .held : .appended)
        do {
            if posting == .moderated {
                try await store.recordListPost(held)
            } else {
                _ = try await appendEntry(.post(held), list: address, kind: .post, object: post.encodedBytes)
            }
        } catch StoreError.missingBlobs(let missing) {
            held.state = .pending
            try await mail.run { try await self.store.recordListPost(held) }
            throw MailProblem(.missingBlobs, "the server does not hold \(missing.count) blobs", blobs: missing)
        } catch StoreError.alreadyExists(_) {
            return .repeated
        } catch {
            throw MailProblem.wrapping(error)
        }
        if posting != .moderated { await mail.listNotifier.notify(record.address) }
        return posting == .moderated ? .held : .appended
    }

    // MARK: Moderation

    /// The held posts, oldest first, for the owner (Spec: [list-ep-held]).
    public func held(list text: String, request: VerifiedRequest) async throws(MailProblem) -> [ListPostRecord] {
        try mail.check([], request)
        let (_, record) = try await list(text)
        _ = try await requester(request, list: record, ownerOnly: true)
        return try await mail.run { try await self.store.listPosts(list: record.address, state: .held) }
    }

    /// Appends a held post, by the owner, after checking its epoch again (Spec: [list-ep-held]).
    public func approve(_ envelope: ContentIdentifier, list text: String, request: VerifiedRequest)
        async throws(MailProblem)
    {
        try mail.check([], request)
        let (address, record) = try await list(text)
        _ = try await requester(request, list: record, ownerOnly: true)
        guard
            let held = try await mail.run({ try await self.store.listPost(list: record.address, envelope: envelope) }),
            held.state == .held
        else { throw MailProblem(.notFound, "no such held post") }
        do { _ = try ListPost(verifying: held.bytes, list: address, epoch: record.epoch, now: mail.clock.now()) } catch
        {
            throw MailProblem(error)
        }
        _ = try await append(.post(held), list: address, kind: .post, object: held.bytes)
    }

    /// Rejects a held post, by the owner, and drops its blobs (Spec: [list-ep-held]).
    public func reject(_ envelope: ContentIdentifier, list text: String, request: VerifiedRequest)
        async throws(MailProblem)
    {
        try mail.check([], request)
        let (_, record) = try await list(text)
        _ = try await requester(request, list: record, ownerOnly: true)
        let deleted = try await mail.run {
            try await self.store.rejectListPost(list: record.address, envelope: envelope, at: self.mail.clock.now())
        }
        mail.removeFiles(deleted)
    }

    // MARK: Helpers

    /// Appends an entry signed by the server's current key, and wakes the list's polls.
    private func append(_ change: ListAppend, list: Address, kind: ListEntryKind, object: [UInt8])
        async throws(MailProblem) -> ListEntryRecord
    {
        let entry = try await mail.run { try await appendEntry(change, list: list, kind: kind, object: object) }
        await mail.listNotifier.notify(list.text)
        return entry
    }

    private func appendEntry(_ change: ListAppend, list: Address, kind: ListEntryKind, object: [UInt8]) async throws
        -> ListEntryRecord
    {
        let now = mail.clock.now()
        guard let key = mail.identity.signingKey(at: now) else {
            throw MailProblem(.unavailable, "the server has no key valid now")
        }
        let signingKey = key.signingKey
        return try await store.appendListEntry(change, list: list.text) { position in
            try ListEntry(
                list: list, position: position, kind: kind, object: object, appended: now, signingKey: signingKey
            ).encodedBytes
        }
    }

    private func verifyDescriptor(_ bytes: [UInt8], list: Address, account: AccountRecord) throws(MailProblem)
        -> ListDescriptor
    {
        do {
            return try ListDescriptor(
                verifying: bytes, list: list, listKeyFingerprint: account.fingerprint, now: mail.clock.now())
        } catch { throw MailProblem(error) }
    }

    private func listKey(_ record: ListRecord) throws(MailProblem) -> Ed25519.VerifyingKey {
        do { return try Ed25519.VerifyingKey(rawRepresentation: record.listKey) } catch {
            throw MailProblem(.unavailable, "the stored list key is unreadable")
        }
    }

    private func mode(_ record: ListRecord) throws(MailProblem) -> ListMode {
        guard let mode = ListMode(rawValue: record.mode) else {
            throw MailProblem(.unavailable, "the stored list mode is unknown")
        }
        return mode
    }
}
