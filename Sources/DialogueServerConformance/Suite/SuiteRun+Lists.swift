internal import DialogueCrypto
internal import DialogueDelivery
internal import DialogueIdentifiers
internal import DialogueMessages
internal import Foundation

/// What the suite knows of a list after reading its whole index, as a member's user agent does
/// ([list-entry-verify], [list-index-contiguous]): the entries' bytes, the latest descriptor and event,
/// and the current members.
struct FollowedList {
    var entries: [[UInt8]] = []
    var descriptor: ListDescriptor?
    var previous: ListEvent.Previous?
    var members: [Address: Ed25519.VerifyingKey] = [:]

    /// The next event's serial, and the epoch after the last event.
    var nextSerial: UInt64 { (previous?.serial ?? 0) + 1 }
    var epoch: UInt64 { previous?.epoch ?? 0 }
}

extension SuiteRun {
    /// The list checks (Spec: lists.md#list-endpoints), on the two list accounts of the credentials. The
    /// server's lists outlive a run: each run reads what the runs before it appended and builds on it.
    func lists() async {
        guard let (encrypted, open) = credentials.lists else {
            await check("list-index-append-only", "the credentials have list accounts") {
                throw CheckSkipped("the credentials predate lists: run dialogue conformance --prepare-server again")
            }
            return
        }
        let owner = signer(encrypted)
        var followed: FollowedList?
        await check(
            "list-index-append-only", "an encrypted list's owner creates it or changes its policy: the next entry"
        ) {
            followed = try await createOrRevise(encrypted, mode: .encrypted, posting: .members)
        }
        await check("list-members-state", "the owner's events keep the members: joined again or removed twice is 400") {
            var state = try needs(followed, "the encrypted list")
            let userAddress = credentials.user.address
            if state.members[userAddress] != nil {
                try await sendEvent(encrypted, .removed, member: credentials.user, state: &state).expect(201)
            }
            if state.members[credentials.otherUser.address] != nil {
                try await sendEvent(encrypted, .removed, member: credentials.otherUser, state: &state).expect(201)
            }
            try await sendEvent(encrypted, .joined, member: credentials.user, state: &state).expect(201)
            let joinedAt = UInt64(state.entries.count)
            var copy = state
            try await sendEvent(encrypted, .joined, member: credentials.user, state: &copy, apply: false).expect(
                400, problem: "malformed")
            try await sendEvent(encrypted, .removed, member: credentials.otherUser, state: &copy, apply: false).expect(
                400, problem: "malformed")
            let members = try await send("GET", "/lists/\(encrypted.address)/members", as: user)
            try members.expect(200)
            let listed = members.json?["members"] as? [[String: Any]] ?? []
            try require(
                listed.count == 1 && listed.first?["address"] as? String == userAddress.text
                    && listed.first?["fingerprint"] as? String
                        == credentials.user.card.fingerprint.text(kind: .identityKey)
                    && (listed.first?["joined"] as? NSNumber)?.uint64Value == joinedAt,
                "the members are \(listed), not \(userAddress) alone, joined at entry \(joinedAt)")
            try await send("GET", "/lists/\(encrypted.address)/members", as: otherUser).expect(
                403, problem: "forbidden")
            followed = try await follow(encrypted)
        }
        await check("list-policy-check", "members only: a user who is not a member may not post; a member may") {
            let state = try needs(followed, "the members of the encrypted list")
            let mine = SuiteRun.randomBytes(1_500)
            try await send(
                "PUT", "/lists/\(encrypted.address)/blobs/" + SuiteRun.blobID(mine).text(kind: .blob), body: mine,
                contentType: "application/octet-stream", as: otherUser
            ).expect(403, problem: "forbidden")
            let refused = try post(to: encrypted, by: credentials.otherUser, envelope: mine, epoch: state.epoch)
            try await self.post("/lists/\(encrypted.address)/posts", cbor: refused, as: otherUser).expect(
                403, problem: "forbidden")
            let accepted = try post(to: encrypted, by: credentials.user, envelope: mine, epoch: state.epoch)
            try await self.post("/lists/\(encrypted.address)/posts", cbor: accepted, as: user).expect(
                409, problem: "missing-blobs")
            try await send(
                "PUT", "/lists/\(encrypted.address)/blobs/" + SuiteRun.blobID(mine).text(kind: .blob), body: mine,
                contentType: "application/octet-stream", as: user
            ).expect(201)
            try await self.post("/lists/\(encrypted.address)/posts", cbor: accepted, as: user).expect(201)
            try await self.post("/lists/\(encrypted.address)/posts", cbor: accepted, as: user).expect(200)
            try await send("GET", "/blobs/" + SuiteRun.blobID(mine).text(kind: .blob)).expect(200)
        }
        await check(
            "list-ep-post", "a post whose blob is not held is 409 missing-blobs naming it, then 201 once uploaded"
        ) {
            let state = try needs(followed, "the members of the encrypted list")
            let bytes = SuiteRun.randomBytes(900)
            let request = try post(to: encrypted, by: credentials.user, envelope: bytes, epoch: state.epoch)
            let missing = try await self.post("/lists/\(encrypted.address)/posts", cbor: request, as: user)
            try missing.expect(409, problem: "missing-blobs")
            try require(
                missing.json?["blobs"] as? [String] == [SuiteRun.blobID(bytes).text(kind: .blob)],
                "the missing blobs are \(missing.json?["blobs"] ?? "absent"), not the post's envelope")
            try await send(
                "PUT", "/lists/\(encrypted.address)/blobs/" + SuiteRun.blobID(bytes).text(kind: .blob), body: bytes,
                contentType: "application/octet-stream", as: user
            ).expect(201)
            try await self.post("/lists/\(encrypted.address)/posts", cbor: request, as: user).expect(201)
        }
        await check("list-member-request", "an encrypted list's index: unsigned 400, a user who is not a member 403") {
            _ = try needs(followed, "the encrypted list")
            try await send("GET", "/lists/\(encrypted.address)/index").expect(400, problem: "malformed")
            try await send("GET", "/lists/\(encrypted.address)/index", as: otherUser).expect(403, problem: "forbidden")
            try await send("GET", "/lists/\(encrypted.address)/index", as: user).expect(200)
        }
        await check("list-limits-before-read", "a descriptor body above 2,048 bytes is 413 before anything is read") {
            try await send(
                "POST", "/lists", body: [UInt8](repeating: 0, count: 2_049), contentType: "application/cbor"
            ).expect(413, problem: "limits-exceeded")
            try await send(
                "POST", "/lists/\(encrypted.address)/members", body: [UInt8](repeating: 0, count: 1_025),
                contentType: "application/cbor"
            ).expect(413, problem: "limits-exceeded")
        }
        await check("list-policy-check", "moderated: every post is held (202) until the owner approves it (201)") {
            _ = try needs(followed, "the encrypted list")
            var state = try await createOrRevise(encrypted, mode: .encrypted, posting: .moderated)
            let held = SuiteRun.randomBytes(1_200)
            try await send(
                "PUT", "/lists/\(encrypted.address)/blobs/" + SuiteRun.blobID(held).text(kind: .blob), body: held,
                contentType: "application/octet-stream", as: user
            ).expect(201)
            let request = try post(to: encrypted, by: credentials.user, envelope: held, epoch: state.epoch)
            try await self.post("/lists/\(encrypted.address)/posts", cbor: request, as: user).expect(202)
            let listing = try await send("GET", "/lists/\(encrypted.address)/held", as: owner)
            try listing.expect(200)
            try require(
                (listing.json?["held"] as? [[String: Any]] ?? []).count >= 1, "the held posts do not list the post")
            try await send("GET", "/lists/\(encrypted.address)/held", as: user).expect(403, problem: "forbidden")
            let before = state.entries.count
            try await send(
                "POST", "/lists/\(encrypted.address)/held/" + SuiteRun.blobID(held).text(kind: .blob) + "/approve",
                as: owner
            ).expect(201)
            state = try await follow(encrypted)
            try require(state.entries.count == before + 1, "approving did not append one entry")
            followed = try await createOrRevise(encrypted, mode: .encrypted, posting: .members)
        }
        await check("list-index-append-only", "the index is read again: every entry as before, none after another") {
            let earlier = try needs(followed, "the encrypted list")
            let again = try await follow(encrypted)
            try require(
                Array(again.entries.prefix(earlier.entries.count)) == earlier.entries,
                "an entry changed between two readings of the index")
        }
        await check("list-index-cache", "an encrypted list's index is private, no-store") {
            _ = try needs(followed, "the encrypted list")
            let answer = try await send("GET", "/lists/\(encrypted.address)/index?limit=1", as: user)
            try answer.expect(200)
            try require(
                answer.field("cache-control") == "private, no-store",
                "Cache-Control is \(answer.field("cache-control") ?? "absent")")
        }
        var publicList: FollowedList?
        await check("list-index-append-only", "a public list's owner creates it or changes its policy: the next entry")
        {
            publicList = try await createOrRevise(open, mode: .public, posting: .open)
        }
        await check("list-index-cache", "a public list's full page is immutable, a shorter one no-cache, unsigned") {
            let state = try needs(publicList, "the public list")
            let full = try await send("GET", "/lists/\(open.address)/index?limit=1")
            try full.expect(200)
            try require(
                full.field("cache-control") == "public, max-age=31536000, immutable",
                "a full page's Cache-Control is \(full.field("cache-control") ?? "absent")")
            let short = try await send("GET", "/lists/\(open.address)/index?limit=\(state.entries.count + 1)")
            try short.expect(200)
            try require(
                short.field("cache-control") == "no-cache",
                "a shorter page's Cache-Control is \(short.field("cache-control") ?? "absent")")
        }
    }

