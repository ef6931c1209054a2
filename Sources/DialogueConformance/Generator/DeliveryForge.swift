/// The delivery objects of Spec/delivery.md written byte by byte from the primitives, so that the
/// vectors do not depend on the Swift library's encoders, and the faults that every signed
/// delivery object shares.
enum DeliveryForge {
    /// The verifier's clock of every delivery vector: 2025-10-09T08:53:20Z.
    static let now: UInt64 = 1_760_000_000

    /// A server key: its seed, public key and fingerprint.
    struct ServerKeySeed {
        let seed: [UInt8]
        let validFrom: UInt64
        let validUntil: UInt64

        init(_ label: String, validFrom: UInt64 = now - 864_000, validUntil: UInt64 = now + 31_536_000) {
            self.seed = Seeds.bytes("server/\(label)/ed25519")
            self.validFrom = validFrom
            self.validUntil = validUntil
        }

        var publicKey: [UInt8] { Construct.publicKey(ed25519: seed) }
        var fingerprint: [UInt8] { Construct.identifier("dialogue-v1/server-key", publicKey) }
        var fingerprintText: String { "srv-" + IdentifierVectors.base32(fingerprint) }
        var entries: Entries {
            Entries(items: [(0, C.bstr(publicKey)), (1, C.uint(validFrom)), (2, C.uint(validUntil))])
        }

        /// The key as `server_keys` of `notification.verify` and `keys` of `server-document.verify` give it.
        var json: JSONValue {
            .object([
                ("key", .string(Hex.encode(publicKey))), ("valid_from", .integer(Int64(validFrom))),
                ("valid_until", .integer(Int64(validUntil))),
            ])
        }

        var expected: JSONValue {
            .object([
                ("key", .string(Hex.encode(publicKey))), ("fingerprint", .string(fingerprintText)),
                ("valid_from", .integer(Int64(validFrom))), ("valid_until", .integer(Int64(validUntil))),
            ])
        }
    }

    /// The two keys of example.org's server and one of another server.
    static let orgKey = ServerKeySeed("example.org/1")
    static let orgNextKey = ServerKeySeed("example.org/2", validFrom: now - 3600)
    static let otherKey = ServerKeySeed("example.com/1")

    /// A blob identifier named by a label.
    static func blob(_ label: String) -> [UInt8] { Construct.identifier("dialogue-v1/blob", Seeds.bytes(label)) }

    static func blobText(_ binary: [UInt8]) -> String { "blob-" + IdentifierVectors.base32(binary) }
    static func keyText(_ binary: [UInt8]) -> String { "key-" + IdentifierVectors.base32(binary) }

    /// The primary envelope, a blind copy, and two chunks, shared by the submission, notification
    /// and acknowledgement vectors.
    static let envelope = blob("delivery/envelope")
    static let blindEnvelope = blob("delivery/blind-envelope")
    static let chunks = [blob("delivery/chunk/1"), blob("delivery/chunk/2")].sorted {
        $0.lexicographicallyPrecedes($1)
    }

    /// `[bstr body, bstr signature]` with the signature under `context` over exactly `body`.
    static func signed(_ body: [UInt8], seed: [UInt8], context: String) -> [UInt8] {
        C.array([C.bstr(body), C.bstr(Construct.sign(seed: seed, context: context, body))])
    }

    /// An identifier whose first byte is `algorithm`.
    static func withAlgorithm(_ identifier: [UInt8], _ algorithm: UInt8) -> [UInt8] {
        [algorithm] + identifier.dropFirst()
    }
}

/// The faults of steps 1 to 3 that every singly signed delivery object shares: the size, the
/// outer array, the body, the version (Spec: [dlv-version-first]).
struct SignedObjectFaults {
    let file: FileBuilder
    /// The operation's input for an object.
    let input: ([UInt8]) -> JSONValue
    /// The valid body's entries.
    let entries: Entries
    /// Signs a body as the valid object is signed.
    let sign: ([UInt8]) -> [UInt8]
    /// The context string of the object's signature.
    let context: String
    /// The anchor of the object's verify list.
    let verify: String
    /// Step 1's limit.
    let maximumSize: Int
    /// The keys the body must have, apart from the version.
    let requiredKeys: [Int]
    /// Whether the object carries a list of signatures (a server document) rather than one.
    var signatureList = false

    func bad(_ comment: String, _ flags: [String], _ spec: [String], _ bytes: [UInt8], _ error: String) async throws {
        var value = input(bytes)
        // A megabyte-sized object is written as a compact byte string (Spec: [conf-compact-bytes]).
        if bytes.count > 65_536 {
            value = Self.compacting(value, Hex.encode(bytes), CompactBytes.compact(bytes, unit: [0]))
        }
        try await file.invalid(comment, flags: flags, spec: spec, input: value, error: error)
    }

