import DialogueCBOR

/// SplitMix64: a small, fast, seeded generator, so that every property test
/// sees the same inputs on every run and machine.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9e37_79b9_7f4a_7c15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// Random Dialogue CBOR values, biased towards edge cases.
struct ValueGenerator {
    var random: SplitMix64

    init(seed: UInt64) {
        self.random = SplitMix64(seed: seed)
    }

    mutating func integerArgument() -> UInt64 {
        switch Int.random(in: 0..<10, using: &self.random) {
        case 0:
            return [0, 23, 24, 255, 256, 65535, 65536, 0xffff_ffff, 0x1_0000_0000, .max].randomElement(
                using: &self.random)!
        case 1...4: return UInt64.random(in: 0..<24, using: &self.random)
        case 5, 6: return UInt64.random(in: 0...0xffff, using: &self.random)
        case 7: return UInt64.random(in: 0...0xffff_ffff, using: &self.random)
        default: return self.random.next()
        }
    }

    mutating func text() -> String {
        let alphabet: [Unicode.Scalar] = [
            "a", "b", "z", "A", "0", " ", "\"", "\\", "\n", "\t", "\u{0}", "\u{1f}", "\u{7f}", "\u{80}", "\u{9f}",
            "\u{e9}", "\u{7ff}", "\u{800}", "\u{2028}", "\u{d7ff}", "\u{e000}", "\u{fffd}", "\u{ffff}", "\u{10000}",
            "\u{1f4ec}", "\u{10ffff}",
        ]
        let count = Int.random(in: 0..<(Bool.random(using: &self.random) ? 4 : 30), using: &self.random)
        var scalars = String.UnicodeScalarView()
        for _ in 0..<count { scalars.append(alphabet.randomElement(using: &self.random)!) }
        return String(scalars)
    }

    mutating func bytes() -> [UInt8] {
        let count = Int.random(in: 0..<(Bool.random(using: &self.random) ? 4 : 40), using: &self.random)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &self.random) }
    }

    mutating func key() -> CBORValue {
        switch Int.random(in: 0..<4, using: &self.random) {
        case 0: return .unsigned(self.integerArgument())
        case 1: return .negative(self.integerArgument())
        case 2: return .unsigned(UInt64.random(in: 0..<30, using: &self.random))
        default: return .text(self.text())
        }
    }

    /// A random value of at most `depth` levels.
    mutating func value(depth: Int = 5) -> CBORValue {
        let choice = Int.random(in: 0..<(depth > 1 ? 10 : 7), using: &self.random)
        switch choice {
        case 0: return .unsigned(self.integerArgument())
        case 1: return .negative(self.integerArgument())
        case 2: return .bytes(self.bytes())
        case 3: return .text(self.text())
        case 4: return .bool(Bool.random(using: &self.random))
        case 5: return .null
        case 6: return .integer(Int64.random(in: -1000...1000, using: &self.random))
        case 7, 8:
            let count = Int.random(in: 0..<6, using: &self.random)
            return .array((0..<count).map { _ in self.value(depth: depth - 1) })
        default:
            let count = Int.random(in: 0..<6, using: &self.random)
            var seen = Set<CBORValue>()
            var entries: [CBORValue.MapEntry] = []
            for _ in 0..<count {
                let key = self.key()
                guard seen.insert(key).inserted else { continue }
                entries.append(.init(key: key, value: self.value(depth: depth - 1)))
            }
            return .map(entries)
        }
    }
}