    // MARK: Helpers

    func signer(_ account: SuiteCredentials.Account) -> SuiteSigner {
        SuiteSigner(
            keyID: RequestKeyID(user: account.address, fingerprint: account.card.fingerprint), key: account.signingKey)
    }

    /// Creates the list with revision 1, or, when a run before made it, signs the next revision; checks
    /// that the descriptor is the index's next entry and the list's information.
    func createOrRevise(_ list: SuiteCredentials.Account, mode: ListMode, posting: ListPosting) async throws
        -> FollowedList
    {
        let owner = signer(list)
        let info = try await send("GET", "/lists/\(list.address)")
        var before = FollowedList()
        if info.status == 200 { before = try await follow(list) } else { try info.expect(404, problem: "not-found") }
        let revision = (before.descriptor?.revision ?? 0) + 1
        let descriptor = try ListDescriptor(
            list: list.address, owner: credentials.user.address, mode: mode, posting: posting, history: .archive,
            revision: revision, created: SuiteRun.now(), signingKey: list.signingKey)
        if revision == 1 {
            try await post("/lists", cbor: descriptor.encodedBytes, as: owner).expect(201)
            try await post("/lists", cbor: descriptor.encodedBytes, as: owner).expect(200)
        } else {
            try await send(
                "PUT", "/lists/\(list.address)/policy", body: descriptor.encodedBytes, contentType: "application/cbor",
                as: owner
            ).expect(200)
        }
        let after = try await follow(list)
        try require(
            after.entries.count == before.entries.count + 1
                && Array(after.entries.prefix(before.entries.count)) == before.entries,
            "the index had \(before.entries.count) entries and now \(after.entries.count), not one more after the same ones"
        )
        try require(after.descriptor == descriptor, "the index's latest descriptor is not the one sent")
        let now = try ListInfo(decoding: try await send("GET", "/lists/\(list.address)").body)
        try require(now.descriptor == descriptor.encodedBytes, "GET /lists/{list} does not answer the new descriptor")
        if mode == .public, after.previous == nil {
            // A public list takes posts only after its first event: the first user joins it.
            var state = after
            try await sendEvent(list, .joined, member: credentials.user, state: &state).expect(201)
            return try await follow(list)
        }
        return after
    }

