import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A real `dialogued` process on 127.0.0.1 with its own data directory, for the tests that need
/// whole servers: initialised with `dialogued init`, users added with `dialogued user add`, a peers
/// file, then `dialogued serve`; stopped with SIGTERM or killed with SIGKILL, and restarted on the
/// same data.
final class DialoguedProcess: @unchecked Sendable {
    let domain: String
    /// The port of the published base URL: the server's own, or a load balancer's in front of it.
    let port: Int
    /// The port the process listens on.
    let listenPort: Int
    let data: String
    private var process: Process?
    private var logHandle: FileHandle?

    /// The base URL, `http://127.0.0.1:PORT/dialogue/v1`.
    var baseURL: String { "http://127.0.0.1:\(port)/dialogue/v1" }
    /// Where the server's standard error goes.
    var logPath: String { data + "/test-stderr.log" }

    /// Creates the data directory of a server for `domain` on a free loopback port; with `listenPort`, the
    /// base URL names `port` (a load balancer's) and the process listens on `listenPort`.
    init(domain: String, port: Int? = nil, listenPort: Int? = nil) throws {
        self.domain = domain
        self.port = try port ?? DialoguedProcess.freePort()
        self.listenPort = listenPort ?? self.port
        data = NSTemporaryDirectory() + "dialogued-test-" + UUID().uuidString
        let created = try DialoguedProcess.run([
            "init", "--data", data, "--domain", domain, "--base-url", "http://127.0.0.1:\(self.port)/dialogue/v1",
            "--listen", "127.0.0.1:\(self.listenPort)",
        ])
        guard created.status == 0 else { throw ProcessFailure("dialogued init: \(created.error)") }
        initOutput = created.output
    }

    /// A second process of `other`'s domain: a copy of its data directory (settings, server key, peers
    /// file), listening on `listenPort`; its store and blob directory are those `other`'s settings name.
    init(copying other: DialoguedProcess, listenPort: Int) throws {
        domain = other.domain
        port = other.port
        self.listenPort = listenPort
        initOutput = other.initOutput
        data = NSTemporaryDirectory() + "dialogued-test-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: other.data, toPath: data)
        try? FileManager.default.removeItem(atPath: logPath)
        try updateSettings(["listen": "127.0.0.1:\(listenPort)"])
    }

    /// Sets keys of `dialogued.json` (`databaseURL`, `blobDirectory`, …).
    func updateSettings(_ changes: [String: Any]) throws {
        let url = URL(fileURLWithPath: data + "/dialogued.json")
        var settings = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
        for (key, value) in changes { settings[key] = value }
        try JSONSerialization.data(withJSONObject: settings, options: [.prettyPrinted, .sortedKeys]).write(to: url)
    }

    /// The running process's identifier.
    var processIdentifier: Int32? { process?.processIdentifier }

    /// What `dialogued init` printed (the peers-file line among it).
    let initOutput: String

