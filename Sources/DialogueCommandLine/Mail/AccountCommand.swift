import ArgumentParser
import DialogueClient
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Foundation

/// `dialogue account`: set up the account a device reads and sends mail with.
struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account", abstract: "Set up the mail account of this device.",
        subcommands: [Add.self, Import.self])

    /// `dialogue account add`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create (or import) an identity for ADDRESS and write the account's configuration.",
            discussion: """
                Writes <home>/account.json, the secret identity <home>/identity (mode 0600; sealed with \
                $DIALOGUE_PASSPHRASE if set) and its public card <home>/identity.card. A server registers its users \
                through its operator: the command prints the exact 'dialogued user add' line to run, and says whether \
                the server already serves this identity's card.
                """)

        @Argument(help: "The address, local@domain.") var address: String
        @Option(name: .long, help: "The home server's base URL, e.g. https://mail.example.org/dialogue/v1.")
        var server: String
        @Option(name: .long, help: "Import this secret identity file instead of creating one.") var identity: String?
        @Option(name: .long, help: "A peers file naming the servers of a private network (delivery.md#dlv-peers).")
        var peers: String?
        @Option(name: .long, help: AutoAckArgument.help, transform: AutoAckArgument.parse)
        var autoAck: AutoAcknowledgement = .standard
        @OptionGroup var location: AccountLocation

        func run() async throws {
            try await Add.setUp(
                address: address, server: server, identity: identity, peers: peers, autoAck: autoAck, location: location
            )
        }

        /// Creates or imports the identity and writes the account: the work of `add` and `import`.
        static func setUp(
            address: String, server: String, identity: String?, peers: String?, autoAck: AutoAcknowledgement,
            location: AccountLocation
        ) async throws {
            let parsed: Address
            do { parsed = try Address(parsing: address) } catch { throw fail("invalid-address", error.reason) }
            let directory = location.directory
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let identityPath = directory + "/identity"
            let secret: SecretIdentity
            if let identity {
                secret = try IdentityLoading.secret(identity, passphrase: location.passphrase)
                try SecretFileWriting.write(secret, toFile: identityPath, passphrase: location.passphrase.passphrase())
            } else if FileManager.default.fileExists(atPath: identityPath) {
                secret = try IdentityLoading.secret(identityPath, passphrase: location.passphrase)
            } else {
                let now = UInt64(Date().timeIntervalSince1970)
                do {
                    secret = try SecretIdentity.generate(addresses: [parsed], created: now, validity: 730 * 86_400)
                } catch { throw fail(error.code.name, error.reason) }
                try SecretFileWriting.write(secret, toFile: identityPath, passphrase: location.passphrase.passphrase())
            }
            guard secret.card.lists(parsed) else {
                throw fail("address-mismatch", "the identity's card does not list \(parsed)")
            }
            let cardPath = identityPath + ".card"
            unlink(cardPath)
            try Files.create(cardPath, secret.card.encodedBytes)
            let peersPath = peers.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            let configuration = AccountConfiguration(
                address: parsed.text, server: server, identity: "identity", peers: peersPath, autoAcknowledge: autoAck)
            _ = try ClientFailure.checked { try configuration.baseURL() }
            try ClientFailure.checked { try configuration.write(location.configurationPath) }
            print("account  \(parsed)")
            print("server   \(server)")
            print("home     \(directory)")
            print("key      \(secret.fingerprint.text(kind: .identityKey))")
            print("card     \(cardPath)")
            print("auto-ack \(autoAck.rawValue)")
            let client = try location.client()
            let registered = (try? await client.isRegistered()) ?? false
            await client.shutdown()
            if registered {
                print("status   registered: the server serves this card")
            } else {
                print("status   not registered yet; the server's operator runs:")
                print("         dialogued user add \(parsed) --card \(cardPath) --data <the server's data directory>")
            }
        }
    }

    /// `dialogue account import`: the same mailbox on another device, from the secret identity file.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set up this device for an existing identity (a second device reads the same mailbox).",
            discussion: """
                Imports the secret identity file (and its passphrase) into this device's account home. Each \
                device keeps its own cursor and cache; a message the other device acknowledged is read from \
                the copy the home server kept (delivery.md#dlv-devices).
                """)

        @Argument(help: "The address, local@domain.") var address: String
        @Option(name: .long, help: "The home server's base URL.") var server: String
        @Option(name: .long, help: "The secret identity file to import.") var identity: String
        @Option(name: .long, help: "A peers file naming the servers of a private network (delivery.md#dlv-peers).")
        var peers: String?
        @Option(name: .long, help: AutoAckArgument.help, transform: AutoAckArgument.parse)
        var autoAck: AutoAcknowledgement = .standard
        @OptionGroup var location: AccountLocation

        func run() async throws {
            try await Add.setUp(
                address: address, server: server, identity: identity, peers: peers, autoAck: autoAck, location: location
            )
        }
    }
}
