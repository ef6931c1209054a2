internal import ArgumentParser

/// The options every load command shares: the identities it plays and the server it loads.
struct TargetOptions: ParsableArguments {
    @Option(help: "The state directory (written by `dialogued-load setup`).") var state: String
    @Option(help: "The server's base URL.") var server: String

    /// The signed requests to that server, as those identities.
    func requests() throws -> MailRequests { try MailRequests(stateDirectory: state, server: server) }
}
