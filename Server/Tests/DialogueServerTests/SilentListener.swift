import Foundation

/// A loopback port that takes connections and never answers: the kernel completes each connection
/// into the listen queue, nothing accepts it, and a request sent there waits until its timeout. A peer
/// that hangs, so that the outbox holds its leases while the test kills a process. Closing it resets
/// every waiting connection.
final class SilentListener: @unchecked Sendable {
    let port: Int
    private var descriptor: Int32

    /// Listens on a free loopback port.
    init() throws {
        (descriptor, port) = try DialoguedProcess.boundLoopbackSocket()
        guard listen(descriptor, 512) == 0 else {
            Foundation.close(descriptor)
            throw ProcessFailure("listen() failed")
        }
    }

    /// Closes the port, resetting the connections that wait on it.
    func close() {
        guard descriptor >= 0 else { return }
        Foundation.close(descriptor)
        descriptor = -1
    }

    deinit { close() }
}
