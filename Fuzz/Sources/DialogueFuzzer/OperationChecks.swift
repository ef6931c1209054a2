internal import DialogueCBOR
internal import DialogueConformance
internal import DialogueCrypto
internal import DialogueFuzzSupport
internal import DialogueIdentifiers
internal import DialogueMessages
internal import DialogueTrust

/// The targets built on a conformance operation: the input runs through the same code as the
/// conformance adapter (``ReferenceTarget``), then the answer is held to the specification.
///
/// - A rejection carries one of the error classes of Spec/conformance.md#conf-errors, and is
///   never a fault of the request itself (the context comes from a valid vector, so only the
///   object can be wrong).
/// - An accepted Dialogue CBOR object is canonical, and so is its signed body ([enc-canonical],
///   [enc-signed-bstr]); the decoded object keeps the received bytes ([dlv-received-bytes]).
/// - Every address in the answer is canonical ([addr-wire-canonical]), every identifier is in
///   its strict text form ([id-text-strict]), and the rules the object's verify list states hold
///   for the accepted values (times, limits, the context's domain, account and delivery).
enum OperationChecks {
    static let reference = ReferenceTarget()

    static func check(_ input: [UInt8], target: FuzzTarget, contexts: FuzzContexts) {
        guard let operation = target.operation, let json = contexts.operationInput(input),
            let (context, field) = contexts.split(input)
        else { return }
        if target.name == "secret" && costlyPassphrase(Array(field)) { return }
        let outcome = Blocking.run { await reference.perform(operation, input: json) }
        switch outcome {
        case .ok(let output):
            let bytes = Array(field)
            if target.isCBOR { checkCanonical(bytes) }
            checkOutput(output, context: context)
            checkTyped(target.name, bytes, output: output, context: context)
        case .error(let errorClass, _, let message):
            require(ErrorClass.all.contains(errorClass), "\(operation): error class '\(errorClass)' is not in the spec")
            require(
                !(message ?? "").hasPrefix("invalid input"), "\(operation): the request was refused: \(message ?? "")")
        case .unsupported(let reason): fatalError("\(operation) is unsupported: \(reason ?? "")")
        case .broken(let reason): fatalError("\(operation) broke: \(reason)")
        }
    }

    /// Whether a secret identity file asks for Argon2id with more than 16 MiB or 3 passes
    /// ([secret-limits] accepts up to 1 GiB and 10): a legitimate cost, but one that would trip
    /// -malloc_limit_mb and -timeout, so the fuzzer does not run it. Its rejection paths are
    /// the same code as a cheap file's.
    static func costlyPassphrase(_ bytes: [UInt8]) -> Bool {
        guard let node = try? CBORDecoder().decode(bytes) else { return false }
        func costly(_ value: CBORValue) -> Bool {
            switch value {
            case .map(let entries):
                return entries.contains { entry in
                    if case .unsigned(let key) = entry.key, case .unsigned(let n) = entry.value {
                        if key == 4 && n > 3 || key == 5 && n > 16 << 20 { return true }
                    }
                    return costly(entry.value)
                }
            case .array(let elements): return elements.contains(where: costly)
            default: return false
            }
        }
        return costly(node.value)
    }

    /// An accepted object is canonical Dialogue CBOR, and so is every signed body in it.
    static func checkCanonical(_ bytes: [UInt8]) {
        guard let node = try? CBORDecoder().decode(bytes) else {
            fatalError("accepted bytes that are not Dialogue CBOR")
        }
        require((try? CBOREncoder().encode(node.value)) == bytes, "accepted bytes that are not canonical")
        if case .array(let elements) = node.value, case .some(.bytes(let body)) = elements.first {
            guard let inner = try? CBORDecoder().decode(body) else {
                fatalError("accepted a body that is not Dialogue CBOR")
            }
            require(inner.type == .map, "accepted a body that is not a map")
        }
    }

