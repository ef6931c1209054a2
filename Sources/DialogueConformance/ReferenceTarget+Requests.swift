internal import DialogueCrypto
internal import DialogueDelivery
internal import DialogueIdentifiers
internal import DialogueMessages

/// The request-signature operations of Spec/conformance.md (Delivery operations):
/// `request.verify` and `request.sign`, run on the Swift library.
extension ReferenceTarget {
    /// Verifies a signed request against the state given in the input, all eight steps of
    /// [dlv-request-verify] (Spec: conformance.md, `request.verify`).
    func requestVerify(_ input: JSONValue) async throws -> Outcome {
        let head = RequestHead(
            method: try input.string("method"), targetURI: try input.string("target_uri"),
            fields: try ReferenceTarget.headerLines(input))
        let body = try input.hex("body")
        let now = try input.unsigned("now")
        var users: [Address: Ed25519.VerifyingKey] = [:]
        for user in input["users"]?.arrayValue ?? [] {
            users[try ReferenceTarget.inputAddress(try user.string("address"))] = try ReferenceTarget.inputKey(
                user, "identity_key")
        }
        var servers: [String: [ServerKeyValidity]] = [:]
        for server in input["servers"]?.arrayValue ?? [] {
            let key = ServerKeyValidity(
                key: try ReferenceTarget.inputKey(server, "key"), validFrom: try server.unsigned("valid_from"),
                validUntil: try server.unsigned("valid_until"))
            servers[try server.string("domain"), default: []].append(key)
        }
        let nonces = MemoryNonceCache(startedAt: 0)
        for seen in input["seen_nonces"]?.arrayValue ?? [] {
            await nonces.record(keyID: try seen.string("keyid"), nonce: try seen.string("nonce"), keptUntil: .max)
        }
        let verifier = RequestVerifier(
            keys: StaticKeyResolver(users: users, servers: servers), nonces: nonces, clock: { now })
        do {
            let verified = try await verifier.verify(head, body: body)
            return .ok(
                .object([
                    ("keyid", .string(verified.keyID.text)), ("kind", .string(verified.keyID.kind)),
                    ("principal", .string(verified.keyID.principalText)),
                    ("created", .integer(Int64(verified.created))), ("expires", .integer(Int64(verified.expires))),
                    ("nonce", .string(verified.nonce)), ("label", .string(verified.label)),
                ]))
        } catch {
            return .error(error.code.name, detail: nil, message: error.reason)
        }
    }

    /// Signs a request under the profile (Spec: conformance.md, `request.sign`).
    func requestSign(_ input: JSONValue) throws -> Outcome {
        let method = try input.string("method")
        let targetURI = try input.string("target_uri")
        let body = try input.hex("body")
        let keyIDText = try input.string("keyid")
        let seed = try input.hex("signing_seed")
        let created = try input.unsigned("created")
        let expires = try input.unsigned("expires")
        let nonce = try input.string("nonce")
        do throws(DeliveryError) {
            let keyID = try RequestKeyID(parsing: keyIDText)
            guard let signingKey = try? Ed25519.SigningKey(seed: seed) else {
                throw DeliveryError.malformed("a signing seed is 32 bytes, not \(seed.count)")
            }
            let signature = try RequestSigner(keyID: keyID, signingKey: signingKey).sign(
                method: method, targetURI: targetURI, body: body, created: created, expires: expires, nonce: nonce)
            return .ok(
                .object([
                    ("content_digest", .string(signature.contentDigest)),
                    ("signature_input", .string(signature.signatureInput)),
                    ("signature", .string(signature.signature)),
                    ("signature_base", .string(signature.signatureBase.text)),
                ]))
        } catch {
            return .error(error.code.name, detail: nil, message: error.reason)
        }
    }

    /// `headers`: an array of `[name, value]` pairs of strings.
    private static func headerLines(_ input: JSONValue) throws(InputError) -> [RequestHead.Field] {
        guard let lines = input["headers"]?.arrayValue else { throw InputError(reason: "headers must be an array") }
        return try lines.map { line throws(InputError) in
            guard let pair = line.arrayValue, pair.count == 2, let name = pair[0].stringValue,
                let value = pair[1].stringValue
            else { throw InputError(reason: "a header line is [name, value], two strings") }
            return RequestHead.Field(name, value)
        }
    }

    private static func inputAddress(_ text: String) throws(InputError) -> Address {
        do { return try Address(canonical: text) } catch { throw InputError(reason: "\(text): \(error)") }
    }

    private static func inputKey(_ object: JSONValue, _ key: String) throws(InputError) -> Ed25519.VerifyingKey {
        guard let verifyingKey = try? Ed25519.VerifyingKey(rawRepresentation: try object.hex(key)) else {
            throw InputError(reason: "\(key) is 32 bytes")
        }
        return verifyingKey
    }
}
