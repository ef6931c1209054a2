import DialogueCBOR
import DialogueCrypto
import DialogueMessages
import Testing

@Suite("Secret identity files (identities.md#secret)")
struct SecretFileTests {
    static let fast = SecretIdentityFile.PassphraseParameters.minimum
    static let salt = [UInt8](repeating: 0x5a, count: 16)
    static let nonce = [UInt8](repeating: 0x4e, count: 24)

    static func sealedFile(_ identity: SecretIdentity = Fixture.alice, passphrase: String = "correct horse") throws
        -> [UInt8]
    {
        try SecretIdentityFile.encode(identity, passphrase: passphrase, parameters: fast, salt: salt, nonce: nonce)
    }

    static func expectSame(_ decoded: SecretIdentity, _ original: SecretIdentity) {
        #expect(decoded.card.encodedBytes == original.card.encodedBytes)
        #expect(decoded.signingKey.publicKey == original.signingKey.publicKey)
        #expect(decoded.encryptionKey.publicKey == original.encryptionKey.publicKey)
        #expect(decoded.fingerprint == original.fingerprint)
    }

    @Test("secret: a plain file round trips")
    func plainRoundTrip() throws {
        let file = try SecretIdentityFile.encode(Fixture.bob)
        #expect(try SecretIdentityFile.isSealed(file) == false)
        let decoded = try SecretIdentityFile.decode(file)
        SecretFileTests.expectSame(decoded, Fixture.bob)
        // A passphrase given for a plain file is not needed and does no harm.
        SecretFileTests.expectSame(try SecretIdentityFile.decode(file, passphrase: "unused"), Fixture.bob)
        // The decoded keys work: what they sign verifies under the card.
        let signature = decoded.signingKey.signature(for: [1, 2, 3])
        #expect(Fixture.bob.card.identityKey.isValidSignature(signature, for: [1, 2, 3]))
    }

    @Test("secret: a passphrase-sealed file round trips, and the plaintext body is not in it")
    func sealedRoundTrip() throws {
        let file = try SecretFileTests.sealedFile()
        #expect(try SecretIdentityFile.isSealed(file))
        SecretFileTests.expectSame(try SecretIdentityFile.decode(file, passphrase: "correct horse"), Fixture.alice)
        let seed = Fixture.alice.signingKey.seed.withUnsafeBytes { Array($0) }
        #expect(file.offset(of: seed) == nil)
        #expect(file.offset(of: Fixture.alice.card.encodedBytes) == nil)
        // Given salt and nonce make the file reproducible (test vectors).
        #expect(try SecretFileTests.sealedFile() == file)
        // Random salt and nonce otherwise.
        let random = try SecretIdentityFile.encode(
            Fixture.alice, passphrase: "correct horse", parameters: SecretFileTests.fast)
        #expect(random != file)
        SecretFileTests.expectSame(try SecretIdentityFile.decode(random, passphrase: "correct horse"), Fixture.alice)
    }

    @Test("secret-wrong-passphrase: a wrong or missing passphrase is authentication-failed")
    func wrongPassphrase() throws {
        let file = try SecretFileTests.sealedFile()
        expectError(.authenticationFailed) { _ = try SecretIdentityFile.decode(file, passphrase: "correct hors") }
        expectError(.authenticationFailed) { _ = try SecretIdentityFile.decode(file, passphrase: "") }
        expectError(.authenticationFailed) { _ = try SecretIdentityFile.decode(file) }
    }

    @Test("secret-wrong-passphrase: a flipped byte of the sealed payload, salt or nonce is authentication-failed")
    func flippedPayload() throws {
        let file = Construction.decode(try SecretFileTests.sealedFile())
        let payload = file[2]!.byteValue
        for index in [0, payload.count / 2, payload.count - 1] {
            let tampered = Construction.encode(file.setting(2, to: .bytes(payload.flipping(at: index))))
            expectError(.authenticationFailed) {
                _ = try SecretIdentityFile.decode(tampered, passphrase: "correct horse")
            }
        }
        let otherSalt = Construction.encode(file.setting(3, to: .bytes(SecretFileTests.salt.flipping(at: 0))))
        expectError(.authenticationFailed) { _ = try SecretIdentityFile.decode(otherSalt, passphrase: "correct horse") }
        let otherNonce = Construction.encode(file.setting(6, to: .bytes(SecretFileTests.nonce.flipping(at: 23))))
        expectError(.authenticationFailed) {
            _ = try SecretIdentityFile.decode(otherNonce, passphrase: "correct horse")
        }
    }

