import Synchronization
import Testing

@testable import DialogueCrypto

@Suite("SecureBytes, ConstantTime, SecureRandom, CryptoError")
struct SecureBytesTests {
    /// What the deinit hook saw.
    final class Observation: Sendable {
        let seen = Mutex<[UInt8]?>(nil)
    }

    @Test("The buffer is zeroed before it is freed")
    func zeroedOnRelease() {
        let observation = Observation()
        do {
            let observer: @Sendable (UnsafeRawBufferPointer) -> Void = { buffer in
                observation.seen.withLock { $0 = Array(buffer) }
            }
            let secret = SecureBytes(count: 64, deinitObserver: observer) { buffer in
                for index in buffer.indices {
                    buffer[index] = 0xa5
                }
            }
            #expect(secret.allSatisfy { $0 == 0xa5 })
            #expect(observation.seen.withLock { $0 } == nil)
        }
        // The hook runs inside deinit, after sodium_memzero and before deallocation, so reading
        // the buffer there is defined behaviour.
        #expect(observation.seen.withLock { $0 } == [UInt8](repeating: 0, count: 64))
    }

    @Test("Copies, comparisons and descriptions")
    func basics() {
        let bytes: [UInt8] = [1, 2, 3, 4]
        let secret = SecureBytes(bytes)
        #expect(secret.count == 4)
        #expect(Array(secret) == bytes)
        #expect(secret == SecureBytes(bytes))
        #expect(secret != SecureBytes([1, 2, 3, 5]))
        #expect(secret != SecureBytes([1, 2, 3]))
        #expect(SecureBytes([UInt8]()) == SecureBytes([UInt8]()))
        #expect(SecureBytes(bytes.lazy.map { $0 }) == secret)
        #expect(String(describing: secret) == "SecureBytes(4 bytes)")
        #expect(!String(reflecting: secret).contains("1, 2"))
        #expect(secret.withUnsafeBytes { Array($0) } == bytes)
        #expect(SecureBytes(randomByteCount: 32) != SecureBytes(randomByteCount: 32))
    }

    @Test("ConstantTime.equals compares lengths, then every byte")
    func constantTime() {
        #expect(ConstantTime.equals([UInt8](), [UInt8]()))
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equals([UInt8](), [0]))
        #expect(ConstantTime.equals([1, 2, 3][1...], [2, 3]))
        #expect(ConstantTime.equals((1...3).lazy.map { UInt8($0) }, [1, 2, 3]))
    }

    @Test("SecureRandom fills what it is given")
    func random() {
        #expect(SecureRandom.bytes(count: 0).isEmpty)
        #expect(SecureRandom.bytes(count: 33).count == 33)
        #expect(SecureRandom.bytes(count: 32) != SecureRandom.bytes(count: 32))
        var buffer = [UInt8](repeating: 0, count: 64)
        SecureRandom.fill(&buffer)
        #expect(buffer != [UInt8](repeating: 0, count: 64))
        var empty = [UInt8]()
        SecureRandom.fill(&empty)
        #expect(empty.isEmpty)
    }

    @Test("Errors compare by code and describe themselves")
    func errors() throws {
        let error = CryptoError(code: .weakPublicKey, reason: "one")
        #expect(error == CryptoError(code: .weakPublicKey, reason: "two"))
        #expect(error != CryptoError(code: .authenticationFailed))
        #expect(String(describing: error).hasPrefix("CryptoError.weakPublicKey: one"))
        try CryptoLibrary.initialize()
        try CryptoLibrary.initialize()
        #expect(CryptoLibrary.libsodiumVersion.hasPrefix("1."))
    }
}
