import ArgumentParser
import DialogueTrust
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `--trust-store`: where the trust store is, and the sentinel that makes its loss detectable
/// (Spec: trust.md#trust-store-identity).
///
/// Rule: the store is `--trust-store PATH` if given, otherwise `<identity file>.trust.sqlite`.
/// The sentinel is `<identity file>.trust-id` (or `<store>.id` when no identity file is involved);
/// each line is `<store id in hex> <absolute store path>`. When the sentinel names the store and
/// the store is missing or has another identifier, the command stops with `trust-store-lost` or
/// `trust-store-replaced` instead of silently starting a new, empty store.
struct TrustStoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The trust store file.", discussion: "Default: <identity file>.trust.sqlite, next to the identity file."
        )
    )
    var trustStore: String?

    /// The store's path for an identity file (or for no identity, when `--trust-store` is given).
    func path(identity: String?) throws -> String {
        if let trustStore { return trustStore }
        guard let identity else { throw ValidationError("give --as IDENTITY or --trust-store PATH") }
        return identity + ".trust.sqlite"
    }

    /// Opens the store, creating it (and recording it in the sentinel) the first time.
    func open(identity: String?) throws -> (engine: TrustEngine, store: SQLiteTrustStore) {
        let path = try path(identity: identity)
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let sentinel = identity.map { $0 + ".trust-id" } ?? path + ".id"
        let known = try TrustSentinel.read(sentinel)[absolute]
        let store: SQLiteTrustStore
        do {
            store = try SQLiteTrustStore(path: path, options: .init(create: true, expectedStoreID: known))
        } catch {
            var reason = error.reason
            if error.code == .storeLost || error.code == .storeReplaced {
                reason += " (recorded in \(sentinel)). To read a message meanwhile, use 'open --no-trust'."
            }
            throw fail(error.code.name, reason, status: ExitStatus.dataError)
        }
        if known == nil { TrustSentinel.append(sentinel, id: store.storeID, path: absolute) }
        return (TrustEngine(store: store), store)
    }
}

/// The sentinel file: which trust stores an identity has used, by identifier.
enum TrustSentinel {
    /// The most a sentinel is read: some 10,000 stores.
    static let readLimit = 1 << 20

    static func read(_ path: String) throws -> [String: [UInt8]] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        let data = try Files.read(path, limit: readLimit)
        var entries: [String: [UInt8]] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            let hexText = line[..<space]
            let storePath = String(line[line.index(after: space)...])
            guard hexText.count == 64, let bytes = bytes(fromHex: hexText) else { continue }
            entries[storePath] = bytes
        }
        return entries
    }

    /// Appends one line with a single `write` on an `O_APPEND` descriptor, so that concurrent
    /// processes never interleave partial lines.
    static func append(_ path: String, id: [UInt8], path storePath: String) {
        let line = Array((id.map { String(format: "%02x", $0) }.joined() + " " + storePath + "\n").utf8)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard descriptor >= 0 else {
            writeStandardError(
                "warning: cannot record the trust store in \(path): \(String(cString: strerror(errno)))\n")
            return
        }
        _ = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        fsync(descriptor)
        close(descriptor)
    }

    static func bytes(fromHex text: Substring) -> [UInt8]? {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}

/// How verdicts are shown: one quiet line for info, explanation for notices, a banner on
/// standard error for alarms. Explanations can quote what a sender chose (an address, a
/// revocation's reason), so every line goes through ``TerminalText``.
enum VerdictPrinter {
    static func print(_ assessment: TrustAssessment) {
        let verdict = assessment.verdict
        Swift.print(
            "trust       \(verdict.name) (\(verdict.severity))\(assessment.isDuplicate ? ", already seen" : "")")
        Swift.print("            \(TerminalText.line(verdict.explanation))")
        if verdict.severity != .info || verdict.name == "first-contact" || verdict.name == "known" {
            Swift.print("verify      \(TerminalText.line(verdict.howToVerify))")
        }
        for outcome in assessment.statements {
            Swift.print("statement   \(TerminalText.line(outcome.explanation))")
        }
        if verdict.severity == .alarm {
            let rule = String(repeating: "!", count: 72)
            var banner = "\(rule)\n!! TRUST ALARM (\(verdict.name)): \(TerminalText.line("\(verdict.address)"))\n"
            for line in wrap(TerminalText.line(verdict.explanation), width: 66) { banner += "!! \(line)\n" }
            banner += "!!\n"
            for line in wrap(TerminalText.line(verdict.howToVerify), width: 66) { banner += "!! \(line)\n" }
            banner += "\(rule)\n"
            writeStandardError(banner)
        }
    }

    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty && current.count + 1 + word.count > width {
                lines.append(current)
                current = ""
            }
            current += current.isEmpty ? String(word) : " " + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
