internal import DialogueConformance
internal import DialogueFuzzSupport

#if canImport(Glibc)
    internal import Glibc
#endif

/// The differential harness: the Swift library (in process) and an adapter (adapters/python,
/// through the adapter protocol of Spec/conformance.md#conf-adapter) get the same inputs, the
/// fuzz targets' corpora and mutants of them, and every input on which they disagree (accept
/// or reject, the error class, any output field) is written down. See Fuzz/README.md.
///
/// A `@main` type, not top-level code: the sanitizer build parses every file as a library.
@main
enum Differential {
    static let usage = """
        usage: DialogueDifferential --adapter COMMAND [--fuzz DIR] [--targets a,b] [--mutants N]
                                    [--seconds S] [--findings DIR] [--seed N]
          --fuzz DIR      the Fuzz directory, with corpus/ and contexts/ (default: Fuzz)
          --targets       the targets to compare (default: every target built on an operation)
          --mutants N     mutants per corpus input and round (default 20)
          --seconds S     go on with new rounds of mutants until S seconds have passed (default: one round)
          --findings DIR  where disagreeing inputs go (default: FUZZ/findings)
        Exits 1 if the two disagreed on any input.
        """

    static func main() async {
        var options: [String: String] = [:]
        var arguments = Array(CommandLine.arguments.dropFirst())
        while let name = arguments.first, name.hasPrefix("--"), arguments.count >= 2 {
            options[String(name.dropFirst(2))] = arguments[1]
            arguments.removeFirst(2)
        }
        guard let command = options["adapter"], arguments.isEmpty else {
            StandardError.print(usage)
            exit(2)
        }
        let fuzz = options["fuzz"] ?? "Fuzz"
        let findings = options["findings"] ?? fuzz + "/findings"
        let names = options["targets"].map { $0.split(separator: ",").map(String.init) }
        let targets = FuzzTarget.all.filter { $0.operation != nil && (names?.contains($0.name) ?? true) }
        mkdir(findings, 0o755)
        let harness = DifferentialHarness(
            adapter: AdapterTarget(command: command, timeout: 30), findings: findings,
            seed: UInt64(options["seed"] ?? "") ?? 1)
        let report = await harness.run(
            targets: targets, fuzz: fuzz, mutants: Int(options["mutants"] ?? "") ?? 20,
            seconds: Double(options["seconds"] ?? "") ?? 0)
        print(report)
        exit(harness.unexplained > 0 ? 1 : 0)
    }
}
