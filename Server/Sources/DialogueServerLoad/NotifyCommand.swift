internal import ArgumentParser

/// `dialogued-load notify`: the fake peer posts `--count` new notifications to the user, `--concurrency`
/// at a time; each is acknowledged (`202`) only after its durable commit ([dlv-durable]). Prints
/// `notifications count=… rate=… p50_ms=… p99_ms=…`.
struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify", abstract: "Measure notifications accepted per second.")

    @OptionGroup var target: TargetOptions
    @Option(help: "Notifications to send (after the warm-up).") var count: Int = 2_000
    @Option(help: "Requests in flight.") var concurrency: Int = 16
    @Option(help: "Notifications sent first and not measured.") var warmup: Int = 50
    @Option(help: "The name of the output line.") var name: String = "notifications"

    func run() async throws {
        let requests = try target.requests()
        let prepared = try (0..<(warmup + count)).map { _ in try requests.notification() }
        let summary = try await LoadClient.using(connections: concurrency) { client in
            try await client.measure(prepared, warmup: warmup, concurrency: concurrency, expected: [202])
        }
        print(summary.line(name, extra: [("concurrency", String(concurrency))]))
        guard summary.allExpected else { throw ExitCode(1) }
    }
}
