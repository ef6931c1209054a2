import DialogueCrypto
import Testing

@testable import DialogueMessages

/// The duplicate check of [msg-manifest-consistency] sorts 64-bit digests instead of hashing
/// every key into a `Set`; these tests hold it to the `Set` answer.
@Suite("Duplicate recipients (messages.md#msg-manifest-consistency)")
struct DuplicateRecipientTests {
    /// `count` recipients with distinct addresses and keys derived from `seed` (BLAKE2b, so reproducible).
    static func recipients(count: Int, seed: UInt64) -> [Recipient] {
        (0..<count).map { index in
            let key = BLAKE2b.hash(Array("\(seed)/\(index)".utf8), outputByteCount: 32)
            return Recipient(
                address: try! Address(canonical: "member\(index)@example.org"), role: .to,
                encryptionKey: try! X25519.PublicKey(rawRepresentation: key))
        }
    }

    @Test("4,096 distinct recipients have no duplicate; one repeated key or address anywhere is found")
    func largeLists() {
        let list = Self.recipients(count: 4096, seed: 7)
        #expect(!Manifest.hasDuplicate(list, by: { $0.encryptionKey.rawRepresentation }))
        #expect(!Manifest.hasDuplicate(list, by: { $0.address.text.utf8 }))
        var sameKey = list
        sameKey[4095].encryptionKey = list[0].encryptionKey
        #expect(Manifest.hasDuplicate(sameKey, by: { $0.encryptionKey.rawRepresentation }))
        #expect(!Manifest.hasDuplicate(sameKey, by: { $0.address.text.utf8 }))
        var sameAddress = list
        sameAddress[17].address = list[2048].address
        #expect(Manifest.hasDuplicate(sameAddress, by: { $0.address.text.utf8 }))
        #expect(!Manifest.hasDuplicate(sameAddress, by: { $0.encryptionKey.rawRepresentation }))
    }

    @Test("agrees with a Set on random lists with and without repeats", arguments: 0..<UInt64(200))
    func agreesWithSet(seed: UInt64) {
        // Picks from a pool of 64 by a quadratic sequence: some seeds repeat a pick, some do not.
        let pool = Self.recipients(count: 64, seed: seed)
        let count = Int(seed % 41)
        let list = (0..<count).map { pool[Int((seed &* 31 &+ UInt64($0 * $0) &* 17) % 64)] }
        let expected = Set(list.map(\.encryptionKey)).count < list.count
        #expect(Manifest.hasDuplicate(list, by: { $0.encryptionKey.rawRepresentation }) == expected)
    }
}
