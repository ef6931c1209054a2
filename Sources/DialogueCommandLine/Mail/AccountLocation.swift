import ArgumentParser
import DialogueClient
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Foundation

/// Where an account lives: `--home DIR`, else `$DIALOGUE_HOME`, else `$XDG_CONFIG_HOME/dialogue`
/// (`~/.config/dialogue`). The directory holds `account.json`, the secret identity (mode 0600), its
/// card, and this device's state (`client.sqlite`, `trust.sqlite`); several users on one machine
/// (tests, the demo) each get a directory of their own.
struct AccountLocation: ParsableArguments {
    @Option(name: .long, help: "The account directory (default: $DIALOGUE_HOME, else $XDG_CONFIG_HOME/dialogue).")
    var home: String?

    @OptionGroup var passphrase: PassphraseOptions

    /// The directory.
    var directory: String {
        if let home { return home }
        let environment = ProcessInfo.processInfo.environment
        if let home = environment["DIALOGUE_HOME"], !home.isEmpty { return home }
        let config =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.config")
        return config + "/dialogue"
    }

    var configurationPath: String { directory + "/account.json" }

    /// The account's configuration (`account.json`).
    func configuration() throws -> AccountConfiguration {
        try ClientFailure.checked { try AccountConfiguration.read(configurationPath) }
    }

    /// Opens the account's client, with progress on standard error when it is a terminal.
    func client() throws -> MailClient {
        let configuration = try configuration()
        let identityPath =
            configuration.identity.hasPrefix("/") ? configuration.identity : directory + "/" + configuration.identity
        let identity = try IdentityLoading.secret(identityPath, passphrase: passphrase)
        var peers: PeersFile?
        if let path = configuration.peers {
            do {
                peers = try PeersFile(parsing: try Files.read(path))
            } catch let error as PeersFileError {
                throw fail("malformed", "the peers file \(path): \(error)")
            }
        }
        return try ClientFailure.checked {
            try MailClient(
                address: try configuration.parsedAddress(), identity: identity, homeServer: try configuration.baseURL(),
                peers: peers, directory: directory, progress: ProgressBar.handler())
        }
    }
}

extension ClientFailure {
    /// Runs `body`, turning a ``ClientError`` into the command's error line and status.
    static func checked<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as ClientError { throw exit(error) }
    }
}

/// Runs `body` with the account's client, shut down afterwards, reporting errors as commands do.
func withClient<T>(_ location: AccountLocation, _ body: (MailClient) async throws -> T) async throws -> T {
    let client = try location.client()
    do {
        let result = try await reporting { try await body(client) }
        await client.shutdown()
        return result
    } catch {
        await client.shutdown()
        throw error
    }
}
