public import DialogueDelivery
public import DialogueMessages
internal import Foundation

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// An account of the client: the user's address, the home server's base URL, and where the
/// secret identity and an optional peers file are. Kept as a small JSON file (`account.json`).
public struct AccountConfiguration: Sendable, Hashable, Codable {
    /// The user's address.
    public var address: String
    /// The home server's base URL ([dlv-base-url]).
    public var server: String
    /// The secret identity file's path, absolute or relative to the configuration's directory.
    public var identity: String
    /// A peers file ([dlv-peers]) for private networks, or `nil` to discover servers by the well-known URL.
    public var peers: String?
    /// When a fully fetched message is acknowledged without `dialogue ack`, or `nil` for
    /// ``AutoAcknowledgement/standard`` (files written before the setting existed name none).
    public var autoAcknowledge: AutoAcknowledgement?

    /// Creates a configuration.
    public init(
        address: String, server: String, identity: String, peers: String? = nil,
        autoAcknowledge: AutoAcknowledgement? = nil
    ) {
        self.address = address
        self.server = server
        self.identity = identity
        self.peers = peers
        self.autoAcknowledge = autoAcknowledge
    }

    /// The account's policy, the standard one when the file names none.
    public var acknowledgement: AutoAcknowledgement { autoAcknowledge ?? .standard }

    /// The address, parsed.
    public func parsedAddress() throws(ClientError) -> Address {
        do { return try Address(parsing: address) } catch {
            throw ClientError(.malformed, "the account's address '\(address)': \(error.reason)")
        }
    }

    /// The base URL, checked: `http` only on loopback or when the peers file names it ([dlv-base-url]).
    public func baseURL() throws(ClientError) -> BaseURL {
        let url: BaseURL
        do { url = try BaseURL(server) } catch {
            throw ClientError(.malformed, "the server URL '\(server)': \(error.reason)")
        }
        guard url.isUsable(allowingHTTP: peers != nil) else {
            throw ClientError(
                .malformed, "the server URL '\(server)' is http but not loopback, and no peers file names it")
        }
        return url
    }

    /// Reads `account.json` from `path`.
    public static func read(_ path: String) throws(ClientError) -> AccountConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ClientError(.notConfigured, "no account at \(path): run 'dialogue account add ADDRESS --server URL'")
        }
        do { return try JSONDecoder().decode(AccountConfiguration.self, from: data) } catch {
            throw ClientError(.notConfigured, "\(path) is not an account configuration: \(error)")
        }
    }

    /// Writes `account.json` at `path` (mode 0600: it names where the secret is).
    public func write(_ path: String) throws(ClientError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            let data = try encoder.encode(self)
            let temporary = path + ".tmp"
            guard
                FileManager.default.createFile(
                    atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600])
            else { throw ClientError(.storeFailed, "cannot write \(temporary)") }
            guard rename(temporary, path) == 0 else {
                throw ClientError(.storeFailed, "cannot move \(temporary) to \(path)")
            }
        } catch let error as ClientError {
            throw error
        } catch {
            throw ClientError(.storeFailed, "cannot write \(path): \(error)")
        }
    }
}
