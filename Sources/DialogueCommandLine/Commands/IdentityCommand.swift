import ArgumentParser
import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Foundation

/// `dialogue identity`: create and inspect identities (Spec: identities.md).
struct IdentityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity",
        abstract: "Create and inspect identities and identity cards.",
        subcommands: [Create.self, Show.self, Rotate.self, Revoke.self]
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
            let cardPath = card ?? output + ".card"
            try SecretFileWriting.write(identity, toFile: output, passphrase: passphrase.passphrase())
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
            for address in card.addresses { print("address  \(TerminalText.line("\(address)"))") }
            print("key      \(card.fingerprint.text(kind: .identityKey))")
            print("created  \(Format.date(card.created))")
            print("expires  \(Format.date(card.expires))")
        }
    }
}

extension IdentityCommand {
    /// `dialogue identity rotate` (Spec: trust.md#trust-rotation).
    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace an identity's keys: a new identity, and a rotation statement signed by both keys.",
            discussion: """
                Writes the new secret identity to --output, its card to <output>.card and the rotation statement \
                to <output>.rotation; the old identity file is kept (you still need it to read mail sealed to \
                its key). Messages sealed --from the new identity carry <output>.rotation automatically, so \
                your contacts move to the new key with a quiet notice instead of an alarm. If <identity>.rotation \
                exists (the old key came from an earlier rotation), the new statement continues that chain.
                """
        )

        @Option(name: .long, help: "The current secret identity file.")
        var identity: String

        @Option(name: .shortAndLong, help: "Where to write the new secret identity file.")
        var output: String

        @Option(name: .long, help: "Days the new card is valid.")
        var validityDays: UInt64 = 730

        @Option(name: .long, help: "Days the rotation statement is applied by recipients.")
        var statementDays: UInt64 = 365

        @Option(name: .long, help: "The creation time, in seconds since 1970 (default: now).")
        var date: UInt64?

        @OptionGroup var passphrase: PassphraseOptions

        func validate() throws {
            guard validityDays > 0, statementDays > 0 else { throw ValidationError("validity must be positive") }
        }

        func run() throws {
            let old = try IdentityLoading.secret(identity, passphrase: passphrase)
            var sequence: UInt64 = 1
            var previous: [UInt8] = []
            if FileManager.default.fileExists(atPath: identity + ".rotation") {
                let bytes = try Files.read(identity + ".rotation")
                let earlier: RotationStatement
                do {
                    earlier = try RotationStatement(decoding: bytes)
                } catch {
                    throw fail(error.code.name, "\(identity).rotation is not a valid rotation: \(error.reason)")
                }
                guard earlier.newKey == old.card.identityKey else {
                    throw fail("malformed", "\(identity).rotation does not introduce the key of \(identity)")
                }
                sequence = earlier.sequence + 1
                previous = earlier.hash
            }
            let now = date ?? UInt64(Date().timeIntervalSince1970)
            let new: SecretIdentity
            let statement: RotationStatement
            do {
                new = try SecretIdentity.generate(
                    addresses: old.card.addresses, created: now, validity: validityDays * 86_400)
                statement = try RotationStatement(
                    addresses: old.card.addresses, from: old.signingKey, to: new.signingKey, sequence: sequence,
                    previousHash: previous, created: now, expires: now + statementDays * 86_400
                )
            } catch {
                throw fail(error.code.name, error.reason)
            }
            try SecretFileWriting.write(new, toFile: output, passphrase: passphrase.passphrase())
            try Files.create(output + ".card", new.card.encodedBytes)
            try Files.create(output + ".rotation", statement.encodedBytes)
            print("identity \(output)")
            print("card     \(output).card")
            print("rotation \(output).rotation")
            print("old key  \(old.fingerprint.text(kind: .identityKey))")
            print("key      \(new.fingerprint.text(kind: .identityKey))")
            print("sequence \(sequence)")
        }
    }

    /// `dialogue identity revoke` (Spec: trust.md#trust-revocation).
    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a revocation statement: the identity's key must no longer be trusted.",
            discussion: """
                Writes the statement to --output (default <identity>.revocation). Send it in a message \
                ('seal --statement FILE') or hand it over for 'dialogue trust apply'. A revocation cannot be \
                undone: rotate first if you want your contacts to follow you to a new key.
                """
        )

        @Option(name: .long, help: "The secret identity file whose key is revoked.")
        var identity: String

        @Option(name: .shortAndLong, help: "Where to write the statement (default: <identity>.revocation).")
        var output: String?

        @Option(name: .long, help: "Why, in a few words (shown to your contacts).")
        var reason: String = ""

        @Option(name: .long, help: "The creation time, in seconds since 1970 (default: now).")
        var date: UInt64?

        @OptionGroup var passphrase: PassphraseOptions

        func run() throws {
            let secret = try IdentityLoading.secret(identity, passphrase: passphrase)
            let statement: RevocationStatement
            do {
                statement = try RevocationStatement(
                    revoking: secret.signingKey, created: date ?? UInt64(Date().timeIntervalSince1970), reason: reason
                )
            } catch {
                throw fail(error.code.name, error.reason)
            }
            let path = output ?? identity + ".revocation"
            try Files.create(path, statement.encodedBytes)
            print("revocation \(path)")
            print("key        \(secret.fingerprint.text(kind: .identityKey))")
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

/// The library's secret identity file writer (mode 0600, atomic, exclusive), with the command's errors.
enum SecretFileWriting {
    static func write(_ identity: SecretIdentity, toFile path: String, passphrase: String?) throws {
        do {
            try SecretIdentityFile.write(identity, toFile: path, passphrase: passphrase)
        } catch let error as StorageError {
            throw fail("cannot-create", error.reason, status: ExitStatus.cannotCreate)
        } catch let error as MessageError {
            throw fail(error.code.name, error.reason)
        }
    }
}
