internal import DialogueCBOR
internal import DialogueCrypto
internal import DialogueIdentifiers
internal import DialogueMessages

/// The Swift library, in process: every operation of Spec/conformance.md#conf-operations.
public final class ReferenceTarget: ConformanceTarget, @unchecked Sendable {
    /// The hello the Swift library gives.
    public static let hello = AdapterHello(
        name: "dialogue-swift", version: "1", operations: Set(ConformanceOperation.all),
        features: ["error-detail", "cross-check"]
    )

    /// Creates the in-process target; it holds no state.
    public init() {}

    /// Returns ``hello``; there is nothing to start.
    public func start() async throws -> AdapterHello { ReferenceTarget.hello }

    /// Does nothing; there is nothing to stop.
    public func stop() async {}

    /// Runs one operation of Spec/conformance.md#conf-operations with the Swift library, mapping
    /// its errors to the error classes of Spec/conformance.md#conf-errors.
    public func perform(_ operation: String, input: JSONValue) async -> Outcome {
        do {
            switch operation {
            case "cbor.decode": return try cborDecode(input)
            case "id.hash": return try idHash(input)
            case "id.parse": return try idParse(input)
            case "address.parse": return try addressParse(input)
            case "card.verify": return try cardVerify(input)
            case "card.issue": return try cardIssue(input)
            case "secret.decode": return try secretDecode(input)
            case "message.open": return try messageOpen(input)
            case "chunk.open": return try chunkOpen(input)
            case "message.seal": return try await messageSeal(input)
            case "safety.number": return try safetyNumber(input)
            case "safety.parse": return try safetyParse(input)
            case "statement.verify": return try statementVerify(input)
            case "trust.replay": return try await trustReplay(input)
            case "server-document.verify": return try serverDocumentVerify(input)
            case "submission.verify": return try submissionVerify(input)
            case "notification.verify": return try notificationVerify(input)
            case "ack.verify": return try ackVerify(input)
            case "request.verify": return try await requestVerify(input)
            case "request.sign": return try requestSign(input)
            case "list-descriptor.verify": return try listDescriptorVerify(input)
            case "list-event.verify": return try listEventVerify(input)
            case "list-keys.verify": return try listKeysVerify(input)
            case "list-post.verify": return try listPostVerify(input)
            case "list-entry.verify": return try listEntryVerify(input)
            default: return .unsupported("unknown operation \(operation)")
            }
        } catch let error as MessageError {
            return .error(error.code.name, detail: nil, message: error.reason)
        } catch let error as InputError {
            return .error("malformed", detail: nil, message: "invalid input: \(error.reason)")
        } catch let error as Unsupported {
            return .unsupported(error.reason)
        } catch {
            return .error("malformed", detail: nil, message: "\(error)")
        }
    }

    // MARK: Operations

    private func cborDecode(_ input: JSONValue) throws -> Outcome {
        let data = try input.hex("data")
        do {
            let node = try CBORDecoder().decode(data)
            let encoded = try CBOREncoder().encode(node.value)
            return .ok(
                .object([
                    ("diagnostic", .string(node.value.diagnosticDescription)),
                    ("encoded", .string(Hex.encode(encoded))),
                ])
            )
        } catch {
            return .error(ReferenceTarget.errorClass(of: error.code), detail: error.code.name, message: error.reason)
        }
    }

    /// The class of an encoding error when the item stands alone (Spec: conformance.md#conf-errors).
    static func errorClass(of code: CBORError.Code) -> String {
        switch code {
        case .truncated: return "truncated"
        case .tooDeep, .tooLarge: return "limits-exceeded"
        default: return "malformed"
        }
    }

    private func idHash(_ input: JSONValue) throws -> Outcome {
        let contextText = try input.string("context")
        let kindText = try input.string("kind")
        let data = try input.hex("data")
        guard let context = DomainContext.registry.first(where: { $0.description == contextText }) else {
            return .error("malformed", detail: nil, message: "'\(contextText)' is not in the context registry")
        }
        guard let kind = IdentifierKind(prefix: kindText) else {
            return .error("malformed", detail: nil, message: "'\(kindText)' is not in the kind table")
        }
        let id = ContentIdentifier.hashing(data, context: context)
        return .ok(
            .object([("binary", .string(Hex.encode(id.binaryRepresentation))), ("text", .string(id.text(kind: kind)))]))
    }