    /// `value` with the string `hex` replaced by `compact`, at any depth.
    private static func compacting(_ value: JSONValue, _ hex: String, _ compact: JSONValue) -> JSONValue {
        switch value {
        case .string(let text) where text == hex: return compact
        case .object(let members): return .object(members.map { ($0.0, compacting($0.1, hex, compact)) })
        case .array(let elements): return .array(elements.map { compacting($0, hex, compact) })
        default: return value
        }
    }

    func object(_ edit: (inout Entries) -> Void) -> [UInt8] {
        var copy = entries
        edit(&copy)
        return sign(copy.encoded)
    }

    /// The valid object with the body's field `key` replaced by `value`, signed again.
    func field(_ key: Int, _ value: [UInt8]) -> [UInt8] { object { $0[key] = value } }

    func all() async throws {
        let valid = sign(entries.encoded)
        file.group("step 1: at most \(maximumSize) bytes, checked before anything is decoded")
        try await bad(
            "\(maximumSize + 1) bytes: the object followed by zero bytes", ["Limits", "Precedence"], [verify],
            valid + [UInt8](repeating: 0, count: maximumSize + 1 - valid.count), "limits-exceeded")
        // A limit of megabytes gets one vector: each one is twice its size in hexadecimal.
        if maximumSize <= 65536 {
            try await sizeEdges(valid)
        }

        file.group("step 2: every strict prefix of a valid object is malformed")
        for length in 0..<valid.count {
            try await bad(
                "the first \(length) of \(valid.count) bytes", ["Truncated", "DripFeed"], [verify],
                Array(valid.prefix(length)), "malformed")
        }

        file.group("step 2: an array of a byte string and a 64-byte byte string, valid Dialogue CBOR")
        let body = entries.encoded
        let signature = Construct.sign(seed: Seeds.bytes("unused"), context: context, body)
        // A server document carries a list of signatures; every other object one signature.
        func wrap(_ signature: [UInt8]) -> [UInt8] { signatureList ? C.array([C.bstr(signature)]) : C.bstr(signature) }
        let sig = wrap(signature)
        var outer: [(String, [UInt8], [String])] = [
            ("a byte after the object", valid + [0x00], ["TrailingData"]),
            ("a map instead of an array", C.intMap([(0, C.bstr(body)), (1, sig)]), ["Layout"]),
            ("an array of one element", C.array([C.bstr(body)]), ["Layout"]),
            ("an array of three elements", C.array([C.bstr(body), sig, C.bstr([])]), ["Layout"]),
            ("the body as a text string", C.array([C.head(3, UInt64(body.count)) + body, sig]), ["Layout"]),
            ("the body as the decoded map, not a byte string", C.array([body, sig]), ["Layout"]),
            ("a 63-byte signature", C.array([C.bstr(body), wrap(Array(signature.prefix(63)))]), ["WrongLength"]),
            ("a 65-byte signature", C.array([C.bstr(body), wrap(signature + [0])]), ["WrongLength"]),
            ("an empty signature", C.array([C.bstr(body), wrap([])]), ["WrongLength"]),
            ("the signature first", C.array([sig, C.bstr(body)]), ["Layout"]),
            (
                "the body's length not in shortest form",
                C.array([C.head(2, UInt64(body.count), width: 4) + body, sig]), ["NonCanonical", "NonShortest"]
            ),
            (
                "an indefinite-length outer array", [[0x9f], C.bstr(body), sig, [0xff]].flatMap { $0 },
                ["NonCanonical", "Indefinite"]
            ),
        ]
        if signatureList {
            outer += [
                ("one signature not in a list", C.array([C.bstr(body), C.bstr(signature)]), ["Layout"]),
                ("an empty list of signatures", C.array([C.bstr(body), C.array([])]), ["Layout"]),
                (
                    "an indefinite-length list of signatures",
                    C.array([C.bstr(body), [0x9f] + C.bstr(signature) + [0xff]]), ["NonCanonical", "Indefinite"]
                ),
            ]
        } else {
            outer.append(
                (
                    "the signature in a list, as a server document has it", C.array([C.bstr(body), C.array([sig])]),
                    ["Layout"]
                ))
        }
        for (comment, bytes, flags) in outer {
            try await bad(comment, flags, [verify, "enc-signed-bstr"], bytes, "malformed")
        }
        let deep = [UInt8](repeating: 0x81, count: 16) + [0x00]
        try await bad(
            "the object nested 17 arrays deep: the depth limit of enc-limits", ["Limits"],
            [verify, "dlv-check-order", "enc-limits"], deep, "limits-exceeded")

        file.group("step 3: the body is a map, and its version, read first, is 1 (dlv-version-first)")
        let items = entries.items
        let structural: [(String, [UInt8], [String])] = [
            ("a body with a trailing byte", body + [0x00], ["TrailingData"]),
            (
                "a body with its keys out of order",
                C.mapInOrder(items.sorted { $0.0 > $1.0 }.map { (C.uint(UInt64($0.0)), $0.1) }),
                ["NonCanonical", "MapOrder"]
            ),
            ("a body that is an array", C.array(items.map(\.1)), ["Layout"]),
            ("a body cut short", Array(body.dropLast()), ["Truncated"]),
            ("an empty body", [], ["Truncated"]),
            (
                "a body with a non-shortest version",
                C.mapInOrder(items.map { (C.uint(UInt64($0.0)), $0.0 == 0 ? C.head(0, 1, width: 1) : $0.1) }),
                ["NonCanonical", "NonShortest"]
            ),
        ]
        for (comment, bytes, flags) in structural {
            try await bad(comment, flags, [verify, "dlv-version-first"], sign(bytes), "malformed")
        }
        try await bad(
            "a body whose version comes with a value nested 16 arrays deep: the depth limit of enc-limits", ["Limits"],
            [verify, "dlv-check-order", "enc-limits"],
            sign(C.intMap([(0, C.uint(1)), (1, [UInt8](repeating: 0x81, count: 15) + [0x00])])), "limits-exceeded")
        for version: UInt64 in [2, 0, UInt64.max] {
            try await bad(
                "version \(version)", ["UnknownVersion"], [verify, "dlv-version-first"],
                object { $0[0] = C.uint(version) }, "unsupported-version")
        }
        try await bad(
            "version 2 with another layout (only a key 99)", ["UnknownVersion", "Precedence"],
            [verify, "dlv-version-first"], sign(C.intMap([(0, C.uint(2)), (99, C.text("future"))])),
            "unsupported-version")
        try await bad(
            "version 2 and a signature by nobody: the version comes before the signature",
            ["UnknownVersion", "Precedence"], [verify, "dlv-version-first"],
            C.array([C.bstr(C.intMap([(0, C.uint(2))])), wrap([UInt8](repeating: 0, count: 64))]),
            "unsupported-version")
        try await bad("no version", ["Layout"], [verify, "dlv-version-first"], object { $0[0] = nil }, "malformed")
        try await bad(
            "the version as a text string", ["Layout"], [verify, "dlv-version-first"], object { $0[0] = C.text("1") },
            "malformed")
        try await bad(
            "the version negative", ["Layout"], [verify, "dlv-version-first"], object { $0[0] = C.int(-1) }, "malformed"
        )

        file.group("step 4: exactly the keys of the layout")
        for key in requiredKeys {
            try await bad("no key \(key)", ["Layout"], [verify], object { $0[key] = nil }, "malformed")
        }
        let extra = (requiredKeys.max() ?? 0) + (requiredKeys.contains(9) ? 2 : 1)
        try await bad("an extra key \(extra)", ["Layout"], [verify], object { $0[extra] = C.uint(0) }, "malformed")
        try await bad(
            "an extra text key \"x\"", ["Layout"], [verify],
            sign(C.map(items.map { (C.uint(UInt64($0.0)), $0.1) } + [(C.text("x"), C.uint(0))])), "malformed")
        try await bad(
            "an extra negative key -1", ["Layout"], [verify],
            sign(C.map(items.map { (C.uint(UInt64($0.0)), $0.1) } + [(C.int(-1), C.uint(0))])), "malformed")
    }

