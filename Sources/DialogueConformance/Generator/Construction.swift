internal import DialogueCrypto

/// Deterministic "random" bytes: every random input of every vector is derived from a label,
/// so that the generator is reproducible (Spec: [conf-vectors-deterministic]).
enum Seeds {
    /// 32 bytes: BLAKE2b-256 of `dialogue-conformance/v1/` and the label.
    static func bytes(_ label: String) -> [UInt8] {
        BLAKE2b256.hash(Array("dialogue-conformance/v1/\(label)".utf8))
    }

    /// `count` bytes, in blocks of 32.
    static func bytes(_ label: String, count: Int) -> [UInt8] {
        var output: [UInt8] = []
        var block = 0
        while output.count < count {
            output += bytes("\(label)/\(block)")
            block += 1
        }
        return Array(output.prefix(count))
    }
}

/// CBOR written byte by byte, so that vectors can hold any encoding, canonical or not.
enum C {
    static func head(_ major: UInt8, _ argument: UInt64) -> [UInt8] {
        let type = major << 5
        switch argument {
        case 0..<24: return [type | UInt8(argument)]
        case 24...0xff: return [type | 24, UInt8(argument)]
        case 0x100...0xffff: return [type | 25] + bigEndian(argument, 2)
        case 0x1_0000...0xffff_ffff: return [type | 26] + bigEndian(argument, 4)
        default: return [type | 27] + bigEndian(argument, 8)
        }
    }

    /// A head with an argument written in `width` bytes (1, 2, 4 or 8), shortest or not.
    static func head(_ major: UInt8, _ argument: UInt64, width: Int) -> [UInt8] {
        let additional: UInt8 = width == 1 ? 24 : width == 2 ? 25 : width == 4 ? 26 : 27
        return [major << 5 | additional] + bigEndian(argument, width)
    }

    static func bigEndian(_ value: UInt64, _ width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64(width - 1 - $0))) }
    }

    static func uint(_ value: UInt64) -> [UInt8] { head(0, value) }
    static func int(_ value: Int64) -> [UInt8] { value >= 0 ? head(0, UInt64(value)) : head(1, UInt64(-1 - value)) }
    static func bstr(_ bytes: [UInt8]) -> [UInt8] { head(2, UInt64(bytes.count)) + bytes }
    static func text(_ string: String) -> [UInt8] { head(3, UInt64(string.utf8.count)) + Array(string.utf8) }
    static func array(_ elements: [[UInt8]]) -> [UInt8] { head(4, UInt64(elements.count)) + elements.flatMap { $0 } }
    static let null: [UInt8] = [0xf6]
    static let `true`: [UInt8] = [0xf5]
    static let `false`: [UInt8] = [0xf4]

    /// A map with its entries in the order given (canonical only if they are sorted).
    static func mapInOrder(_ entries: [([UInt8], [UInt8])]) -> [UInt8] {
        head(5, UInt64(entries.count)) + entries.flatMap { $0.0 + $0.1 }
    }

    /// A canonical map: entries sorted by the bytes of their encoded keys.
    static func map(_ entries: [([UInt8], [UInt8])]) -> [UInt8] {
        mapInOrder(entries.sorted { $0.0.lexicographicallyPrecedes($1.0) })
    }

    /// A canonical map with integer keys.
    static func intMap(_ entries: [(Int, [UInt8])]) -> [UInt8] {
        map(entries.map { (int(Int64($0.0)), $0.1) })
    }
}

/// Integer-keyed map entries that a vector can change before encoding.
struct Entries {
    var items: [(Int, [UInt8])]

    subscript(key: Int) -> [UInt8]? {
        get { items.first { $0.0 == key }?.1 }
        set {
            if let index = items.firstIndex(where: { $0.0 == key }) {
                if let newValue { items[index].1 = newValue } else { items.remove(at: index) }
            } else if let newValue {
                items.append((key, newValue))
            }
        }
    }

    var encoded: [UInt8] { C.intMap(items) }
}

/// The constructions of the specification, written from the primitives so that the vectors do
/// not depend on the Swift library's own key schedule.
enum Construct {
    /// `ctx || 0x00 || payload`.
    static func separated(_ context: String, _ payload: [UInt8]) -> [UInt8] { Array(context.utf8) + [0] + payload }

    /// An Ed25519 signature under a context (Spec: identifiers.md#id-registry).
    static func sign(seed: [UInt8], context: String, _ payload: [UInt8]) -> [UInt8] {
        let key = try! Ed25519.SigningKey(seed: seed)
        return key.signature(for: separated(context, payload)).rawRepresentation
    }

    /// An identifier: `0x01 || BLAKE2b-256(ctx || 0x00 || content)`.
    static func identifier(_ context: String, _ content: [UInt8]) -> [UInt8] {
        [0x01] + BLAKE2b256.hash(separated(context, content))
    }

    static func hkdf(ikm: [UInt8], salt: [UInt8], info: String) -> [UInt8] {
        Array(try! HKDFSHA256.deriveKey(ikm: ikm, salt: salt, info: Array(info.utf8), outputByteCount: 32))
    }

    static func seal(key: [UInt8], nonce: [UInt8], _ plaintext: [UInt8], aad: [UInt8] = []) -> [UInt8] {
        XChaCha20Poly1305.seal(
            plaintext, using: try! XChaCha20Poly1305.Key(rawRepresentation: key),
            nonce: try! XChaCha20Poly1305.Nonce(rawRepresentation: nonce), authenticating: aad
        )
    }

    static let zeroNonce = [UInt8](repeating: 0, count: 24)

    static func publicKey(x25519 secret: [UInt8]) -> [UInt8] {
        try! X25519.PrivateKey(rawRepresentation: secret).publicKey.rawRepresentation
    }

