public import DialogueCBOR

/// The CBOR documents of the codec benchmarks.
public enum CBORDocuments {
    /// An array of `count` byte strings of `size` bytes each: 256 × 4 KiB is a 1 MiB document
    /// made almost entirely of string content.
    public static func byteStrings(count: Int = 256, size: Int = 4096) -> CBORValue {
        let bytes = SeededBytes.make(count: count * size, seed: 3)
        return .array((0..<count).map { .bytes(Array(bytes[($0 * size)..<(($0 + 1) * size)])) })
    }

    /// An array of `count` small maps `{0: uint, 1: "text", 2: h'16 bytes'}`: lots of tiny items.
    public static func smallMaps(count: Int = 10_000) -> CBORValue {
        let bytes = SeededBytes.make(count: count * 16, seed: 4)
        var generator = SplitMix64(seed: 5)
        return .array(
            (0..<count).map { i in
                [
                    0: .unsigned(generator.next() >> UInt64(generator.next() % 64)),
                    1: .text("item \(i) of \(count)"),
                    2: .bytes(Array(bytes[(i * 16)..<((i + 1) * 16)])),
                ]
            }
        )
    }

    /// The canonical encoding of `value`.
    public static func encode(_ value: CBORValue) -> [UInt8] {
        do { return try CBOREncoder().encode(value) } catch { fatalError("fixture does not encode: \(error)") }
    }
}
