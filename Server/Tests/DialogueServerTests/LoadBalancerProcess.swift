import Foundation
import Testing

/// nginx on loopback in front of `dialogued` processes, run in the foreground from the committed
/// `Server/deploy/nginx.conf` with its three addresses replaced by the test's ports (README.md:
/// "Deploying at scale"). Tests skip, saying so, when nginx is not installed.
final class LoadBalancerProcess: @unchecked Sendable {
    /// Debian's nginx, if installed.
    static let executable: String? = ["/usr/sbin/nginx", "/usr/bin/nginx"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    /// Why the tests that need it are skipped.
    static let skipReason: Comment =
        "nginx is not installed (apt-get install -y nginx): the load-balancer test is skipped"

    /// The committed configuration.
    static var configuration: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("deploy/nginx.conf")
    }

    let port: Int
    let prefix: String
    private let process = Process()

    /// Starts nginx on `port` before the processes on `upstreams` (two, as in the configuration).
    init(port: Int, upstreams: [Int]) throws {
        guard let executable = Self.executable else { throw ProcessFailure("nginx is not installed") }
        guard upstreams.count == 2 else { throw ProcessFailure("the configuration names two upstreams") }
        self.port = port
        prefix = NSTemporaryDirectory() + "nginx-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: prefix, withIntermediateDirectories: true)
        var text = try String(contentsOf: Self.configuration, encoding: .utf8)
        for (placeholder, value) in [
            ("127.0.0.1:8080", port), ("127.0.0.1:8081", upstreams[0]), ("127.0.0.1:8082", upstreams[1]),
        ] {
            guard text.contains(placeholder) else { throw ProcessFailure("nginx.conf has no \(placeholder)") }
            text = text.replacingOccurrences(of: placeholder, with: "127.0.0.1:\(value)")
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: prefix + "/nginx.conf"))
        process.executableURL = URL(fileURLWithPath: executable)
        // The prefix holds every relative path of the file; `-e` the log of the start before it is read.
        process.arguments = [
            "-p", prefix, "-c", prefix + "/nginx.conf", "-e", prefix + "/error.log", "-g", "daemon off;",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Waits until nginx answers on its port (a connection is accepted).
    func waitUntilListening() async throws {
        try await waitUntil("nginx listens on \(port)", seconds: 10) {
            guard process.isRunning else { throw ProcessFailure("nginx exited: \(log)") }
            return LoadBalancerProcess.accepts(port: port)
        }
    }

    /// nginx's error log.
    var log: String { (try? String(contentsOfFile: prefix + "/error.log", encoding: .utf8)) ?? "" }

    /// Stops nginx (SIGQUIT, a graceful stop) and removes its directory.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGQUIT)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: prefix)
    }

    private static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = DialoguedProcess.loopbackAddress(port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
