import DialogueCBOR
import DialogueCrypto
import DialogueIdentifiers
import DialogueMessages
import Testing

@Suite("Identity cards (identities.md#card)")
struct CardTests {
    static let signer = Fixture.signingKey(0xc0)
    static let encryption = Fixture.encryptionKey(0xc0).publicKey

    /// A card body as a CBOR map; every field can be replaced to build a malformed body.
    static func body(
        version: UInt64 = 1,
        addresses: [String] = ["card@example.org"],
        identityKey: [UInt8] = signer.publicKey.rawRepresentation,
        encryptionKey: [UInt8] = encryption.rawRepresentation,
        created: UInt64 = Fixture.created,
        expires: UInt64 = Fixture.expires
    ) -> CBORValue {
        .map([
            .init(key: 0, value: .unsigned(version)),
            .init(key: 1, value: .array(addresses.map { .text($0) })),
            .init(key: 2, value: .bytes(identityKey)),
            .init(key: 3, value: .bytes(encryptionKey)),
            .init(key: 4, value: .unsigned(created)),
            .init(key: 5, value: .unsigned(expires)),
        ])
    }

    /// `body`, encoded and properly signed by `key`, so that decoding reaches the check under test.
    static func card(_ body: CBORValue, signedBy key: Ed25519.SigningKey = signer) -> [UInt8] {
        Construction.signed(Construction.encode(body), context: "dialogue-v1/card", with: key)
    }

    @Test("card: issue and decode round trip keeps the exact bytes and every field")
    func roundTrip() throws {
        let issued = try IdentityCard(
            addresses: [Address(canonical: "zed@example.org"), Address(canonical: "amy@example.org")],
            signingKey: CardTests.signer, encryptionKey: CardTests.encryption, created: 10, expires: 20
        )
        let decoded = try IdentityCard(decoding: issued.encodedBytes)
        #expect(decoded.encodedBytes == issued.encodedBytes)
        #expect(decoded == issued)
        #expect(decoded.addresses.map(\.text) == ["amy@example.org", "zed@example.org"])
        #expect(decoded.identityKey == CardTests.signer.publicKey)
        #expect(decoded.encryptionKey == CardTests.encryption)
        #expect(decoded.created == 10 && decoded.expires == 20)
        #expect(decoded.lists(try Address(canonical: "zed@example.org")))
        #expect(!decoded.lists(try Address(canonical: "bob@example.org")))
    }

    @Test("card: a card built by hand from the specification decodes to the same bytes")
    func handBuiltCard() throws {
        let bytes = CardTests.card(CardTests.body())
        let card = try IdentityCard(decoding: bytes)
        #expect(card.encodedBytes == bytes)
        let issued = try IdentityCard(
            addresses: [Address(canonical: "card@example.org")], signingKey: CardTests.signer,
            encryptionKey: CardTests.encryption, created: Fixture.created, expires: Fixture.expires
        )
        #expect(issued.encodedBytes == bytes, "Ed25519 signatures are deterministic, so issuing is too")
    }

    @Test("keys: the fingerprint is the identifier of the identity key under dialogue-v1/identity-key")
    func fingerprint() {
        let card = Fixture.alice.card
        let expected =
            [0x01]
            + BLAKE2b256.hash(
                Construction.contextPrefixed("dialogue-v1/identity-key", card.identityKey.rawRepresentation))
        #expect(card.fingerprint.binaryRepresentation == expected)
        #expect(Fixture.alice.fingerprint == card.fingerprint)
        #expect(card.fingerprint.text(kind: .identityKey).hasPrefix("key-"))
    }

    @Test("card-signature: a flipped byte of the signature fails with bad-signature")
    func flippedSignature() {
        let bytes = Fixture.alice.card.encodedBytes
        for index in [bytes.count - 64, bytes.count - 30, bytes.count - 1] {
            expectError(.badSignature) { _ = try IdentityCard(decoding: bytes.flipping(at: index)) }
        }
    }

