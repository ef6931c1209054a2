internal import ArgumentParser

/// `dialogued-load`: the load generator of `scripts/server-benchmark.sh`. It plays a user of the server
/// under test and a fake peer server listed in its peers file, signs every request with the library's
/// ``RequestSigner`` (Spec: [dlv-request]), and prints one `NAME key=value …` line per measurement.
@main
struct DialoguedLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dialogued-load",
        abstract: "Load generator for benchmarking dialogued (run by scripts/server-benchmark.sh).",
        subcommands: [
            SetupCommand.self, PeerCommand.self, PublishCommand.self, NotifyCommand.self, SubmitCommand.self,
            IdleCommand.self, TransferCommand.self, FsyncRateCommand.self, FreePortCommand.self,
        ])
}
