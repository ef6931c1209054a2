/// The vector files of Spec/lists.md: `list_descriptor_verify.json`, `list_event_verify.json`,
/// `list_keys_verify.json`, `list_post_verify.json` and `list_entry_verify.json`, written byte by
/// byte from the primitives as the delivery vectors are.
enum ListVectors {
    static let now = DeliveryForge.now
    static let created = now - 100
    static let list = "dev@lists.example.org"
    /// The list's identity: its identity key is the list key.
    static let listIdentity = Identity("dev-list", addresses: [list])
    /// The server of `lists.example.org`, which signs the index, and its next key.
    static let serverKey = DeliveryForge.ServerKeySeed("lists.example.org/1")
    static let nextServerKey = DeliveryForge.ServerKeySeed("lists.example.org/2", validFrom: now - 3600)

    /// The X25519 secret key of an epoch of the list.
    static func epochSecret(_ epoch: UInt64) -> [UInt8] { Seeds.bytes("list/dev/epoch/\(epoch)/x25519") }
    static func epochPublic(_ epoch: UInt64) -> [UInt8] { Construct.publicKey(x25519: epochSecret(epoch)) }

    static func signed(_ body: [UInt8], _ identity: Identity, _ context: String) -> [UInt8] {
        DeliveryForge.signed(body, seed: identity.seed, context: context)
    }

    /// A test's bad input, added with the reference's check.
    static func bad(
        _ file: FileBuilder, _ anchor: String, _ comment: String, _ flags: [String], _ spec: [String],
        _ input: JSONValue, _ error: String
    ) async throws {
        try await file.invalid(comment, flags: flags, spec: [anchor] + spec, input: input, error: error)
    }
}

// MARK: - list-descriptor.verify

extension ListVectors {
    static let descriptorVerify = "list-descriptor-verify"
    static let descriptorContext = "dialogue-v1/list-descriptor"

    static func descriptorEntries(
        list: String = list, key: Identity = listIdentity, owner: String = "alice@example.org", mode: UInt64 = 0,
        posting: UInt64 = 0, history: UInt64 = 0, revision: UInt64 = 1, created: UInt64 = created
    ) -> Entries {
        Entries(items: [
            (0, C.uint(1)), (1, C.text(list)), (2, C.bstr(key.identityKey)), (3, C.text(owner)), (4, C.uint(mode)),
            (5, C.uint(posting)), (6, C.uint(history)), (7, C.uint(revision)), (8, C.uint(created)),
        ])
    }

    static func descriptorInput(
        _ bytes: [UInt8], list: String = list, pinned: Identity = listIdentity, now: UInt64 = now
    ) -> JSONValue {
        .object([
            ("descriptor", .string(Hex.encode(bytes))), ("list", .string(list)),
            ("list_key_fingerprint", .string(DeliveryForge.keyText(pinned.fingerprintBinary))),
            ("now", .integer(Int64(now))),
        ])
    }

    static func signDescriptor(_ body: [UInt8], _ identity: Identity = listIdentity) -> [UInt8] {
        signed(body, identity, descriptorContext)
    }

    static func descriptorExpected(
        mode: String = "encrypted", posting: String = "members", history: String = "archive", revision: Int64 = 1,
        created: UInt64 = created
    ) -> JSONValue {
        .object([
            ("list", .string(list)), ("list_key", .string(Hex.encode(listIdentity.identityKey))),
            ("owner", "alice@example.org"), ("mode", .string(mode)), ("posting", .string(posting)),
            ("history", .string(history)), ("revision", .integer(revision)), ("created", .integer(Int64(created))),
        ])
    }

    /// The valid descriptor of the specification's example (Spec: lists.md#list-descriptor).
    static var descriptorExample: [UInt8] { signDescriptor(descriptorEntries().encoded) }