    @Test("card-signature: a flipped byte of the body (in the encryption key) fails with bad-signature")
    func flippedBody() throws {
        let (body, signature) = Construction.split(Fixture.alice.card.encodedBytes)
        let keyOffset = try #require(body.offset(of: Fixture.alice.card.encryptionKey.rawRepresentation))
        for index in [keyOffset, keyOffset + 17] {
            let tampered = Construction.encode(.array([.bytes(body.flipping(at: index)), .bytes(signature)]))
            expectError(.badSignature) { _ = try IdentityCard(decoding: tampered) }
        }
    }

    @Test("card-signature: a signature by another key, or without the context prefix, fails with bad-signature")
    func wrongSigner() {
        expectError(.badSignature) {
            _ = try IdentityCard(decoding: CardTests.card(CardTests.body(), signedBy: Fixture.mallory.signingKey))
        }
        let body = Construction.encode(CardTests.body())
        let bare = CardTests.signer.signature(for: body).rawRepresentation
        expectError(.badSignature) {
            _ = try IdentityCard(decoding: Construction.encode(.array([.bytes(body), .bytes(bare)])))
        }
        let wrongContext = Construction.signed(body, context: "dialogue-v1/manifest", with: CardTests.signer)
        expectError(.badSignature) { _ = try IdentityCard(decoding: wrongContext) }
    }

    @Test("card-version: a signed card of version 2 is unsupported-version")
    func version2() {
        expectError(.unsupportedVersion) { _ = try IdentityCard(decoding: CardTests.card(CardTests.body(version: 2))) }
        expectError(.unsupportedVersion) { _ = try IdentityCard(decoding: CardTests.card(CardTests.body(version: 0))) }
        // The version is read first: a version 2 body with another layout is still unsupported-version.
        let other = CBORValue.map([.init(key: 0, value: 2), .init(key: 9, value: "new layout")])
        expectError(.unsupportedVersion) { _ = try IdentityCard(decoding: CardTests.card(other)) }
    }

    static let malformedBodies: [(String, CBORValue)] = [
        ("an unknown key 6", body().setting(6, to: 0)),
        ("an unknown text key", body().adding("x", 1)),
        ("a missing key 5 (expires)", body().setting(5, to: nil)),
        ("a missing key 1 (addresses)", body().setting(1, to: nil)),
        ("a missing version", body().setting(0, to: nil)),
        ("a 31-byte identity key", body(identityKey: Array(signer.publicKey.rawRepresentation.prefix(31)))),
        ("a 33-byte encryption key", body(encryptionKey: encryption.rawRepresentation + [0])),
        ("addresses out of bytewise order", body(addresses: ["zed@example.org", "amy@example.org"])),
        ("a duplicate address", body(addresses: ["amy@example.org", "amy@example.org"])),
        ("no address", body(addresses: [])),
        ("a non-canonical (upper-case) address", body(addresses: ["Amy@example.org"])),
        ("an invalid address", body(addresses: ["amy"])),
        ("expires equal to created", body(created: 100, expires: 100)),
        ("expires before created", body(created: 100, expires: 99)),
        ("a text version", body().setting(0, to: "1")),
        ("addresses as a text", body().setting(1, to: "amy@example.org")),
        ("a negative created", body().setting(4, to: .negative(0))),
    ]

    @Test(
        "card-decode, card-fields: a properly signed but malformed body is malformed",
        arguments: malformedBodies.map(\.0)
    )
    func malformedBody(_ name: String) throws {
        let body = try #require(CardTests.malformedBodies.first { $0.0 == name }?.1)
        expectError(.malformed) { _ = try IdentityCard(decoding: CardTests.card(body)) }
    }

