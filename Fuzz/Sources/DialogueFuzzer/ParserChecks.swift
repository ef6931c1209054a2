internal import DialogueCBOR
internal import DialogueConformance
internal import DialogueDelivery
internal import DialogueFuzzSupport
internal import DialogueIdentifiers
internal import DialogueMessages

// The library parsers without a conformance operation of their own.

/// A parser's error is one of the spec's classes (Spec/conformance.md#conf-errors).
func checkClass(_ error: DeliveryError, _ what: String) {
    require(ErrorClass.all.contains(error.code.name), "\(what): error class '\(error.code.name)' is not in the spec")
}

/// The serialization of RFC 8941 section 4.1 of a parsed dictionary.
func serialized(_ dictionary: StructuredDictionary) -> String {
    dictionary.members.map { member in
        switch member.value {
        case .item(let item): member.key + "=" + item.serialized
        case .innerList(let list): member.key + "=" + list.serialized
        }
    }.joined(separator: ", ")
}

/// `structured-field`: the strict RFC 8941 dictionary parser of the request profile
/// ([dlv-request-verify] step 1). A field over 1,024 bytes is `limits-exceeded` and nothing
/// else is; an accepted field serializes to a field that parses to the same members, and that
/// serialization is a fixed point (RFC 8941's serialization is canonical).
func checkStructuredField(_ input: [UInt8]) {
    let text = String(decoding: input, as: UTF8.self)
    let dictionary: StructuredDictionary
    do {
        dictionary = try StructuredDictionary(parsing: text)
    } catch {
        checkClass(error, "structured field")
        require(
            (error.code == .limitsExceeded) == (text.utf8.count > StructuredDictionary.defaultMaximumLength),
            "limits-exceeded for \(text.utf8.count) bytes")
        return
    }
    require(Set(dictionary.members.map(\.key)).count == dictionary.members.count, "a key twice")
    let written = serialized(dictionary)
    guard let again = try? StructuredDictionary(parsing: written, maximumLength: .max) else {
        fatalError("the serialization of an accepted field does not parse: \(written)")
    }
    require(again == dictionary, "the serialization parses to other members: \(written)")
    require(serialized(again) == written, "serialization is not a fixed point: \(written)")
}

/// `content-digest`: the profile's Content-Digest ([dlv-request-verify] step 2). An accepted
/// field names 32 bytes, and the field a signer would write for them parses to the same digest.
func checkContentDigest(_ input: [UInt8]) {
    let text = String(decoding: input, as: UTF8.self)
    let digest: ContentDigest
    do {
        digest = try ContentDigest(parsing: text)
    } catch {
        checkClass(error, "Content-Digest")
        return
    }
    require(digest.sha256.count == 32, "a digest of \(digest.sha256.count) bytes")
    require((try? ContentDigest(parsing: digest.fieldValue)) == digest, "the written field parses to another digest")
}

/// `card-response`: [dlv-card-response]. An accepted response is canonical, keeps its bytes, has
/// at most 16 statements, and one built from its parts encodes to the same bytes.
func checkCardResponse(_ input: [UInt8]) {
    let response: CardResponse
    do {
        response = try CardResponse(decoding: input)
    } catch {
        checkClass(error, "card response")
        require(
            error.code != .limitsExceeded || input.count > CardResponse.maximumSize || input.count > 16,
            "limits-exceeded for a small response")
        return
    }
    require(input.count <= CardResponse.maximumSize, "accepted \(input.count) bytes")
    require(response.encodedBytes == input, "a card response does not keep its bytes")
    require(response.statements.count <= CardResponse.maximumStatements, "\(response.statements.count) statements")
    OperationChecks.checkCanonical(input)
    if let card = try? response.decodedCard() {
        require(
            (try? CardResponse(card: card, statements: response.statements))?.encodedBytes == input,
            "a rebuilt card response differs")
    }
}

/// `peers-file`: [dlv-peers-parse]. Accepted entries have distinct canonical domains, base URLs
/// that parse again to themselves, strict `srv` fingerprints, and the file written back from
/// them parses to the same entries.
func checkPeersFile(_ input: [UInt8]) {
    let file: PeersFile
    do {
        file = try PeersFile(parsing: input)
    } catch {
        checkClass(error.deliveryError, "peers file")
        return
    }
    require(Set(file.entries.map(\.domain)).count == file.entries.count, "a domain twice")
    var lines: [String] = []
    for entry in file.entries {
        require(
            (try? Address(canonical: "a@" + entry.domain)) != nil, "a domain that is not canonical: \(entry.domain)")
        require((try? BaseURL(entry.baseURL.text)) == entry.baseURL, "a base URL that does not parse to itself")
        require(!entry.fingerprints.isEmpty, "an entry without a fingerprint")
        lines.append(
            ([entry.domain, entry.baseURL.text] + entry.fingerprints.map { $0.text(kind: .serverKey) }).joined(
                separator: " "))
    }
    guard let again = try? PeersFile(parsing: lines.joined(separator: "\n")) else {
        fatalError("a written peers file does not parse")
    }
    require(again.entries.map(\.domain) == file.entries.map(\.domain), "a written peers file has other domains")
    require(again.entries.map(\.baseURL) == file.entries.map(\.baseURL), "a written peers file has other URLs")
    require(
        again.entries.map(\.fingerprints) == file.entries.map(\.fingerprints),
        "a written peers file has other fingerprints")
}