    static func buildDescriptor() async throws -> VectorFile {
        let file = FileBuilder("list-descriptor.verify", "Decoding and verifying list descriptors")
        let anchor = descriptorVerify
        func bad(
            _ comment: String, _ flags: [String], _ spec: [String], _ bytes: [UInt8], _ error: String,
            list: String = list, pinned: Identity = listIdentity
        ) async throws {
            try await ListVectors.bad(
                file, anchor, comment, flags, spec, descriptorInput(bytes, list: list, pinned: pinned), error)
        }
        func sign(_ entries: Entries) -> [UInt8] { signDescriptor(entries.encoded) }

        file.group("valid descriptors")
        try await file.valid(
            "an encrypted, members-only list whose late members read the archive: the example of the specification",
            flags: ["Valid", "SpecExample"], spec: [anchor, "dlv-received-bytes", "list-encrypted-default"],
            input: descriptorInput(descriptorExample), expected: descriptorExpected())
        try await file.valid(
            "a public, open list", flags: ["Valid", "PublicMode"], spec: [anchor, "list-public"],
            input: descriptorInput(sign(descriptorEntries(mode: 1, posting: 2))),
            expected: descriptorExpected(mode: "public", posting: "open"))
        try await file.valid(
            "a moderated list readable from joining, at revision 7", flags: ["Valid"],
            spec: [anchor, "list-descriptor-revision"],
            input: descriptorInput(sign(descriptorEntries(posting: 1, history: 1, revision: 7))),
            expected: descriptorExpected(posting: "moderated", history: "joining", revision: 7))
        try await file.valid(
            "created = now + 600, the skew bound S", flags: ["Valid", "Limit"], spec: [anchor, "trust-skew"],
            input: descriptorInput(sign(descriptorEntries(created: now + 600))),
            expected: descriptorExpected(created: now + 600))

        let faults = SignedObjectFaults(
            file: file, input: { descriptorInput($0) }, entries: descriptorEntries(), sign: { signDescriptor($0) },
            context: descriptorContext, verify: anchor, maximumSize: 2048, requiredKeys: Array(1...8))
        try await faults.all()

        file.group("step 4: the fields' types and forms (malformed)")
        let field = faults.field
        let layout: [(String, Int, [UInt8], [String], [String])] = [
            (
                "the list in upper case", 1, C.text("Dev@lists.example.org"), ["Address", "Case"],
                ["addr-wire-canonical"]
            ),
            ("the owner not an address", 3, C.text("example.org"), ["Address"], ["addr-wire-canonical"]),
            ("a 31-byte list key", 2, C.bstr(Array(listIdentity.identityKey.prefix(31))), ["WrongLength"], []),
            (
                "the list key's fingerprint instead of the key", 2, C.bstr(listIdentity.fingerprintBinary),
                ["WrongLength"], []
            ),
            ("mode 2", 4, C.uint(2), ["Layout"], []),
            ("posting 3", 5, C.uint(3), ["Layout"], []),
            ("history 2", 6, C.uint(2), ["Layout"], []),
            ("the mode as a text string", 4, C.text("encrypted"), ["Layout"], []),
            ("revision 0", 7, C.uint(0), ["Layout"], ["list-descriptor-revision"]),
            ("created negative", 8, C.int(-1), ["Layout"], []),
        ]
        for (comment, key, value, flags, spec) in layout {
            try await bad(comment, flags, spec, field(key, value), "malformed")
        }
        try await bad(
            "a public list readable only from joining: a public list has no epochs", ["PublicMode", "Layout"],
            ["list-public"], sign(descriptorEntries(mode: 1, history: 1)), "malformed")

        try await faults.signatureFaults(step: "step 5", seed: listIdentity.seed, wrongSeed: Cast.mallory.seed)

        file.group("step 6: the list asked for")
        try await bad(
            "the descriptor of another list", ["AddressMismatch"], [],
            sign(descriptorEntries(list: "ops@lists.example.org")), "address-mismatch")

        file.group("step 7: the list key is the one the verifier knows")
        try await bad(
            "mallory signs a descriptor of the list with her own key", ["UnknownKey", "Forgery"], [],
            signDescriptor(descriptorEntries(key: Cast.mallory).encoded, Cast.mallory), "unknown-key")
        try await bad(
            "the list's own descriptor, for a verifier that pinned another key", ["UnknownKey"], ["list-roles"],
            descriptorExample, "unknown-key", pinned: Cast.dave)

        file.group("step 8: created ≤ now + 600")
        try await bad(
            "created = now + 601", ["Clock"], ["trust-skew"], sign(descriptorEntries(created: now + 601)), "expired")

        file.group("the order of the checks")
        try await bad(
            "a bad signature and another list: bad-signature", ["Precedence", "BadSignature"],
            ["conf-error-precedence"],
            signDescriptor(descriptorEntries(list: "ops@lists.example.org").encoded, Cast.mallory), "bad-signature")
        try await bad(
            "another list signed by another key: address-mismatch", ["Precedence", "AddressMismatch"],
            ["conf-error-precedence"],
            signDescriptor(descriptorEntries(list: "ops@lists.example.org", key: Cast.mallory).encoded, Cast.mallory),
            "address-mismatch")
        try await bad(
            "another key and a date from the future: unknown-key", ["Precedence", "UnknownKey"],
            ["conf-error-precedence"],
            signDescriptor(descriptorEntries(key: Cast.mallory, created: now + 601).encoded, Cast.mallory),
            "unknown-key")
        try await bad(
            "a public list with history 1 and another list: malformed comes first", ["Precedence", "Layout"],
            ["conf-error-precedence"], sign(descriptorEntries(list: "ops@lists.example.org", mode: 1, history: 1)),
            "malformed")
        return file.file
    }
}

