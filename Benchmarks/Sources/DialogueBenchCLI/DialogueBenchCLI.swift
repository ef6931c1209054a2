// dialogue-bench-cli: whole-command seal and open runs, for timing against age and gpg and for
// measuring peak memory with /usr/bin/time. Keys and sealing randomness are fixed (fixture
// identities 0 and 1), so every run seals the same bytes. Not a tool for real mail.
//
//   dialogue-bench-cli make-file PATH BYTES [SEED]        deterministic pseudo-random content
//   dialogue-bench-cli seal INPUT STORE_DIR ENVELOPE_OUT  seal INPUT to identity 1 into a DirectoryBlobStore
//   dialogue-bench-cli open ENVELOPE STORE_DIR OUTPUT     open as identity 1, write the attachment to OUTPUT
//   dialogue-bench-cli floor INPUT                        raw libsodium: encrypt + hash every chunk, keep nothing
//   dialogue-bench-cli summary [--foundation JMH] [--messages JMH] [--tools TSV]
//                                                         the side-by-side table (see Summary.swift)
import BenchmarkFixtures
import DialogueIdentifiers
import DialogueMessages
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

@main
struct DialogueBenchCLI {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            switch (arguments.first, arguments.count) {
            case ("make-file", 3), ("make-file", 4):
                try makeFile(
                    path: arguments[1], count: Int(arguments[2])!,
                    seed: arguments.count == 4 ? UInt64(arguments[3])! : 9
                )
            case ("seal", 4):
                try await seal(input: arguments[1], store: arguments[2], envelopeOut: arguments[3])
            case ("open", 4):
                try await open(envelope: arguments[1], store: arguments[2], output: arguments[3])
            case ("floor", 2):
                try Floor.run(input: arguments[1])
            case ("profile", 3):
                try await Profile.run(arguments[1], iterations: Int(arguments[2])!)
            case ("summary", _):
                try Summary.run(Array(arguments.dropFirst()))
            default:
                FileHandle.standardError.write(
                    Data(
                        """
                        usage: dialogue-bench-cli make-file PATH BYTES [SEED]
                               dialogue-bench-cli seal INPUT STORE_DIR ENVELOPE_OUT
                               dialogue-bench-cli open ENVELOPE STORE_DIR OUTPUT
                               dialogue-bench-cli floor INPUT
                               dialogue-bench-cli summary [--foundation JMH] [--messages JMH] [--tools TSV]

                        """.utf8
                    )
                )
                exit(2)
            }
        } catch {
            FileHandle.standardError.write(Data("dialogue-bench-cli: \(error)\n".utf8))
            exit(1)
        }
    }

    /// Writes `count` seeded bytes to `path`, 1 MiB at a time.
    static func makeFile(path: String, count: Int, seed: UInt64) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw Failure("cannot create \(path)") }
        defer { try? handle.close() }
        let piece = 1 << 20
        var written = 0
        var stream: UInt64 = 0
        while written < count {
            let size = min(piece, count - written)
            try handle.write(contentsOf: SeededBytes.make(count: size, seed: seed, stream: 1_000 + stream))
            written += size
            stream += 1
        }
    }

    /// Seals `input` as one attachment (plus a short text part) from identity 0 to identity 1.
    static func seal(input: String, store: String, envelopeOut: String) async throws {
        let store = try makeStore(root: store)
        let sealer = MessageSealer(sender: Identities.sender, store: store)
        let draft = MessageDraft(
            recipients: [.init(card: Identities.recipient.card)], date: Identities.messageDate, subject: "Benchmark",
            parts: [
                .text("The attachment is a benchmark input."),
                .init(mediaType: "application/octet-stream", fileName: "input.bin", content: .file(path: input)),
            ]
        )
        let sealed = try await sealer.seal(draft, randomness: FixedRandomness.make(recipientCount: 1, partCount: 2))
        try Data(sealed.envelopeBytes).write(to: URL(fileURLWithPath: envelopeOut))
    }

    /// Opens the envelope as identity 1, reads the text part and writes the attachment to `output`.
    static func open(envelope: String, store: String, output: String) async throws {
        guard let bytes = FileManager.default.contents(atPath: envelope) else {
            throw Failure("cannot read \(envelope)")
        }
        let store = try makeStore(root: store)
        let opened = try EnvelopeOpener.open([UInt8](bytes), as: Identities.recipient)
        let parts = opened.manifest.parts
        guard parts.count == 2 else { throw Failure("expected 2 parts, found \(parts.count)") }
        _ = try await PartReader(part: parts[0], store: store).readAll()
        let reader = PartReader(part: parts[1], store: store)
        if ProcessInfo.processInfo.environment["DIALOGUE_BENCH_WRITE"] == "sliced" {
            // Diagnostic only (see DiagnosticStore.swift): PartReader.write(toFile:)'s steps, 128 KiB per write().
            let descriptor = Glibc.open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard descriptor >= 0 else { throw Failure("cannot create \(output)") }
            defer { close(descriptor) }
            for try await chunk in reader.chunks() {
                guard writeAll(descriptor, chunk, slice: 128 << 10) else { throw Failure("cannot write \(output)") }
            }
        } else {
            try await reader.write(toFile: output)
        }
    }
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
