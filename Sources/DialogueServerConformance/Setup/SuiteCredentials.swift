public import DialogueCrypto
public import DialogueIdentifiers
public import DialogueMessages
internal import Foundation

/// What the server conformance suite needs from the operator of the server it checks
/// (Spec: conformance.md#conf-server-suite): four test accounts at the server's domain (two users, two lists), and the peer
/// server that the suite plays on loopback, which the server's peers file names.
///
/// ``generate(domain:peerPort:now:)`` makes them; ``write(to:)`` saves them as a directory with the
/// two cards to register (`dialogued user add`) and the peers-file line to add. The keys are test keys
/// made for the suite only: the file is written for its owner only (0600), and none of them ever
/// belongs to a person.
public struct SuiteCredentials: Sendable {
    /// A test account's keys and card.
    public struct Account: Sendable {
        /// The account's address.
        public let address: Address
        /// The identity key, which signs the account's requests and submissions.
        public let signingKey: Ed25519.SigningKey
        /// The encryption key of its card.
        public let encryptionKey: X25519.PrivateKey
        /// The card, which the operator registers.
        public let card: IdentityCard

        /// An account from its two keys' secret bytes; the card is issued again, the same way each time.
        init(address: Address, signingSeed: [UInt8], encryptionSecret: [UInt8], created: UInt64) throws {
            self.address = address
            signingKey = try Ed25519.SigningKey(seed: signingSeed)
            encryptionKey = try X25519.PrivateKey(rawRepresentation: encryptionSecret)
            card = try IdentityCard(
                addresses: [address], signingKey: signingKey, encryptionKey: encryptionKey.publicKey,
                created: created, expires: created + SuiteCredentials.cardLifetime)
        }
    }

    /// How long the test cards are valid: a year.
    static let cardLifetime: UInt64 = 365 * 86_400
    /// The name of the peer server's domain: `.invalid` (RFC 6761) can never be anybody's.
    public static let defaultPeerDomain = "conformance-peer.invalid"

    /// The domain of the server under test.
    public let domain: String
    /// The first test account, which does most of the checks.
    public let user: Account
    /// The second, which checks that one user cannot touch another's mail.
    public let otherUser: Account
    /// The list accounts, encrypted and public, whose secret identities the suite holds as a list's owner
    /// does (Spec: lists.md#list-overview); `nil` in credentials written before lists were checked.
    public let lists: (encrypted: Account, public: Account)?
    /// The domain of the peer server that the suite plays.
    public let peerDomain: String
    /// The peer server's key.
    public let peerKey: Ed25519.SigningKey
    /// The loopback port the peer server listens on.
    public let peerPort: Int
    /// When the cards were issued.
    public let created: UInt64
    private let secrets: [String: [UInt8]]

    /// The peer server's base URL, `http://127.0.0.1:PORT/dialogue/v1` (a loopback URL that the
    /// peers file names, so `http` is allowed, [dlv-base-url]).
    public var peerBaseURL: String { "http://127.0.0.1:\(peerPort)/dialogue/v1" }

    /// The fingerprint of the peer's server key.
    public var peerKeyFingerprint: ContentIdentifier {
        ContentIdentifier.hashing(peerKey.publicKey.rawRepresentation, context: .serverKey)
    }

    /// The line to add to the server's peers file ([dlv-peers]).
    public var peersLine: String {
        "\(peerDomain) \(peerBaseURL) \(peerKeyFingerprint.text(kind: .serverKey))"
    }

