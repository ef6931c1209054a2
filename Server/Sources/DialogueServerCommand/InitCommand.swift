internal import ArgumentParser
internal import DialogueDelivery
internal import DialogueIdentifiers
internal import DialogueServer
internal import DialogueServerStorage
internal import Foundation

/// `dialogued init --data DIR --domain D [--base-url URL]`: a new data directory with a server key and
/// settings, and what to publish.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a data directory with a new server key, and print what to publish.")

    @Option(help: "The data directory to create (or an empty one).") var data: String
    @Option(help: "The domain the server serves (its users' addresses end in @DOMAIN).") var domain: String
    @Option(help: "The published base URL (default: https://DOMAIN/dialogue/v1).") var baseURL: String?
    @Option(help: "HOST:PORT to listen on.") var listen: String = "127.0.0.1:8080"

    func run() async throws {
        let base = baseURL ?? "https://\(domain)/dialogue/v1"
        do { _ = try BaseURL(base) } catch { throw DaemonError.usage("--base-url '\(base)': \(error)") }
        do {
            _ = try RequestKeyID(server: domain, fingerprint: ContentIdentifier.hashing([], context: .serverKey))
        } catch {
            throw DaemonError.usage("--domain '\(domain)' is not a canonical domain")
        }
        do { try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true) } catch {
            throw DaemonError.cannotCreate("cannot create \(data): \(error.localizedDescription)")
        }
        let settings = DaemonSettings(domains: [domain], baseURL: base, listen: listen)
        _ = try settings.listenAddress()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let key = ServerKeyFile.generate(now: SystemClock().now())
        let identityKey = try key.identityKey()
        // The key first: a directory with settings but no key would be unusable.
        try key.create(in: data)
        try DataDirectory.createExclusively(
            data + "/" + DataDirectory.settingsName, contents: Array(try encoder.encode(settings)) + [0x0a],
            mode: 0o644)
        let fingerprint = identityKey.fingerprint.text(kind: .serverKey)
        print(
            """
            Created \(data) for \(domain).
            Publish:
              base URL        \(base)
              server key      \(fingerprint) (valid until \(key.validUntil))
              peers-file line \(domain) \(base) \(fingerprint)
            Serve the server document at https://\(domain)/.well-known/dialogue-server, then run
              dialogued serve --data \(data)
            """)
    }
}