    static func publicKey(ed25519 seed: [UInt8]) -> [UInt8] {
        try! Ed25519.SigningKey(seed: seed).publicKey.rawRepresentation
    }

    /// X25519, or `nil` for an all-zero result.
    static func x25519(_ secret: [UInt8], _ peer: [UInt8]) -> [UInt8]? {
        guard
            let shared = try? X25519.PrivateKey(rawRepresentation: secret).sharedSecret(
                with: X25519.PublicKey(rawRepresentation: peer))
        else { return nil }
        return Array(shared)
    }

    /// `nonce(i) = u64be(i) || u8(last) || 0x00 * 15`.
    static func chunkNonce(_ index: UInt64, last: Bool) -> [UInt8] {
        C.bigEndian(index, 8) + [last ? 1 : 0] + [UInt8](repeating: 0, count: 15)
    }

    static let chunkSize = 1 << 20

    /// A part cut into chunks and encrypted (Spec: messages.md#msg-parts).
    static func part(_ content: [UInt8], key: [UInt8], mediaType: String, fileName: String = "") -> Part {
        var blobs: [[UInt8]] = []
        let count = max(1, (content.count + chunkSize - 1) / chunkSize)
        for index in 0..<count {
            let slice = Array(
                content[min(content.count, index * chunkSize)..<min(content.count, (index + 1) * chunkSize)])
            blobs.append(seal(key: key, nonce: chunkNonce(UInt64(index), last: index == count - 1), slice))
        }
        return Part(
            mediaType: mediaType, fileName: fileName, size: UInt64(content.count), key: key,
            chunks: blobs.map { identifier("dialogue-v1/blob", $0) }, blobs: blobs, content: content
        )
    }

    struct Part {
        var mediaType: String
        var fileName: String
        var size: UInt64
        var key: [UInt8]
        var chunks: [[UInt8]]
        var blobs: [[UInt8]]
        var content: [UInt8]

        var entries: Entries {
            Entries(items: [
                (0, C.text(mediaType)), (1, C.text(fileName)), (2, C.uint(size)), (3, C.bstr(key)),
                (4, C.array(chunks.map(C.bstr))),
            ])
        }
    }
}

/// A test identity: keys derived from its name, and a card built by hand.
struct Identity {
    let name: String
    let seed: [UInt8]
    let encryptionSecret: [UInt8]
    let addresses: [String]
    let created: UInt64
    let expires: UInt64

    init(_ name: String, addresses: [String], created: UInt64 = 1_700_000_000, expires: UInt64 = 1_763_072_000) {
        self.name = name
        self.seed = Seeds.bytes("identity/\(name)/ed25519")
        self.encryptionSecret = Seeds.bytes("identity/\(name)/x25519")
        self.addresses = addresses
        self.created = created
        self.expires = expires
    }

    var identityKey: [UInt8] { Construct.publicKey(ed25519: seed) }
    var encryptionKey: [UInt8] { Construct.publicKey(x25519: encryptionSecret) }

    /// The card body's entries (Spec: identities.md#card).
    func cardEntries(encryptionKey: [UInt8]? = nil, addresses: [String]? = nil) -> Entries {
        Entries(items: [
            (0, C.uint(1)), (1, C.array((addresses ?? self.addresses).map(C.text))), (2, C.bstr(identityKey)),
            (3, C.bstr(encryptionKey ?? self.encryptionKey)), (4, C.uint(created)), (5, C.uint(expires)),
        ])
    }

    /// `[body, signature]` with the signature over exactly `body`.
    func card(body: [UInt8]) -> [UInt8] {
        C.array([C.bstr(body), C.bstr(Construct.sign(seed: seed, context: "dialogue-v1/card", body))])
    }

    var card: [UInt8] { card(body: cardEntries().encoded) }

    var fingerprintBinary: [UInt8] { Construct.identifier("dialogue-v1/identity-key", identityKey) }
}

/// The fixed cast of the vectors.
enum Cast {
    static let alice = Identity("alice", addresses: ["alice@example.org"])
    static let bob = Identity("bob", addresses: ["bob@example.net", "robert@example.net"])
    static let carol = Identity("carol", addresses: ["carol@example.com"])
    static let mallory = Identity("mallory", addresses: ["mallory@example.org"])
    static let dave = Identity("dave", addresses: ["dave@example.com"])
}

/// The encodings of low-order X25519 points that libsodium refuses (Spec: [prim-x25519-zero]).
enum LowOrder {
    static let points: [(String, [UInt8])] = [
        ("zero (u = 0)", [UInt8](repeating: 0, count: 32)),
        ("one (u = 1)", [1] + [UInt8](repeating: 0, count: 31)),
        (
            "a point of order 8",
            hex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")
        ),
        (
            "the other point of order 8",
            hex("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157")
        ),
        ("u = p - 1 (order 2)", hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")),
        ("u = p, non-canonical zero", hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")),
        ("u = p + 1, non-canonical one", hex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")),
        ("zero with bit 255 set", [UInt8](repeating: 0, count: 31) + [0x80]),
    ]

    static func hex(_ text: String) -> [UInt8] { Hex.decode(text)! }
}

/// Ed25519 without a context prefix, for vectors that show the prefix is required.
enum Ed25519Signer {
    static func sign(seed: [UInt8], _ message: [UInt8]) throws -> [UInt8] {
        try Ed25519.SigningKey(seed: seed).signature(for: message).rawRepresentation
    }
}

/// Argon2id as secret identity files use it (Spec: identities.md#secret).
enum Argon2idKey {
    static func derive(passphrase: String, salt: [UInt8], ops: Int, mem: Int) throws -> [UInt8] {
        Array(try Argon2id.deriveKey(password: Array(passphrase.utf8), salt: salt, opsLimit: ops, memLimit: mem))
    }
}
