internal import ArgumentParser
internal import DialogueCrypto

/// `dialogued-load setup`: new benchmark identities in a state directory: the user's card (for
/// `dialogued user add`) and the fake peer's peers-file line (for `DIALOGUED_PEERS`).
struct SetupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup", abstract: "Create the user and the fake peer of a benchmark run.")

    @Option(help: "The state directory to write.") var state: String
    @Option(help: "The user's address on the server under test.") var user: String
    @Option(help: "The fake peer's domain.") var peerDomain: String = "peer.example"
    @Option(help: "The fake peer's base URL (where `dialogued-load peer` listens).") var peerBaseURL: String

    func run() async throws {
        guard let at = user.lastIndex(of: "@") else { throw LoadError("'\(user)' is not an address") }
        let loadState = LoadState(
            domain: String(user[user.index(after: at)...]), user: user,
            userSeed: LoadState.hex(SecureRandom.bytes(count: 32)), peerDomain: peerDomain, peerBaseURL: peerBaseURL,
            peerSeed: LoadState.hex(SecureRandom.bytes(count: 32)))
        try loadState.save(state, now: unixNow())
        print("setup card=\(state)/\(LoadState.cardName) peers=\(state)/\(LoadState.peersName)")
    }
}
