internal import ArgumentParser

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// `dialogued-load free-port`: prints a TCP port of 127.0.0.1 that is free now (the kernel's choice for
/// port 0), for a server whose base URL must name its port before it starts.
struct FreePortCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "free-port", abstract: "Print a free TCP port on 127.0.0.1.")

    func run() throws {
        let socket = try LoopbackSocket.make()
        defer { close(socket) }
        var address = LoopbackSocket.address(port: 0)
        let bound = LoopbackSocket.withSocketAddress(&address) { pointer, size in
            var length = size
            return bind(socket, pointer, size) == 0 && getsockname(socket, pointer, &length) == 0
        }
        guard bound else { throw LoadError("cannot bind 127.0.0.1:0") }
        print(UInt16(bigEndian: address.sin_port))
    }
}
