internal import Foundation

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// The name under which this process holds leases in a store that several processes share
/// (``DialogueServerStorage/Lease``): the host, the process identifier and a random part, so that a
/// restarted process with the same identifier is a new owner and never extends a dead one's leases.
public enum LeaseOwner {
    /// This process's name, `HOST PID RANDOM`.
    public static let thisProcess: String =
        "\(hostName) \(ProcessInfo.processInfo.processIdentifier) \(UUID().uuidString.prefix(8).lowercased())"

    /// `gethostname(2)`: Foundation's host name may ask the resolver, which a server must not wait for at start.
    private static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "host" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "host" : name.replacingOccurrences(of: " ", with: "-")
    }
}