    @Test("card-decode: a card that is not an array of two byte strings, the second 64 bytes, is malformed")
    func malformedOuter() {
        let body = Construction.encode(CardTests.body())
        let signature = CardTests.signer.signature(for: Construction.contextPrefixed("dialogue-v1/card", body))
            .rawRepresentation
        let shapes: [CBORValue] = [
            .bytes(body),
            .array([.bytes(body)]),
            .array([.bytes(body), .bytes(signature), .bytes([])]),
            .array([.bytes(body), .bytes(Array(signature.prefix(63)))]),
            .array([.bytes(body), .bytes(signature + [0])]),
            .array([.text("body"), .bytes(signature)]),
            .map([.init(key: 0, value: .bytes(body)), .init(key: 1, value: .bytes(signature))]),
        ]
        for shape in shapes {
            expectError(.malformed) { _ = try IdentityCard(decoding: Construction.encode(shape)) }
        }
        expectError(.malformed) { _ = try IdentityCard(decoding: [UInt8]()) }
        // A body that is not CBOR at all, properly signed.
        let garbage: [UInt8] = [0xff, 0x00]
        expectError(.malformed) {
            _ = try IdentityCard(
                decoding: Construction.signed(garbage, context: "dialogue-v1/card", with: CardTests.signer))
        }
    }

    @Test("card-decode: trailing bytes after the card are malformed")
    func trailingBytes() {
        expectError(.malformed) { _ = try IdentityCard(decoding: Fixture.alice.card.encodedBytes + [0x00]) }
        expectError(.malformed) { _ = try IdentityCard(decoding: Fixture.alice.card.encodedBytes + [0x40]) }
        expectError(.malformed) { _ = try IdentityCard(decoding: Fixture.alice.card.encodedBytes.dropLast()) }
    }

    @Test("card-decode: 16 addresses are accepted, 17 are limits-exceeded")
    func addressLimit() throws {
        let sixteen = (0..<16).map { String(format2($0)) + "@example.org" }
        let card = try IdentityCard(decoding: CardTests.card(CardTests.body(addresses: sixteen)))
        #expect(card.addresses.count == 16)
        let seventeen = (0..<17).map { String(format2($0)) + "@example.org" }
        expectError(.limitsExceeded) {
            _ = try IdentityCard(decoding: CardTests.card(CardTests.body(addresses: seventeen)))
        }
        expectError(.limitsExceeded) {
            _ = try IdentityCard(
                addresses: seventeen.map { try Address(canonical: $0) }, signingKey: CardTests.signer,
                encryptionKey: CardTests.encryption, created: 1, expires: 2
            )
        }
    }

    @Test("card-fields: a low-order encryption key is weak-key, when decoding and when issuing")
    func weakKey() {
        let lowOrder: [[UInt8]] = [
            [UInt8](repeating: 0, count: 32),  // u = 0
            [1] + [UInt8](repeating: 0, count: 31),  // u = 1
            // u = p - 1 = 2^255 - 20, little-endian
            [0xec] + [UInt8](repeating: 0xff, count: 30) + [0x7f],
        ]
        for key in lowOrder {
            expectError(.weakKey) { _ = try IdentityCard(decoding: CardTests.card(CardTests.body(encryptionKey: key))) }
            expectError(.weakKey) {
                _ = try IdentityCard(
                    addresses: [Address(canonical: "weak@example.org")], signingKey: CardTests.signer,
                    encryptionKey: try! X25519.PublicKey(rawRepresentation: key), created: 1, expires: 2
                )
            }
        }
    }

    @Test("card-fields: issuing refuses duplicate addresses, no address and expires not after created")
    func issuingChecks() throws {
        let amy = try Address(canonical: "amy@example.org")
        func issue(_ addresses: [Address], _ created: UInt64, _ expires: UInt64) throws(MessageError) {
            _ = try IdentityCard(
                addresses: addresses, signingKey: CardTests.signer, encryptionKey: CardTests.encryption,
                created: created, expires: expires
            )
        }
        expectError(.malformed) { try issue([amy, amy], 1, 2) }
        expectError(.malformed) { try issue([], 1, 2) }
        expectError(.malformed) { try issue([amy], 2, 2) }
        expectError(.malformed) { try issue([amy], 3, 2) }
    }

    @Test("card: an expired card still decodes (expiry is for the trust layer)")
    func expiredCardDecodes() throws {
        let card = try IdentityCard(decoding: CardTests.card(CardTests.body(created: 1, expires: 2)))
        #expect(card.expires == 2)
    }
}

/// `n` as two decimal digits, so that the addresses sort in numeric order.
private func format2(_ n: Int) -> String { n < 10 ? "a0\(n)" : "a\(n)" }
