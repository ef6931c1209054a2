// BLAKE2b, CBOR and Ed25519 through Dialogue's Swift API, each next to the same work done by a
// direct libsodium call (the reference). Names start with the group, then "swift" or "direct",
// so the summary can pair them; see Benchmarks/README.md.
import Benchmark
import BenchmarkFixtures
import CSodiumBench
import DialogueCBOR
import DialogueCrypto

#if canImport(Glibc)
    import Glibc
#endif

let benchmarks: @Sendable () -> Void = {
    precondition(sodium_init() >= 0)
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .cpuTotal, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 5,
        maxDuration: .seconds(2),
        maxIterations: 20_000
    )

    // MARK: BLAKE2b-256

    for (label, size) in [("1MiB", 1 << 20), ("64MiB", 64 << 20)] {
        let input = SeededBytes.make(count: size, seed: 1)
        let step = 64 << 10
        let duration: Duration = .seconds(size > (1 << 20) ? 6 : 3)

        abBenchmark("ab blake2b \(label) one-shot", maxDuration: duration) {
            blackHole(BLAKE2b256.hash(input))
        } direct: {
            var digest = [UInt8](repeating: 0, count: 32)
            input.withUnsafeBufferPointer { buffer in
                _ = crypto_generichash(&digest, 32, buffer.baseAddress, UInt64(buffer.count), nil, 0)
            }
            blackHole(digest)
        }

        abBenchmark("ab blake2b \(label) stream64KiB", maxDuration: duration) {
            var hasher = BLAKE2b256.hasher()
            var offset = 0
            while offset < input.count {
                let end = min(offset + step, input.count)
                hasher.update(input[offset..<end])
                offset = end
            }
            blackHole(hasher.finalize())
        } direct: {
            // Same allocation as the library's SodiumState: the state on the heap, 64-byte aligned.
            let stateSize = crypto_generichash_statebytes()
            let state = UnsafeMutableRawPointer.allocate(byteCount: stateSize, alignment: 64)
            let typed = OpaquePointer(state)  // crypto_generichash_state is over-aligned and imports opaque
            var digest = [UInt8](repeating: 0, count: 32)
            input.withUnsafeBufferPointer { buffer in
                _ = crypto_generichash_init(typed, nil, 0, 32)
                var offset = 0
                while offset < buffer.count {
                    let end = min(offset + step, buffer.count)
                    _ = crypto_generichash_update(typed, buffer.baseAddress! + offset, UInt64(end - offset))
                    offset = end
                }
                _ = crypto_generichash_final(typed, &digest, 32)
            }
            sodium_memzero(state, stateSize)
            state.deallocate()
            blackHole(digest)
        }
    }

    // MARK: What one 1 MiB chunk of an attachment costs (context for the seal/open figures)

    let chunkKeyBytes = SeededBytes.make(count: 32, seed: 6)
    let chunkKey = try! XChaCha20Poly1305.Key(rawRepresentation: chunkKeyBytes)
    let chunkNonce = try! XChaCha20Poly1305.Nonce(rawRepresentation: [UInt8](repeating: 0, count: 24))
    let nonceBytes = [UInt8](repeating: 0, count: 24)
    let chunkBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
    SeededBytes.make(count: 1 << 20, seed: 6, stream: 1).withUnsafeBytes { chunkBuffer.copyMemory(from: $0) }
    let tagBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16, alignment: 16)
    nonisolated(unsafe) let buffer = chunkBuffer
    nonisolated(unsafe) let tag = tagBuffer

    // Both encrypt the same buffer in place, again and again: the cost does not depend on the content.
    abBenchmark("ab xchacha20poly1305 1MiB seal-in-place", maxDuration: .seconds(3)) {
        try! XChaCha20Poly1305.sealDetached(inPlace: buffer, tag: tag, using: chunkKey, nonce: chunkNonce)
        blackHole(tag[0])
    } direct: {
        _ = crypto_aead_xchacha20poly1305_ietf_encrypt_detached(
            buffer.baseAddress!.assumingMemoryBound(to: UInt8.self),
            tag.baseAddress!.assumingMemoryBound(to: UInt8.self),
            nil, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(buffer.count), nil, 0, nil, nonceBytes,
            chunkKeyBytes
        )
        blackHole(tag[0])
    }

    // MARK: X25519 (one per recipient when sealing, one per open)

    let agreementKey = try! X25519.PrivateKey(rawRepresentation: SeededBytes.make(count: 32, seed: 10))
    let peerKey = try! X25519.PrivateKey(rawRepresentation: SeededBytes.make(count: 32, seed: 11)).publicKey
    let agreementBytes = agreementKey.rawRepresentation.withUnsafeBytes { Array($0) }
    let peerBytes = peerKey.rawRepresentation

    abBenchmark("ab x25519 shared-secret", maxDuration: .seconds(3)) {
        blackHole(try! agreementKey.sharedSecret(with: peerKey))
    } direct: {
        var shared = [UInt8](repeating: 0, count: 32)
        blackHole(crypto_scalarmult(&shared, agreementBytes, peerBytes))
        blackHole(shared)
    }

    // MARK: Ed25519 verify

    let signingKey = try! Ed25519.SigningKey(seed: SeededBytes.make(count: 32, seed: 2))
    let message = SeededBytes.make(count: 256, seed: 2, stream: 1)
    let signature = signingKey.signature(for: message)
    let publicKey = signingKey.publicKey
    let publicKeyBytes = signingKey.publicKey.rawRepresentation
    let signatureBytes = signature.rawRepresentation
    precondition(signingKey.publicKey.isValidSignature(signature, for: message))

    abBenchmark("ab ed25519 verify256B", maxDuration: .seconds(3)) {
        blackHole(publicKey.isValidSignature(signature, for: message))
    } direct: {
        blackHole(crypto_sign_verify_detached(signatureBytes, message, UInt64(message.count), publicKeyBytes) == 0)
    }

    // MARK: CBOR

    let byteStringDocument = CBORDocuments.encode(CBORDocuments.byteStrings())
    let smallMapsValue = CBORDocuments.smallMaps()
    let smallMapsDocument = CBORDocuments.encode(smallMapsValue)

    Benchmark("cbor bstr256x4KiB decode bytes=\(byteStringDocument.count)") { benchmark in
        let decoder = CBORDecoder()
        for _ in benchmark.scaledIterations { blackHole(try decoder.decode(byteStringDocument)) }
    }
    Benchmark("cbor bstr256x4KiB decode+read bytes=\(byteStringDocument.count)") { benchmark in
        let decoder = CBORDecoder()
        for _ in benchmark.scaledIterations {
            var total = 0
            for element in try decoder.decode(byteStringDocument).array() { total &+= try element.byteString().count }
            blackHole(total)
        }
    }
    Benchmark("cbor maps10k decode bytes=\(smallMapsDocument.count)") { benchmark in
        let decoder = CBORDecoder()
        for _ in benchmark.scaledIterations { blackHole(try decoder.decode(smallMapsDocument)) }
    }
    Benchmark("cbor maps10k decode+read bytes=\(smallMapsDocument.count)") { benchmark in
        // Decoding as a schema would: every map through a reader, every field typed.
        let decoder = CBORDecoder()
        for _ in benchmark.scaledIterations {
            var total: UInt64 = 0
            for element in try decoder.decode(smallMapsDocument).array() {
                try element.withMapReader { (map: inout CBORMapReader) throws(CBORError) in
                    total &+= try map.required(0).unsignedInteger()
                    total &+= UInt64(try map.required(1).textString().utf8.count)
                    total &+= UInt64(try map.required(2).byteString().count)
                }
            }
            blackHole(total)
        }
    }
    Benchmark("cbor maps10k encode bytes=\(smallMapsDocument.count)") { benchmark in
        let encoder = CBOREncoder()
        for _ in benchmark.scaledIterations { blackHole(try encoder.encode(smallMapsValue)) }
    }
}

