internal import ArgumentParser
internal import Foundation

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// `dialogued-load idle`: opens `--connections` keep-alive connections, makes one `GET` on each, and holds
/// them idle until `--release-file` disappears (or `--hold` seconds); then makes a second request on
/// each to check that the server kept them. `--ready-file` is created once every connection is open, so
/// that the benchmark can sample the server's memory. Prints `idle connections=… answered=… kept=…`.
struct IdleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idle", abstract: "Hold many idle keep-alive connections to a server.")

    @Option(help: "The server's port on 127.0.0.1.") var port: Int
    @Option(help: "The path to request on each connection.") var path: String = "/health"
    @Option(help: "Connections to open.") var connections: Int = 1_000
    @Option(help: "Created once every connection is open and idle.") var readyFile: String
    @Option(help: "Held open while this file exists.") var releaseFile: String?
    @Option(help: "The longest the connections are held, in seconds.") var hold: Double = 60

    func run() throws {
        var sockets: [Int32] = []
        defer { for socket in sockets { close(socket) } }
        var answered = 0
        for _ in 0..<connections {
            let socket = try Self.connect(port: port)
            sockets.append(socket)
            if try Self.exchange(socket, path: path) { answered += 1 }
        }
        FileManager.default.createFile(atPath: readyFile, contents: Data("\(connections)\n".utf8))
        let deadline = Date().addingTimeInterval(hold)
        while Date() < deadline, releaseFile.map({ FileManager.default.fileExists(atPath: $0) }) ?? true {
            Thread.sleep(forTimeInterval: 0.05)
        }
        var kept = 0
        for socket in sockets where (try? Self.exchange(socket, path: path)) == true { kept += 1 }
        print("idle connections=\(connections) answered=\(answered) kept=\(kept)")
        guard answered == connections, kept == connections else { throw ExitCode(1) }
    }

    static func connect(port: Int) throws -> Int32 {
        let socket = try LoopbackSocket.make()
        var address = LoopbackSocket.address(port: port)
        let result = LoopbackSocket.withSocketAddress(&address) { pointer, size in
            #if canImport(Glibc)
                Glibc.connect(socket, pointer, size)
            #else
                Darwin.connect(socket, pointer, size)
            #endif
        }
        guard result == 0 else {
            close(socket)
            throw LoadError("connect to 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }
        return socket
    }

    /// One keep-alive `GET` and its whole answer (head and a body of `Content-Length` bytes); `false`
    /// when the server closed or answered something else than 200.
    static func exchange(_ socket: Int32, path: String) throws -> Bool {
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(socket, $0.baseAddress!, $0.count, 0) }) == request.count else {
            return false
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        let separator = Array("\r\n\r\n".utf8)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress!, $0.count, 0) }
            guard count > 0 else { return false }
            received += buffer[0..<count]
            guard let end = received.firstRange(of: separator)?.upperBound else { continue }
            let head = String(decoding: received[..<end], as: UTF8.self).lowercased()
            let length =
                head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            if received.count >= end + length { return head.hasPrefix("http/1.1 200") }
        }
    }
}