    @Test(
        "secret-limits: opslimit or memlimit out of range is limits-exceeded before Argon2id runs",
        arguments: [
            (UInt64(11), UInt64(256 << 20)),  // 11 passes over 256 MiB would take seconds
            (UInt64(1), UInt64(2) << 30),  // 2 GiB
            (UInt64(0), UInt64(8 << 10)),
            (UInt64(1), UInt64(8 << 10) - 1),
            (UInt64.max, UInt64.max),
        ]
    )
    func limits(_ opsLimit: UInt64, _ memLimit: UInt64) throws {
        let file = Construction.decode(try SecretFileTests.sealedFile())
        let hostile = Construction.encode(file.setting(4, to: .unsigned(opsLimit)).setting(5, to: .unsigned(memLimit)))
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            expectError(.limitsExceeded) { _ = try SecretIdentityFile.decode(hostile, passphrase: "correct horse") }
        }
        #expect(elapsed < .milliseconds(500), "Argon2id must not run: took \(elapsed)")
        // Refused even before a passphrase is asked for.
        expectError(.limitsExceeded) { _ = try SecretIdentityFile.decode(hostile) }
    }

    @Test("secret-limits: the accepted bounds themselves (opslimit 1 and 10, memlimit 8 KiB) are accepted")
    func limitBounds() throws {
        for ops in [1, 10] {
            let parameters = SecretIdentityFile.PassphraseParameters(opsLimit: ops, memLimit: 8 << 10)
            let file = try SecretIdentityFile.encode(Fixture.alice, passphrase: "p", parameters: parameters)
            SecretFileTests.expectSame(try SecretIdentityFile.decode(file, passphrase: "p"), Fixture.alice)
        }
    }

    @Test("secret-limits: a writer refuses parameters that a reader would refuse")
    func writerLimits() {
        for (ops, mem) in [(0, 8 << 10), (11, 8 << 10), (1, (8 << 10) - 1), (1, (1 << 30) + 1)] {
            let parameters = SecretIdentityFile.PassphraseParameters(opsLimit: ops, memLimit: mem)
            expectError(.limitsExceeded) {
                _ = try SecretIdentityFile.encode(Fixture.alice, passphrase: "p", parameters: parameters)
            }
        }
        expectError(.malformed) {
            _ = try SecretIdentityFile.encode(
                Fixture.alice, passphrase: "p", parameters: SecretFileTests.fast, salt: [1, 2, 3])
        }
        expectError(.malformed) {
            _ = try SecretIdentityFile.encode(
                Fixture.alice, passphrase: "p", parameters: SecretFileTests.fast, nonce: [1, 2, 3])
        }
    }

    @Test("secret-consistency: secret keys that do not match the card are malformed")
    func keysDoNotMatchCard() throws {
        let seed = Fixture.bob.signingKey.seed.withUnsafeBytes { Array($0) }
        let aliceScalar = Fixture.alice.encryptionKey.rawRepresentation.withUnsafeBytes { Array($0) }
        let bobScalar = Fixture.bob.encryptionKey.rawRepresentation.withUnsafeBytes { Array($0) }
        let aliceSeed = Fixture.alice.signingKey.seed.withUnsafeBytes { Array($0) }
        for (signing, encryption) in [(seed, aliceScalar), (aliceSeed, bobScalar)] {
            let body = Construction.encode(
                .map([
                    .init(key: 0, value: .bytes(signing)),
                    .init(key: 1, value: .bytes(encryption)),
                    .init(key: 2, value: .bytes(Fixture.alice.card.encodedBytes)),
                ])
            )
            let file = Construction.encode(
                .map([.init(key: 0, value: 1), .init(key: 1, value: 0), .init(key: 2, value: .bytes(body))])
            )
            expectError(.malformed) { _ = try SecretIdentityFile.decode(file) }
        }
        expectError(.malformed) {
            _ = try SecretIdentity(
                signingKey: Fixture.bob.signingKey, encryptionKey: Fixture.alice.encryptionKey, card: Fixture.alice.card
            )
        }
    }

    @Test("secret-consistency: a card that does not verify makes the file malformed, not bad-signature")
    func cardDoesNotVerify() throws {
        let plain = Construction.decode(try SecretIdentityFile.encode(Fixture.alice))
        let body = Construction.decode(plain[2]!.byteValue)
        let card = Fixture.alice.card.encodedBytes
        let tampered = body.setting(2, to: .bytes(card.flipping(at: card.count - 1)))
        let file = Construction.encode(plain.setting(2, to: .bytes(Construction.encode(tampered))))
        expectError(.malformed) { _ = try SecretIdentityFile.decode(file) }
    }

    @Test("secret: a truncated or empty file is malformed")
    func truncated() throws {
        for file in [try SecretIdentityFile.encode(Fixture.alice), try SecretFileTests.sealedFile()] {
            for length in [0, 1, file.count / 2, file.count - 1] {
                expectError(.malformed) {
                    _ = try SecretIdentityFile.decode(Array(file.prefix(length)), passphrase: "correct horse")
                }
            }
        }
    }

    @Test("secret: wrong layouts are malformed, an unknown version or mode is unsupported-version")
    func layouts() throws {
        let plain = Construction.decode(try SecretIdentityFile.encode(Fixture.alice))
        let sealed = Construction.decode(try SecretFileTests.sealedFile())
        let malformed: [CBORValue] = [
            plain.setting(3, to: .bytes(SecretFileTests.salt)),  // sealed-only key in a plain file
            sealed.setting(3, to: nil),  // no salt
            sealed.setting(3, to: .bytes(Array(SecretFileTests.salt.prefix(15)))),
            sealed.setting(6, to: .bytes(Array(SecretFileTests.nonce.prefix(23)))),
            sealed.setting(7, to: 0),
            plain.setting(2, to: .bytes([0xa0])),  // an empty body map
        ]
        for value in malformed {
            expectError(.malformed) {
                _ = try SecretIdentityFile.decode(Construction.encode(value), passphrase: "correct horse")
            }
        }
        expectError(.unsupportedVersion) {
            _ = try SecretIdentityFile.decode(Construction.encode(plain.setting(0, to: 2)))
        }
        expectError(.unsupportedVersion) {
            _ = try SecretIdentityFile.decode(Construction.encode(plain.setting(1, to: 2)))
        }
    }
}
