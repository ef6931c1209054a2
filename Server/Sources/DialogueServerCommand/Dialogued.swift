internal import ArgumentParser
internal import Foundation

/// `dialogued`, the reference server of the delivery protocol (Spec: delivery.md).
@main
struct Dialogued: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dialogued",
        abstract: "The reference mail server of the Dialogue delivery protocol.",
        discussion: DaemonSettings.help,
        subcommands: [InitCommand.self, UserCommand.self, ServeCommand.self]
    )

    /// Runs the command; a failure prints `error: <code>: <reason>` and exits with its sysexits status.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let error as DaemonError {
            FileHandle.standardError.write(Data("error: \(error.code): \(error.reason)\n".utf8))
            Foundation.exit(error.status)
        } catch {
            exit(withError: error)
        }
    }
}