    private func idParse(_ input: JSONValue) throws -> Outcome {
        let text = try input.string("text")
        let kindText = try input.string("kind")
        guard let kind = IdentifierKind(prefix: kindText) else {
            throw InputError(reason: "'\(kindText)' is not in the kind table")
        }
        do {
            let id = try ContentIdentifier(text: text, kind: kind)
            return .ok(.object([("binary", .string(Hex.encode(id.binaryRepresentation)))]))
        } catch {
            let errorClass = error.code == .unknownAlgorithm ? "unsupported-version" : "malformed"
            return .error(errorClass, detail: error.code.name, message: error.reason)
        }
    }

    private func addressParse(_ input: JSONValue) throws -> Outcome {
        let text = try input.string("text")
        let wire = try input.bool("wire")
        do {
            let address = wire ? try Address(canonical: text) : try Address(parsing: text)
            return .ok(.object([("address", .string(address.text))]))
        } catch {
            return .error("malformed", detail: error.code.rawValue, message: error.reason)
        }
    }

    private func cardVerify(_ input: JSONValue) throws -> Outcome {
        let card = try IdentityCard(decoding: try input.hex("card"))
        return .ok(ReferenceTarget.cardJSON(card))
    }

    static func cardJSON(_ card: IdentityCard) -> JSONValue {
        .object([
            ("addresses", .array(card.addresses.map { .string($0.text) })),
            ("identity_key", .string(Hex.encode(card.identityKey.rawRepresentation))),
            ("encryption_key", .string(Hex.encode(card.encryptionKey.rawRepresentation))),
            ("created", .exactly(card.created)), ("expires", .exactly(card.expires)),
            ("fingerprint", .string(card.fingerprint.text(kind: .identityKey))),
        ])
    }

    private func cardIssue(_ input: JSONValue) throws -> Outcome {
        let seed = try input.hex("identity_seed")
        let encryptionKeyBytes = try input.hex("encryption_public_key")
        guard let signingKey = try? Ed25519.SigningKey(seed: seed) else {
            throw MessageError(.malformed, "an identity seed is 32 bytes")
        }
        guard let encryptionKey = try? X25519.PublicKey(rawRepresentation: encryptionKeyBytes) else {
            throw MessageError(.malformed, "an encryption key is 32 bytes")
        }
        let addresses = try input.strings("addresses").map { text throws(MessageError) in
            do { return try Address(canonical: text) } catch { throw MessageError(.malformed, "\(error)") }
        }
        let card = try IdentityCard(
            addresses: addresses, signingKey: signingKey, encryptionKey: encryptionKey,
            created: try input.unsigned("created"), expires: try input.unsigned("expires")
        )
        return .ok(.object([("card", .string(Hex.encode(card.encodedBytes)))]))
    }

    private func secretDecode(_ input: JSONValue) throws -> Outcome {
        let file = try input.hex("file")
        let passphrase = input["passphrase"]?.stringValue
        let identity = try SecretIdentityFile.decode(file, passphrase: passphrase)
        return .ok(
            .object([
                ("identity_key", .string(Hex.encode(identity.signingKey.publicKey.rawRepresentation))),
                ("encryption_key", .string(Hex.encode(identity.encryptionKey.publicKey.rawRepresentation))),
                ("card", .string(Hex.encode(identity.card.encodedBytes))),
            ])
        )
    }

    private func messageOpen(_ input: JSONValue) throws -> Outcome {
        let envelope = try input.hex("envelope")
        let secret = try input.hex("encryption_secret")
        guard let key = try? X25519.PrivateKey(rawRepresentation: secret) else {
            throw InputError(reason: "an encryption secret is 32 bytes")
        }
        let addresses = try input.strings("addresses").map { text throws(InputError) in
            do { return try Address(canonical: text) } catch { throw InputError(reason: "\(error)") }
        }
        var stanzaIndex: Int?
        if let value = input["stanza_index"], !value.isNull {
            guard let index = value.integerValue else { throw InputError(reason: "stanza_index is an integer") }
            stanzaIndex = Int(clamping: index)
        }
        let opened = try EnvelopeOpener.open(
            envelope, encryptionKey: key, ownAddresses: addresses, stanzaIndex: stanzaIndex)
        return .ok(ReferenceTarget.openedJSON(opened))
    }

