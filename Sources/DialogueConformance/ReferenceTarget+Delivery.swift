internal import DialogueCrypto
internal import DialogueDelivery
internal import DialogueIdentifiers
internal import DialogueMessages

/// The delivery-object operations of Spec/conformance.md (Delivery operations): `server-document.verify`,
/// `submission.verify`, `notification.verify` and `ack.verify`, run on the Swift library.
///
/// The state a server would have (the account, the keys, the delivery) comes from the input; an
/// input that does not describe it is an `InputError`, never an answer about the object.
extension ReferenceTarget {
    func serverDocumentVerify(_ input: JSONValue) throws -> Outcome {
        let bytes = try input.hex("document")
        let domain = try input.string("domain")
        let now = try input.unsigned("now")
        let allowHTTP = try input.bool("allow_http")
        return ReferenceTarget.delivery { () throws(DeliveryError) in
            let document = try ServerDocument(verifying: bytes, domain: domain, now: now, allowingHTTP: allowHTTP)
            return .object([
                ("domain", .string(document.domain)), ("base_url", .string(document.baseURL.text)),
                ("keys", .array(document.keys.map(ReferenceTarget.serverKeyJSON))),
                ("created", .exactly(document.created)),
                ("expires", .exactly(document.expires)),
                ("max_message_size", .exactly(document.maximumMessageSize)),
                ("max_recipients", .integer(Int64(document.maximumRecipients))),
            ])
        }
    }

    func submissionVerify(_ input: JSONValue) throws -> Outcome {
        let bytes = try input.hex("submission")
        guard let account = input["account"] else { throw InputError(reason: "account must be an object") }
        let address = try ReferenceTarget.address(try account.string("address"), "account.address")
        let key = try ReferenceTarget.verifyingKey(try account.hex("identity_key"), "account.identity_key")
        let now = try input.unsigned("now")
        return ReferenceTarget.delivery { () throws(DeliveryError) in
            let submission = try Submission(verifying: bytes, account: address, identityKey: key, now: now)
            return .object([
                ("submission_id", .string(submission.identifier.text(kind: .submission))),
                ("sender", .string(submission.sender.text)),
                (
                    "deliveries",
                    .array(
                        submission.deliveries.map {
                            .object([
                                ("recipient", .string($0.recipient.text)),
                                ("envelope", .string($0.envelope.text(kind: .blob))),
                                ("fingerprint", .string($0.fingerprint.text(kind: .identityKey))),
                                ("stanza_index", $0.stanzaIndex.map { .integer(Int64($0)) } ?? .null),
                            ])
                        })
                ),
                ("chunks", .array(submission.chunks.map { .string($0.text(kind: .blob)) })),
                ("created", .exactly(submission.created)),
                ("expires", .exactly(submission.expires)),
            ])
        }
    }

    func notificationVerify(_ input: JSONValue) throws -> Outcome {
        let bytes = try input.hex("notification")
        let signerDomain = try input.string("signer_domain")
        let keys = try ReferenceTarget.serverKeys(input)
        let served = Set(try input.strings("served_domains"))
        let now = try input.unsigned("now")
        return ReferenceTarget.delivery { () throws(DeliveryError) in
            let notification = try Notification(
                verifying: bytes, signerDomain: signerDomain, serverKeys: keys, servedDomains: served, now: now)
            return .object([
                ("sender", .string(notification.sender.text)), ("recipient", .string(notification.recipient.text)),
                ("envelope", .string(notification.envelope.text(kind: .blob))),
                ("envelope_size", .exactly(notification.envelopeSize)),
                ("message_size", .exactly(notification.messageSize)),
                ("base_url", .string(notification.baseURL.text)),
                ("created", .exactly(notification.created)),
                ("expires", .exactly(notification.expires)),
                ("server_key", .string(notification.serverKey.text(kind: .serverKey))),
                ("stanza_index", notification.stanzaIndex.map { .integer(Int64($0)) } ?? .null),
            ])
        }
    }

    func ackVerify(_ input: JSONValue) throws -> Outcome {
        let bytes = try input.hex("ack")
        guard let delivery = input["delivery"] else { throw InputError(reason: "delivery must be an object") }
        let sender = try ReferenceTarget.address(try delivery.string("sender"), "delivery.sender")
        let recipient = try ReferenceTarget.address(try delivery.string("recipient"), "delivery.recipient")
        let envelope = try ReferenceTarget.identifier(try delivery.string("envelope"), .blob, "delivery.envelope")
        let fingerprint = try ReferenceTarget.identifier(
            try delivery.string("fingerprint"), .identityKey, "delivery.fingerprint")
        let now = try input.unsigned("now")
        return ReferenceTarget.delivery { () throws(DeliveryError) in
            let expected = try Delivery(recipient: recipient, envelope: envelope, fingerprint: fingerprint)
            let ack = try Acknowledgement(verifying: bytes, delivery: expected, sender: sender, now: now)
            return .object([
                ("recipient", .string(ack.recipient.text)), ("envelope", .string(ack.envelope.text(kind: .blob))),
                ("sender", .string(ack.sender.text)),
                ("identity_key", .string(Hex.encode(ack.identityKey.rawRepresentation))),
                ("fingerprint", .string(ack.fingerprint.text(kind: .identityKey))),
                ("created", .exactly(ack.created)),
            ])
        }
    }

    /// The `server_keys` of an input: the keys of a server document, each with its validity.
    static func serverKeys(_ input: JSONValue) throws -> [ServerKey] {
        guard let keyList = input["server_keys"]?.arrayValue else {
            throw InputError(reason: "server_keys must be an array")
        }
        var keys: [ServerKey] = []
        for entry in keyList {
            let key = try ReferenceTarget.verifyingKey(try entry.hex("key"), "server_keys[].key")
            do {
                keys.append(
                    try ServerKey(
                        publicKey: key, validFrom: try entry.unsigned("valid_from"),
                        validUntil: try entry.unsigned("valid_until")))
            } catch let error as DeliveryError {
                throw InputError(reason: "server_keys: \(error)")
            }
        }
        return keys
    }

    /// Runs a delivery check: its output, or its error class.
    static func delivery(_ body: () throws(DeliveryError) -> JSONValue) -> Outcome {
        do {
            return .ok(try body())
        } catch {
            return .error(error.code.name, detail: nil, message: error.reason)
        }
    }

    static func serverKeyJSON(_ key: ServerKey) -> JSONValue {
        .object([
            ("key", .string(Hex.encode(key.publicKey.rawRepresentation))),
            ("fingerprint", .string(key.fingerprint.text(kind: .serverKey))),
            ("valid_from", .exactly(key.validFrom)),
            ("valid_until", .exactly(key.validUntil)),
        ])
    }

    static func address(_ text: String, _ what: String) throws(InputError) -> Address {
        do { return try Address(canonical: text) } catch { throw InputError(reason: "\(what): \(error)") }
    }

    static func verifyingKey(_ bytes: [UInt8], _ what: String) throws(InputError) -> Ed25519.VerifyingKey {
        do { return try Ed25519.VerifyingKey(rawRepresentation: bytes) } catch {
            throw InputError(reason: "\(what) must be 32 bytes")
        }
    }

    static func identifier(_ text: String, _ kind: IdentifierKind, _ what: String) throws(InputError)
        -> ContentIdentifier
    {
        do { return try ContentIdentifier(text: text, kind: kind) } catch {
            throw InputError(reason: "\(what): \(error)")
        }
    }
}