// MARK: - list-event.verify

extension ListVectors {
    static let eventVerify = "list-event-verify"
    static let eventContext = "dialogue-v1/list-event"

    /// An event's state: the defaults are the example, bob joining as the third event, epoch 1.
    struct EventState {
        var mode = "encrypted"
        var history = "archive"
        var previous: (serial: UInt64, epoch: UInt64)? = (2, 1)
        /// The author's check of the latest event (Spec: [list-ep-info-author]): `previous` is `"unknown"`.
        var latest = false
    }

    static func eventEntries(
        list: String = list, serial: UInt64 = 3, kind: UInt64 = 0, epoch: UInt64 = 1, epochKey: [UInt8]? = nil,
        withKey: Bool = true, member: (String, Identity)? = ("bob@example.net", Cast.bob), created: UInt64 = created
    ) -> Entries {
        var items: [(Int, [UInt8])] = [
            (0, C.uint(1)), (1, C.text(list)), (2, C.uint(serial)), (3, C.uint(kind)), (4, C.uint(epoch)),
        ]
        if withKey { items.append((5, C.bstr(epochKey ?? epochPublic(epoch)))) }
        if let (address, identity) = member {
            items.append((6, C.text(address)))
            items.append((7, C.bstr(identity.identityKey)))
        }
        items.append((8, C.uint(created)))
        return Entries(items: items)
    }

    static func eventInput(_ bytes: [UInt8], _ state: EventState = EventState(), listKey: Identity = listIdentity)
        -> JSONValue
    {
        let previous: JSONValue =
            state.latest
            ? .string("unknown")
            : state.previous.map {
                .object([("serial", .integer(Int64($0.serial))), ("epoch", .integer(Int64($0.epoch)))])
            } ?? .null
        return .object([
            ("event", .string(Hex.encode(bytes))), ("list", .string(list)),
            ("list_key", .string(Hex.encode(listKey.identityKey))), ("mode", .string(state.mode)),
            ("history", .string(state.history)), ("previous", previous), ("now", .integer(Int64(now))),
        ])
    }

    static func signEvent(_ body: [UInt8], _ identity: Identity = listIdentity) -> [UInt8] {
        signed(body, identity, eventContext)
    }

    static func eventExpected(
        serial: Int64 = 3, kind: String = "joined", epoch: UInt64 = 1, withKey: Bool = true,
        member: (String, Identity)? = ("bob@example.net", Cast.bob), created: UInt64 = created
    ) -> JSONValue {
        .object([
            ("serial", .integer(serial)), ("kind", .string(kind)), ("epoch", .integer(Int64(epoch))),
            ("epoch_key", withKey ? .string(Hex.encode(epochPublic(epoch))) : .null),
            ("member", member.map { .string($0.0) } ?? .null),
            ("member_key", member.map { .string(Hex.encode($0.1.identityKey)) } ?? .null),
            ("created", .integer(Int64(created))),
        ])
    }

