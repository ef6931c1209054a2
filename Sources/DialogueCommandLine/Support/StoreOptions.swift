import ArgumentParser
import DialogueIdentifiers
import DialogueMessages

/// The blob store a command reads from or writes to.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The blob store directory.")
    var store: String

    init() {}

    /// A store at `path`, for commands that take it as an optional option.
    init(store path: String) { store = path }

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
