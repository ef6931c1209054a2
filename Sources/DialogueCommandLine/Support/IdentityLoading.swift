import ArgumentParser
import DialogueMessages
import Foundation

/// How commands find a passphrase: never on the command line, where other users can see it.
struct PassphraseOptions: ParsableArguments {
    @Option(
        name: .long, help: "Read the passphrase from this file (first line). Default: $DIALOGUE_PASSPHRASE, if set.")
    var passphraseFile: String?

    /// The passphrase, if one was given.
    func passphrase() throws -> String? {
        if let passphraseFile {
            let text = String(decoding: try Files.read(passphraseFile), as: UTF8.self)
            return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        }
        return ProcessInfo.processInfo.environment["DIALOGUE_PASSPHRASE"]
    }
}

/// Loading secret identities and cards, with errors that say what to do.
enum IdentityLoading {
    static func secret(_ path: String, passphrase: PassphraseOptions) throws -> SecretIdentity {
        let (bytes, permissions) = try Files.contents(path)
        warnIfReadableByOthers(path, permissions: permissions)
        do {
            if try SecretIdentityFile.isSealed(bytes), try passphrase.passphrase() == nil {
                throw fail(
                    "passphrase-needed",
                    "\(path) is sealed with a passphrase; set DIALOGUE_PASSPHRASE or pass --passphrase-file"
                )
            }
            return try SecretIdentityFile.decode(bytes, passphrase: passphrase.passphrase())
        } catch let error as MessageError {
            if error.code == .authenticationFailed {
                throw fail(error.code.name, "\(path): wrong passphrase, or the file is damaged")
            }
            throw fail(error.code.name, "\(path) is not a valid secret identity file: \(error.reason)")
        }
    }

    /// Warns on standard error when others can read a secret identity file (Spec: [secret-mode]).
    static func warnIfReadableByOthers(_ path: String, permissions: UInt32?) {
        guard let permissions, permissions & 0o044 != 0 else { return }
        let who = permissions & 0o004 != 0 ? "every user" : "its group"
        let mode = String(permissions & 0o777, radix: 8)
        writeStandardError(
            "warning: \(path) holds a secret key and can be read by \(who) (mode \(mode)); "
                + "make it private with: chmod 600 \(path)\n")
    }

    static func card(_ path: String) throws -> IdentityCard {
        let bytes = try Files.read(path)
        do {
            return try IdentityCard(decoding: bytes)
        } catch {
            // A secret identity file also holds a card: accept it, so `--to alice.identity` works for tests.
            if let identity = try? SecretIdentityFile.decode(bytes) { return identity.card }
            throw fail(error.code.name, "\(path) is not a valid identity card: \(error.reason)")
        }
    }
}