/// Metrics of an A/B benchmark: each iteration runs the Swift API and the direct call twice, in the
/// order A B B A, and records the mean time of each as a custom metric (nanoseconds), so both sides
/// see the same machine at the same moment. The summary compares the medians of the two.
let swiftMetric = BenchmarkMetric.custom("swift ns")
let directMetric = BenchmarkMetric.custom("direct ns")
/// The pair's ratio in each iteration, swift / direct × 10^6: its median is robust to a disturbance
/// that hits one iteration.
let ratioMetric = BenchmarkMetric.custom("swift/direct ppm")

func abBenchmark(
    _ name: String, maxDuration: Duration, swift: @escaping @Sendable () -> Void, direct: @escaping @Sendable () -> Void
) {
    Benchmark(
        name,
        configuration: .init(
            metrics: [.throughput, .wallClock, swiftMetric, directMetric, ratioMetric], maxDuration: maxDuration
        )
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            let t0 = monotonicNanoseconds()
            swift()
            let t1 = monotonicNanoseconds()
            direct()
            let t2 = monotonicNanoseconds()
            direct()
            let t3 = monotonicNanoseconds()
            swift()
            let t4 = monotonicNanoseconds()
            let swiftTime = (t1 - t0 + t4 - t3) / 2
            let directTime = max(1, (t2 - t1 + t3 - t2) / 2)
            benchmark.measurement(swiftMetric, Int(swiftTime))
            benchmark.measurement(directMetric, Int(directTime))
            benchmark.measurement(ratioMetric, Int(Double(swiftTime) / Double(directTime) * 1e6))
        }
    }
}

func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}
