// Sealing and opening a 1 KiB message, to one recipient and to 1,000, with fixed keys and fixed
// sealing randomness so that every run seals the same bytes. "open" means what a reader does:
// open the envelope (stanza, manifest, signature) and read the body part.
import Benchmark
import BenchmarkFixtures
import DialogueCrypto
import DialogueIdentifiers
import DialogueMessages

#if canImport(Glibc)
    import Glibc
#endif

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, cpuMetric, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 5,
        maxDuration: .seconds(2),
        maxIterations: 20_000
    )

    // MARK: one 1 MiB chunk of an attachment, in memory (the CPU side of sealing and opening files)

    let chunkKey = SeededBytes.make(count: 32, seed: 8)
    let chunkPlaintext = SeededBytes.make(count: MessageLimits.chunkSize, seed: 8, stream: 1)
    var sealedChunk = chunkPlaintext
    sealedChunk.reserveCapacity(MessageLimits.maximumChunkBlobSize)
    ChunkCipher.seal(
        &sealedChunk, partKey: try! XChaCha20Poly1305.Key(rawRepresentation: chunkKey), index: 0, isLast: false)
    let chunkPart = PartDescriptor(
        mediaType: "application/octet-stream", fileName: "", size: UInt64(2 * MessageLimits.chunkSize), key: chunkKey,
        chunks: [
            ContentIdentifier.hashing(sealedChunk, context: .blob), ContentIdentifier.hashing([1], context: .blob),
        ]
    )

    Benchmark("chunk seal 1MiB encrypt+id") { benchmark in
        let key = try XChaCha20Poly1305.Key(rawRepresentation: chunkKey)
        var blob = [UInt8]()
        blob.reserveCapacity(MessageLimits.maximumChunkBlobSize)
        blob.append(contentsOf: chunkPlaintext)
        benchmark.startMeasurement()
        let cpu = CPUTimer(benchmark)
        ChunkCipher.seal(&blob, partKey: key, index: 0, isLast: false)
        blackHole(ContentIdentifier.hashing(blob, context: .blob))
        cpu.stop()
    }
    Benchmark("chunk open 1MiB id-check+decrypt") { benchmark in
        var blob = sealedChunk
        benchmark.startMeasurement()
        let cpu = CPUTimer(benchmark)
        try ChunkCipher.open(&blob, part: chunkPart, index: 0)
        blackHole(blob)
        cpu.stop()
    }

    let sender = Identities.sender
    let recipient = Identities.recipient
    let draft1 = Messages.draft1KiB(to: [recipient])
    let randomness1 = FixedRandomness.make(recipientCount: 1, partCount: 1)

    // MARK: one recipient

    Benchmark("msg seal 1KiB to 1") { benchmark in
        let sealer = MessageSealer(sender: sender, store: MemoryBlobStore())
        let cpu = CPUTimer(benchmark)
        for _ in benchmark.scaledIterations { blackHole(try await sealer.seal(draft1, randomness: randomness1)) }
        cpu.stop()
    }

    let store1 = MemoryBlobStore()
    let sealed1 = Sealed(MessageSealer(sender: sender, store: store1), draft1, randomness1)

    Benchmark("msg open 1KiB of 1", configuration: .init(setup: sealed1.seal)) { benchmark in
        let envelope = sealed1.message.envelopeBytes
        let cpu = CPUTimer(benchmark)
        for _ in benchmark.scaledIterations {
            blackHole(try await openAndRead(envelope, as: recipient, stanzaIndex: nil, store: store1))
        }
        cpu.stop()
    }
    Benchmark("msg open-envelope-only 1KiB of 1", configuration: .init(setup: sealed1.seal)) { benchmark in
        let envelope = sealed1.message.envelopeBytes
        let cpu = CPUTimer(benchmark)
        for _ in benchmark.scaledIterations { blackHole(try EnvelopeOpener.open(envelope, as: recipient)) }
        cpu.stop()
    }

    // MARK: 1,000 recipients

    let many = (1...1000).map(Identities.make)
    let draftMany = Messages.draft1KiB(to: many)
    let randomnessMany = FixedRandomness.make(recipientCount: many.count, partCount: 1)

    Benchmark("msg seal 1KiB to 1000", configuration: .init(maxDuration: .seconds(4))) { benchmark in
        let sealer = MessageSealer(sender: sender, store: MemoryBlobStore())
        let cpu = CPUTimer(benchmark)
        for _ in benchmark.scaledIterations {
            blackHole(try await sealer.seal(draftMany, randomness: randomnessMany))
        }
        cpu.stop()
    }

    let storeMany = MemoryBlobStore()
    let sealedMany = Sealed(MessageSealer(sender: sender, store: storeMany), draftMany, randomnessMany)
    // The reader whose stanza comes last: the worst case when the stanza index is not known.
    let lastStanza = many.count - 1

    Benchmark("msg open 1KiB of 1000 index-known", configuration: .init(setup: sealedMany.seal)) { benchmark in
        let envelope = sealedMany.message.envelopeBytes
        let reader = many[sealedMany.message.stanzaIndices.firstIndex(of: lastStanza)!]
        let cpu = CPUTimer(benchmark)
        for _ in benchmark.scaledIterations {
            blackHole(try await openAndRead(envelope, as: reader, stanzaIndex: lastStanza, store: storeMany))
        }
        cpu.stop()
    }
    Benchmark("msg open 1KiB of 1000 index-unknown-last", configuration: .init(setup: sealedMany.seal)) { benchmark in
        let envelope = sealedMany.message.envelopeBytes
        let reader = many[sealedMany.message.stanzaIndices.firstIndex(of: lastStanza)!]
        let cpu = CPUTimer(benchmark)
        for _ in benchmark.scaledIterations {
            blackHole(try await openAndRead(envelope, as: reader, stanzaIndex: nil, store: storeMany))
        }
        cpu.stop()
    }
}

