internal import DialogueCrypto
internal import DialogueServer
internal import Foundation

/// The server's secret key in the data directory, `server-key.json`, mode 0600:
/// `{"seed": "<64 hex digits>", "validFrom": N, "validUntil": N}` (Spec: delivery.md#dlv-server-keys).
struct ServerKeyFile: Codable {
    /// The file's name in the data directory.
    static let name = "server-key.json"
    /// A new key is valid for a year; a rollover adds the next one beside it.
    static let lifetime: UInt64 = 365 * 86_400

    var seed: String
    var validFrom: UInt64
    var validUntil: UInt64

    /// A new random key valid from `now`.
    static func generate(now: UInt64) -> ServerKeyFile {
        let seed = SecureRandom.bytes(count: 32).map { String(format: "%02x", $0) }.joined()
        return ServerKeyFile(seed: seed, validFrom: now, validUntil: now + lifetime)
    }

    /// The key as the server uses it.
    func identityKey() throws(DaemonError) -> ServerIdentity.Key {
        let bytes = Array(seed.utf8)
        guard bytes.count == 64 else { throw .data("\(Self.name): the seed is not 64 hex digits") }
        var seedBytes: [UInt8] = []
        for index in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(decoding: bytes[index..<index + 2], as: UTF8.self), radix: 16) else {
                throw .data("\(Self.name): the seed is not 64 hex digits")
            }
            seedBytes.append(byte)
        }
        guard validFrom < validUntil else { throw .data("\(Self.name): validUntil is not after validFrom") }
        do {
            return ServerIdentity.Key(
                signingKey: try Ed25519.SigningKey(seed: seedBytes), validFrom: validFrom, validUntil: validUntil)
        } catch { throw .data("\(Self.name): \(error)") }
    }

    /// Reads the key file of `directory`.
    static func read(in directory: String) throws(DaemonError) -> ServerKeyFile {
        let path = directory + "/" + name
        guard let data = FileManager.default.contents(atPath: path) else { throw .missing("cannot read \(path)") }
        do { return try JSONDecoder().decode(ServerKeyFile.self, from: data) } catch {
            throw .data("\(path) is not a server key file: \(error)")
        }
    }

    /// Creates the key file of `directory`, 0600, never over an existing file.
    func create(in directory: String) throws(DaemonError) {
        let path = directory + "/" + Self.name
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { throw .io("cannot encode the key file") }
        try DataDirectory.createExclusively(path, contents: Array(data) + [0x0a], mode: 0o600)
    }
}
