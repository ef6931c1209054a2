internal import ArgumentParser
internal import DialogueCrypto
internal import DialogueIdentifiers
internal import DialogueMessages
internal import DialogueServerStorage
internal import Foundation
internal import Logging

/// `dialogued user add|list|remove`: the accounts of the store the settings select (Spec: [dlv-request-keyid]).
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add, list and remove the accounts the server serves.",
        subcommands: [Add.self, List.self, Remove.self])

    /// Opens the store of a data directory: the backend its settings select.
    static func store(_ data: String) async throws(DaemonError) -> any MailStore {
        // The settings must read: a data directory with a broken settings file is not used.
        let settings = try DaemonSettings.load(directory: data, environment: ProcessInfo.processInfo.environment)
        return try await settings.openStore(directory: data, logger: Logger(label: "dialogued"))
    }

    /// Maps a store failure to its code and status.
    static func failure(_ error: any Error) -> DaemonError {
        switch error {
        case StoreError.alreadyExists(let what): .cannotCreate("\(what) has an account already")
        case StoreError.notFound(let what): .missing("\(what) has no account")
        default: .io("\(error)")
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an account with the user's identity card.")
        @Argument(help: "The user's address.") var address: String
        @Option(help: "The user's identity card file (as `dialogue identity new` writes it).") var card: String
        @Option(help: "The data directory.") var data: String

        func run() async throws {
            let parsed: Address
            do { parsed = try Address(parsing: address) } catch { throw DaemonError.usage("'\(address)': \(error)") }
            guard let bytes = FileManager.default.contents(atPath: card) else {
                throw DaemonError.missing("cannot read \(card)")
            }
            let identity: IdentityCard
            do { identity = try IdentityCard(decoding: Array(bytes)) } catch {
                throw DaemonError.data("\(card) is not an identity card: \(error)")
            }
            guard identity.lists(parsed) else { throw DaemonError.data("the card does not list \(parsed.text)") }
            let settings = try DaemonSettings.load(directory: data, environment: ProcessInfo.processInfo.environment)
            guard settings.domains.contains(String(parsed.domain)) else {
                throw DaemonError.usage("this server does not serve \(parsed.domain)")
            }
            let store = try await UserCommand.store(data)
            do {
                try await store.addAccount(
                    AccountRecord(
                        address: parsed.text, card: identity.encodedBytes,
                        identityKey: identity.identityKey.rawRepresentation, fingerprint: identity.fingerprint,
                        created: SystemClock().now()))
            } catch { throw UserCommand.failure(error) }
            print("\(parsed.text) \(identity.fingerprint.text(kind: .identityKey))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the accounts: address and key fingerprint.")
        @Option(help: "The data directory.") var data: String

        func run() async throws {
            let accounts: [AccountRecord]
            do { accounts = try await UserCommand.store(data).accounts() } catch let error as DaemonError {
                throw error
            } catch { throw UserCommand.failure(error) }
            for account in accounts { print("\(account.address) \(account.fingerprint.text(kind: .identityKey))") }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an account.")
        @Argument(help: "The user's address.") var address: String
        @Option(help: "The data directory.") var data: String

        func run() async throws {
            let parsed: Address
            do { parsed = try Address(parsing: address) } catch { throw DaemonError.usage("'\(address)': \(error)") }
            do { try await UserCommand.store(data).removeAccount(parsed.text) } catch let error as DaemonError {
                throw error
            } catch { throw UserCommand.failure(error) }
        }
    }
}
