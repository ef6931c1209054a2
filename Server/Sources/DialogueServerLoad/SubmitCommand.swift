internal import ArgumentParser
internal import DialogueCrypto

/// `dialogued-load submit`: the user uploads `--count` distinct 1 KiB envelopes, then submits one
/// message per envelope to a user of the fake peer, `--concurrency` requests at a time. Both are
/// acknowledged only once durable ([dlv-durable], [dlv-submission-durable]). Prints an `uploads` and a
/// `submissions` line.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "Measure 1 KiB uploads and submissions per second.")

    @OptionGroup var target: TargetOptions
    @Option(help: "Messages to submit (after the warm-up).") var count: Int = 1_000
    @Option(help: "Requests in flight.") var concurrency: Int = 16
    @Option(help: "Messages submitted first and not measured.") var warmup: Int = 20
    @Option(help: "The envelope size in bytes.") var size: Int = 1_024

    func run() async throws {
        let requests = try target.requests()
        let uploads = try (0..<(warmup + count)).map { _ in try requests.upload(SecureRandom.bytes(count: size)) }
        let submissions = try uploads.map { try requests.submission(naming: [$0.id]) }
        let (uploaded, submitted) = try await LoadClient.using(connections: concurrency) { client in
            let uploaded = try await client.measure(
                uploads.map(\.request), warmup: warmup, concurrency: concurrency, expected: [201])
            let submitted = try await client.measure(
                submissions, warmup: warmup, concurrency: concurrency, expected: [201])
            return (uploaded, submitted)
        }
        let extra = [("concurrency", String(concurrency)), ("size", String(size))]
        print(uploaded.line("uploads", extra: extra))
        print(submitted.line("submissions", extra: extra))
        guard uploaded.allExpected, submitted.allExpected else { throw ExitCode(1) }
    }
}
