internal import DialogueCrypto
internal import DialogueDelivery
internal import DialogueIdentifiers
internal import DialogueMessages
internal import Foundation

/// The identities a benchmark run plays, kept in a state directory between the subcommands: the user of
/// the server under test, and the fake peer server (its domain, base URL and server key). Benchmark
/// keys only: the seeds are stored in plain text.
struct LoadState: Codable, Sendable {
    /// The domain of the server under test.
    var domain: String
    /// The user's address on it.
    var user: String
    /// The user's identity key seed, hexadecimal.
    var userSeed: String
    /// The fake peer's domain.
    var peerDomain: String
    /// The fake peer's base URL.
    var peerBaseURL: String
    /// The fake peer's server key seed, hexadecimal.
    var peerSeed: String

    static let fileName = "state.json"
    static let cardName = "user.card"
    static let peersName = "peers"

    /// The state in `directory`.
    static func load(_ directory: String) throws -> LoadState {
        guard let data = FileManager.default.contents(atPath: directory + "/" + fileName) else {
            throw LoadError("cannot read \(directory)/\(fileName) (run `dialogued-load setup` first)")
        }
        return try JSONDecoder().decode(LoadState.self, from: data)
    }

    /// Writes the state, the user's card and the peers-file line of the fake peer into `directory`.
    func save(_ directory: String, now: UInt64) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try JSONEncoder().encode(self).write(to: URL(fileURLWithPath: directory + "/" + Self.fileName))
        let card = try IdentityCard(
            addresses: [try Address(canonical: user)], signingKey: try userKey(),
            encryptionKey: X25519.PrivateKey().publicKey, created: now - 60, expires: now + 86_400 * 30)
        try Data(card.encodedBytes).write(to: URL(fileURLWithPath: directory + "/" + Self.cardName))
        let line = "\(peerDomain) \(peerBaseURL) \(try peerFingerprint().text(kind: .serverKey))\n"
        try Data(line.utf8).write(to: URL(fileURLWithPath: directory + "/" + Self.peersName))
    }

    func userKey() throws -> Ed25519.SigningKey { try Ed25519.SigningKey(seed: Self.bytes(hex: userSeed)) }
    func peerKey() throws -> Ed25519.SigningKey { try Ed25519.SigningKey(seed: Self.bytes(hex: peerSeed)) }

    func peerFingerprint() throws -> ContentIdentifier {
        ContentIdentifier.hashing(try peerKey().publicKey.rawRepresentation, context: .serverKey)
    }

    /// The user's request signer: `user/idk-…` with the card's fingerprint ([dlv-request-keyid]).
    func userSigner(directory: String) throws -> RequestSigner {
        guard let bytes = FileManager.default.contents(atPath: directory + "/" + Self.cardName) else {
            throw LoadError("cannot read \(directory)/\(Self.cardName)")
        }
        let card = try IdentityCard(decoding: Array(bytes))
        return try RequestSigner(
            keyID: RequestKeyID(user: try Address(canonical: user), fingerprint: card.fingerprint),
            signingKey: try userKey())
    }

    /// The fake peer's request signer: `peer.example/srv-…`.
    func peerSigner() throws -> RequestSigner {
        try RequestSigner(
            keyID: try RequestKeyID(server: peerDomain, fingerprint: try peerFingerprint()), signingKey: try peerKey())
    }

    /// The fake peer's server document, valid for a day from `now` ([dlv-server-document]).
    func peerDocument(now: UInt64) throws -> ServerDocument {
        let key = try peerKey()
        return try ServerDocument(
            domain: peerDomain, baseURL: try BaseURL(peerBaseURL),
            keys: [try ServerKey(publicKey: key.publicKey, validFrom: now - 3_600, validUntil: now + 86_400 * 30)],
            signingKeys: [key], created: now - 60, expires: now + 86_400, maximumMessageSize: 1 << 30,
            maximumRecipients: 1_000)
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static func bytes(hex: String) throws -> [UInt8] {
        let digits = Array(hex.utf8)
        guard digits.count.isMultiple(of: 2) else { throw LoadError("an odd number of hexadecimal digits") }
        return try stride(from: 0, to: digits.count, by: 2).map { index in
            guard let byte = UInt8(String(decoding: digits[index..<(index + 2)], as: UTF8.self), radix: 16) else {
                throw LoadError("not hexadecimal: \(hex)")
            }
            return byte
        }
    }
}

/// A failure of the load generator, with its reason.
struct LoadError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The current time in seconds since 1970, as requests and objects carry it.
func unixNow() -> UInt64 { UInt64(Date().timeIntervalSince1970) }
