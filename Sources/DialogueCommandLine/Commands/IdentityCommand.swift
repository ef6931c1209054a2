import ArgumentParser
import DialogueIdentifiers
import DialogueMessages
import Foundation

/// `dialogue identity`: create and inspect identities (Spec: identities.md).
struct IdentityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity",
        abstract: "Create and inspect identities and identity cards.",
        subcommands: [Create.self, Show.self]
    )

    /// `dialogue identity create`.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an identity: a secret file (mode 0600) and a public card to give to others.",
            discussion: """
                With DIALOGUE_PASSPHRASE set or --passphrase-file, the secret file is sealed with the passphrase \
                (Argon2id). The card file is public: send it to people who will write to you.
                """
        )

        @Argument(help: "The identity's addresses, local@domain.")
        var addresses: [String]

        @Option(name: .shortAndLong, help: "Where to write the secret identity file.")
        var output: String

        @Option(name: .long, help: "Where to write the public card (default: <output>.card).")
        var card: String?

        @Option(name: .long, help: "Days the card is valid.")
        var validityDays: UInt64 = 730

        @OptionGroup var passphrase: PassphraseOptions

        func validate() throws {
            guard !addresses.isEmpty else { throw ValidationError("give at least one address") }
            guard validityDays > 0 else { throw ValidationError("--validity-days must be positive") }
        }

        func run() throws {
            var parsed: [Address] = []
            for text in addresses {
                do {
                    parsed.append(try Address(parsing: text))
                } catch {
                    throw fail("invalid-address", "'\(text)': \(error.reason)")
                }
            }
            let now = UInt64(Date().timeIntervalSince1970)
            let identity: SecretIdentity
            do {
                identity = try SecretIdentity.generate(addresses: parsed, created: now, validity: validityDays * 86_400)
            } catch {
                throw fail(error.code.name, error.reason)
            }
            let secret = try SecretIdentityFile.encode(identity, passphrase: passphrase.passphrase())
            let cardPath = card ?? output + ".card"
            try Files.create(output, secret, mode: 0o600)
            do {
                try Files.create(cardPath, identity.card.encodedBytes)
            } catch {
                unlink(output)
                throw error
            }
            print("identity \(output)")
            print("card     \(cardPath)")
            print("key      \(identity.fingerprint.text(kind: .identityKey))")
        }
    }

    /// `dialogue identity show`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the addresses, fingerprint and validity of a card or a secret identity file."
        )

        @Argument(help: "A card file or a secret identity file.")
        var file: String

        func run() throws {
            let card = try IdentityLoading.card(file)
            for address in card.addresses { print("address  \(address)") }
            print("key      \(card.fingerprint.text(kind: .identityKey))")
            print("created  \(Format.date(card.created))")
            print("expires  \(Format.date(card.expires))")
        }
    }
}

/// Formatting for people.
enum Format {
    static func date(_ seconds: UInt64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
