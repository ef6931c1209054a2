// BLAKE2b, CBOR and Ed25519 through Dialogue's Swift API, each next to the same work done by a
// direct libsodium call (the reference). Names start with the group, then "swift" or "direct",
// so the summary can pair them; see Benchmarks/README.md.
import Benchmark
import BenchmarkFixtures
import CSodiumBench
import DialogueCBOR
import DialogueCrypto

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
        let long = Benchmark.Configuration(maxDuration: .seconds(size > (1 << 20) ? 4 : 2))

        Benchmark("blake2b \(label) swift one-shot", configuration: long) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(BLAKE2b256.hash(input)) }
        }
        Benchmark("blake2b \(label) direct one-shot", configuration: long) { benchmark in
            for _ in benchmark.scaledIterations {
                var digest = [UInt8](repeating: 0, count: 32)
                input.withUnsafeBufferPointer { buffer in
                    _ = crypto_generichash(&digest, 32, buffer.baseAddress, UInt64(buffer.count), nil, 0)
                }
                blackHole(digest)
            }
        }
        Benchmark("blake2b \(label) swift stream64KiB", configuration: long) { benchmark in
            for _ in benchmark.scaledIterations {
                var hasher = BLAKE2b256.hasher()
                var offset = 0
                while offset < input.count {
                    let end = min(offset + step, input.count)
                    hasher.update(input[offset..<end])
                    offset = end
                }
                blackHole(hasher.finalize())
            }
        }
        Benchmark("blake2b \(label) direct stream64KiB", configuration: long) { benchmark in
            let stateSize = crypto_generichash_statebytes()
            for _ in benchmark.scaledIterations {
                // Same allocation as the library's SodiumState: the state on the heap, 64-byte aligned.
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
    }

    // MARK: What one 1 MiB chunk of an attachment costs (context for the seal/open figures)

    let chunkKeyBytes = SeededBytes.make(count: 32, seed: 6)
    let chunkKey = try! XChaCha20Poly1305.Key(rawRepresentation: chunkKeyBytes)
    let chunkNonce = try! XChaCha20Poly1305.Nonce(rawRepresentation: [UInt8](repeating: 0, count: 24))
    let chunkPlaintext = SeededBytes.make(count: 1 << 20, seed: 6, stream: 1)

    Benchmark("aead xchacha20poly1305 1MiB swift seal-in-place") { benchmark in
        var buffer = chunkPlaintext
        var tag = [UInt8](repeating: 0, count: 16)
        for _ in benchmark.scaledIterations {
            buffer.withUnsafeMutableBytes { buffer in
                tag.withUnsafeMutableBytes { tag in
                    try! XChaCha20Poly1305.sealDetached(inPlace: buffer, tag: tag, using: chunkKey, nonce: chunkNonce)
                }
            }
            blackHole(tag)
        }
    }
    Benchmark("aead xchacha20poly1305 1MiB direct seal-in-place") { benchmark in
        var buffer = chunkPlaintext
        var tag = [UInt8](repeating: 0, count: 16)
        let nonce = [UInt8](repeating: 0, count: 24)
        for _ in benchmark.scaledIterations {
            buffer.withUnsafeMutableBufferPointer { buffer in
                _ = crypto_aead_xchacha20poly1305_ietf_encrypt_detached(
                    buffer.baseAddress!, &tag, nil, buffer.baseAddress!, UInt64(buffer.count), nil, 0, nil, nonce, chunkKeyBytes
                )
            }
            blackHole(tag)
        }
    }

    // MARK: Ed25519 verify

    let signingKey = try! Ed25519.SigningKey(seed: SeededBytes.make(count: 32, seed: 2))
    let message = SeededBytes.make(count: 256, seed: 2, stream: 1)
    let signature = signingKey.signature(for: message)
    let publicKeyBytes = signingKey.publicKey.rawRepresentation
    let signatureBytes = signature.rawRepresentation
    precondition(signingKey.publicKey.isValidSignature(signature, for: message))

    Benchmark("ed25519 verify256B swift") { benchmark in
        let key = signingKey.publicKey
        for _ in benchmark.scaledIterations { blackHole(key.isValidSignature(signature, for: message)) }
    }
    Benchmark("ed25519 verify256B direct") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(
                crypto_sign_verify_detached(signatureBytes, message, UInt64(message.count), publicKeyBytes) == 0
            )
        }
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
