// `dialogue-bench-cli summary`: reads package-benchmark's JMH exports and the whole-command
// timings that scripts/benchmark.sh recorded, and prints every figure next to its reference and
// its target. Times are medians (p50); throughput is computed here as bytes / p50 time.
import Foundation

enum Summary {
    /// One benchmark's p50 and minimum wall-clock time, in nanoseconds.
    struct Timing {
        let p50: Double
        let minimum: Double
        let mallocs: Double
    }

    /// Whole-command runs of one label: wall times (seconds), peak RSS (KiB), CPU time (seconds).
    struct Runs {
        var seconds: [Double] = []
        var rssKiB: [Double] = []
        var cpuSeconds: [Double] = []
        var medianCPU: Double { cpuSeconds.isEmpty ? .nan : cpuSeconds.sorted()[cpuSeconds.count / 2] }
        var median: Double { seconds.sorted()[seconds.count / 2] }
        var minimum: Double { seconds.min() ?? .nan }
        var peakMiB: Double { (rssKiB.max() ?? 0) / 1024 }
    }

    static func run(_ arguments: [String]) throws {
        var options: [String: String] = [:]
        var index = 0
        while index + 1 < arguments.count {
            options[arguments[index]] = arguments[index + 1]
            index += 2
        }
        var timings: [String: Timing] = [:]
        for key in ["--foundation", "--messages"] {
            if let path = options[key] { try load(path, into: &timings, suffix: "") }
        }
        var runs: [String: Runs] = [:]
        if let path = options["--tools"] { runs = try loadRuns(path) }
        print(render(timings: timings, runs: runs))
    }

    private static func load(_ path: String, into timings: inout [String: Timing], suffix: String) throws {
        guard let data = FileManager.default.contents(atPath: path),
            let elements = try JSONSerialization.jsonObject(with: data) as? [[String: Any]]
        else { throw Failure("cannot read the JMH export \(path)") }
        for element in elements {
            guard let qualified = element["benchmark"] as? String,
                let secondary = element["secondaryMetrics"] as? [String: [String: Any]],
                let wall = secondary["Time (wall clock)"]?["scorePercentiles"] as? [String: Double]
            else { continue }
            // package.benchmark.TARGET.NAME, spaces in NAME written as underscores; µs in the export.
            let name = qualified.split(separator: ".", maxSplits: 3).dropFirst(3).joined()
            let mallocs = (secondary["Malloc (total)"]?["scorePercentiles"] as? [String: Double])?["50.0"] ?? .nan
            timings[name + suffix] = Timing(
                p50: (wall["50.0"] ?? .nan) * 1000, minimum: (wall["0.0"] ?? .nan) * 1000, mallocs: mallocs)
            // A/B benchmarks: custom metrics in nanoseconds (countable, so not rescaled by the export).
            if name.hasPrefix("ab_"),
                let swift = secondary["swift ns"]?["scorePercentiles"] as? [String: Double],
                let direct = secondary["direct ns"]?["scorePercentiles"] as? [String: Double]
            {
                timings[name + "_@swift"] = Timing(
                    p50: swift["50.0"] ?? .nan, minimum: swift["0.0"] ?? .nan, mallocs: .nan)
                timings[name + "_@direct"] = Timing(
                    p50: direct["50.0"] ?? .nan, minimum: direct["0.0"] ?? .nan, mallocs: .nan)
                if let ratio = secondary["swift/direct ppm"]?["scorePercentiles"] as? [String: Double] {
                    timings[name + "_@ratio"] = Timing(
                        p50: (ratio["50.0"] ?? .nan) / 1e6, minimum: (ratio["0.0"] ?? .nan) / 1e6, mallocs: .nan)
                }
            }
            if name.hasPrefix("msg_") || name.hasPrefix("chunk_"),
                let cpu = secondary["process cpu ns"]?["scorePercentiles"] as? [String: Double]
            {
                timings[name + "_@cpu"] = Timing(p50: cpu["50.0"] ?? .nan, minimum: cpu["0.0"] ?? .nan, mallocs: .nan)
            }
        }
    }

