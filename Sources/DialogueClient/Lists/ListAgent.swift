public import DialogueCrypto
public import DialogueDelivery
public import DialogueIdentifiers
public import DialogueMessages
internal import DialogueTrust
internal import Foundation

/// The list agent: the owner's user agent, which holds a list's secret identity (Spec: lists.md#list-overview).
///
/// It runs over the ``MailClient`` of the list's own account, whose home server is the list's server:
/// it signs the descriptor and every membership event, rolls the epoch on every departure with a
/// fresh key pair ([list-epoch-roll], [list-epoch-fresh]), and sends epoch keys to members as ordinary
/// Dialogue mail from the list's address, stored and retried like any mail ([list-keys-to-members]).
///
/// ```swift
/// let agent = ListAgent(client: listClient)   // the account dev@lists.example.org
/// try await agent.create(owner: alice, posting: .members, history: .archive)
/// try await agent.add(bob)                     // bob receives epoch 0 by mail
/// try await agent.remove(bob)                  // the others receive epoch 1; bob does not
/// ```
public struct ListAgent: Sendable {
    /// The list account's client: its address is the list's, its identity the list's.
    public let client: MailClient

    /// An agent over the list account's `client`.
    public init(client: MailClient) { self.client = client }

    /// The list's address.
    public var list: Address { client.address }

    var listKeyFingerprint: ContentIdentifier {
        ContentIdentifier.hashing(client.identity.signingKey.publicKey.rawRepresentation, context: .identityKey)
    }

    /// Creates the list on its server (`POST /lists`, [list-ep-create]) with a signed descriptor; an
    /// encrypted list also draws epoch 0's key pair here ([list-epoch-fresh]).
    ///
    /// - Parameter mode: ``ListMode/encrypted`` unless the user explicitly asks for a public list
    ///   ([list-encrypted-default]).
    @discardableResult
    public func create(
        owner: Address, mode: ListMode = .encrypted, posting: ListPosting = .members, history: ListHistory = .archive
    ) async throws -> ListDescriptor {
        let descriptor: ListDescriptor
        do {
            descriptor = try ListDescriptor(
                list: list, owner: owner, mode: mode, posting: posting, history: mode == .public ? .archive : history,
                revision: 1, created: ClientClock.now(), signingKey: client.identity.signingKey)
        } catch {
            throw ClientError(.init(error.code.name), "the descriptor of \(list): \(error.reason)")
        }
        let answer = try await client.http.send(
            "POST", client.home("/lists"), body: descriptor.encodedBytes, contentType: "application/cbor", signed: true)
        guard answer.status == 201 || answer.status == 200 else { throw answer.error("POST /lists") }
        try await client.store.recordOwned(descriptor)
        if mode == .encrypted { try await client.store.keepEpochKeys([EpochKey.generate(epoch: 0)], list: list) }
        return descriptor
    }

    /// Changes who may post, what a later member reads or who runs the list (`PUT /lists/{list}/policy`,
    /// [list-descriptor-revision]): a descriptor of the next revision, same address, key and mode,
    /// which the server appends to the index. Members' user agents apply it and show a change of
    /// history ([list-descriptor-revision]).
    @discardableResult
    public func setPolicy(posting: ListPosting? = nil, history: ListHistory? = nil, owner: Address? = nil)
        async throws -> ListDescriptor
    {
        let current = try await state().descriptor
        let descriptor: ListDescriptor
        do {
            descriptor = try ListDescriptor(
                list: list, owner: owner ?? current.owner, mode: current.mode, posting: posting ?? current.posting,
                history: current.mode == .public ? .archive : history ?? current.history,
                revision: current.revision + 1, created: ClientClock.now(), signingKey: client.identity.signingKey)
        } catch {
            throw ClientError(.init(error.code.name), "the descriptor of \(list): \(error.reason)")
        }
        let answer = try await client.http.send(
            "PUT", client.home("/lists/\(list.text)/policy"), body: descriptor.encodedBytes,
            contentType: "application/cbor", signed: true)
        guard answer.status == 200 else { throw answer.error("PUT /lists/\(list)/policy") }
        try await client.store.recordOwned(descriptor)
        return descriptor
    }

    /// What the agent knows of the list it runs.
    func state() async throws -> (descriptor: ListDescriptor, serial: UInt64, epoch: UInt64) {
        guard let state = try await client.store.owned(list, listKeyFingerprint: listKeyFingerprint) else {
            throw ClientError(.notConfigured, "this account runs no list \(list): 'dialogue list create' first")
        }
        return state
    }

