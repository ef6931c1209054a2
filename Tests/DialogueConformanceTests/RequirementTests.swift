import DialogueConformance
import DialogueIdentifiers
import DialogueMessages
import Foundation
import Synchronization
import Testing

@testable import DialogueCrypto

/// Requirements that test vectors cannot express: properties of memory, time, files and
/// randomness, and reading a whole part. Each test names the anchor it checks.
@Suite("Requirements without vectors")
struct RequirementTests {
    final class Observation: Sendable {
        let seen = Mutex<[UInt8]?>(nil)
    }

    @Test("prim-zeroize: secret bytes are overwritten before their memory is released")
    func zeroize() {
        let observation = Observation()
        do {
            let observer: @Sendable (UnsafeRawBufferPointer) -> Void = { buffer in
                observation.seen.withLock { $0 = Array(buffer) }
            }
            let secret = SecureBytes(count: 32, deinitObserver: observer) { buffer in
                for index in buffer.indices { buffer[index] = 0x5a }
            }
            #expect(secret.allSatisfy { $0 == 0x5a })
        }
        #expect(observation.seen.withLock { $0 } == [UInt8](repeating: 0, count: 32))
    }

    @Test("prim-constant-time: tags and commitments are compared with the constant-time comparison")
    func constantTime() throws {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        // The comparisons that authenticate go through it, not through ==.
        let sources = Support.root.appendingPathComponent("Sources")
        let opener = try String(
            contentsOf: sources.appendingPathComponent("DialogueMessages/Opening/EnvelopeOpener.swift"), encoding: .utf8
        )
        #expect(opener.contains("ConstantTime.equals(MessageKeys.commitment"))
        let hmac = try String(
            contentsOf: sources.appendingPathComponent("DialogueCrypto/Authentication/HMACSHA256.swift"),
            encoding: .utf8)
        #expect(hmac.contains("ConstantTime.equals(authenticationCode"))
    }

    @Test("prim-hmac: a truncated or extended tag is never accepted")
    func hmacLength() {
        let key = Array("key".utf8)
        let tag = HMACSHA256.authenticationCode(for: Array("message".utf8), using: key)
        #expect(tag.count == 32)
        #expect(HMACSHA256.isValidAuthenticationCode(tag, authenticating: Array("message".utf8), using: key))
        #expect(
            !HMACSHA256.isValidAuthenticationCode(tag.prefix(16), authenticating: Array("message".utf8), using: key))
        #expect(!HMACSHA256.isValidAuthenticationCode(tag + [0], authenticating: Array("message".utf8), using: key))
    }

    @Test("prim-hkdf: an output longer than 8160 bytes is refused")
    func hkdfLimit() throws {
        #expect(try HKDFSHA256.deriveKey(ikm: [1], salt: [], info: [], outputByteCount: 8160).count == 8160)
        #expect(throws: CryptoError.self) {
            try HKDFSHA256.deriveKey(ikm: [1], salt: [], info: [], outputByteCount: 8161)
        }
    }

    @Test("prim-blake2b: BLAKE2b-256 is its own function, not a truncated BLAKE2b-512")
    func blake2bLength() {
        let input = Array("abc".utf8)
        #expect(BLAKE2b256.hash(input) != Array(BLAKE2b.hash(input, outputByteCount: 64).prefix(32)))
        #expect(BLAKE2b256.hash(input) == BLAKE2b.hash(input, outputByteCount: 32))
    }

    @Test("prim-random, prim-aead-nonce, msg-part-key-fresh: every seal draws fresh keys")
    func freshRandomness() async throws {
        let alice = try SecretIdentity.generate(
            addresses: [Address(parsing: "alice@example.org")], created: 1_700_000_000)
        let bob = try SecretIdentity.generate(addresses: [Address(parsing: "bob@example.net")], created: 1_700_000_000)
        let store = MemoryBlobStore()
        let sealer = MessageSealer(sender: alice, store: store)
        let draft = MessageDraft(
            recipients: [.init(card: bob.card)], date: 1_700_000_100, subject: "Same", parts: [.text("same text")])
        let first = try await sealer.seal(draft)
        let second = try await sealer.seal(draft)
        let a = try Envelope(decoding: first.envelopeBytes)
        let b = try Envelope(decoding: second.envelopeBytes)
        #expect(a.keyCommitment != b.keyCommitment, "a fresh message key, hence a fresh header key for the zero nonce")
        #expect(a.ephemeralKey != b.ephemeralKey, "a fresh ephemeral key, hence fresh wrap keys")
        #expect(first.signedManifest.manifest.parts[0].key != second.signedManifest.manifest.parts[0].key)
        #expect(first.signedManifest.manifest.parts[0].chunks != second.signedManifest.manifest.parts[0].chunks)
    }

    @Test("msg-chunk-release: a part whose chunks stop early is truncated; a bad chunk releases nothing")
    func truncatedPart() async throws {
        let alice = try SecretIdentity.generate(
            addresses: [Address(parsing: "alice@example.org")], created: 1_700_000_000)
        let bob = try SecretIdentity.generate(addresses: [Address(parsing: "bob@example.net")], created: 1_700_000_000)
        let store = MemoryBlobStore()
        let content = [UInt8](repeating: 7, count: MessageLimits.chunkSize + 10)
        let sealed = try await MessageSealer(sender: alice, store: store).seal(
            MessageDraft(
                recipients: [.init(card: bob.card)], date: 1,
                parts: [.init(mediaType: "application/octet-stream", content: .bytes(content))]
            )
        )
        let opened = try EnvelopeOpener.open(sealed.envelopeBytes, as: bob)
        let part = opened.manifest.parts[0]
        #expect(try await PartReader(part: part, store: store).readAll() == content)
        await store.replace(part.chunks[1], with: nil)
        await #expect(throws: MessageError(.truncated, "")) { try await PartReader(part: part, store: store).readAll() }
        var blob = try #require(await store.get(part.chunks[0]))
        blob[blob.count - 1] ^= 1
        let tampered = blob
        #expect(throws: MessageError.self) { try ChunkCipher.open(&blob, part: part, index: 0) }
        #expect(blob.count != MessageLimits.chunkSize || blob != [UInt8](repeating: 7, count: MessageLimits.chunkSize))
        _ = tampered
    }

    @Test("secret-mode: `dialogue identity create` writes the secret file for its owner only (0600)")
    func secretFileMode() throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("alice.identity").path
        let process = Process()
        process.executableURL = Support.dialogue
        process.arguments = ["identity", "create", "alice@example.org", "--output", path]
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DIALOGUE_PASSPHRASE")
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }
}