/// Opens an envelope and reads every part into memory.
func openAndRead(_ envelope: [UInt8], as identity: SecretIdentity, stanzaIndex: Int?, store: MemoryBlobStore)
    async throws -> Int
{
    let opened = try EnvelopeOpener.open(envelope, as: identity, stanzaIndex: stanzaIndex)
    var total = 0
    for part in opened.manifest.parts { total += try await PartReader(part: part, store: store).readAll().count }
    return total
}

/// A message sealed once, in a benchmark's setup hook, outside any measurement.
final class Sealed: @unchecked Sendable {
    let sealer: MessageSealer
    let draft: MessageDraft
    let randomness: SealingRandomness
    private var sealed: MessageSealer.SealedMessage?

    init(_ sealer: MessageSealer, _ draft: MessageDraft, _ randomness: SealingRandomness) {
        self.sealer = sealer
        self.draft = draft
        self.randomness = randomness
    }

    /// The setup hook: seals (once; the benchmarks run one after another).
    @Sendable func seal() async throws {
        if sealed == nil { sealed = try await sealer.seal(draft, randomness: randomness) }
    }

    /// The sealed message; only valid after ``seal()``.
    var message: MessageSealer.SealedMessage { sealed! }
}

/// CPU time of the whole process (all threads) per iteration, from `CLOCK_PROCESS_CPUTIME_ID`
/// (nanosecond scheduler accounting, unlike the tick-based `cpuTotal`): operations per CPU-second is
/// the per-core rate, and it does not count time spent waiting for a core other programs hold.
let cpuMetric = BenchmarkMetric.custom("process cpu ns")

struct CPUTimer {
    let benchmark: Benchmark
    let start = processCPUNanoseconds()

    init(_ benchmark: Benchmark) { self.benchmark = benchmark }

    func stop() { benchmark.measurement(cpuMetric, Int(processCPUNanoseconds() - start)) }
}

func processCPUNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}
