import ArgumentParser
import DialogueIdentifiers
import DialogueMessages

/// The blob store a command reads from or writes to.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The blob store directory.")
    var store: String

    func open() throws -> DirectoryBlobStore {
        do {
            return try DirectoryBlobStore(root: store)
        } catch {
            throw fail("cannot-create", error.reason, status: ExitStatus.cannotCreate)
        }
    }
}

/// Parsing identifiers typed by people.
enum Identifiers {
    static func blob(_ text: String) throws -> ContentIdentifier {
        do {
            return try ContentIdentifier(text: text, kind: .blob)
        } catch {
            throw fail(error.code.name, "'\(text)' is not an envelope identifier: \(error.reason)")
        }
    }
}
