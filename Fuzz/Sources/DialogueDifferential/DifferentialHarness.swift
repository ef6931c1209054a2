internal import DialogueConformance
internal import DialogueFuzzSupport

#if canImport(Glibc)
    internal import Glibc
#endif

/// Runs inputs through both implementations and records where they disagree.
final class DifferentialHarness {
    let reference = ReferenceTarget()
    let adapter: AdapterTarget
    let findings: String
    let seed: UInt64

    /// Inputs compared, per target.
    var compared: [String: Int] = [:]
    /// Disagreements, per target and kind (the two answers' short forms), with a count and the
    /// first input's file.
    var disagreements: [String: [String: (count: Int, file: String)]] = [:]
    /// Inputs both implementations accepted with the same answer, per target: how many mutants
    /// got past the checks (a re-signed mutant passes the signature check).
    var accepted: [String: Int] = [:]
    /// Answers the adapter could not give (it broke, or called the case unsupported).
    var adapterFailures: [String: Int] = [:]
    var unexplained: Int { disagreements.values.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.count } } }

    init(adapter: AdapterTarget, findings: String, seed: UInt64) {
        self.adapter = adapter
        self.findings = findings
        self.seed = seed
    }

    func run(targets: [FuzzTarget], fuzz: String, mutants: Int, seconds: Double) async -> String {
        let start = Self.now()
        var round: UInt64 = 0
        repeat {
            for target in targets {
                guard let contexts = try? FuzzContexts(target: target, directory: fuzz + "/contexts") else {
                    StandardError.print("\(target.name): no contexts; run Fuzz/make-corpus.py")
                    continue
                }
                let directory = fuzz + "/corpus/" + target.name
                for (index, name) in FileBytes.list(directory).enumerated() {
                    guard let seedInput = FileBytes.read(directory + "/" + name) else { continue }
                    var random = FuzzRandom(seed: seed &* 1_000_003 &+ round &* 7919 &+ UInt64(index))
                    if target.isSigned, let field = contexts.split(seedInput)?.field {
                        SignedObjectMutator.learn(Array(field))
                    }
                    if round == 0 { await compare(seedInput, target, contexts) }
                    for _ in 0..<mutants {
                        await compare(Self.mutant(of: seedInput, target, contexts, &random), target, contexts)
                    }
                    if seconds > 0 && Self.now() - start > seconds { break }
                }
                if seconds > 0 && Self.now() - start > seconds { break }
            }
            round += 1
        } while seconds > 0 && Self.now() - start < seconds
        await adapter.stop()
        return summary(seconds: Self.now() - start)
    }

    static func mutant(of input: [UInt8], _ target: FuzzTarget, _ contexts: FuzzContexts, _ random: inout FuzzRandom)
        -> [UInt8]
    {
        let head = contexts.isPrefixed ? Array(input.prefix(1)) : []
        let field = Array(input.dropFirst(head.count))
        let steps = 1 + random.below(3)
        var mutated: [UInt8]
        if target.isSigned && random.below(4) != 0,
            let structured = SignedObjectMutator.mutate(field, times: steps, random: &random)
        {
            mutated = structured
        } else {
            mutated = ByteMutator.mutate(field, times: steps, random: &random)
        }
        let newHead = contexts.isPrefixed && random.oneIn(10) ? [UInt8(random.below(256))] : head
        return newHead + mutated
    }

    func compare(_ input: [UInt8], _ target: FuzzTarget, _ contexts: FuzzContexts) async {
        guard let operation = target.operation, let json = contexts.operationInput(input) else { return }
        compared[target.name, default: 0] += 1
        let swift = await reference.perform(operation, input: json)
        let other = await adapter.perform(operation, input: json)
        let kind: String
        switch (swift, other) {
        case (_, .broken), (_, .unsupported):
            adapterFailures[target.name, default: 0] += 1
            kind = "adapter: \(other)"
        case (.ok(let a), .ok(let b)):
            if a == b {
                accepted[target.name, default: 0] += 1
                return
            }
            kind = "outputs differ: " + Self.firstDifference(a, b)
        case (.error(let a, _, _), .error(let b, _, _)):
            if a == b { return }
            kind = "swift \(a), other \(b)"
        case (.ok, .error(let b, _, _)): kind = "swift valid, other \(b)"
        case (.error(let a, _, _), .ok): kind = "swift \(a), other valid"
        default: kind = "swift \(swift), other \(other)"
        }
        var byKind = disagreements[target.name, default: [:]]
        if let known = byKind[kind] {
            byKind[kind] = (known.count + 1, known.file)
        } else {
            let file = findings + "/" + target.name + "-" + String(Self.fnv1a(input), radix: 16)
            FileBytes.write(input, to: file)
            let detail: JSONValue = .object([
                ("operation", .string(operation)), ("input", json), ("swift", .string(Self.describe(swift))),
                ("other", .string(Self.describe(other))),
            ])
            FileBytes.write(Array(detail.pretty().utf8), to: file + ".json")
            byKind[kind] = (1, file)
            StandardError.print("\(target.name): \(kind) (\(file))")
        }
        disagreements[target.name] = byKind
    }

    /// FNV-1a, 64 bits: a stable name for a finding's file.
    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        bytes.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    static func describe(_ outcome: Outcome) -> String {
        switch outcome {
        case .ok(let output): "valid \(output.compact())"
        case .error(let errorClass, let detail, let message): "\(errorClass) \(detail ?? "") \(message ?? "")"
        default: outcome.description
        }
    }

    /// The first member whose values differ, by key path.
    static func firstDifference(_ a: JSONValue, _ b: JSONValue, path: String = "") -> String {
        if let x = a.objectValue, let y = b.objectValue {
            for (key, value) in x {
                guard let other = y.first(where: { $0.0 == key })?.1 else { return path + key + " missing" }
                if value != other { return firstDifference(value, other, path: path + key + ".") }
            }
            for (key, _) in y where !x.contains(where: { $0.0 == key }) { return path + key + " extra" }
        }
        if let x = a.arrayValue, let y = b.arrayValue {
            if x.count != y.count { return path + "count" }
            for (index, pair) in zip(x, y).enumerated() where pair.0 != pair.1 {
                return firstDifference(pair.0, pair.1, path: path + "\(index).")
            }
        }
        return String(path.dropLast(path.hasSuffix(".") ? 1 : 0))
    }

    func summary(seconds: Double) -> String {
        var lines = ["differential: \(compared.values.reduce(0, +)) inputs in \(Int(seconds)) s"]
        for name in compared.keys.sorted() {
            let kinds = disagreements[name] ?? [:]
            let total = kinds.values.reduce(0) { $0 + $1.count }
            lines.append(
                "  \(name): \(compared[name]!) inputs (\(accepted[name] ?? 0) accepted by both), \(total) disagreements, \(adapterFailures[name] ?? 0) adapter failures"
            )
            for (kind, entry) in kinds.sorted(by: { $0.key < $1.key }) {
                lines.append("    \(entry.count) × \(kind)  [\(entry.file)]")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