    /// Reads and checks the whole index of `list` as its owner (unsigned for a public list).
    func follow(_ list: SuiteCredentials.Account) async throws -> FollowedList {
        let document = try needs(document, "the server document")
        var state = FollowedList()
        var cursor: String?
        while true {
            let path = "/lists/\(list.address)/index?limit=1000" + (cursor.map { "&after=" + $0 } ?? "")
            let answer = try await send("GET", path, as: signer(list))
            try answer.expect(200)
            let texts = answer.json?["entries"] as? [String] ?? []
            cursor = answer.json?["cursor"] as? String
            for text in texts {
                guard let bytes = UnpaddedBase64URL.decode(text) else {
                    throw CheckFailure("an index entry is not unpadded base64url")
                }
                let entry: ListEntry
                do {
                    entry = try ListEntry(
                        verifying: bytes, list: list.address, serverKeys: document.keys,
                        after: UInt64(state.entries.count), now: SuiteRun.now())
                } catch { throw CheckFailure("index entry \(state.entries.count + 1) does not verify: \(error)") }
                try apply(entry, of: list, to: &state)
                state.entries.append(bytes)
            }
            if texts.count < 1000 { return state }
        }
    }

    private func apply(_ entry: ListEntry, of list: SuiteCredentials.Account, to state: inout FollowedList) throws {
        do {
            switch entry.kind {
            case .descriptor:
                state.descriptor = try ListDescriptor(
                    verifying: entry.object, list: list.address, listKeyFingerprint: list.card.fingerprint,
                    now: SuiteRun.now())
            case .event:
                guard let descriptor = state.descriptor else {
                    throw CheckFailure("an event comes before any descriptor")
                }
                let event = try ListEvent(
                    verifying: entry.object, list: list.address, listKey: descriptor.listKey, mode: descriptor.mode,
                    history: descriptor.history, previous: state.previous, now: SuiteRun.now())
                state.previous = event.asPrevious
                if let member = event.member {
                    state.members[member] = event.kind == .joined ? event.memberKey : nil
                }
            case .post: break
            }
        } catch let failure as CheckFailure {
            throw failure
        } catch {
            throw CheckFailure("the object of index entry \(entry.position) does not verify: \(error)")
        }
    }