    /// New credentials for a server of `domain`, with fresh random keys.
    public static func generate(domain: String, peerPort: Int, now: UInt64) throws -> SuiteCredentials {
        var secrets: [String: [UInt8]] = [:]
        for name in [
            "user-signing", "user-encryption", "other-signing", "other-encryption", "peer-signing", "list-signing",
            "list-encryption", "public-list-signing", "public-list-encryption",
        ] {
            var generator = SystemRandomNumberGenerator()
            secrets[name] = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
        return try SuiteCredentials(
            domain: domain, peerDomain: defaultPeerDomain, peerPort: peerPort, created: now - 60, secrets: secrets)
    }

    private init(domain: String, peerDomain: String, peerPort: Int, created: UInt64, secrets: [String: [UInt8]])
        throws
    {
        guard (1...65_535).contains(peerPort) else {
            throw SuiteError.setup("the peer port \(peerPort) is not 1 to 65535")
        }
        self.domain = domain
        self.peerDomain = peerDomain
        self.peerPort = peerPort
        self.created = created
        self.secrets = secrets
        func secret(_ name: String) throws -> [UInt8] {
            guard let bytes = secrets[name], bytes.count == 32 else {
                throw SuiteError.setup("the credentials lack the 32-byte secret '\(name)'")
            }
            return bytes
        }
        user = try Account(
            address: try Address(canonical: "conformance-a@" + domain), signingSeed: try secret("user-signing"),
            encryptionSecret: try secret("user-encryption"), created: created)
        otherUser = try Account(
            address: try Address(canonical: "conformance-b@" + domain), signingSeed: try secret("other-signing"),
            encryptionSecret: try secret("other-encryption"), created: created)
        peerKey = try Ed25519.SigningKey(seed: try secret("peer-signing"))
        if secrets["list-signing"] == nil {
            lists = nil
        } else {
            lists = (
                try Account(
                    address: try Address(canonical: "conformance-list@" + domain),
                    signingSeed: try secret("list-signing"), encryptionSecret: try secret("list-encryption"),
                    created: created),
                try Account(
                    address: try Address(canonical: "conformance-public@" + domain),
                    signingSeed: try secret("public-list-signing"),
                    encryptionSecret: try secret("public-list-encryption"), created: created)
            )
        }
    }

    /// Every account to register: the two users, then the two lists.
    public var accounts: [(name: String, account: Account)] {
        [("conformance-a", user), ("conformance-b", otherUser)]
            + (lists.map { [("conformance-list", $0.encrypted), ("conformance-public", $0.public)] } ?? [])
    }

    /// The file in a credentials directory that holds the keys.
    public static let fileName = "credentials.json"

    /// Writes `credentials.json` (0600), the two cards (`conformance-a.card`, `conformance-b.card`) and
    /// `peers.txt` into `directory`, which must not exist yet; returns the instructions for the operator.
    public func write(to directory: String) throws -> String {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: directory) else {
            throw SuiteError.setup("\(directory) exists: choose a new directory")
        }
        try manager.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var object: [String: Any] = [
            "version": 1, "domain": domain, "peer_domain": peerDomain, "peer_port": peerPort, "created": created,
        ]
        object["secrets"] = secrets.mapValues { $0.map { String(format: "%02x", $0) }.joined() }
        let json = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
        let path = directory + "/" + SuiteCredentials.fileName
        guard manager.createFile(atPath: path, contents: json, attributes: [.posixPermissions: 0o600]) else {
            throw SuiteError.setup("cannot create \(path)")
        }
        for (name, account) in accounts {
            try Data(account.card.encodedBytes).write(to: URL(fileURLWithPath: directory + "/\(name).card"))
        }
        try Data((peersLine + "\n").utf8).write(to: URL(fileURLWithPath: directory + "/peers.txt"))
        let additions = accounts.map {
            "  dialogued user add \($0.account.address) --card \(directory)/\($0.name).card --data DATA"
        }
        return """
            Register the test accounts (two users, two lists) and the suite's peer server with the server under \
            test, then run it:
            \(additions.joined(separator: "\n"))
              add this line to the server's peers file (\(directory)/peers.txt):
                \(peersLine)
              dialogue conformance --server BASE-URL --credentials \(directory)
            """
    }

    /// Reads the credentials that ``write(to:)`` wrote.
    public static func read(from directory: String) throws -> SuiteCredentials {
        let path = directory + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw SuiteError.setup("cannot read \(path) as JSON") }
        guard object["version"] as? Int == 1, let domain = object["domain"] as? String,
            let peerDomain = object["peer_domain"] as? String, let peerPort = object["peer_port"] as? Int,
            let created = (object["created"] as? NSNumber)?.uint64Value,
            let texts = object["secrets"] as? [String: String]
        else { throw SuiteError.setup("\(path) is not a version 1 credentials file") }
        var secrets: [String: [UInt8]] = [:]
        for (name, text) in texts {
            guard let bytes = SuiteCredentials.hexBytes(text) else {
                throw SuiteError.setup("\(path): the secret '\(name)' is not hexadecimal")
            }
            secrets[name] = bytes
        }
        return try SuiteCredentials(
            domain: domain, peerDomain: peerDomain, peerPort: peerPort, created: created, secrets: secrets)
    }

    /// The same credentials with another peer port (for a suite whose peer listens on an ephemeral port).
    public func withPeerPort(_ port: Int) throws -> SuiteCredentials {
        try SuiteCredentials(domain: domain, peerDomain: peerDomain, peerPort: port, created: created, secrets: secrets)
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
        }
        return bytes
    }
}