    /// Adds `member` (`joined`): its card is fetched and judged as a recipient's is; under history
    /// `1` joining rolls the key. The member receives the epochs its history allows, and on a roll every
    /// other member the new epoch ([list-keys-to-members]).
    @discardableResult
    public func add(_ member: Address) async throws -> ListEvent {
        let card = try await ListAgent.retryingRateLimits { try await client.card(for: member) }
        guard card.assessment.verdict.severity != .alarm else {
            throw ClientError(
                .trustAlarm, "\(member): \(card.assessment.verdict.name): \(card.assessment.verdict.explanation)")
        }
        let (descriptor, serial, epoch) = try await state()
        let others = try await client.store.ownedMembers(list).map(\.address).filter { $0 != member }
        let rolls = descriptor.mode == .encrypted && serial > 0 && descriptor.history == .joining
        let event = try await append(
            .joined, epoch: rolls ? epoch + 1 : epoch, member: (member, card.card.identityKey), descriptor: descriptor,
            serial: serial)
        guard descriptor.mode == .encrypted else { return event }
        let held = try await client.store.epochKeys(list)
        let given =
            descriptor.history == .archive
            ? held.filter { $0.epoch <= event.epoch } : held.filter { $0.epoch == event.epoch }
        try await sendKeys(given, to: [member])
        if rolls, !others.isEmpty { try await sendKeys(held.filter { $0.epoch == event.epoch }, to: others) }
        return event
    }

    /// Removes `member` (`removed`, or `left` when it asked to leave): the epoch rolls to a fresh key
    /// that every remaining member receives and `member` never does ([list-epoch-roll]).
    @discardableResult
    public func remove(_ member: Address, left: Bool = false) async throws -> ListEvent {
        let (descriptor, serial, epoch) = try await state()
        guard let key = try await client.store.ownedMembers(list).first(where: { $0.address == member })?.key,
            let identityKey = try? Ed25519.VerifyingKey(rawRepresentation: key)
        else { throw ClientError(.notFound, "\(member) is not a member of \(list)") }
        let encrypted = descriptor.mode == .encrypted
        let event = try await append(
            left ? .left : .removed, epoch: encrypted ? epoch + 1 : 0, member: (member, identityKey),
            descriptor: descriptor, serial: serial)
        if encrypted { try await sendNewEpoch(event.epoch) }
        return event
    }

    /// Rolls the key (`key rolled`) without a membership change, e.g. after a member lost a device.
    @discardableResult
    public func rollKey() async throws -> ListEvent {
        let (descriptor, serial, epoch) = try await state()
        guard descriptor.mode == .encrypted else { throw ClientError(.malformed, "a public list has no epochs") }
        let event = try await append(.keyRolled, epoch: epoch + 1, member: nil, descriptor: descriptor, serial: serial)
        try await sendNewEpoch(event.epoch)
        return event
    }

    private func sendNewEpoch(_ epoch: UInt64) async throws {
        let members = try await client.store.ownedMembers(list).map(\.address)
        guard !members.isEmpty else { return }
        try await sendKeys(try await client.store.epochKeys(list).filter { $0.epoch == epoch }, to: members)
    }

    /// Signs the next event (a fresh key pair for a new epoch), has the server append it (`POST
    /// /lists/{list}/members`) and records it.
    private func append(
        _ kind: ListEventKind, epoch: UInt64, member: (address: Address, key: Ed25519.VerifyingKey)?,
        descriptor: ListDescriptor, serial: UInt64
    ) async throws -> ListEvent {
        var epochKey: X25519.PublicKey?
        if descriptor.mode == .encrypted {
            let held = try await client.store.epochKeys(list)
            if let key = held.first(where: { $0.epoch == epoch }) {
                epochKey = key.publicKey
            } else {
                let fresh = EpochKey.generate(epoch: epoch)
                try await client.store.keepEpochKeys([fresh], list: list)
                epochKey = fresh.publicKey
            }
        }
        let event: ListEvent
        do {
            event = try ListEvent(
                list: list, serial: serial + 1, kind: kind, epoch: epoch, epochKey: epochKey, member: member,
                created: ClientClock.now(), signingKey: client.identity.signingKey)
        } catch {
            throw ClientError(.init(error.code.name), "the event: \(error.reason)")
        }
        try await ListAgent.retryingRateLimits {
            let answer = try await client.http.send(
                "POST", client.home("/lists/\(list.text)/members"), body: event.encodedBytes,
                contentType: "application/cbor", signed: true)
            guard answer.status == 201 || answer.status == 200 else { throw answer.error("POST /lists/…/members") }
        }
        try await client.store.recordOwnedEvent(event)
        return event
    }