    /// The valid event of the specification's example (Spec: lists.md#list-event).
    static var eventExample: [UInt8] { signEvent(eventEntries().encoded) }

    static func buildEvent() async throws -> VectorFile {
        let file = FileBuilder("list-event.verify", "Decoding and verifying list membership events")
        let anchor = eventVerify
        func bad(
            _ comment: String, _ flags: [String], _ spec: [String], _ bytes: [UInt8], _ error: String,
            _ state: EventState = EventState()
        ) async throws {
            try await ListVectors.bad(file, anchor, comment, flags, spec, eventInput(bytes, state), error)
        }
        func sign(_ entries: Entries) -> [UInt8] { signEvent(entries.encoded) }
        let first = EventState(previous: nil)
        let joining = EventState(history: "joining")
        let publicList = EventState(mode: "public", previous: (2, 0))

        file.group("valid events")
        try await file.valid(
            "bob joins as the list's third event; the epoch stays 1: the example of the specification",
            flags: ["Valid", "SpecExample"], spec: [anchor, "dlv-received-bytes", "list-epoch-roll"],
            input: eventInput(eventExample), expected: eventExpected())
        try await file.valid(
            "alice joins as the list's first event, at epoch 0", flags: ["Valid"], spec: [anchor, "list-epoch-roll"],
            input: eventInput(
                sign(eventEntries(serial: 1, epoch: 0, member: ("alice@example.org", Cast.alice))), first),
            expected: eventExpected(serial: 1, epoch: 0, member: ("alice@example.org", Cast.alice)))
        try await file.valid(
            "bob is removed: the key rolls to epoch 2", flags: ["Valid", "EpochRoll"],
            spec: [anchor, "list-epoch-roll", "list-keys-to-members"],
            input: eventInput(sign(eventEntries(kind: 2, epoch: 2))),
            expected: eventExpected(kind: "removed", epoch: 2))
        try await file.valid(
            "bob leaves: the key rolls to epoch 2", flags: ["Valid", "EpochRoll"], spec: [anchor, "list-epoch-roll"],
            input: eventInput(sign(eventEntries(kind: 1, epoch: 2))), expected: eventExpected(kind: "left", epoch: 2))
        try await file.valid(
            "the owner rolls the key without a membership change", flags: ["Valid", "EpochRoll"],
            spec: [anchor, "list-epoch-roll"], input: eventInput(sign(eventEntries(kind: 3, epoch: 2, member: nil))),
            expected: eventExpected(kind: "key-rolled", epoch: 2, member: nil))
        try await file.valid(
            "bob joins a list readable from joining: joining rolls the key", flags: ["Valid", "EpochRoll"],
            spec: [anchor, "list-epoch-roll"], input: eventInput(sign(eventEntries(epoch: 2)), joining),
            expected: eventExpected(epoch: 2))
        try await file.valid(
            "bob joins a public list: epoch 0 and no epoch key", flags: ["Valid", "PublicMode"],
            spec: [anchor, "list-public"], input: eventInput(sign(eventEntries(epoch: 0, withKey: false)), publicList),
            expected: eventExpected(epoch: 0, withKey: false))
        try await file.valid(
            "created = now + 600, the skew bound S", flags: ["Valid", "Limit"], spec: [anchor, "trust-skew"],
            input: eventInput(sign(eventEntries(created: now + 600))), expected: eventExpected(created: now + 600))

        let faults = SignedObjectFaults(
            file: file, input: { eventInput($0) }, entries: eventEntries(), sign: { signEvent($0) },
            context: eventContext, verify: anchor, maximumSize: 1024, requiredKeys: Array(1...8))
        try await faults.all()

        file.group("step 4: the fields' types and forms, and the member fields the kind needs (malformed)")
        let field = faults.field
        let layout: [(String, Int, [UInt8], [String], [String])] = [
            ("kind 4", 3, C.uint(4), ["Layout"], []),
            ("serial 0", 2, C.uint(0), ["Layout"], []),
            ("a 31-byte epoch key", 5, C.bstr(Array(epochPublic(1).prefix(31))), ["WrongLength"], []),
            ("a 33-byte member key", 7, C.bstr(Cast.bob.identityKey + [0]), ["WrongLength"], []),
            ("the member in upper case", 6, C.text("Bob@example.net"), ["Address", "Case"], ["addr-wire-canonical"]),
            ("the epoch as a text string", 4, C.text("1"), ["Layout"], []),
        ]
        for (comment, key, value, flags, spec) in layout {
            try await bad(comment, flags, spec, field(key, value), "malformed")
        }
        try await bad(
            "a key roll that names a member", ["Layout"], [], sign(eventEntries(kind: 3, epoch: 2)), "malformed")
        try await bad(
            "a removal that names no member", ["Layout"], [], sign(eventEntries(kind: 2, epoch: 2, member: nil)),
            "malformed")
        try await bad(
            "a join without the member's key", ["Layout"], [], faults.object { $0[7] = nil }, "malformed")

        try await faults.signatureFaults(step: "step 5", seed: listIdentity.seed, wrongSeed: Cast.mallory.seed)
        try await bad(
            "bob signs his own join with his key", ["BadSignature", "Forgery"], ["list-roles"],
            signEvent(eventEntries().encoded, Cast.bob), "bad-signature")

        file.group("step 6: the descriptor's list")
        try await bad(
            "an event of another list", ["AddressMismatch"], [], sign(eventEntries(list: "ops@lists.example.org")),
            "address-mismatch")

        file.group("step 7: the serial, the epoch key, and the roll (list-epoch-roll)")
        let sequence: [(String, [String], [UInt8], EventState)] = [
            ("a serial that skips one (5 after 3)", ["Sequence"], sign(eventEntries(serial: 5)), EventState()),
            ("a serial that repeats the previous one", ["Sequence"], sign(eventEntries(serial: 2)), EventState()),
            ("a first event with serial 2", ["Sequence"], sign(eventEntries(serial: 2, epoch: 0)), first),
            ("a first event at epoch 1", ["EpochRoll"], sign(eventEntries(serial: 1)), first),
            (
                "a removal that does not roll the key: the removed member could read later posts",
                ["EpochRoll"], sign(eventEntries(kind: 2, epoch: 1)), EventState()
            ),
            ("a departure that does not roll the key", ["EpochRoll"], sign(eventEntries(kind: 1)), EventState()),
            (
                "a key roll that does not start a new epoch", ["EpochRoll"],
                sign(eventEntries(kind: 3, member: nil)), EventState()
            ),
            (
                "a removal that skips an epoch (1 to 3)", ["EpochRoll"], sign(eventEntries(kind: 2, epoch: 3)),
                EventState()
            ),
            (
                "a join that rolls the key in a list whose history is the whole archive", ["EpochRoll"],
                sign(eventEntries(epoch: 2)), EventState()
            ),
            (
                "a join that does not roll the key in a list readable from joining", ["EpochRoll"],
                eventExample, joining
            ),
            (
                "an encrypted list's event without an epoch key", ["Layout"], sign(eventEntries(withKey: false)),
                EventState()
            ),
            (
                "a public list's event with an epoch key", ["PublicMode"], sign(eventEntries(epoch: 0)), publicList
            ),
            (
                "a public list's event at epoch 1", ["PublicMode", "EpochRoll"],
                sign(eventEntries(epoch: 1, withKey: false)), publicList
            ),
            (
                "a key roll in a public list", ["PublicMode"],
                sign(eventEntries(kind: 3, epoch: 0, withKey: false, member: nil)),
                publicList
            ),
        ]
        for (comment, flags, bytes, state) in sequence {
            try await bad(comment, flags, ["list-epoch-roll"], bytes, "malformed", state)
        }

        file.group("step 8: created ≤ now + 600")
        try await bad(
            "created = now + 601", ["Clock"], ["trust-skew"], sign(eventEntries(created: now + 601)), "expired")

        file.group("an author's check of the latest event, read from the list's information (list-ep-info-author)")
        let latest = EventState(previous: nil, latest: true)
        let latestPublic = EventState(mode: "public", previous: nil, latest: true)
        let author = [anchor, "list-ep-info-author"]
        try await file.valid(
            "bob's removal, the list's seventh event at epoch 3, checked with no previous event",
            flags: ["Valid", "LatestEvent"], spec: author,
            input: eventInput(sign(eventEntries(serial: 7, kind: 2, epoch: 3)), latest),
            expected: eventExpected(serial: 7, kind: "removed", epoch: 3))
        try await file.valid(
            "bob joins a public list as its ninth event, checked with no previous event",
            flags: ["Valid", "LatestEvent", "PublicMode"], spec: author + ["list-public"],
            input: eventInput(sign(eventEntries(serial: 9, epoch: 0, withKey: false)), latestPublic),
            expected: eventExpected(serial: 9, epoch: 0, withKey: false))
        let latestFaults: [(String, [String], [UInt8], EventState, String)] = [
            (
                "an encrypted list's latest event without an epoch key", ["LatestEvent", "Layout"],
                sign(eventEntries(serial: 7, kind: 2, epoch: 3, withKey: false)), latest, "malformed"
            ),
            (
                "a public list's latest event with an epoch key", ["LatestEvent", "PublicMode"],
                sign(eventEntries(serial: 9, epoch: 0)), latestPublic, "malformed"
            ),
            (
                "a public list's latest event at epoch 2", ["LatestEvent", "PublicMode"],
                sign(eventEntries(serial: 9, epoch: 2, withKey: false)), latestPublic, "malformed"
            ),
            (
                "a key roll as a public list's latest event", ["LatestEvent", "PublicMode"],
                sign(eventEntries(serial: 9, kind: 3, epoch: 0, withKey: false, member: nil)), latestPublic,
                "malformed"
            ),
            (
                "a latest event signed by mallory, not the list key", ["LatestEvent", "BadSignature"],
                signEvent(eventEntries(serial: 7, kind: 2, epoch: 3).encoded, Cast.mallory), latest, "bad-signature"
            ),
            (
                "the latest event of another list", ["LatestEvent", "AddressMismatch"],
                sign(eventEntries(list: "ops@lists.example.org", serial: 7, kind: 2, epoch: 3)), latest,
                "address-mismatch"
            ),
            (
                "a latest event with serial 0", ["LatestEvent", "Layout"],
                sign(eventEntries(serial: 0, kind: 2, epoch: 3)), latest, "malformed"
            ),
            (
                "a latest event created at now + 601", ["LatestEvent", "Clock"],
                sign(eventEntries(serial: 7, kind: 2, epoch: 3, created: now + 601)), latest, "expired"
            ),
        ]
        for (comment, flags, bytes, state, error) in latestFaults {
            try await bad(comment, flags, ["list-ep-info-author"], bytes, error, state)
        }

        file.group("the order of the checks")
        try await bad(
            "a bad signature and a removal without a roll: bad-signature", ["Precedence", "BadSignature"],
            ["conf-error-precedence"], signEvent(eventEntries(kind: 2).encoded, Cast.mallory), "bad-signature")
        try await bad(
            "another list and a serial that skips: address-mismatch", ["Precedence", "AddressMismatch"],
            ["conf-error-precedence"], sign(eventEntries(list: "ops@lists.example.org", serial: 9)),
            "address-mismatch")
        try await bad(
            "a removal without a roll and a date from the future: malformed", ["Precedence", "EpochRoll"],
            ["conf-error-precedence"], sign(eventEntries(kind: 2, created: now + 601)), "malformed")
        try await bad(
            "a key roll naming a member, signed by another key: malformed comes first", ["Precedence", "Layout"],
            ["conf-error-precedence"], signEvent(eventEntries(kind: 3, epoch: 2).encoded, Cast.mallory), "malformed")
        return file.file
    }
}
