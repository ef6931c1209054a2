import ArgumentParser
import DialogueIdentifiers
import Foundation

/// `dialogue hash`: the blob identifier of a file or of standard input.
struct HashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Print the blob identifier of files or of standard input (Spec: identifiers.md#id-hash).",
        discussion: "The identifier is what a blob store names these bytes by: blob-<base32>."
    )

    @Argument(help: "Files to hash; standard input when none or '-'.")
    var files: [String] = []

    func run() throws {
        for path in files.isEmpty ? ["-"] : files {
            let handle: FileHandle
            if path == "-" {
                handle = FileHandle.standardInput
            } else {
                guard let opened = FileHandle(forReadingAtPath: path) else {
                    throw fail("no-input", "cannot read \(path)", status: ExitStatus.noInput)
                }
                handle = opened
            }
            var hasher = ContentHasher(context: .blob)
            while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
                data.withUnsafeBytes { hasher.update($0) }
            }
            let id = hasher.finalize().text(kind: .blob)
            print(files.count > 1 ? "\(id)  \(path)" : id)
        }
    }
}