    /// Sends `keys` to `members` as the single part of an ordinary encrypted message from the list
    /// ([list-keys-to-members]): stored on the list account's home server and retried like any mail.
    func sendKeys(_ keys: [EpochKey], to members: [Address]) async throws {
        guard !keys.isEmpty, !members.isEmpty else { return }
        let delivery: EpochKeyDelivery
        do {
            delivery = try EpochKeyDelivery(
                list: list, epochs: keys, created: ClientClock.now(), signingKey: client.identity.signingKey)
        } catch {
            throw ClientError(.init(error.code.name), "the epoch keys: \(error.reason)")
        }
        var composition = Composition(to: members, subject: "Keys of \(list.text)")
        composition.parts = [
            .init(mediaType: EpochKeyDelivery.mediaType, fileName: "", content: .bytes(delivery.encodedBytes))
        ]
        _ = try await ListAgent.retryingRateLimits { try await client.send(composition) }
    }

    /// Runs `body` again after a `429 rate-limited` ([dlv-abuse-rate]), waiting 1, 2, 4, 8 then 16
    /// seconds: an owner adding many members at once is slowed down by its server, not failed.
    @discardableResult
    static func retryingRateLimits<T>(_ body: () async throws -> T) async throws -> T {
        var delay = 1
        while true {
            do { return try await body() } catch let error as ClientError where error.status == 429 && delay <= 16 {
                try await Task.sleep(for: .seconds(delay))
                delay *= 2
            }
        }
    }

    /// The current members as the list server answers them (`GET /lists/{list}/members`, [list-ep-members]).
    public func members() async throws -> ListMembers { try await client.listMembers(list) }

    /// The held posts of a moderated list (`GET /lists/{list}/held`, [list-ep-held]).
    public func held() async throws -> [HeldListPost] {
        let answer = try await client.http.send("GET", client.home("/lists/\(list.text)/held"), signed: true)
        guard answer.status == 200 else { throw answer.error("GET /lists/…/held") }
        let page: HeldPage
        do { page = try JSONDecoder().decode(HeldPage.self, from: Data(answer.body)) } catch {
            throw ClientError(.invalidResponse, "the held posts do not decode: \(error)")
        }
        let epoch = try await state().epoch
        var posts: [HeldListPost] = []
        for item in page.held {
            guard let bytes = UnpaddedBase64URL.decode(item.post) else {
                throw ClientError(.invalidResponse, "a held post is not base64url")
            }
            do {
                let post = try ListPost(verifying: bytes, list: list, epoch: epoch, now: ClientClock.now())
                posts.append(HeldListPost(post: post, received: item.received))
            } catch {
                throw ClientError(.init(error.code.name), "a held post: \(error.reason)")
            }
        }
        return posts
    }

    /// Approves the held post of `envelope` (`POST /lists/{list}/held/{blob}/approve`): the server
    /// appends it.
    public func approve(_ envelope: ContentIdentifier) async throws {
        let answer = try await client.http.send(
            "POST", client.home("/lists/\(list.text)/held/\(envelope.text(kind: .blob))/approve"), signed: true)
        guard answer.status == 201 else { throw answer.error("POST /lists/…/held/…/approve") }
    }

    /// Rejects the held post of `envelope` (`DELETE /lists/{list}/held/{blob}`): its blobs are dropped.
    public func reject(_ envelope: ContentIdentifier) async throws {
        let answer = try await client.http.send(
            "DELETE", client.home("/lists/\(list.text)/held/\(envelope.text(kind: .blob))"), signed: true)
        guard answer.status == 204 else { throw answer.error("DELETE /lists/…/held/…") }
    }
}

/// A post held for the owner of a moderated list ([list-ep-held]).
public struct HeldListPost: Sendable {
    /// The author-signed post, verified.
    public let post: ListPost
    /// When the server received it.
    public let received: UInt64
}

/// `GET /lists/{list}/held`.
struct HeldPage: Decodable {
    struct Item: Decodable {
        let post: String
        let received: UInt64
    }

    let held: [Item]
}