    private static func loadRuns(_ path: String) throws -> [String: Runs] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Failure("cannot read \(path)")
        }
        var runs: [String: Runs] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            guard fields.count >= 3, let nanoseconds = Double(fields[1]), let rss = Double(fields[2]) else { continue }
            runs[String(fields[0]), default: Runs()].seconds.append(nanoseconds / 1e9)
            runs[String(fields[0]), default: Runs()].rssKiB.append(rss)
            if fields.count >= 5, let user = Double(fields[3]), let system = Double(fields[4]) {
                runs[String(fields[0]), default: Runs()].cpuSeconds.append(user + system)
            }
        }
        return runs
    }

    // MARK: - The table

    private struct Row {
        let figure: String
        let value: String
        let reference: String
        let target: String
        let verdict: String
    }

    private static func render(timings: [String: Timing], runs: [String: Runs]) -> String {
        var rows: [Row] = []
        func timing(_ name: String) -> Timing? { timings[name.replacingOccurrences(of: " ", with: "_")] }
        func verdict(_ met: Bool?) -> String { met.map { $0 ? "met" : "MISSED" } ?? "n/a" }

        // 1. BLAKE2b-256, Swift vs direct crypto_generichash, interleaved A B B A in one benchmark.
        for size in ["1MiB", "64MiB"] {
            let bytes = Double(size == "1MiB" ? 1 << 20 : 64 << 20)
            for (label, name, directLabel) in [
                ("one-shot", "one-shot", "direct crypto_generichash"),
                ("64 KiB updates", "stream64KiB", "direct _init/_update/_final, 64 KiB updates"),
            ] {
                let key = "ab blake2b \(size) \(name)"
                guard let swift = timing("\(key) @swift"), let direct = timing("\(key) @direct") else { continue }
                let ratio = timing("\(key) @ratio")?.p50 ?? swift.p50 / direct.p50
                rows.append(
                    Row(
                        figure: "BLAKE2b-256 \(size), Swift \(label)",
                        value:
                            "\(duration(swift.p50)), \(rate(bytes, swift.p50)) (\(comparison(swift, direct, ratio)))",
                        reference: "\(directLabel) \(duration(direct.p50)), \(rate(bytes, direct.p50))",
                        target: "within 5% of direct", verdict: verdict(ratio <= 1.05)
                    )
                )
            }
        }

        // 2. CBOR.
        for (figure, name, target, minimum) in [
            ("CBOR decode, 256 × 4 KiB bstr", "cbor bstr256x4KiB decode", "≥ 1 GB/s", 1e9),
            ("CBOR decode + read every bstr", "cbor bstr256x4KiB decode+read", "(info)", 0),
            ("CBOR decode, 10,000 small maps", "cbor maps10k decode", "≥ 50 MB/s", 50e6),
            ("CBOR decode + typed read of every field", "cbor maps10k decode+read", "(info)", 0),
            ("CBOR encode, 10,000 small maps", "cbor maps10k encode", "≥ 50 MB/s", 50e6),
        ] {
            guard
                let (key, value) = timings.first(where: {
                    $0.key.hasPrefix(name.replacingOccurrences(of: " ", with: "_") + "_bytes=")
                }),
                let bytes = Double(key.split(separator: "=").last ?? "")
            else { continue }
            let speed = bytes / (value.p50 / 1e9)
            rows.append(
                Row(
                    figure: "\(figure) (\(Int(bytes)) B)", value: "\(duration(value.p50)), \(rate(bytes, value.p50))",
                    reference: "\(Int(value.mallocs)) mallocs", target: target,
                    verdict: minimum > 0 ? verdict(speed >= minimum) : "–"
                )
            )
        }

        // Context: the two passes over every byte of an attachment.
        if let swift = timing("ab xchacha20poly1305 1MiB seal-in-place @swift"),
            let direct = timing("ab xchacha20poly1305 1MiB seal-in-place @direct")
        {
            let bytes = Double(1 << 20)
            rows.append(
                Row(
                    figure: "XChaCha20-Poly1305 1 MiB in place, Swift",
                    value:
                        "\(duration(swift.p50)), \(rate(bytes, swift.p50)) (\(comparison(swift, direct, timing("ab xchacha20poly1305 1MiB seal-in-place @ratio")?.p50)))",
                    reference: "direct \(duration(direct.p50)), \(rate(bytes, direct.p50))", target: "(info)",
                    verdict: "–"
                )
            )
        }
        for (name, figure) in [
            ("chunk seal 1MiB encrypt+id", "One 1 MiB chunk sealed: encrypt + blob id (BLAKE2b)"),
            ("chunk open 1MiB id-check+decrypt", "One 1 MiB chunk opened: id check + decrypt"),
        ] {
            guard let chunk = timing(name) else { continue }
            rows.append(
                Row(
                    figure: figure, value: "\(duration(chunk.p50)), \(rate(Double(1 << 20), chunk.p50)) per core",
                    reference: "–", target: "(info)", verdict: "–"
                )
            )
        }

        // 3. Ed25519.
        if let swift = timing("ab ed25519 verify256B @swift"), let direct = timing("ab ed25519 verify256B @direct") {
            let ratio = timing("ab ed25519 verify256B @ratio")?.p50 ?? swift.p50 / direct.p50
            rows.append(
                Row(
                    figure: "Ed25519 verify (256 B message), Swift",
                    value: "\(duration(swift.p50)) (\(comparison(swift, direct, ratio)))",
                    reference: "direct crypto_sign_verify_detached \(duration(direct.p50))",
                    target: "within 5% of direct",
                    verdict: verdict(ratio <= 1.05)
                )
            )
        }

        if let swift = timing("ab x25519 shared-secret @swift"), let direct = timing("ab x25519 shared-secret @direct")
        {
            rows.append(
                Row(
                    figure: "X25519 shared secret, Swift",
                    value:
                        "\(duration(swift.p50)) (\(comparison(swift, direct, timing("ab x25519 shared-secret @ratio")?.p50)))",
                    reference: "direct crypto_scalarmult \(duration(direct.p50))", target: "(info)", verdict: "–"
                )
            )
        }

        // 4. 256 MiB attachment against age and gpg.
        for (operation, ageLabel, gpgLabel) in [
            ("seal", "age -r", "gpg --sign --encrypt"), ("open", "age -d", "gpg --decrypt"),
        ] {
            guard let ours = runs["\(operation)256-dialogue"], !ours.seconds.isEmpty else { continue }
            let age = runs["\(operation)256-age"]
            let gpg = runs["\(operation)256-gpg"]
            let bytes = Double(256 << 20)
            rows.append(
                Row(
                    figure: "\(operation.capitalized) 256 MiB, 1 recipient (median of \(ours.seconds.count))",
                    value:
                        "\(seconds(ours.median)) (min \(seconds(ours.minimum))), \(rate(bytes, ours.median * 1e9)); CPU \(seconds(ours.medianCPU)); \(mib(ours.peakMiB)) peak",
                    reference: age.map {
                        "\(ageLabel) \(seconds($0.median)) (min \(seconds($0.minimum))); CPU \(seconds($0.medianCPU)); \(mib($0.peakMiB)) peak"
                    } ?? "–",
                    target: "≤ \(ageLabel)", verdict: verdict(age.map { ours.median <= $0.median })
                )
            )
            rows.append(
                Row(
                    figure: "\(operation.capitalized) 256 MiB vs gpg (median of \(gpg?.seconds.count ?? 0))",
                    value: "\(seconds(ours.median))",
                    reference: gpg.map {
                        "\(gpgLabel) \(seconds($0.median)) (min \(seconds($0.minimum))); CPU \(seconds($0.medianCPU)); gpg/dialogue \(String(format: "%.1f×", $0.median / ours.median))"
                    } ?? "–",
                    target: "≥ 2× faster than gpg", verdict: verdict(gpg.map { ours.median * 2 <= $0.median })
                )
            )
        }

        // The floor of the format: raw libsodium doing only the per-byte work, nothing stored.
        if let floor = runs["seal256-floor"], !floor.seconds.isEmpty {
            let age = runs["seal256-age"]
            rows.append(
                Row(
                    figure:
                        "  reference: seal floor, raw libsodium (read, XChaCha20-Poly1305, BLAKE2b id; all cores; "
                        + "nothing stored)",
                    value:
                        "\(seconds(floor.median)) (min \(seconds(floor.minimum)), \(floor.seconds.count) runs); CPU \(seconds(floor.medianCPU))",
                    reference: age.map { "age -r \(seconds($0.median)); CPU \(seconds($0.medianCPU))" } ?? "–",
                    target: "(info: no seal of this format is faster)", verdict: "–"
                )
            )
        }

        // Where seal and open time goes: the same commands with storage switched off or done differently.
        for (label, figure) in [
            ("seal256-diag-discard", "  diagnostic: seal 256 MiB, blobs discarded (read + encrypt + hash only)"),
            ("seal256-diag-nofsync", "  diagnostic: seal 256 MiB, no fsync (1 MiB write() calls)"),
            ("seal256-diag-sliced-nofsync", "  diagnostic: seal 256 MiB, no fsync, 128 KiB write() calls"),
            ("open256-diag-sliced", "  diagnostic: open 256 MiB, plain read(), 128 KiB write() calls"),
        ] {
            guard let diagnostic = runs[label], !diagnostic.seconds.isEmpty else { continue }
            let library = runs[label.hasPrefix("seal") ? "seal256-dialogue" : "open256-dialogue"]
            rows.append(
                Row(
                    figure: figure,
                    value:
                        "\(seconds(diagnostic.median)) (min \(seconds(diagnostic.minimum)), \(diagnostic.seconds.count) runs); CPU \(seconds(diagnostic.medianCPU))",
                    reference: library.map {
                        "library path \(seconds($0.median)) (min \(seconds($0.minimum))); CPU \(seconds($0.medianCPU))"
                    } ?? "–",
                    target: "(info)", verdict: "–"
                )
            )
        }

        // 5. Peak memory, 1 GiB.
        for operation in ["seal", "open"] {
            guard let ours = runs["\(operation)1g-dialogue"], !ours.rssKiB.isEmpty else { continue }
            let age = runs["\(operation)1g-age"]
            rows.append(
                Row(
                    figure: "Peak RSS, \(operation) 1 GiB",
                    value: "\(mib(ours.peakMiB)) (\(seconds(ours.median)), CPU \(seconds(ours.medianCPU)))",
                    reference: age.map {
                        "age \(mib($0.peakMiB)) (\(seconds($0.median)), CPU \(seconds($0.medianCPU)))"
                    } ?? "–", target: "≤ 64 MiB",
                    verdict: verdict(ours.peakMiB <= 64)
                )
            )
        }

        // 6. Small messages.
        for (figure, name) in [
            ("Seals/s, 1 KiB to 1 recipient", "msg seal 1KiB to 1"),
            ("Opens/s, 1 KiB of 1 recipient", "msg open 1KiB of 1"),
        ] {
            guard let cpu = timing(name + " @cpu"), let wall = timing(name) else { continue }
            rows.append(
                Row(
                    figure: figure + ", per core (CPU time)",
                    value: String(
                        format: "%.0f/s (%@ CPU each; best %.0f/s)", 1e9 / cpu.p50, duration(cpu.p50), 1e9 / cpu.minimum
                    ),
                    reference: String(
                        format: "wall clock, one caller: %.0f/s (%@)", 1e9 / wall.p50, duration(wall.p50)),
                    target: "≥ 5,000/s per core", verdict: verdict(1e9 / cpu.p50 >= 5000)
                )
            )
        }
        if let envelopeOnly = timing("msg open-envelope-only 1KiB of 1 @cpu") {
            rows.append(
                Row(
                    figure: "  of which the envelope (no part read), per core",
                    value: String(
                        format: "%.0f/s (%@ CPU; min %@)", 1e9 / envelopeOnly.p50, duration(envelopeOnly.p50),
                        duration(envelopeOnly.minimum)),
                    reference: "–", target: "(info)", verdict: "–"
                )
            )
        }
        if let many = timing("msg seal 1KiB to 1000") {
            rows.append(
                Row(
                    figure: "Seal 1 KiB to 1,000 recipients",
                    value: "\(duration(many.p50)) (min \(duration(many.minimum)))",
                    reference: timing("msg seal 1KiB to 1").map { "to 1: \(duration($0.p50))" } ?? "–",
                    target: "< 100 ms",
                    verdict: verdict(many.p50 < 100e6)
                )
            )
        }
        if let known = timing("msg open 1KiB of 1000 index-known"), let one = timing("msg open 1KiB of 1") {
            let ratio = known.p50 / one.p50
            rows.append(
                Row(
                    figure: "Open 1 KiB of 1,000, stanza index known",
                    value: String(
                        format: "%@ (%.1f× one-recipient; min %@, %.1f×)", duration(known.p50), ratio,
                        duration(known.minimum),
                        known.minimum / one.minimum
                    ),
                    reference: "one-recipient open \(duration(one.p50)) (min \(duration(one.minimum)))",
                    target: "about the same (≤ 1.25×)", verdict: verdict(ratio <= 1.25)
                )
            )
        }
        if let unknown = timing("msg open 1KiB of 1000 index-unknown-last") {
            rows.append(
                Row(
                    figure: "Open 1 KiB of 1,000, index unknown, last stanza", value: duration(unknown.p50),
                    reference: timing("msg open 1KiB of 1000 index-known").map { "index known \(duration($0.p50))" }
                        ?? "–",
                    target: "(info)", verdict: "–"
                )
            )
        }
        return table(rows)
    }

    private static func table(_ rows: [Row]) -> String {
        var lines = ["| figure | measured | reference (same run) | target | verdict |", "|---|---|---|---|---|"]
        for row in rows {
            lines.append("| \(row.figure) | \(row.value) | \(row.reference) | \(row.target) | \(row.verdict) |")
        }
        let met = rows.filter { $0.verdict == "met" }.count
        let missed = rows.filter { $0.verdict == "MISSED" }.count
        lines.append("")
        lines.append("targets: \(met) met, \(missed) missed")
        return lines.joined(separator: "\n")
    }

    // MARK: - Formatting

    private static func duration(_ nanoseconds: Double) -> String {
        switch nanoseconds {
        case ..<1e3: String(format: "%.0f ns", nanoseconds)
        case ..<1e6: String(format: "%.1f µs", nanoseconds / 1e3)
        case ..<1e9: String(format: "%.2f ms", nanoseconds / 1e6)
        default: String(format: "%.2f s", nanoseconds / 1e9)
        }
    }

    private static func seconds(_ value: Double) -> String { String(format: "%.2f s", value) }

    private static func rate(_ bytes: Double, _ nanoseconds: Double) -> String {
        let perSecond = bytes / (nanoseconds / 1e9)
        return perSecond >= 1e9
            ? String(format: "%.2f GB/s", perSecond / 1e9) : String(format: "%.0f MB/s", perSecond / 1e6)
    }

    private static func percent(_ ratio: Double) -> String { String(format: "%+.1f%%", (ratio - 1) * 100) }

    /// Swift against direct, from one interleaved benchmark: the median of the per-iteration ratios
    /// (which the verdict uses), and the ratio of the two sides' medians and of their minimums.
    private static func comparison(_ swift: Timing, _ direct: Timing, _ pairedRatio: Double? = nil) -> String {
        let paired = pairedRatio.map { "paired \(percent($0)); " } ?? ""
        return "\(paired)p50 \(percent(swift.p50 / direct.p50)), min \(percent(swift.minimum / direct.minimum))"
    }

    private static func mib(_ value: Double) -> String { String(format: "%.1f MiB", value) }
}