    static func openedJSON(_ opened: OpenedMessage) -> JSONValue {
        let manifest = opened.manifest
        return .object([
            ("message_id", .string(opened.messageID.text(kind: .message))),
            ("envelope_id", .string(opened.envelopeID.text(kind: .blob))),
            ("mode", .string(manifest.mode == .encrypted ? "encrypted" : "public")),
            ("stanza_index", opened.stanzaIndex.map { .integer(Int64($0)) } ?? .null),
            ("sender", .string(manifest.senderAddress.text)),
            ("sender_card", .string(Hex.encode(manifest.senderCard.encodedBytes))),
            ("sender_fingerprint", .string(manifest.senderCard.fingerprint.text(kind: .identityKey))),
            (
                "recipients",
                .array(
                    manifest.recipients.map {
                        .object([
                            ("address", .string($0.address.text)), ("role", .string($0.role.description)),
                            ("encryption_key", .string(Hex.encode($0.encryptionKey.rawRepresentation))),
                        ])
                    }
                )
            ),
            ("date", .exactly(manifest.date)),
            ("headers", .object(manifest.headers.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            (
                "parts",
                .array(
                    manifest.parts.map {
                        .object([
                            ("media_type", .string($0.mediaType)), ("file_name", .string($0.fileName)),
                            ("size", .exactly($0.size)), ("key", .string(Hex.encode($0.key))),
                            ("chunks", .array($0.chunks.map { .string($0.text(kind: .blob)) })),
                        ])
                    }
                )
            ),
            ("in_reply_to", .array(manifest.inReplyTo.map { .string($0.text(kind: .message)) })),
            ("references", .array(manifest.references.map { .string($0.text(kind: .message)) })),
        ])
    }

    private func chunkOpen(_ input: JSONValue) throws -> Outcome {
        guard let part = input["part"], part.objectValue != nil else { throw InputError(reason: "part is an object") }
        let chunks = try part.strings("chunks").map { text throws(InputError) in
            do { return try ContentIdentifier(text: text, kind: .blob) } catch { throw InputError(reason: "\(error)") }
        }
        let descriptor = PartDescriptor(
            mediaType: "application/octet-stream", fileName: "", size: try part.unsigned("size"),
            key: try part.hex("key"), chunks: chunks
        )
        guard let index = input["index"]?.integerValue else { throw InputError(reason: "index is an integer") }
        var blob = try input.hex("blob")
        try ChunkCipher.open(&blob, part: descriptor, index: Int(clamping: index))
        return .ok(.object([("plaintext", .string(Hex.encode(blob)))]))
    }

    private func messageSeal(_ input: JSONValue) async throws -> Outcome {
        guard let sender = input["sender"] else { throw InputError(reason: "sender is an object") }
        // Not `flatMap { $0.isNull ? nil : $0 }`: JSONValue is ExpressibleByNilLiteral, so that `nil` is `.null`.
        var givenRandomness: JSONValue?
        if let value = input["randomness"], !value.isNull { givenRandomness = value }
        if let givenRandomness { try ReferenceTarget.checkFit(givenRandomness, of: input) }
        let cardBytes = try sender.hex("card")
        let card = try IdentityCard(decoding: cardBytes)
        guard let signingKey = try? Ed25519.SigningKey(seed: try sender.hex("identity_seed")),
            let encryptionKey = try? X25519.PrivateKey(rawRepresentation: try sender.hex("encryption_secret"))
        else { throw MessageError(.malformed, "the sender's secrets are 32 bytes each") }
        let identity = try SecretIdentity(signingKey: signingKey, encryptionKey: encryptionKey, card: card)
        let senderAddress = try ReferenceTarget.address(try sender.string("address"))
        guard card.lists(senderAddress) else {
            throw MessageError(.addressMismatch, "\(senderAddress) is not on the sender's card")
        }
        let mode: MessageMode
        switch try input.string("mode") {
        case "encrypted": mode = .encrypted
        case "public": mode = .public
        case let other: throw MessageError(.unsupportedVersion, "unknown mode \(other)")
        }
        var recipients: [MessageDraft.Addressee] = []
        for entry in input["recipients"]?.arrayValue ?? [] {
            let recipientCard = try IdentityCard(decoding: try entry.hex("card"))
            let address = try ReferenceTarget.address(try entry.string("address"))
            let role: Recipient.Role
            switch try entry.string("role") {
            case "to": role = .to
            case "cc": role = .cc
            case "bcc": role = .bcc
            case let other: throw MessageError(.malformed, "unknown role \(other)")
            }
            guard recipientCard.lists(address) else {
                throw MessageError(.addressMismatch, "\(address) is not on the card given for it")
            }
            recipients.append(MessageDraft.Addressee(card: recipientCard, address: address, role: role))
        }
        let partInputs = input["parts"]?.arrayValue ?? []
        guard partInputs.count <= MessageLimits.maximumParts else {
            throw MessageError(.limitsExceeded, "at most \(MessageLimits.maximumParts) parts")
        }
        var headers: [String: String] = [:]
        for (name, value) in input["headers"]?.objectValue ?? [] {
            guard let text = value.stringValue else { throw InputError(reason: "header values are strings") }
            try HeaderRules.check(name: name, value: text)
            headers[name] = text
        }
        let blindCount = recipients.filter { $0.role == .bcc }.count
        let randomness: SealingRandomness
        if let givenRandomness {
            randomness = try ReferenceTarget.sealingRandomness(givenRandomness)
        } else {
            randomness = .random(
                recipientCount: recipients.count - blindCount, partCount: partInputs.count, blindCopyCount: blindCount)
        }
        var draft = MessageDraft(
            recipients: recipients, date: try input.unsigned("date"), headers: headers,
            parts: try partInputs.map { part throws(InputError) in
                MessageDraft.Part(
                    mediaType: try part.string("media_type"), fileName: try part.string("file_name"),
                    content: .bytes(try part.hex("content")))
            }
        )
        draft.mode = mode
        draft.senderAddress = senderAddress
        draft.inReplyTo = try ReferenceTarget.messageIDs(input, "in_reply_to")
        draft.references = try ReferenceTarget.messageIDs(input, "references")
        let store = MemoryBlobStore()
        let sealed = try await MessageSealer(sender: identity, store: store).seal(draft, randomness: randomness)
        let copies = sealed.everyBlindCopy
        let envelopes = Set([sealed.envelopeID] + copies.map(\.envelopeID))
        var blobs: [(String, JSONValue)] = []
        for id in await store.identifiers where !envelopes.contains(id) {
            if let bytes = await store.get(id) { blobs.append((id.text(kind: .blob), .string(Hex.encode(bytes)))) }
        }
        blobs.sort { $0.0 < $1.0 }
        func envelopeOutput(_ message: MessageSealer.SealedMessage) -> [(String, JSONValue)] {
            [
                ("envelope", .string(Hex.encode(message.envelopeBytes))),
                ("message_id", .string(message.messageID.text(kind: .message))),
            ]
        }
        var output = envelopeOutput(sealed) + [("blobs", .object(blobs))]
        if blindCount > 0 {
            output.append(("blind_copies", .array(copies.map { .object(envelopeOutput($0)) })))
        }
        return .ok(.object(output))
    }

    /// Rejects randomness that does not fit the message, before anything of the message is checked:
    /// it belongs to the request, not to the protocol (Spec: conformance.md, `message.seal`).
    private static func checkFit(_ given: JSONValue, of input: JSONValue) throws(InputError) {
        let roles = (input["recipients"]?.arrayValue ?? []).map { $0["role"]?.stringValue ?? "" }
        let visible = roles.filter { $0 != "bcc" }.count
        let blind = roles.count - visible
        func keys(_ list: JSONValue?, _ what: String) throws(InputError) -> Int {
            guard let list = list?.arrayValue else { throw InputError(reason: "\(what) is an array") }
            for value in list where value.stringValue.flatMap(Hex.decode)?.count != 32 {
                throw InputError(reason: "\(what) holds 32-byte hexadecimal keys")
            }
            return list.count
        }
        for key in ["message_key", "ephemeral_secret"] where given[key]?.stringValue.flatMap(Hex.decode)?.count != 32 {
            throw InputError(reason: "randomness.\(key) is 32 bytes")
        }
        guard try keys(given["part_keys"], "randomness.part_keys") == (input["parts"]?.arrayValue ?? []).count else {
            throw InputError(reason: "randomness.part_keys gives one key per part")
        }
        let order = (given["stanza_order"]?.arrayValue ?? []).map { $0.integerValue ?? -1 }
        guard order.sorted() == (0..<Int64(visible)).map({ $0 }) else {
            throw InputError(reason: "randomness.stanza_order is a permutation of the \(visible) visible recipients")
        }
        let copies = given["blind_copies"]?.arrayValue ?? []
        guard copies.count == blind else {
            throw InputError(reason: "randomness.blind_copies has \(copies.count) entries for \(blind) bcc recipients")
        }
        for copy in copies {
            for key in ["message_key", "ephemeral_secret"] where copy[key]?.stringValue.flatMap(Hex.decode)?.count != 32
            {
                throw InputError(reason: "a blind copy's \(key) is 32 bytes")
            }
        }
    }

    /// The `randomness` input of `message.seal` (Spec: conformance.md#conf-operations).
    private static func sealingRandomness(_ given: JSONValue) throws(InputError) -> SealingRandomness {
        func hexList(_ key: String) throws(InputError) -> [[UInt8]] {
            try (given[key]?.arrayValue ?? []).map { value throws(InputError) in
                guard let text = value.stringValue, let bytes = Hex.decode(text) else {
                    throw InputError(reason: "\(key) holds hexadecimal strings")
                }
                return bytes
            }
        }
        return SealingRandomness(
            messageKey: try given.hex("message_key"), ephemeralSecret: try given.hex("ephemeral_secret"),
            stanzaOrder: try (given["stanza_order"]?.arrayValue ?? []).map { value throws(InputError) in
                guard let index = value.integerValue else { throw InputError(reason: "stanza_order holds integers") }
                return Int(clamping: index)
            },
            partKeys: try hexList("part_keys"),
            blindCopies: try (given["blind_copies"]?.arrayValue ?? []).map { copy throws(InputError) in
                SealingRandomness.BlindCopy(
                    messageKey: try copy.hex("message_key"), ephemeralSecret: try copy.hex("ephemeral_secret"))
            }
        )
    }

    private static func address(_ text: String) throws(MessageError) -> Address {
        do { return try Address(canonical: text) } catch { throw MessageError(.malformed, "\(error)") }
    }

    private static func messageIDs(_ input: JSONValue, _ key: String) throws -> [ContentIdentifier] {
        try (input[key]?.arrayValue ?? []).map { value in
            guard let text = value.stringValue else { throw InputError(reason: "\(key) holds strings") }
            do { return try ContentIdentifier(text: text, kind: .message) } catch {
                throw MessageError(.malformed, "\(key): \(error)")
            }
        }
    }
}

/// An input that does not follow the operation's JSON shape.
struct InputError: Error {
    let reason: String
}

/// A case the implementation does not support.
struct Unsupported: Error {
    let reason: String
}

extension JSONValue {
    func string(_ key: String) throws(InputError) -> String {
        guard let value = self[key]?.stringValue else { throw InputError(reason: "\(key) must be a string") }
        return value
    }

    func hex(_ key: String) throws(InputError) -> [UInt8] {
        guard let value = self[key]?.stringValue, let bytes = Hex.decode(value) else {
            throw InputError(reason: "\(key) must be a hexadecimal string")
        }
        return bytes
    }

    func bool(_ key: String) throws(InputError) -> Bool {
        guard let value = self[key]?.boolValue else { throw InputError(reason: "\(key) must be a boolean") }
        return value
    }

    func unsigned(_ key: String) throws(InputError) -> UInt64 {
        guard let value = self[key]?.unsignedValue else {
            throw InputError(reason: "\(key) must be an integer from 0 to 2^64 - 1")
        }
        return value
    }

    func strings(_ key: String) throws(InputError) -> [String] {
        guard let values = self[key]?.arrayValue else { throw InputError(reason: "\(key) must be an array") }
        return try values.map { value throws(InputError) in
            guard let text = value.stringValue else { throw InputError(reason: "\(key) must hold strings") }
            return text
        }
    }
}
