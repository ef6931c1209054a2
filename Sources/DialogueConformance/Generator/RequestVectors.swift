internal import DialogueCrypto
internal import Foundation

/// `request_verify.json` and `request_sign.json`: the RFC 9421 request profile
/// (Spec: delivery.md#dlv-request, #dlv-request-verify).
///
/// Every request is built here by hand from the primitives (the signature base as text, Ed25519,
/// Foundation's base64), not with the library's signer, so that the vectors check the library
/// rather than repeat it. Each invalid vector breaks one rule and is otherwise valid: its
/// signature is over the signature base its own fields give, so that an implementation that
/// skipped the rule would accept it.
enum RequestVectors {
    // MARK: The cast

    static let created: UInt64 = 1_760_000_000
    static let now: UInt64 = created + 10
    static let nonce = "AAECAwQFBgcICQoLDA0ODw"
    static let home = "https://mail.example.org/dialogue/v1"
    static let submissions = home + "/submissions"
    static let notifications = home + "/notifications"
    static let submission: [UInt8] = Array(Seeds.bytes("request/submission-body", count: 300))
    static let notification: [UInt8] = Array(Seeds.bytes("request/notification-body", count: 200))

    /// A server key of a server document: its seed and its validity.
    struct ServerKey {
        let domain: String
        let seed: [UInt8]
        let validFrom: UInt64
        let validUntil: UInt64

        init(_ domain: String, _ label: String, validFrom: UInt64, validUntil: UInt64) {
            self.domain = domain
            self.seed = Seeds.bytes("request/server/\(domain)/\(label)")
            self.validFrom = validFrom
            self.validUntil = validUntil
        }

        var publicKey: [UInt8] { Construct.publicKey(ed25519: seed) }
        var fingerprint: String {
            "srv-" + IdentifierVectors.base32(Construct.identifier("dialogue-v1/server-key", publicKey))
        }
        var keyID: String { domain + "/" + fingerprint }
        var json: JSONValue {
            .object([
                ("domain", .string(domain)), ("key", .string(Hex.encode(publicKey))),
                ("valid_from", .integer(Int64(validFrom))), ("valid_until", .integer(Int64(validUntil))),
            ])
        }
    }

    static let netCurrent = ServerKey("example.net", "current", validFrom: 1_750_000_000, validUntil: 1_770_000_000)
    static let netOld = ServerKey("example.net", "old", validFrom: 1_700_000_000, validUntil: 1_759_999_999)
    static let netNext = ServerKey("example.net", "next", validFrom: 1_760_000_001, validUntil: 1_790_000_000)
    static let comKey = ServerKey("example.com", "current", validFrom: 1_700_000_000, validUntil: 1_800_000_000)
    static let servers = [netCurrent, netOld, netNext, comKey]

    static func fingerprint(_ identity: Identity) -> String {
        "key-" + IdentifierVectors.base32(identity.fingerprintBinary)
    }
    static func userKeyID(_ address: String, _ identity: Identity) -> String { address + "/" + fingerprint(identity) }
    static let aliceKeyID = userKeyID("alice@example.org", Cast.alice)

    /// The verifying server's accounts: alice, and carol with her own key.
    static let users: [(String, Identity)] = [("alice@example.org", Cast.alice), ("carol@example.org", Cast.carol)]

    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
    static func digestField(_ body: [UInt8]) -> String { "sha-256=:" + base64(SHA256.hash(body)) + ":" }
}
