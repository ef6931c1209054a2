import AsyncHTTPClient
import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import DialogueServer
import DialogueServerStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOHTTP1

/// A mail harness with the list `dev@example.org`, an account of the server whose secret identity the
/// test holds as the owner's list agent would: it signs the descriptor and the events
/// (Spec: lists.md#list-overview). bob (at the peer) and erin (a user here) become members.
struct ListHarness {
    let mail: MailHarness
    let list: TestUser
    /// A stranger at another server: never a member, never a user.
    let carol: TestUser

    init(sqlite: Bool = false) async throws {
        mail = try await MailHarness(sqlite: sqlite)
        list = try TestUser("dev@example.org", now: MailHarness.start)
        carol = try TestUser("carol@example.com", now: MailHarness.start)
        try await mail.store.addAccount(list.account)
    }

    var now: UInt64 { mail.clock.now() }
    var path: String { "/lists/" + list.address.text }

    /// The live application on an ephemeral loopback port.
    var application: some ApplicationProtocol {
        makeApplication(
            service: mail.service, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)))
    }

    func descriptor(
        mode: ListMode = .encrypted, posting: ListPosting = .members, history: ListHistory = .archive,
        revision: UInt64 = 1, key: Ed25519.SigningKey? = nil
    ) throws -> ListDescriptor {
        try ListDescriptor(
            list: list.address, owner: mail.alice.address, mode: mode, posting: posting, history: history,
            revision: revision, created: now, signingKey: key ?? list.key)
    }

    /// An event of the list; an encrypted list's carries a fresh epoch key.
    func event(_ serial: UInt64, _ kind: ListEventKind, epoch: UInt64, member: TestUser?, public isPublic: Bool = false)
        throws -> ListEvent
    {
        try ListEvent(
            list: list.address, serial: serial, kind: kind, epoch: epoch,
            epochKey: isPublic ? nil : X25519.PrivateKey().publicKey,
            member: member.map { ($0.address, $0.key.publicKey) }, created: now, signingKey: list.key)
    }

    func post(by author: TestUser, envelope: [UInt8], chunks: [[UInt8]] = [], epoch: UInt64) throws -> ListPostRequest {
        let post = try ListPost(
            list: list.address, author: author.address, envelope: blobID(envelope),
            envelopeSize: UInt64(envelope.count),
            messageSize: UInt64(envelope.count + chunks.reduce(0) { $0 + $1.count }),
            epoch: epoch, created: now, signingKey: author.key)
        return try ListPostRequest(
            post: post,
            chunks: chunks.map(blobID).sorted {
                $0.binaryRepresentation.lexicographicallyPrecedes($1.binaryRepresentation)
            })
    }

    /// A request under the base path, signed by `user` when there is one.
    func send(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, as user: TestUser?,
        body: [UInt8] = []
    ) async throws -> TestResponse {
        let headers = try user.map { try mail.user($0, method.rawValue, path, body: body) } ?? [:]
        return try await client.execute(
            uri: MailHarness.base + path, method: method, headers: headers,
            body: body.isEmpty ? nil : ByteBuffer(bytes: body))
    }

    /// A request on a connection of its own to the live server at `port`; its status.
    func sendAside(port: Int, _ method: HTTPRequest.Method, _ path: String, as user: TestUser, body: [UInt8])
        async throws -> Int
    {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)" + MailHarness.base + path)
        request.method = .init(rawValue: method.rawValue)
        for field in try mail.user(user, method.rawValue, path, body: body) {
            request.headers.add(name: field.name.rawName, value: field.value)
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        let status: Int
        do {
            status = Int(try await http.execute(request, timeout: .seconds(10)).status.code)
        } catch {
            try await http.shutdown()
            throw error
        }
        try await http.shutdown()
        return status
    }

    /// Creates the list and makes each of `members` join it, in order (epoch 0, the whole archive).
    func setUp(
        _ client: some TestClientProtocol, mode: ListMode = .encrypted, posting: ListPosting = .members,
        members: [TestUser]
    ) async throws {
        let created = try await send(
            client, .post, "/lists", as: list, body: try descriptor(mode: mode, posting: posting).encodedBytes)
        precondition(created.status == .created, "the list was not created: \(created.status)")
        for (index, member) in members.enumerated() {
            let joined = try event(
                UInt64(index + 1), .joined, epoch: 0, member: member, public: mode == .public)
            let answer = try await send(client, .post, path + "/members", as: list, body: joined.encodedBytes)
            precondition(answer.status == .created, "\(member.address) did not join: \(answer.status)")
        }
    }

    /// Uploads blobs to the list as `user`; the statuses.
    func upload(_ client: some TestClientProtocol, _ blobs: [[UInt8]], as user: TestUser) async throws -> [Int] {
        var statuses: [Int] = []
        for bytes in blobs {
            let answer = try await send(
                client, .put, path + "/blobs/" + blobID(bytes).text(kind: .blob), as: user, body: bytes)
            statuses.append(answer.status.code)
        }
        return statuses
    }

    /// The index as `user` (unsigned when `nil`): its entries, checked with [list-entry-verify] from
    /// `after`, and the answer.
    func index(_ client: some TestClientProtocol, _ query: String = "", as user: TestUser?, after: UInt64 = 0)
        async throws -> ([ListEntry], TestResponse)
    {
        let answer = try await send(client, .get, path + "/index" + query, as: user)
        let texts = answer.json["entries"] as? [String] ?? []
        let document = try ServerDocument(
            verifying: try mail.service.serverDocument(), domain: "example.org", now: now, allowingHTTP: false)
        var entries: [ListEntry] = []
        var last = after
        for text in texts {
            let entry = try ListEntry(
                verifying: UnpaddedBase64URL.decode(text) ?? [], list: list.address, serverKeys: document.keys,
                after: last, now: now)
            entries.append(entry)
            last = entry.position
        }
        return (entries, answer)
    }
}
