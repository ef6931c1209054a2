public import DialogueIdentifiers

extension MemoryMailStore {
    public func list(_ address: String) -> ListRecord? { lists.records[address] }

    public func appendListEntry(_ change: ListAppend, list: String, sign: @escaping ListEntrySigner) throws
        -> ListEntryRecord
    {
        var record: ListRecord
        var sizes: [ContentIdentifier: Int] = [:]
        switch change {
        case .created(let created):
            guard lists.records[list] == nil else { throw StoreError.alreadyExists(list) }
            record = created
            record.length = 0
        case .descriptor(let descriptor):
            guard let current = lists.records[list] else { throw StoreError.notFound(list) }
            guard descriptor.revision > current.revision else {
                throw StoreError.conflict("revision \(descriptor.revision) is not above \(current.revision)")
            }
            record = current
            record.descriptor = descriptor.descriptor
            record.revision = descriptor.revision
            record.posting = descriptor.posting
            record.history = descriptor.history
        case .event(let event):
            guard let current = lists.records[list] else { throw StoreError.notFound(list) }
            guard event.serial == current.serial + 1 else {
                throw StoreError.conflict("serial \(event.serial) is not \(current.serial) + 1")
            }
            record = current
            record.latestEvent = event.bytes
            record.serial = event.serial
            record.epoch = event.epoch
        case .post(let post):
            guard let current = lists.records[list] else { throw StoreError.notFound(list) }
            if let existing = lists.posts[list]?[post.envelope], existing.state == .appended {
                throw StoreError.alreadyExists("post")
            }
            sizes = try heldSizes(post)
            record = current
        }
        let position = record.length + 1
        let entry = ListEntryRecord(position: position, bytes: try sign(position))
        // Nothing changed before the entry is signed: a failure leaves the store as it was.
        record.length = position
        lists.records[list] = record
        lists.entries[list, default: []].append(entry)
        switch change {
        case .event(let event):
            if let member = event.member {
                let joined = member.joins ? position : lists.members[list]?[member.address]?.joined ?? 0
                lists.members[list, default: [:]][member.address] = ListMemberRecord(
                    address: member.address, identityKey: member.identityKey, joined: joined, current: member.joins)
            }
        case .post(var post):
            let wasHeld = lists.posts[list]?[post.envelope]?.state == .held
            post.state = .appended
            post.position = position
            lists.posts[list, default: [:]][post.envelope] = post
            if !wasHeld { keepBlobs(post, sizes) }
        case .created, .descriptor: break
        }
        return entry
    }

    public func listEntries(list: String, after: UInt64, limit: Int) -> [ListEntryRecord] {
        let all = lists.entries[list] ?? []
        // Positions are 1, 2, 3…: the entry after `after` is at index `after`.
        guard after < UInt64(all.count) else { return [] }
        return Array(all[Int(after)..<min(all.count, Int(after) + limit)])
    }

    public func listMembers(list: String) -> [ListMemberRecord] {
        (lists.members[list] ?? [:]).values.sorted { $0.address < $1.address }
    }

    public func listMember(list: String, address: String) -> ListMemberRecord? { lists.members[list]?[address] }

    public func listPost(list: String, envelope: ContentIdentifier) -> ListPostRecord? {
        lists.posts[list]?[envelope]
    }

    public func listPosts(list: String, state: ListPostRecord.State) -> [ListPostRecord] {
        (lists.posts[list] ?? [:]).values.filter { $0.state == state }.sorted {
            ($0.received, $0.envelope.text(kind: .blob)) < ($1.received, $1.envelope.text(kind: .blob))
        }
    }

    public func recordListPost(_ post: ListPostRecord) throws {
        guard lists.records[post.list] != nil else { throw StoreError.notFound(post.list) }
        if let existing = lists.posts[post.list]?[post.envelope], existing.state != .pending {
            throw StoreError.alreadyExists("post")
        }
        if post.state == .held { keepBlobs(post, try heldSizes(post)) }
        lists.posts[post.list, default: [:]][post.envelope] = post
    }

    public func rejectListPost(list: String, envelope: ContentIdentifier, at time: UInt64) throws -> [ContentIdentifier]
    {
        guard let post = lists.posts[list]?[envelope], post.state == .held else {
            throw StoreError.notFound("held post")
        }
        lists.posts[list]?[envelope] = nil
        lists.unname(post.blobs)
        return release(post.blobs, at: time)
    }

    public func expireListPending(before: UInt64) {
        for (list, posts) in lists.posts {
            for (envelope, post) in posts where post.state == .pending && post.received <= before {
                lists.posts[list]?[envelope] = nil
            }
        }
    }

    /// The size of every blob of the post: live, or uploaded by its author.
    private func heldSizes(_ post: ListPostRecord) throws -> [ContentIdentifier: Int] {
        try heldSizes(post.blobs, uploadedBy: post.author)
    }

    private func keepBlobs(_ post: ListPostRecord, _ sizes: [ContentIdentifier: Int]) {
        lists.name(post.blobs)
        for (blob, size) in sizes {
            liveSizes[blob] = size
            tombstones[blob] = nil
            uploads[blob] = nil
        }
    }
}
