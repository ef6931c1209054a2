import DialogueCBOR
import Testing

/// Seeded property tests: the same inputs on every run.
@Suite("Properties")
struct PropertyTests {
    @Test("enc-encoder: decode(encode(x)).value == x for random values")
    func encodeThenDecode() throws {
        var generator = ValueGenerator(seed: 1)
        for _ in 0..<3000 {
            let value = generator.value()
            let encoded = try CBOREncoder().encode(value)
            let node = try CBORDecoder().decode(encoded)
            #expect(node.value == value)
            #expect(Array(node.encodedBytes) == encoded)
        }
    }

    @Test("enc-canonical: whenever a mutated encoding is accepted, re-encoding reproduces it byte for byte")
    func mutationsAreCanonicalOrRejected() throws {
        var generator = ValueGenerator(seed: 2)
        var random = SplitMix64(seed: 3)
        let interesting: [UInt8] = [
            0x00, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1f, 0x20, 0x40, 0x5f, 0x60, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc0,
            0xe0, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xff,
        ]
        var accepted = 0
        var rejections: [CBORError.Code: Int] = [:]
        for _ in 0..<1000 {
            let original = try CBOREncoder().encode(generator.value(depth: 4))
            for _ in 0..<6 {
                var mutated = original
                let position = Int.random(in: 0..<mutated.count, using: &random)
                switch Int.random(in: 0..<6, using: &random) {
                case 0: mutated[position] ^= 1 << UInt8.random(in: 0..<8, using: &random)
                case 1: mutated[position] = interesting.randomElement(using: &random)!
                case 2: mutated.insert(interesting.randomElement(using: &random)!, at: position)
                case 3: mutated.remove(at: position)
                case 4: mutated[position] = UInt8.random(in: 0...255, using: &random)
                default:
                    let other = Int.random(in: 0..<mutated.count, using: &random)
                    mutated.swapAt(position, other)
                }
                do throws(CBORError) {
                    let node = try CBORDecoder().decode(mutated)
                    accepted += 1
                    #expect(try CBOREncoder().encode(node.value) == mutated, "\(hexString(mutated))")
                } catch {
                    rejections[error.code, default: 0] += 1
                }
            }
        }
        // The mutations exercise both outcomes and many rejection codes.
        #expect(accepted > 100)
        #expect(rejections.count >= 8, "\(rejections)")
    }

    @Test("enc-canonical: random byte strings are either rejected or canonical")
    func randomBytes() {
        var random = SplitMix64(seed: 4)
        for _ in 0..<20000 {
            let count = Int.random(in: 1..<12, using: &random)
            let input = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            do throws(CBORError) {
                let node = try CBORDecoder().decode(input)
                #expect(try CBOREncoder().encode(node.value) == input, "\(hexString(input))")
            } catch {
                #expect(CBORError.Code.allCases.contains(error.code))
            }
        }
    }

    @Test("enc-map-order: maps encode identically whatever the order their entries are given in")
    func mapOrderIndependence() throws {
        var generator = ValueGenerator(seed: 5)
        var random = SplitMix64(seed: 6)
        for _ in 0..<500 {
            var entries: [CBORValue.MapEntry] = []
            var seen = Set<CBORValue>()
            for _ in 0..<Int.random(in: 0..<12, using: &random) {
                let key = generator.key()
                if seen.insert(key).inserted { entries.append(.init(key: key, value: generator.value(depth: 2))) }
            }
            let shuffled = entries.shuffled(using: &random)
            #expect(CBORValue.map(entries) == CBORValue.map(shuffled))
            #expect(try CBOREncoder().encode(.map(entries)) == CBOREncoder().encode(.map(shuffled)))
        }
    }
}
