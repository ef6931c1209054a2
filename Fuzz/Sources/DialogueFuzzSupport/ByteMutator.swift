/// Byte-level mutations for the differential harness, which runs without libFuzzer: the kinds
/// libFuzzer's own mutator applies most (bit flips, interesting bytes, insertions, deletions,
/// duplicated ranges, truncation).
public enum ByteMutator {
    private static let interesting: [UInt8] = [
        0x00, 0x01, 0x17, 0x18, 0x1f, 0x20, 0x40, 0x7f, 0x80, 0xff, 0x3a, 0x40, 0x2d, 0x2e,
    ]

    /// `input` changed in `count` places.
    public static func mutate(_ input: [UInt8], times count: Int, random: inout FuzzRandom) -> [UInt8] {
        var bytes = input
        for _ in 0..<max(1, count) {
            let position = random.below(bytes.count + 1)
            switch random.below(7) {
            case 0 where !bytes.isEmpty: bytes[min(position, bytes.count - 1)] ^= UInt8(1 << random.below(8))
            case 1 where !bytes.isEmpty:
                bytes[min(position, bytes.count - 1)] = interesting[random.below(interesting.count)]
            case 2: bytes.insert(UInt8(random.below(256)), at: position)
            case 3 where !bytes.isEmpty:
                let start = min(position, bytes.count - 1)
                bytes.removeSubrange(start..<min(bytes.count, start + 1 + random.below(8)))
            case 4 where !bytes.isEmpty:
                let start = min(position, bytes.count - 1)
                let piece = bytes[start..<min(bytes.count, start + 1 + random.below(16))]
                bytes.insert(contentsOf: piece, at: random.below(bytes.count + 1))
            case 5 where !bytes.isEmpty: bytes.removeLast(1 + random.below(min(bytes.count, 32)))
            default: bytes.insert(interesting[random.below(interesting.count)], at: position)
            }
        }
        return bytes
    }
}