    /// Sends the list's next event about `member`, and (unless `apply` is false) counts it in `state`.
    func sendEvent(
        _ list: SuiteCredentials.Account, _ kind: ListEventKind, member: SuiteCredentials.Account,
        state: inout FollowedList, apply: Bool = true
    ) async throws -> SuiteAnswer {
        let descriptor = try needs(state.descriptor, "the list's descriptor")
        let rolls = state.previous != nil && kind.rollsKey(history: descriptor.history)
        let epoch = descriptor.mode == .public ? 0 : state.epoch + (rolls ? 1 : 0)
        let event = try ListEvent(
            list: list.address, serial: state.nextSerial, kind: kind, epoch: epoch,
            epochKey: descriptor.mode == .public ? nil : X25519.PrivateKey().publicKey,
            member: (member.address, member.signingKey.publicKey), created: SuiteRun.now(), signingKey: list.signingKey)
        let answer = try await post("/lists/\(list.address)/members", cbor: event.encodedBytes, as: signer(list))
        if apply, answer.status == 201 {
            state.previous = event.asPrevious
            state.members[member.address] = kind == .joined ? member.signingKey.publicKey : nil
            state.entries.append(answer.body)
        }
        return answer
    }

    /// A post request by `author` naming `envelope` alone.
    func post(to list: SuiteCredentials.Account, by author: SuiteCredentials.Account, envelope: [UInt8], epoch: UInt64)
        throws -> [UInt8]
    {
        let post = try ListPost(
            list: list.address, author: author.address, envelope: SuiteRun.blobID(envelope),
            envelopeSize: UInt64(envelope.count), messageSize: UInt64(envelope.count), epoch: epoch,
            created: SuiteRun.now(), signingKey: author.signingKey)
        return try ListPostRequest(post: post, chunks: []).encodedBytes
    }
}
