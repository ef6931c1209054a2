internal import ArgumentParser
internal import AsyncHTTPClient
internal import DialogueIdentifiers
internal import Foundation
internal import NIOCore
internal import NIOHTTP1

/// `dialogued-load transfer upload|download`: moves many or large blobs through the server, for its
/// memory while they are in flight. `upload` streams `--count` blobs of `--size` bytes, `--concurrency`
/// at a time, then submits a message naming them so that they are served, and writes their identifiers
/// to `--ids`; `download` fetches every blob of `--ids` and checks its length, optionally reading slowly
/// (`--pause-ms` after each part of the answer). Prints `transfer direction=… bytes=… mib_s=…`.
struct TransferCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer", abstract: "Upload or download many or large blobs.")

    enum Direction: String, ExpressibleByArgument, Sendable { case upload, download }

    @Argument(help: "upload or download.") var direction: Direction
    @OptionGroup var target: TargetOptions
    @Option(help: "The file of blob identifiers (written by upload, read by download).") var ids: String
    @Option(help: "Bytes per blob (upload).") var size: Int = 1 << 20
    @Option(help: "Blobs (upload).") var count: Int = 256
    @Option(help: "Transfers in flight.") var concurrency: Int = 4
    @Option(help: "Milliseconds to pause after each part of an answer (download).") var pauseMs: Int = 0
    @Option(help: "A seed that makes this upload's blobs differ from another's.") var seed: UInt64 = 7

    func run() async throws {
        let requests = try target.requests()
        let started = ContinuousClock.now
        let bytes = try await LoadClient.using(connections: concurrency) { client in
            switch direction {
            case .upload: try await upload(requests, client: client)
            case .download: try await download(requests, client: client.client)
            }
        }
        let seconds = LatencySummary.seconds(ContinuousClock.now - started)
        print(
            "transfer direction=\(direction.rawValue) bytes=\(bytes) seconds=\(String(format: "%.3f", seconds)) "
                + "mib_s=\(String(format: "%.1f", Double(bytes) / 1_048_576 / seconds)) concurrency=\(concurrency)")
    }

    private func upload(_ requests: MailRequests, client: LoadClient) async throws -> Int {
        let work = WorkQueue(count: count)
        let uploaded = try await withThrowingTaskGroup(of: [(Int, ContentIdentifier)].self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var done: [(Int, ContentIdentifier)] = []
                    while let index = work.next() {
                        let (id, request) = try requests.upload(
                            SeededBytes.make(count: size, seed: seed << 32 + UInt64(index)))
                        try await client.sendSucceeding(request, "upload \(index)")
                        done.append((index, id))
                    }
                    return done
                }
            }
            var all: [(Int, ContentIdentifier)] = []
            for try await part in group { all += part }
            return all.sorted { $0.0 < $1.0 }.map(\.1)
        }
        try await client.sendSucceeding(try requests.submission(naming: uploaded), "submission")
        let text = uploaded.map { $0.text(kind: .blob) + " \(size)\n" }.joined()
        try Data(text.utf8).write(to: URL(fileURLWithPath: ids))
        return size * count
    }

    private func download(_ requests: MailRequests, client: HTTPClient) async throws -> Int {
        guard let text = FileManager.default.contents(atPath: ids) else { throw LoadError("cannot read \(ids)") }
        let blobs = String(decoding: text, as: UTF8.self).split(separator: "\n").map { line in
            let fields = line.split(separator: " ")
            return (String(fields[0]), Int(fields[1]) ?? -1)
        }
        let work = WorkQueue(count: blobs.count)
        let pause = pauseMs
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var total = 0
                    while let index = work.next() {
                        let (id, expected) = blobs[index]
                        let request = PreparedRequest(method: .GET, url: requests.server + "/blobs/" + id)
                        let response = try await client.execute(request.clientRequest, timeout: .seconds(600))
                        guard response.status.code == 200 else { throw LoadError("GET \(id): \(response.status)") }
                        var received = 0
                        for try await part in response.body {
                            received += part.readableBytes
                            if pause > 0 { try await Task.sleep(for: .milliseconds(pause)) }
                        }
                        guard received == expected else {
                            throw LoadError("GET \(id): \(received) of \(expected) bytes")
                        }
                        total += received
                    }
                    return total
                }
            }
            var total = 0
            for try await part in group { total += part }
            return total
        }
    }
}
