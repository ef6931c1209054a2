internal import DialogueCrypto
internal import DialogueDelivery
internal import DialogueIdentifiers
internal import DialogueMessages

/// The list operations of Spec/conformance.md (List operations): `list-descriptor.verify`,
/// `list-event.verify`, `list-keys.verify`, `list-post.verify` and `list-entry.verify`, run on
/// the Swift library.
///
/// The state a reader or a list server would have (the list key, the mode, the previous event,
/// the epoch, the position held) comes from the input; an input that does not describe it is an
/// `InputError`, never an answer about the object.
extension ReferenceTarget {
    func listDescriptorVerify(_ input: JSONValue) throws -> Outcome {
        let bytes = try input.hex("descriptor")
        let list = try ReferenceTarget.address(try input.string("list"), "list")
        let fingerprint = try ReferenceTarget.identifier(
            try input.string("list_key_fingerprint"), .identityKey, "list_key_fingerprint")
        let now = try input.unsigned("now")
        return ReferenceTarget.delivery { () throws(DeliveryError) in
            let descriptor = try ListDescriptor(verifying: bytes, list: list, listKeyFingerprint: fingerprint, now: now)
            return .object([
                ("list", .string(descriptor.list.text)),
                ("list_key", .string(Hex.encode(descriptor.listKey.rawRepresentation))),
                ("owner", .string(descriptor.owner.text)), ("mode", .string(descriptor.mode.name)),
                ("posting", .string(descriptor.posting.name)), ("history", .string(descriptor.history.name)),
                ("revision", .exactly(descriptor.revision)), ("created", .exactly(descriptor.created)),
            ])
        }
    }

    func listEventVerify(_ input: JSONValue) throws -> Outcome {
        let bytes = try input.hex("event")
        let list = try ReferenceTarget.address(try input.string("list"), "list")
        let key = try ReferenceTarget.verifyingKey(try input.hex("list_key"), "list_key")
        guard let mode = ListMode(name: try input.string("mode")) else {
            throw InputError(reason: "mode must be \"encrypted\" or \"public\"")
        }
        guard let history = ListHistory(name: try input.string("history")) else {
            throw InputError(reason: "history must be \"archive\" or \"joining\"")
        }
        // `nil`: the author's check of the latest event ([list-ep-info-author]), with no previous event.
        var previous: ListEvent.Previous??
        switch input["previous"] {
        case .null: previous = .some(nil)
        case .string("unknown"): previous = nil
        case .some(let value) where value.objectValue != nil:
            previous = ListEvent.Previous(serial: try value.unsigned("serial"), epoch: try value.unsigned("epoch"))
        default: throw InputError(reason: "previous must be an object, null or \"unknown\"")
        }
        let now = try input.unsigned("now")
        return ReferenceTarget.delivery { () throws(DeliveryError) in
            let event =
                if let previous {
                    try ListEvent(
                        verifying: bytes, list: list, listKey: key, mode: mode, history: history, previous: previous,
                        now: now)
                } else {
                    try ListEvent(verifyingLatest: bytes, list: list, listKey: key, mode: mode, now: now)
                }
            return .object([
                ("serial", .exactly(event.serial)), ("kind", .string(event.kind.name)),
                ("epoch", .exactly(event.epoch)),
                ("epoch_key", event.epochKey.map { .string(Hex.encode($0.rawRepresentation)) } ?? .null),
                ("member", event.member.map { .string($0.text) } ?? .null),
                ("member_key", event.memberKey.map { .string(Hex.encode($0.rawRepresentation)) } ?? .null),
                ("created", .exactly(event.created)),
            ])
        }
    }

    func listKeysVerify(_ input: JSONValue) throws -> Outcome {
        let bytes = try input.hex("keys")
        let list = try ReferenceTarget.address(try input.string("list"), "list")
        let key = try ReferenceTarget.verifyingKey(try input.hex("list_key"), "list_key")
        let now = try input.unsigned("now")
        return ReferenceTarget.delivery { () throws(DeliveryError) in
            let delivery = try EpochKeyDelivery(verifying: bytes, list: list, listKey: key, now: now)
            return .object([
                ("list", .string(delivery.list.text)),
                (
                    "epochs",
                    .array(
                        delivery.epochs.map {
                            .object([
                                ("epoch", .exactly($0.epoch)),
                                ("public_key", .string(Hex.encode($0.publicKey.rawRepresentation))),
                            ])
                        })
                ),
                ("created", .exactly(delivery.created)),
            ])
        }
    }

    func listPostVerify(_ input: JSONValue) throws -> Outcome {
        let bytes = try input.hex("post")
        let list = try ReferenceTarget.address(try input.string("list"), "list")
        let epoch = try input.unsigned("epoch")
        let now = try input.unsigned("now")
        return ReferenceTarget.delivery { () throws(DeliveryError) in
            let post = try ListPost(verifying: bytes, list: list, epoch: epoch, now: now)
            return .object([
                ("list", .string(post.list.text)), ("author", .string(post.author.text)),
                ("author_key", .string(Hex.encode(post.authorKey.rawRepresentation))),
                ("fingerprint", .string(post.authorFingerprint.text(kind: .identityKey))),
                ("envelope", .string(post.envelope.text(kind: .blob))),
                ("envelope_size", .exactly(post.envelopeSize)), ("message_size", .exactly(post.messageSize)),
                ("epoch", .exactly(post.epoch)), ("created", .exactly(post.created)),
            ])
        }
    }

    func listEntryVerify(_ input: JSONValue) throws -> Outcome {
        let bytes = try input.hex("entry")
        let list = try ReferenceTarget.address(try input.string("list"), "list")
        let keys = try ReferenceTarget.serverKeys(input)
        let after = try input.unsigned("after")
        let now = try input.unsigned("now")
        return ReferenceTarget.delivery { () throws(DeliveryError) in
            let entry = try ListEntry(verifying: bytes, list: list, serverKeys: keys, after: after, now: now)
            return .object([
                ("list", .string(entry.list.text)), ("position", .exactly(entry.position)),
                ("kind", .string(entry.kind.name)), ("object", .string(Hex.encode(entry.object))),
                ("appended", .exactly(entry.appended)),
                ("server_key", .string(entry.serverKey.text(kind: .serverKey))),
            ])
        }
    }
}