    /// This server's line for other servers' peers files.
    var peersLine: String {
        get throws {
            guard let line = initOutput.split(separator: "\n").first(where: { $0.contains("peers-file line") }) else {
                throw ProcessFailure("dialogued init printed no peers-file line")
            }
            return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).joined(separator: " ")
        }
    }

    /// Registers a user with its card file.
    func addUser(_ address: String, card: String) throws {
        let added = try DialoguedProcess.run(["user", "add", address, "--card", card, "--data", data])
        guard added.status == 0 else { throw ProcessFailure("dialogued user add \(address): \(added.error)") }
    }

    /// Registers a user with its card's bytes.
    func addUser(_ address: String, cardBytes: [UInt8]) throws {
        let path = data + "/\(address).card"
        try Data(cardBytes).write(to: URL(fileURLWithPath: path))
        try addUser(address, card: path)
    }

    /// Writes the peers file (one line per peer) that `serve` reads.
    func setPeers(_ lines: [String]) throws {
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: data + "/peers.txt"))
    }

    /// Starts `dialogued serve` and waits until it answers `GET /server`.
    func start(environment: [String: String] = [:]) async throws {
        let process = Process()
        process.executableURL = DialoguedProcess.executable
        process.arguments = ["serve", "--data", data]
        var env = ProcessInfo.processInfo.environment
        if FileManager.default.fileExists(atPath: data + "/peers.txt") { env["DIALOGUED_PEERS"] = data + "/peers.txt" }
        env["DIALOGUED_LOG_LEVEL"] = env["DIALOGUED_TEST_LOG_LEVEL"] ?? "info"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if !FileManager.default.fileExists(atPath: logPath) {
            FileManager.default.createFile(atPath: logPath, contents: nil)
        }
        let logFile = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        logFile.seekToEndOfFile()
        process.standardError = logFile
        process.standardOutput = logFile
        try process.run()
        self.process = process
        logHandle = logFile
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if !process.isRunning { throw ProcessFailure("dialogued exited: \(log(tail: 2_000))") }
            if await answers() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ProcessFailure("dialogued did not answer within 30 s: \(log(tail: 2_000))")
    }

    /// Whether `GET /server` answers 200.
    func answers() async -> Bool {
        guard let url = URL(string: "http://127.0.0.1:\(listenPort)/dialogue/v1/server") else { return false }
        return await withCheckedContinuation { continuation in
            var request = URLRequest(url: url)
            request.timeoutInterval = 2
            URLSession.shared.dataTask(with: request) { _, response, _ in
                continuation.resume(returning: (response as? HTTPURLResponse)?.statusCode == 200)
            }.resume()
        }
    }

    /// Stops the server with SIGTERM (graceful shutdown) and waits for it.
    func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    /// Kills the server with SIGKILL, as a crash or a power cut would end it.
    func kill() {
        guard let process, process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// Stops the server and removes its data.
    func remove() {
        stop()
        try? FileManager.default.removeItem(atPath: data)
    }

    /// How many requests the server logged for `method` on `route` (`/blobs/{blob}`), with `status` if given:
    /// its log has one line per request, written when the response is sent.
    func requests(_ method: String, _ route: String, status: Int? = nil) -> Int {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        let needle = "method=\(method) route=\(route)" + (status.map { " status=\($0)" } ?? "")
        return text.components(separatedBy: needle).count - 1
    }

    /// The blob files the server holds (SQLite stores keep one file per blob, named by identifier).
    func blobFiles() -> Set<String> {
        let root = data + "/blobs"
        let shards = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return Set(shards.flatMap { (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + $0)) ?? [] })
    }

    /// The end of the server's log, for a failure's message.
    func log(tail count: Int) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return String(text.suffix(count))
    }

    // MARK: The executable

    /// The built `dialogued` beside the test bundle.
    static var executable: URL { DialoguedCommandTests.executable }

    /// Runs `dialogued ARGUMENTS` to its end.
    static func run(_ arguments: [String]) throws -> DialoguedCommandTests.Result {
        try DialoguedCommandTests().run(arguments)
    }

    /// A loopback port that nothing listens on now, for a process to bind later.
    ///
    /// The port is free when it is found, not when the process binds it. So it is drawn below the
    /// kernel's ephemeral range (`ip_local_port_range`), where no socket bound to port 0 and no
    /// outgoing connection can take it meanwhile (a test server on port 0 once took a port handed out
    /// for a `dialogued` about to start: "Address already in use"), and never handed out twice in this
    /// process (two servers on one port answered each other's clients).
    static func freePort() throws -> Int {
        let ports = 20_000..<max(20_001, ephemeralPortsStart)
        for _ in 0..<1_000 {
            let port = ports.count > 1 ? Int.random(in: ports) : try boundLoopbackSocket().port
            guard handedOut.withLock({ !$0.contains(port) }), isFree(port) else { continue }
            if handedOut.withLock({ $0.insert(port).inserted }) { return port }
        }
        throw ProcessFailure("no free port that this test process has not handed out already")
    }

    /// The first port of the kernel's ephemeral range (32,768 unless configured otherwise).
    private static let ephemeralPortsStart: Int = {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        return text.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32_768
    }()

    /// The address of `port` on 127.0.0.1.
    static func loopbackAddress(_ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// Whether `port` of 127.0.0.1 can be bound now.
    private static func isFree(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = loopbackAddress(port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        } == 0
    }

    /// Every port ``freePort()`` has returned in this process.
    private static let handedOut = Mutex<Set<Int>>([])

    /// A TCP socket bound to a free port of 127.0.0.1, and the port.
    static func boundLoopbackSocket() throws -> (descriptor: Int32, port: Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ProcessFailure("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard bound == 0, named == 0 else {
            close(descriptor)
            throw ProcessFailure("bind() or getsockname() failed")
        }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }
}

/// A test's set-up that failed: a process that would not start or answer.
struct ProcessFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
