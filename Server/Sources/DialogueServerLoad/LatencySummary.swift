internal import Foundation

/// The figures of one run: rate, p50 and p99 latency, and the statuses answered.
struct LatencySummary: Sendable {
    let latencies: [Duration]
    let elapsed: Duration
    let statuses: [Int: Int]
    let failure: String?
    let expected: Set<Int>

    /// Whether every answer had an expected status.
    var allExpected: Bool { statuses.keys.allSatisfy(expected.contains) }

    /// The latency at quantile `q` (nearest rank), in milliseconds.
    func milliseconds(at q: Double) -> Double {
        let sorted = latencies.sorted()
        guard !sorted.isEmpty else { return 0 }
        let rank = min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))
        return Self.seconds(sorted[rank]) * 1_000
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// `NAME count=… seconds=… rate=… p50_ms=… p99_ms=… statuses=201:…` (and `failure=` if any).
    func line(_ name: String, extra: [(String, String)] = []) -> String {
        let seconds = Self.seconds(elapsed)
        var fields: [(String, String)] = [
            ("count", String(latencies.count)), ("seconds", String(format: "%.3f", seconds)),
            ("rate", String(format: "%.1f", Double(latencies.count) / max(seconds, 1e-9))),
            ("p50_ms", String(format: "%.2f", milliseconds(at: 0.50))),
            ("p99_ms", String(format: "%.2f", milliseconds(at: 0.99))),
            ("statuses", statuses.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")),
        ]
        fields += extra
        if let failure, !allExpected {
            fields.append(("failure", "\"" + failure.replacingOccurrences(of: "\n", with: " ") + "\""))
        }
        return name + " " + fields.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
    }
}
