internal import AsyncHTTPClient
internal import Foundation
internal import NIOCore
internal import NIOHTTP1

/// Sends prepared requests over keep-alive connections with `concurrency` requests in flight, timing each
/// one from the start of its request to the end of its answer.
struct LoadClient: Sendable {
    let client: HTTPClient

    /// A client with up to `connections` connections to one host.
    static func make(connections: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.connectionPool = .init(
            idleTimeout: .seconds(120), concurrentHTTP1ConnectionsPerHostSoftLimit: max(connections, 1))
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(120))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Runs `body` with a client of up to `connections` connections, and shuts the client down after it,
    /// whether it returns or throws.
    static func using<T: Sendable>(connections: Int, _ body: (LoadClient) async throws -> T) async throws -> T {
        let http = make(connections: connections)
        let result: T
        do {
            result = try await body(LoadClient(client: http))
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
        return result
    }

    /// Sends one request that must succeed (`200` or `201`); `what` names it in the error otherwise.
    func sendSucceeding(_ request: PreparedRequest, _ what: String) async throws {
        let (status, body) = try await send(request)
        guard status == 200 || status == 201 else {
            throw LoadError("\(what): \(status) \(String(decoding: body, as: UTF8.self))")
        }
    }

    /// Sends `warmup` requests unmeasured, then the rest measured (see ``run(_:concurrency:expected:)``).
    func measure(_ requests: [PreparedRequest], warmup: Int, concurrency: Int, expected: Set<Int>) async throws
        -> LatencySummary
    {
        _ = try await run(Array(requests.prefix(warmup)), concurrency: concurrency, expected: expected)
        return try await run(Array(requests.dropFirst(warmup)), concurrency: concurrency, expected: expected)
    }

    /// Sends one request and reads its answer (at most `limit` bytes kept); the status and the answer.
    func send(_ request: PreparedRequest, limit: Int = 1 << 16) async throws -> (status: Int, body: [UInt8]) {
        let response = try await client.execute(request.clientRequest, timeout: .seconds(120))
        var body: [UInt8] = []
        for try await buffer in response.body where body.count < limit {
            body.append(contentsOf: buffer.readableBytesView.prefix(limit - body.count))
        }
        return (Int(response.status.code), body)
    }

    /// Sends every request, `concurrency` at a time, and summarizes the run; an answer whose status is
    /// not in `expected` is counted and its first body kept for the report.
    func run(_ requests: [PreparedRequest], concurrency: Int, expected: Set<Int>) async throws -> LatencySummary {
        let work = WorkQueue(count: requests.count)
        let started = ContinuousClock.now
        let results = try await withThrowingTaskGroup(of: WorkerResult.self) { group in
            for _ in 0..<max(concurrency, 1) {
                group.addTask {
                    var result = WorkerResult()
                    while true {
                        guard let index = work.next() else { break }
                        let start = ContinuousClock.now
                        let (status, body) = try await send(requests[index])
                        result.latencies.append(ContinuousClock.now - start)
                        result.statuses[status, default: 0] += 1
                        if !expected.contains(status), result.firstFailure == nil {
                            result.firstFailure = "\(status) \(String(decoding: body.prefix(300), as: UTF8.self))"
                        }
                    }
                    return result
                }
            }
            var all: [WorkerResult] = []
            for try await result in group { all.append(result) }
            return all
        }
        let elapsed = ContinuousClock.now - started
        var statuses: [Int: Int] = [:]
        for result in results { statuses.merge(result.statuses, uniquingKeysWith: +) }
        return LatencySummary(
            latencies: results.flatMap(\.latencies), elapsed: elapsed, statuses: statuses,
            failure: results.compactMap(\.firstFailure).first, expected: expected)
    }

    private struct WorkerResult: Sendable {
        var latencies: [Duration] = []
        var statuses: [Int: Int] = [:]
        var firstFailure: String?
    }
}
