import DialogueCrypto
import Testing

@Suite("BLAKE2b")
struct BLAKE2bTests {
    @Test("RFC 7693 Appendix A: BLAKE2b-512(\"abc\")")
    func rfc7693() {
        #expect(
            Hex.encode(BLAKE2b.hash(Array("abc".utf8), outputByteCount: 64))
                == "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
        )
    }

    @Test("Unkeyed: empty input (BLAKE2b-512) and BLAKE2b-256(\"abc\")")
    func unkeyed() {
        #expect(
            Hex.encode(BLAKE2b.hash([UInt8](), outputByteCount: 64))
                == "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419"
                + "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce"
        )
        let abc256 = "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"
        #expect(Hex.encode(BLAKE2b256.hash("abc".utf8)) == abc256)
        #expect(Hex.encode(BLAKE2b.hash("abc".utf8)) == abc256)
        // A shorter output is a different function, not a prefix.
        #expect(!BLAKE2b.hash("abc".utf8, outputByteCount: 64).starts(with: BLAKE2b.hash("abc".utf8)))
    }

    /// Entries of the official keyed KAT (BLAKE2/BLAKE2 testvectors/blake2b-kat.txt): key
    /// 00 01 ... 3f, input 00 01 ... (n-1), 64-byte output.
    static let keyedKATVectors: [(Int, String)] = [
        (
            0,
            "10ebb67700b1868efb4417987acf4690ae9d972fb7a590c2f02871799aaa4786"
                + "b5e996e8f0f4eb981fc214b005f42d2ff4233499391653df7aefcbc13fc51568"
        ),
        (
            1,
            "961f6dd1e4dd30f63901690c512e78e4b45e4742ed197c3c5e45c549fd25f2e4"
                + "187b0bc9fe30492b16b0d0bc4ef9b0f34c7003fac09a5ef1532e69430234cebd"
        ),
        (
            2,
            "da2cfbe2d8409a0f38026113884f84b50156371ae304c4430173d08a99d9fb1b"
                + "983164a3770706d537f49e0c916d9f32b95cc37a95b99d857436f0232c88a965"
        ),
        (
            255,
            "142709d62e28fcccd0af97fad0f8465b971e82201dc51070faa0372aa43e9248"
                + "4be1c1e73ba10906d5d1853db6a4106e0a7bf9800d373d6dee2d46d62ef2a461"
        ),
    ]

    @Test("Keyed KAT (blake2b-kat.txt), one-shot and streaming", arguments: keyedKATVectors)
    func keyedKAT(length: Int, expected: String) throws {
        let key = (0..<64).map(UInt8.init)
        let input = (0..<length).map { UInt8($0) }
        #expect(Hex.encode(try BLAKE2b.hash(input, key: key, outputByteCount: 64)) == expected)
        var hasher = try BLAKE2b.Hasher(key: key, outputByteCount: 64)
        for byte in input {
            hasher.update(CollectionOfOne(byte))
        }
        #expect(Hex.encode(hasher.finalize()) == expected)
    }

    @Test("Streaming equals one-shot for random splits", arguments: [16, 32, 64])
    func streamingMatchesOneShot(outputByteCount: Int) throws {
        var generator = SplitMix64(seed: UInt64(outputByteCount))
        let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for length in [0, 1, 127, 128, 129, 1000, 4096, 70_000] {
            let data = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let oneShot = BLAKE2b.hash(data, outputByteCount: outputByteCount)
            let keyedOneShot = try BLAKE2b.hash(data, key: key, outputByteCount: outputByteCount)
            var hasher = BLAKE2b.Hasher(outputByteCount: outputByteCount)
            var keyed = try BLAKE2b.Hasher(key: key, outputByteCount: outputByteCount)
            var offset = 0
            while offset < length {
                let piece = Int.random(in: 0...min(length - offset, 3000), using: &generator)
                let slice = data[offset..<(offset + piece)]
                hasher.update(slice)
                slice.withUnsafeBytes { keyed.update($0) }
                offset += piece
            }
            #expect(hasher.outputByteCount == outputByteCount)
            #expect(hasher.finalize() == oneShot, "length \(length)")
            #expect(keyed.finalize() == keyedOneShot, "length \(length)")
            data.withUnsafeBytes { #expect(BLAKE2b.hash($0, outputByteCount: outputByteCount) == oneShot) }
        }
    }

    @Test("A copied hasher forks the computation")
    func copyOnWrite() {
        var hasher = BLAKE2b256.hasher()
        hasher.update("ab".utf8)
        var fork = hasher
        fork.update("x".utf8)
        hasher.update("c".utf8)
        let snapshot = hasher
        #expect(hasher.finalize() == BLAKE2b256.hash("abc".utf8))
        #expect(snapshot.finalize() == BLAKE2b256.hash("abc".utf8))
        #expect(fork.finalize() == BLAKE2b256.hash("abx".utf8))
    }

    @Test("Key lengths outside 16...64 are refused")
    func keyLengths() throws {
        for count in [1, 15, 65, 100] {
            #expect(throws: CryptoError(code: .invalidKeyLength)) {
                try BLAKE2b.hash([UInt8](), key: [UInt8](repeating: 1, count: count))
            }
            #expect(throws: CryptoError(code: .invalidKeyLength)) {
                try BLAKE2b.Hasher(key: [UInt8](repeating: 1, count: count))
            }
        }
        #expect(throws: CryptoError(code: .invalidKeyLength)) { try BLAKE2b.hash([UInt8](), key: [UInt8]()) }
        for count in [16, 64] {
            let key = [UInt8](repeating: 1, count: count)
            #expect(try BLAKE2b.hash([1, 2, 3], key: key, outputByteCount: 16).count == 16)
        }
    }
}

/// A small seeded generator, so that failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
