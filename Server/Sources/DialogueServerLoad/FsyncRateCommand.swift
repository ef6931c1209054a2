internal import ArgumentParser
internal import Foundation

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// `dialogued-load fsync-rate`: the machine's own rate of durable commits on a file system, the ceiling
/// of a server that commits each request on its own: one thread writes `--size` bytes and synchronizes,
/// in a loop, appending to a new file with `fsync` (`mode=append-fsync`, what a growing log does) and
/// overwriting a preallocated file with `fdatasync` (`mode=overwrite-fdatasync`, a log being reused).
struct FsyncRateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fsync-rate", abstract: "Measure write+fsync commits per second in a directory.")

    @Option(help: "The directory (on the file system to measure).") var directory: String
    @Option(help: "Seconds per mode.") var seconds: Double = 5
    @Option(help: "Bytes written before each synchronization.") var size: Int = 4_096

    func run() throws {
        let path = directory + "/fsync-rate-\(getpid()).tmp"
        defer { unlink(path) }
        let block = [UInt8](repeating: 0x5a, count: size)
        for mode in ["append-fsync", "overwrite-fdatasync"] {
            unlink(path)
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw LoadError("cannot create \(path): \(String(cString: strerror(errno)))") }
            defer { close(descriptor) }
            let overwrite = mode == "overwrite-fdatasync"
            let slots = 256
            if overwrite {
                for _ in 0..<slots { try write(descriptor, block) }
                guard fsync(descriptor) == 0 else { throw LoadError("fsync failed") }
            }
            var latencies: [Duration] = []
            let started = ContinuousClock.now
            let deadline = started + .milliseconds(Int(seconds * 1_000))
            var index = 0
            while ContinuousClock.now < deadline {
                let start = ContinuousClock.now
                if overwrite {
                    guard pwrite(descriptor, block, size, off_t((index % slots) * size)) == size else {
                        throw LoadError("pwrite failed")
                    }
                    guard fdatasync(descriptor) == 0 else { throw LoadError("fdatasync failed") }
                } else {
                    try write(descriptor, block)
                    guard fsync(descriptor) == 0 else { throw LoadError("fsync failed") }
                }
                latencies.append(ContinuousClock.now - start)
                index += 1
            }
            let summary = LatencySummary(
                latencies: latencies, elapsed: ContinuousClock.now - started, statuses: [:], failure: nil, expected: [])
            print(summary.line("fsync", extra: [("mode", mode), ("size", String(size))]))
        }
    }

    private func write(_ descriptor: Int32, _ block: [UInt8]) throws {
        let written = block.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress!, $0.count) }
        guard written == block.count else { throw LoadError("write failed: \(String(cString: strerror(errno)))") }
    }
}