    private func sizeEdges(_ valid: [UInt8]) async throws {
        try await bad(
            "exactly \(maximumSize) bytes: the size passes, the trailing zero bytes are malformed",
            ["TrailingData", "Limit"], [verify], valid + [UInt8](repeating: 0, count: maximumSize - valid.count),
            "malformed")
        try await bad(
            "\(maximumSize + 1) zero bytes", ["Limits", "NotWellFormed"], [verify],
            [UInt8](repeating: 0, count: maximumSize + 1), "limits-exceeded")

    }

    /// Signature faults of a singly signed object: another key, another context, no context, a changed byte.
    func signatureFaults(step: String, seed: [UInt8], wrongSeed: [UInt8]) async throws {
        let body = entries.encoded
        file.group("\(step): the signature verifies under the right key, over \(context) || 0x00 || body")
        try await bad(
            "signed by another key", ["BadSignature"], [verify],
            DeliveryForge.signed(body, seed: wrongSeed, context: context), "bad-signature")
        try await bad(
            "signed under the card context", ["BadSignature", "Context"], [verify],
            DeliveryForge.signed(body, seed: seed, context: "dialogue-v1/card"), "bad-signature")
        try await bad(
            "signed without the context prefix", ["BadSignature", "Context"], [verify],
            C.array([C.bstr(body), C.bstr(try Ed25519Signer.sign(seed: seed, body))]), "bad-signature")
        let valid = sign(body)
        try await bad(
            "the last signature byte changed", ["BadSignature"], [verify], valid.flipping(-1), "bad-signature")
    }
}