    /// The rules every answer follows, whatever the operation.
    static func checkOutput(_ output: JSONValue, context: JSONValue) {
        walk(output) { key, value in
            if let text = value.stringValue {
                if ["address", "sender", "recipient"].contains(key) || key.hasPrefix("address_") {
                    guard let address = try? Address(canonical: text) else {
                        fatalError("\(key) '\(text)' is not canonical")
                    }
                    require(address.text == text, "\(key) '\(text)' is not its own canonical form")
                }
                for kind in [IdentifierKind.blob, .message, .identityKey, .serverKey, .submission]
                where text.hasPrefix(kind.prefix + "-") && text.count > 40 && !text.contains("@") {
                    require(
                        (try? ContentIdentifier(text: text, kind: kind))?.text(kind: kind) == text,
                        "\(key) '\(text)' is not strict")
                }
            }
            if key == "addresses", let list = value.arrayValue {
                let texts = list.compactMap(\.stringValue)
                require(texts.count == list.count, "addresses are strings")
                for text in texts {
                    require((try? Address(canonical: text))?.text == text, "address '\(text)' is not canonical")
                }
                require(
                    zip(texts, texts.dropFirst()).allSatisfy {
                        Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8))
                    }, "addresses not distinct and in bytewise order")
            }
        }
        if let created = output["created"]?.unsignedValue, let expires = output["expires"]?.unsignedValue {
            require(created < expires, "accepted expires \(expires) not after created \(created)")
        }
    }

    static func walk(_ value: JSONValue, _ visit: (String, JSONValue) -> Void) {
        if let members = value.objectValue {
            for (key, member) in members {
                visit(key, member)
                walk(member, visit)
            }
        } else if let elements = value.arrayValue {
            for element in elements { walk(element, visit) }
        }
    }

    /// The rules of one object's verify list, on the values it was accepted with.
    static func checkTyped(_ name: String, _ bytes: [UInt8], output: JSONValue, context: JSONValue) {
        let now = context["now"]?.unsignedValue ?? 0
        let created = output["created"]?.unsignedValue ?? 0
        let expires = output["expires"]?.unsignedValue ?? .max
        let skew: UInt64 = 600
        switch name {
        case "card":
            guard let card = try? IdentityCard(decoding: bytes) else {
                fatalError("card.verify accepted a card IdentityCard refuses")
            }
            require(card.encodedBytes == bytes, "a card does not keep its bytes")
            require(
                !card.addresses.isEmpty && card.addresses.count <= 16, "a card with \(card.addresses.count) addresses")
            require(
                card.fingerprint
                    == ContentIdentifier.hashing(card.identityKey.rawRepresentation, context: .identityKey),
                "a card's fingerprint is not its key's")
        case "statement":
            guard let statement = try? KeyStatement(decoding: bytes) else {
                fatalError("statement.verify accepted what KeyStatement refuses")
            }
            require(statement.encodedBytes == bytes, "a statement does not keep its bytes")
        case "address":
            let text = String(decoding: bytes, as: UTF8.self)
            guard let address = output["address"]?.stringValue else { fatalError("address.parse without an address") }
            if context["wire"]?.boolValue == true {
                require(address == text, "the wire form accepted '\(text)' as '\(address)'")
            }
            require((try? Address(parsing: address))?.text == address, "parsing is not idempotent on '\(address)'")
        case "id-parse":
            let text = String(decoding: bytes, as: UTF8.self)
            guard let kind = context["kind"]?.stringValue.flatMap(IdentifierKind.init(prefix:)),
                let binary = output["binary"]?.stringValue.flatMap(Hex.decode),
                let id = try? ContentIdentifier(binaryRepresentation: binary)
            else { fatalError("id.parse answered without a binary identifier") }
            require(
                id.text(kind: kind) == text.lowercased(),
                "id.parse accepted '\(text)', which is not the strict text of its value")
        case "server-document":
            require(created <= now &+ skew && now <= expires, "an accepted server document outside its validity")
            require(expires - created <= 2_592_000, "a server document valid for more than 30 days")
            require(output["domain"] == context["domain"], "a server document of another domain")
            let keys = output["keys"]?.arrayValue ?? []
            require((1...8).contains(keys.count), "a server document with \(keys.count) keys")
            require(
                Set(keys.compactMap { $0["key"]?.stringValue }).count == keys.count,
                "a server document with a key twice")
            for key in keys {
                require(
                    (key["valid_from"]?.unsignedValue ?? 0) < (key["valid_until"]?.unsignedValue ?? 0),
                    "a key valid until before it is valid from")
            }
            let url = output["base_url"]?.stringValue ?? ""
            require(
                url.hasPrefix("https://") || context["allow_http"]?.boolValue == true || url.hasPrefix("http://127.")
                    || url.contains("[::1]") || url.contains("localhost"),
                "an http base URL that is not allowed: \(url)")
            let recipients = output["max_recipients"]?.unsignedValue ?? 0
            require((1...4096).contains(recipients), "a recipient limit of \(recipients)")
        case "submission":
            require(created <= now &+ skew && now < expires, "an accepted submission outside its validity")
            require(expires - created <= 7_776_000, "a submission valid for more than 90 days")
            require(output["sender"] == context["account"]?["address"], "a submission by another sender")
            let deliveries = output["deliveries"]?.arrayValue ?? []
            require((1...4096).contains(deliveries.count), "a submission with \(deliveries.count) deliveries")
            let recipients = deliveries.compactMap { $0["recipient"]?.stringValue }
            require(Set(recipients).count == deliveries.count, "a submission with a recipient twice")
            let chunks = (output["chunks"]?.arrayValue ?? []).compactMap {
                $0.stringValue.flatMap { try? ContentIdentifier(text: $0, kind: .blob) }
            }
            require(
                zip(chunks, chunks.dropFirst()).allSatisfy {
                    $0.binaryRepresentation.lexicographicallyPrecedes($1.binaryRepresentation)
                }, "chunks not in increasing order")
        case "notification":
            require(created <= now &+ skew && now < expires, "an accepted notification outside its validity")
            let served = Set((context["served_domains"]?.arrayValue ?? []).compactMap(\.stringValue))
            let recipient = output["recipient"]?.stringValue ?? ""
            let sender = output["sender"]?.stringValue ?? ""
            require(
                served.contains(String(recipient.split(separator: "@").last ?? "")),
                "a notification to a domain not served")
            require(
                String(sender.split(separator: "@").last ?? "") == context["signer_domain"]?.stringValue,
                "a notification from another domain")
        case "ack":
            require(created <= now &+ skew, "an acknowledgement from the future")
            let delivery = context["delivery"]
            for key in ["sender", "recipient", "envelope", "fingerprint"] {
                require(output[key] == delivery?[key], "an acknowledgement of another delivery (\(key))")
            }
        case "request":
            let requestCreated = output["created"]?.unsignedValue ?? 0
            require(requestCreated <= now &+ 60 && now <= expires &+ 60, "an accepted request outside its window")
        default:
            break
        }
    }
}
