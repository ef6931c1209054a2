import ArgumentParser
import DialogueClient
import DialogueMessages
import Foundation

/// `dialogue mail-benchmark` (hidden): end-to-end delivery through the library, for
/// scripts/client-benchmark.sh: the sender's client submits a message, the recipient's client
/// long-polls its inbox until the notification arrives, fetches and reads the text, and
/// acknowledges; one message at a time, so each latency is one whole delivery.
struct MailBenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail-benchmark",
        abstract: "Measure end-to-end delivery (submit, notify, fetch, acknowledge) between two accounts.",
        shouldDisplay: false)

    @Option(name: .long, help: "The sending account's directory.") var sender: String
    @Option(name: .long, help: "The receiving account's directory.") var recipient: String
    @Option(name: .long, help: "Messages measured.") var count = 200
    @Option(name: .long, help: "Messages sent first and not measured.") var warmup = 10
    @Option(name: .long, help: "The text's size in bytes.") var size = 1024

    func run() async throws {
        let sending = try AccountLocation.parse(["--home", sender]).client()
        let receiving = try AccountLocation.parse(["--home", recipient]).client()
        let text = String(repeating: "x", count: size)
        var latencies: [Double] = []
        let clock = ContinuousClock()
        var measuredStart = clock.now
        try await reporting {
            for round in 0..<(warmup + count) {
                if round == warmup { measuredStart = clock.now }
                let start = clock.now
                _ = try await sending.send(
                    Composition(to: [receiving.address], subject: "benchmark \(round)", text: text))
                var arrived: [InboxMessage] = []
                while arrived.isEmpty { arrived = try await receiving.sync(wait: 30) }
                for message in arrived {
                    let opened = try await receiving.open(message.number)
                    let body = try await receiving.partReader(opened, index: 0).readAll()
                    guard body.count == size else {
                        throw fail("benchmark", "message \(round) arrived with \(body.count) bytes")
                    }
                    try await receiving.acknowledge(message.number, keeping: false)
                }
                if round >= warmup { latencies.append((clock.now - start) / .milliseconds(1)) }
            }
        }
        let seconds = (clock.now - measuredStart) / .seconds(1)
        await sending.shutdown()
        await receiving.shutdown()
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double {
            sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }
        print(
            String(
                format: "messages %d seconds %.3f per_second %.1f p50_ms %.2f p99_ms %.2f", count, seconds,
                Double(count) / seconds, percentile(0.50), percentile(0.99)))
    }
}
