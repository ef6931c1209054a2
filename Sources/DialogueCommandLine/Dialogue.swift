import ArgumentParser

/// The `dialogue` command: the reference client for the Dialogue protocol.
@main
struct Dialogue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dialogue",
        abstract: "Dialogue: signed, encrypted, content-addressed Internet mail.",
        subcommands: [
            HashCommand.self, CBORCommand.self, IdentityCommand.self, SealCommand.self, OpenCommand.self,
            ReplyCommand.self, TrustCommand.self, VectorsCommand.self, ConformanceCommand.self,
            AdapterCommand.self, AccountCommand.self, SendCommand.self, InboxCommand.self, ReadCommand.self,
            ListCommand.self,
            AckCommand.self, StatusCommand.self, SyncCommand.self, ForwardCommand.self, ThreadCommand.self,
            MailBenchmarkCommand.self,
        ]
    )
}
