import AsyncHTTPClient
import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing

/// The `dialogued` executable, run as a process: init, user add/list/remove, errors and statuses.
@Suite struct DialoguedCommandTests {
    /// The built executable beside the test bundle.
    static var executable: URL {
        var directory = Bundle.main.bundleURL
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("dialogued").path),
            directory.pathComponents.count > 1
        {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("dialogued")
    }

    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    func run(
        _ arguments: [String], environment: [String: String] = [:], executable: URL = DialoguedCommandTests.executable
    )
        throws -> Result
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
            error: String(decoding: err, as: UTF8.self))
    }

    func temporaryDirectory() -> String {
        NSTemporaryDirectory() + "dialogued-" + UUID().uuidString
    }

    /// `init` creates the key (0600) and the settings, prints a peers-file line that parses, and never
    /// overwrites: a second `init` is `error: cannot-create` with status 73.
    @Test func initCreatesTheDataDirectoryOnce() throws {
        let data = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let first = try run(["init", "--data", data, "--domain", "a.example", "--base-url", "http://127.0.0.1:8080/v1"])
        #expect(first.status == 0, "\(first.error)")
        let attributes = try FileManager.default.attributesOfItem(atPath: data + "/server-key.json")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(FileManager.default.fileExists(atPath: data + "/dialogued.json"))
        let line = try #require(first.output.split(separator: "\n").first { $0.contains("peers-file line") })
        let entry = String(
            line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).joined(separator: " "))
        let peers = try PeersFile(parsing: entry + "\n")
        #expect(peers.entries.first?.domain == "a.example")
        #expect(peers.entries.first?.fingerprints.count == 1)
        let key = try String(contentsOfFile: data + "/server-key.json", encoding: .utf8)
        let again = try run(["init", "--data", data, "--domain", "a.example"])
        #expect(again.status == 73)
        #expect(again.error.hasPrefix("error: cannot-create: "))
        #expect(try String(contentsOfFile: data + "/server-key.json", encoding: .utf8) == key)
    }

    /// `user add` takes the user's card, `list` shows it, `remove` removes it; wrong input gets its status.
    @Test func usersAreAddedListedAndRemoved() throws {
        let data = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try run(["init", "--data", data, "--domain", "a.example"]).status == 0)
        let signingKey = Fixtures.key("alice identity")
        let card = try IdentityCard(
            addresses: [Address(parsing: "alice@a.example")], signingKey: signingKey,
            encryptionKey: X25519.PrivateKey().publicKey, created: 1_000, expires: 4_000_000_000)
        let cardPath = data + "/alice.card"
        try Data(card.encodedBytes).write(to: URL(fileURLWithPath: cardPath))
        let added = try run(["user", "add", "alice@a.example", "--card", cardPath, "--data", data])
        #expect(added.status == 0, "\(added.error)")
        let fingerprint = card.fingerprint.text(kind: .identityKey)
        #expect(try run(["user", "list", "--data", data]).output == "alice@a.example \(fingerprint)\n")
        let twice = try run(["user", "add", "alice@a.example", "--card", cardPath, "--data", data])
        #expect(twice.status == 73)
        let wrongUser = try run(["user", "add", "bob@a.example", "--card", cardPath, "--data", data])
        #expect(wrongUser.status == 65)
        #expect(wrongUser.error.hasPrefix("error: data: "))
        let missing = try run(["user", "add", "bob@a.example", "--card", data + "/none", "--data", data])
        #expect(missing.status == 66)
        #expect(try run(["user", "remove", "alice@a.example", "--data", data]).status == 0)
        #expect(try run(["user", "list", "--data", data]).output == "")
        #expect(try run(["user", "remove", "alice@a.example", "--data", data]).status == 66)
    }

    /// [dlv-server-no-secrets]: a server takes a user's card, never a secret: a secret identity file
    /// offered as the card is refused and nothing is stored; what is stored is public material only.
    @Test func aSecretIdentityFileIsNeverTakenForACard() throws {
        let data = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try run(["init", "--data", data, "--domain", "a.example"]).status == 0)
        let secretSeed = [UInt8](repeating: 0xa5, count: 32)
        let identity = try SecretIdentity(
            signingKey: Ed25519.SigningKey(seed: secretSeed), encryptionKey: X25519.PrivateKey(),
            addresses: [Address(parsing: "alice@a.example")], created: 1_000, expires: 4_000_000_000)
        let userFiles = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: userFiles) }
        try FileManager.default.createDirectory(atPath: userFiles, withIntermediateDirectories: true)
        let secretPath = userFiles + "/alice.identity"
        try Data(try SecretIdentityFile.encode(identity)).write(to: URL(fileURLWithPath: secretPath))
        let refused = try run(["user", "add", "alice@a.example", "--card", secretPath, "--data", data])
        #expect(refused.status == 65, "\(refused.error)")
        #expect(refused.error.hasPrefix("error: "))
        #expect(try run(["user", "list", "--data", data]).output == "")
        let cardPath = userFiles + "/alice.card"
        try Data(identity.card.encodedBytes).write(to: URL(fileURLWithPath: cardPath))
        #expect(try run(["user", "add", "alice@a.example", "--card", cardPath, "--data", data]).status == 0)
        let everything = try FileManager.default.subpathsOfDirectory(atPath: data).compactMap {
            FileManager.default.contents(atPath: data + "/" + $0)
        }
        for contents in everything {
            #expect(contents.range(of: Data(secretSeed)) == nil, "a stored file holds the user's secret seed")
        }
    }

    /// A settings file needs only the domains and the base URL; a misspelt key is refused, not ignored.
    @Test func settingsFilesNeedOnlyTheDomainAndRefuseUnknownKeys() throws {
        let data = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try run(["init", "--data", data, "--domain", "a.example"]).status == 0)
        let settings = data + "/dialogued.json"
        try Data(#"{"domains": ["a.example"], "baseURL": "https://a.example/dialogue/v1"}"#.utf8)
            .write(to: URL(fileURLWithPath: settings))
        #expect(try run(["user", "list", "--data", data]).status == 0)
        try Data(#"{"domains": ["a.example"], "baseURL": "https://a.example/dialogue/v1", "peerConcurency": 2}"#.utf8)
            .write(to: URL(fileURLWithPath: settings))
        let refused = try run(["user", "list", "--data", data])
        #expect(refused.status == 65)
        #expect(refused.error.hasPrefix("error: data: "))
        #expect(refused.error.contains("peerConcurency"))
        try Data(#"{"domains": ["a.example"], "baseURL": "https://a.example/dialogue/v1"}"#.utf8)
            .write(to: URL(fileURLWithPath: settings))
        let badEnvironment = try run(
            ["serve", "--data", data], environment: ["DIALOGUED_PEER_CONCURRENCY": "many"])
        #expect(badEnvironment.status == 64)
        #expect(badEnvironment.error == "error: usage: DIALOGUED_PEER_CONCURRENCY=many is not a number\n")
    }

    /// The storage backend is chosen by `database` and `databaseURL`; a contradiction or a bad URL is a
    /// usage error before anything is opened, never a silent fall-back to SQLite.
    @Test func databaseSettingsAreChecked() throws {
        let data = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try run(["init", "--data", data, "--domain", "a.example"]).status == 0)
        for (environment, message) in [
            (["DIALOGUED_DATABASE": "mysql"], "database 'mysql' is not sqlite or postgres"),
            (["DIALOGUED_DATABASE": "postgres"], "database postgres needs databaseURL (DIALOGUED_DATABASE_URL)"),
            (
                ["DIALOGUED_DATABASE": "sqlite", "DIALOGUED_DATABASE_URL": "postgres://a@127.0.0.1/b"],
                "databaseURL is set but database is sqlite"
            ),
            (["DIALOGUED_DATABASE_URL": "mysql://a@b/c"], "databaseURL: not a postgres:// URL: mysql://a@b/c"),
        ] {
            let refused = try run(["user", "list", "--data", data], environment: environment)
            #expect(refused.status == 64, "\(environment)")
            #expect(refused.error == "error: usage: \(message)\n", "\(environment)")
        }
        #expect(try run(["user", "list", "--data", data], environment: ["DIALOGUED_DATABASE": "sqlite"]).status == 0)
    }

    /// `--help` documents every setting with its default.
    @Test func helpDocumentsEverySetting() throws {
        let help = try run(["--help"]).output
        for setting in [
            "DIALOGUED_DOMAINS", "DIALOGUED_BASE_URL", "DIALOGUED_LISTEN", "DIALOGUED_PEERS",
            "DIALOGUED_DELIVERY_LIFETIME",
            "DIALOGUED_PEER_CONCURRENCY", "DIALOGUED_OUTBOX_CONCURRENCY", "DIALOGUED_MAXIMUM_MESSAGE_SIZE",
            "DIALOGUED_MAXIMUM_RECIPIENTS", "DIALOGUED_LOG_LEVEL", "DIALOGUED_DATA", "432000",
            "DIALOGUED_PEER_RATE_LIMIT", "DIALOGUED_PEER_BURST", "DIALOGUED_USER_RATE_LIMIT", "DIALOGUED_USER_BURST",
            "DIALOGUED_ENVELOPE_CHECK", "DIALOGUED_REQUEST_TIMEOUT", "DIALOGUED_IDLE_TIMEOUT",
            "DIALOGUED_SHUTDOWN_TIMEOUT", "DIALOGUED_TLS_CERTIFICATE", "DIALOGUED_TLS_KEY", "DIALOGUED_METRICS",
            "DIALOGUED_DATABASE", "DIALOGUED_DATABASE_URL", "DIALOGUED_BLOB_DIRECTORY", "DIALOGUED_OUTBOX_LEASE",
        ] {
            #expect(help.contains(setting), "\(setting)")
        }
    }

    /// A running `dialogued serve`, its standard error in a file.
    struct Served {
        let process: Process
        let logPath: String

        var log: String { String(decoding: FileManager.default.contents(atPath: logPath) ?? Data(), as: UTF8.self) }

        /// The port it logged it listens on, once it does.
        func waitForPort() -> Int? {
            for _ in 0..<400 {
                for line in log.split(separator: "\n") where line.contains(": listening ") {
                    if let range = line.range(of: #"port=\d+"#, options: .regularExpression) {
                        return Int(line[range].dropFirst("port=".count))
                    }
                }
                guard process.isRunning else { return nil }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return nil
        }
    }

    /// Starts `dialogued serve --data DATA --listen 127.0.0.1:0`.
    func serve(_ data: String, environment: [String: String] = [:]) throws -> Served {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["serve", "--data", data, "--listen", "127.0.0.1:0"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let logPath = data + "/serve.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        try process.run()
        return Served(process: process, logPath: logPath)
    }

    /// `serve` runs the outbox and stops on SIGTERM with status 0.
    @Test func serveStopsGracefullyOnSIGTERM() throws {
        let data = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try run(["init", "--data", data, "--domain", "a.example"]).status == 0)
        let served = try serve(data)
        // Wait until it listens (on a loaded machine this takes a while).
        #expect(served.waitForPort() != nil, "\(served.log)")
        #expect(served.process.isRunning)
        served.process.terminate()
        served.process.waitUntilExit()
        #expect(served.process.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: data + "/mail.sqlite"))
        #expect(served.log.contains("dialogued starting"))
    }

    /// [dlv-ops-tls]: plain HTTP listens only on loopback, unless a peers file makes it a private network.
    @Test func servePlainHTTPOnlyOnLoopback() throws {
        let data = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try run(["init", "--data", data, "--domain", "a.example"]).status == 0)
        let refused = try run(["serve", "--data", data, "--listen", "0.0.0.0:0"])
        #expect(refused.status == 64)
        #expect(refused.error.hasPrefix("error: usage: listening on 0.0.0.0 needs TLS"), "\(refused.error)")
        let halfTLS = try run(
            ["serve", "--data", data], environment: ["DIALOGUED_TLS_CERTIFICATE": data + "/cert.pem"])
        #expect(halfTLS.status == 64)
        #expect(halfTLS.error.contains("tlsCertificate and tlsKey go together"))
        let missing = try run(
            ["serve", "--data", data],
            environment: ["DIALOGUED_TLS_CERTIFICATE": data + "/none.pem", "DIALOGUED_TLS_KEY": data + "/none.key"])
        #expect(missing.status == 65)
    }

    /// [dlv-ops-tls]: with a certificate and key `serve` speaks HTTPS, here on 127.0.0.1 with a self-signed
    /// certificate that the client trusts; plain HTTP to the same port gets no answer.
    @Test func serveSpeaksHTTPS() async throws {
        let data = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try run(["init", "--data", data, "--domain", "a.example"]).status == 0)
        try SelfSignedCertificate.make(in: data)
        let served = try serve(
            data, environment: ["DIALOGUED_TLS_CERTIFICATE": "tls.pem", "DIALOGUED_TLS_KEY": "tls.key"])
        defer {
            if served.process.isRunning { served.process.terminate() }
            served.process.waitUntilExit()
        }
        let port = try #require(served.waitForPort(), "\(served.log)")
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(data + "/tls.pem"))
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(10))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let health = try await client.execute(
                HTTPClientRequest(url: "https://127.0.0.1:\(port)/health"), timeout: .seconds(10))
            #expect(health.status.code == 200)
            #expect(String(buffer: try await health.body.collect(upTo: 1024)) == "ok\n")
            let document = try await client.execute(
                HTTPClientRequest(url: "https://127.0.0.1:\(port)/.well-known/dialogue-server"), timeout: .seconds(10))
            #expect(document.status.code == 200)
            #expect(document.headers.first(name: "Content-Type") == "application/cbor")
            _ = try await document.body.collect(upTo: 65_536)
            // Plain HTTP to the TLS port is not answered as HTTP.
            let plain = try? await client.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/health"), timeout: .seconds(10))
            #expect(plain?.status.code != 200)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        served.process.terminate()
        served.process.waitUntilExit()
        #expect(served.process.terminationStatus == 0)
    }
}
