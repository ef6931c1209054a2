import DialogueCBOR
import DialogueCrypto
import DialogueIdentifiers
import DialogueMessages
import Testing

/// A small message from Alice to Bob, sealed with fixed randomness, whose parts are not stored:
/// the envelope and manifest checks do not fetch chunks.
enum Base {
    static let randomness = Fixture.randomness(recipients: 1, parts: 0, tag: 0x40)
    static let referenced = ContentIdentifier.hashing([0x42], context: .message)
    static let part = PartDescriptor(
        mediaType: "text/plain", fileName: "a.txt", size: 5, key: [UInt8](repeating: 7, count: 32),
        chunks: [ContentIdentifier.hashing([1, 2, 3], context: .blob)]
    )

    static func manifest(
        sender: Address = Fixture.alice.card.addresses[0],
        recipients: [Recipient] = [
            Recipient(address: Fixture.bob.card.addresses[0], role: .to, encryptionKey: Fixture.bob.card.encryptionKey)
        ]
    ) -> Manifest {
        Manifest(
            mode: .encrypted, senderAddress: sender, senderCard: Fixture.alice.card, recipients: recipients,
            date: Fixture.date, headers: ["subject": "Base", "x-tag": "t"], parts: [part],
            inReplyTo: [referenced], references: [referenced], ephemeralKey: nil, keyCommitment: nil
        )
    }

    static let sealed = try! EnvelopeSealer.seal(
        manifest(), signingKey: Fixture.alice.signingKey, randomness: randomness)
    static let split = Construction.split(sealed.signedManifest.encodedBytes)
    static let manifestValue = Construction.decode(split.payload)

    /// An envelope around `signedManifest` with the base message's K and e, sealed to `recipients`.
    static func envelope(
        _ signedManifest: [UInt8], to recipients: [X25519.PublicKey] = [Fixture.bob.card.encryptionKey]
    )
        -> [UInt8]
    {
        Construction.envelope(
            signedManifest: signedManifest, messageKey: randomness.messageKey,
            ephemeralSecret: randomness.ephemeralSecret, recipients: recipients
        )
    }

    /// `manifest` with the base signature: what a tamperer who cannot sign produces.
    static func keepingSignature(_ manifest: CBORValue) -> [UInt8] {
        Construction.encode(.array([.bytes(Construction.encode(manifest)), .bytes(split.signature)]))
    }

    /// `manifest` properly signed by Alice, so that the open reaches the checks after the signature.
    static func resigned(_ manifest: CBORValue) -> [UInt8] { Construction.signedManifest(manifest) }

    /// The manifest value with `E` and the commitment of the base randomness.
    static var ephemeralKey: [UInt8] { manifestValue[10]!.byteValue }
    static var commitment: [UInt8] { manifestValue[11]!.byteValue }

    static func open(_ envelope: [UInt8], as identity: SecretIdentity = Fixture.bob) throws -> OpenedMessage {
        try EnvelopeOpener.open(envelope, as: identity)
    }
}

/// A manifest change and the error it must produce.
struct ManifestTamper: Sendable, CustomTestStringConvertible {
    let name: String
    let expected: MessageError.Code
    let transform: @Sendable (CBORValue) -> CBORValue

    var testDescription: String { "\(name) → \(expected)" }

    static func badSignature(_ name: String, _ transform: @escaping @Sendable (CBORValue) -> CBORValue)
        -> ManifestTamper
    {
        ManifestTamper(name: name, expected: .badSignature, transform: transform)
    }
}

private func recipient(_ address: String, _ role: UInt64, _ key: X25519.PublicKey) -> CBORValue {
    .map([
        .init(key: 0, value: .text(address)), .init(key: 1, value: .unsigned(role)),
        .init(key: 2, value: .bytes(key.rawRepresentation)),
    ])
}

private func firstPart(_ transform: @escaping @Sendable (CBORValue) -> CBORValue) -> @Sendable (CBORValue) -> CBORValue
{
    { manifest in manifest.updating(7) { $0.updatingElement(0, transform) } }
}

private func firstRecipient(_ transform: @escaping @Sendable (CBORValue) -> CBORValue)
    -> @Sendable (CBORValue) -> CBORValue
{
    { manifest in manifest.updating(4) { $0.updatingElement(0, transform) } }
}

@Suite("Tampering (messages.md#msg-open, in the order of its steps)")
struct TamperingTests {
    @Test("msg-open: the base envelope, rebuilt by hand with the same K and e, opens (the helpers are sound)")
    func controlCase() throws {
        let rebuilt = Base.envelope(Base.keepingSignature(Base.manifestValue))
        #expect(rebuilt == Base.sealed.envelopeBytes)
        let opened = try Base.open(rebuilt)
        #expect(opened.messageID == Base.sealed.signedManifest.messageID)
        #expect(opened.manifest.subject == "Base")
    }

    static let manifestFields: [ManifestTamper] = [
        ManifestTamper(name: "0 version 1 → 2", expected: .unsupportedVersion) { $0.setting(0, to: 2) },
        ManifestTamper(name: "1 mode encrypted → public", expected: .malformed) { $0.setting(1, to: 1) },
        .badSignature("2 sender address") { $0.setting(2, to: "mallory@example.org") },
        .badSignature("3 sender card replaced by Mallory's") {
            $0.setting(3, to: .bytes(Fixture.mallory.card.encodedBytes))
        },
        .badSignature("4 recipient address") { firstRecipient { $0.setting(0, to: "robert@example.net") }($0) },
        .badSignature("4 recipient role") { firstRecipient { $0.setting(1, to: 1) }($0) },
        .badSignature("4 recipient key") {
            firstRecipient { $0.setting(2, to: .bytes(Fixture.carol.card.encryptionKey.rawRepresentation)) }($0)
        },
        .badSignature("4 a recipient added") {
            $0.updating(4) {
                .array($0.elements + [recipient("carol@example.com", 1, Fixture.carol.card.encryptionKey)])
            }
        },
        .badSignature("4 the recipients removed") { $0.setting(4, to: .array([])) },
        .badSignature("5 date") { $0.setting(5, to: .unsigned(Fixture.date + 1)) },
        .badSignature("6 subject changed") { $0.updating(6) { $0.adding("subject", "Bass") } },
        .badSignature("6 header added") { $0.updating(6) { $0.adding("x-new", "1") } },
        .badSignature("6 header removed") { $0.setting(6, to: .map([.init(key: "subject", value: "Base")])) },
        .badSignature("7 media type") { firstPart { $0.setting(0, to: "text/html") }($0) },
        .badSignature("7 file name") { firstPart { $0.setting(1, to: "b.txt") }($0) },
        .badSignature("7 size") { firstPart { $0.setting(2, to: 6) }($0) },
        .badSignature("7 part key") { firstPart { $0.setting(3, to: .bytes([UInt8](repeating: 8, count: 32))) }($0) },
        .badSignature("7 chunk identifier") {
            firstPart {
                $0.setting(4, to: .array([.bytes(ContentIdentifier.hashing([9], context: .blob).binaryRepresentation)]))
            }($0)
        },
        .badSignature("7 part removed") { $0.setting(7, to: .array([])) },
        .badSignature("8 in-reply-to cleared") { $0.setting(8, to: .array([])) },
        .badSignature("9 reference added") {
            $0.updating(9) {
                .array($0.elements + [.bytes(ContentIdentifier.hashing([7], context: .message).binaryRepresentation)])
            }
        },
        .badSignature("10 ephemeral key") { $0.setting(10, to: .bytes(Base.ephemeralKey.flipping(at: 0))) },
        .badSignature("11 key commitment") { $0.setting(11, to: .bytes(Base.commitment.flipping(at: 31))) },
    ]

    @Test(
        "msg-open-signature-before-use: each manifest field changed under the original signature fails",
        arguments: manifestFields)
    func manifestField(_ tamper: ManifestTamper) {
        let envelope = Base.envelope(Base.keepingSignature(tamper.transform(Base.manifestValue)))
        expectError(tamper.expected) { _ = try Base.open(envelope) }
    }

    @Test("msg-seal: a flipped byte of the manifest signature is bad-signature")
    func flippedSignature() {
        for index in [0, 31, 63] {
            let signed = Construction.encode(
                .array([.bytes(Base.split.payload), .bytes(Base.split.signature.flipping(at: index))])
            )
            expectError(.badSignature) { _ = try Base.open(Base.envelope(signed)) }
        }
        // A manifest signed by Mallory while carrying Alice's card.
        expectError(.badSignature) {
            _ = try Base.open(
                Base.envelope(Construction.signedManifest(Base.manifestValue, with: Fixture.mallory.signingKey)))
        }
    }

    // MARK: Envelope and key (steps 1 to 5)

    @Test("msg-open step 4: a flipped byte in the stanza is not-a-recipient, with or without the stanza index")
    func flippedStanza() throws {
        var envelope = try Envelope(decoding: Base.sealed.envelopeBytes)
        for index in [0, 31, 47] {
            var tampered = envelope
            tampered.stanzas[0] = envelope.stanzas[0].flipping(at: index)
            expectError(.notARecipient) { _ = try Base.open(tampered.encoded()) }
            expectError(.notARecipient) {
                _ = try EnvelopeOpener.open(tampered.encoded(), as: Fixture.bob, stanzaIndex: 0)
            }
        }
        // A different E gives a different shared secret: no stanza opens.
        envelope.ephemeralKey = Fixture.encryptionKey(0x55).publicKey.rawRepresentation
        expectError(.notARecipient) { _ = try Base.open(envelope.encoded()) }
    }

    @Test("msg-open step 4: a low-order ephemeral key E is malformed")
    func lowOrderEphemeral() throws {
        var envelope = try Envelope(decoding: Base.sealed.envelopeBytes)
        envelope.ephemeralKey = [UInt8](repeating: 0, count: 32)
        expectError(.malformed) { _ = try Base.open(envelope.encoded()) }
    }

    @Test("msg-commitment: a wrong key commitment in the envelope is authentication-failed")
    func wrongCommitment() throws {
        var envelope = try Envelope(decoding: Base.sealed.envelopeBytes)
        envelope.keyCommitment = envelope.keyCommitment!.flipping(at: 5)
        expectError(.authenticationFailed) { _ = try Base.open(envelope.encoded()) }
        // A commitment to another key K' (an "invisible salamander" attempt).
        let salamander = Construction.envelope(
            signedManifest: Base.sealed.signedManifest.encodedBytes, messageKey: Base.randomness.messageKey,
            ephemeralSecret: Base.randomness.ephemeralSecret, recipients: [Fixture.bob.card.encryptionKey],
            commitment: Construction.commitment([UInt8](repeating: 0x99, count: 32))
        )
        expectError(.authenticationFailed) { _ = try Base.open(salamander) }
    }

    @Test("msg-open step 5: a flipped byte of the sealed manifest is authentication-failed")
    func flippedSealedManifest() throws {
        let envelope = try Envelope(decoding: Base.sealed.envelopeBytes)
        for index in [0, envelope.payload.count / 2, envelope.payload.count - 1] {
            var tampered = envelope
            tampered.payload = envelope.payload.flipping(at: index)
            expectError(.authenticationFailed) { _ = try Base.open(tampered.encoded()) }
        }
        var truncated = envelope
        truncated.payload = Array(envelope.payload.dropLast(17))
        expectError(.authenticationFailed) { _ = try Base.open(truncated.encoded()) }
    }

    @Test("msg-envelope-version: envelope version 2 or mode 2 is unsupported-version")
    func envelopeVersion() throws {
        let value = Construction.decode(Base.sealed.envelopeBytes)
        expectError(.unsupportedVersion) { _ = try Base.open(Construction.encode(value.setting(0, to: 2))) }
        expectError(.unsupportedVersion) { _ = try Base.open(Construction.encode(value.setting(0, to: 0))) }
        expectError(.unsupportedVersion) { _ = try Base.open(Construction.encode(value.setting(1, to: 2))) }
    }

    @Test("msg-open-order: an unknown version wins over a bad stanza and over a broken layout")
    func versionPrecedence() throws {
        let value = Construction.decode(Base.sealed.envelopeBytes)
        let garbageStanza = value.setting(0, to: 2).setting(
            4, to: .array([.bytes([UInt8](repeating: 0xee, count: 48))]))
        expectError(.unsupportedVersion) { _ = try Base.open(Construction.encode(garbageStanza)) }
        let shortStanza = value.setting(0, to: 2).setting(4, to: .array([.bytes([UInt8](repeating: 0xee, count: 47))]))
        expectError(.unsupportedVersion) { _ = try Base.open(Construction.encode(shortStanza)) }
        let otherLayout = CBORValue.map([.init(key: 0, value: 2), .init(key: 7, value: "v2")])
        expectError(.unsupportedVersion) { _ = try Base.open(Construction.encode(otherLayout)) }
        // The same broken stanza in a version 1 envelope is malformed.
        expectError(.malformed) { _ = try Base.open(Construction.encode(shortStanza.setting(0, to: 1))) }
    }

    @Test("msg-limits: 4,097 stanzas are limits-exceeded; 4,096 foreign stanzas are not-a-recipient")
    func stanzaCount() throws {
        var envelope = try Envelope(decoding: Base.sealed.envelopeBytes)
        let foreign = [UInt8](repeating: 0xab, count: 48)
        envelope.stanzas = Array(repeating: foreign, count: 4097)
        expectError(.limitsExceeded) { _ = try Base.open(envelope.encoded()) }
        envelope.stanzas = Array(repeating: foreign, count: 4096)
        expectError(.notARecipient) { _ = try Base.open(envelope.encoded()) }
        // msg-open-order: the layout (step 1) is checked before the count (step 3).
        envelope.stanzas = Array(repeating: foreign, count: 4097)
        envelope.keyCommitment = [UInt8](repeating: 0, count: 31)
        expectError(.malformed) { _ = try Base.open(envelope.encoded()) }
        envelope.keyCommitment = [UInt8](repeating: 0, count: 32)
        envelope.stanzas[4096] = [UInt8](repeating: 0xab, count: 49)
        expectError(.malformed) { _ = try Base.open(envelope.encoded()) }
    }

    @Test("msg-limits: an envelope over 16 MiB is limits-exceeded before it is decoded")
    func envelopeSize() {
        expectError(.limitsExceeded) { _ = try Base.open([UInt8](repeating: 0xff, count: (1 << 24) + 1)) }
    }

    @Test("msg-envelope-decode: missing, extra or mistyped keys and wrong lengths are malformed")
    func malformedEnvelopes() throws {
        let value = Construction.decode(Base.sealed.envelopeBytes)
        let stanza = value[4]!.elements[0]
        let cases: [CBORValue] = [
            value.setting(5, to: nil),
            value.setting(4, to: nil),
            value.setting(3, to: nil),
            value.setting(2, to: nil),
            value.setting(1, to: nil),
            value.setting(6, to: 0),
            value.setting(3, to: .bytes([UInt8](repeating: 9, count: 31))),
            value.setting(5, to: .bytes([UInt8](repeating: 9, count: 33))),
            value.setting(4, to: .array([])),
            value.setting(4, to: .array([stanza, .bytes([UInt8](repeating: 1, count: 49))])),
            value.setting(4, to: .array([stanza, .text("stanza")])),
            value.setting(4, to: stanza),
            value.setting(2, to: .text("payload")),
            value.setting(1, to: "0"),
            value.setting(1, to: 1),  // public mode with keys 3 to 5
            .array([0, 1]),
            .bytes(Base.sealed.envelopeBytes),
        ]
        for envelope in cases {
            expectError(.malformed) { _ = try Base.open(Construction.encode(envelope)) }
        }
        expectError(.malformed) { _ = try Base.open(Base.sealed.envelopeBytes + [0]) }
        expectError(.malformed) { _ = try Base.open(Array(Base.sealed.envelopeBytes.dropLast())) }
        expectError(.malformed) { _ = try Base.open([]) }
    }

    // MARK: Signed manifest and manifest (steps 6 to 12)

    @Test("msg-open step 6: a signed manifest that is not [bstr, bstr .size 64] is malformed")
    func malformedSignedManifest() {
        let shapes: [CBORValue] = [
            .bytes(Base.split.payload),
            .array([.bytes(Base.split.payload)]),
            .array([.bytes(Base.split.payload), .bytes(Array(Base.split.signature.prefix(63)))]),
            .array([.bytes(Base.split.payload), .bytes(Base.split.signature), .bytes([])]),
            .array([Base.manifestValue, .bytes(Base.split.signature)]),
        ]
        for shape in shapes {
            expectError(.malformed) { _ = try Base.open(Base.envelope(Construction.encode(shape))) }
        }
        expectError(.malformed) { _ = try Base.open(Base.envelope([0xff])) }
        // A signed payload that is not CBOR.
        let garbage = Construction.signed([0x1c], context: "dialogue-v1/manifest", with: Fixture.alice.signingKey)
        expectError(.malformed) { _ = try Base.open(Base.envelope(garbage)) }
    }

    static let manifestDecodeCases: [(String, MessageError.Code, @Sendable (CBORValue) -> CBORValue)] = [
        ("version 2", .unsupportedVersion, { $0.setting(0, to: 2) }),
        ("mode 2", .unsupportedVersion, { $0.setting(1, to: 2) }),
        ("an extra key 12", .malformed, { $0.setting(12, to: 0) }),
        ("no key 9 (references)", .malformed, { $0.setting(9, to: nil) }),
        ("no key 11 in encrypted mode", .malformed, { $0.setting(11, to: nil) }),
        ("a non-canonical sender address", .malformed, { $0.setting(2, to: "Alice@example.org") }),
        ("a 31-byte E", .malformed, { $0.setting(10, to: .bytes(Array(Base.ephemeralKey.prefix(31)))) }),
        ("recipient role 3", .malformed, firstRecipient { $0.setting(1, to: 3) }),
        (
            "a recipient key of 33 bytes", .malformed,
            firstRecipient { $0.setting(2, to: .bytes([UInt8](repeating: 1, count: 33))) }
        ),
        ("a recipient with an extra key", .malformed, firstRecipient { $0.setting(3, to: 0) }),
        ("a part with no key 1", .malformed, firstPart { $0.setting(1, to: nil) }),
        (
            "a part key of 31 bytes", .malformed,
            firstPart { $0.setting(3, to: .bytes([UInt8](repeating: 1, count: 31))) }
        ),
        ("a part without chunks", .malformed, firstPart { $0.setting(4, to: .array([])) }),
        (
            "a chunk identifier of algorithm 2", .malformed,
            firstPart { $0.setting(4, to: .array([.bytes([2] + [UInt8](repeating: 0, count: 32))])) }
        ),
        (
            "a reference of 32 bytes", .malformed,
            { $0.setting(9, to: .array([.bytes([UInt8](repeating: 1, count: 32))])) }
        ),
        ("an upper-case header name", .malformed, { $0.updating(6) { $0.adding("X-Tag", "v") } }),
        ("an integer header name", .malformed, { $0.updating(6) { $0.setting(1, to: "v") } }),
        ("a media type with a control character", .malformed, firstPart { $0.setting(0, to: "text/plain\u{7}") }),
        ("a file name with a '/'", .malformed, firstPart { $0.setting(1, to: "../etc/passwd") }),
        (
            "257 headers", .limitsExceeded,
            { $0.setting(6, to: .map((0..<257).map { .init(key: .text("h\($0)"), value: "v") })) }
        ),
        (
            "a header value of 16,385 bytes", .limitsExceeded,
            { $0.updating(6) { $0.adding("x-long", .text(String(repeating: "v", count: 16_385))) } }
        ),
        (
            "1,025 references", .limitsExceeded,
            { $0.setting(9, to: .array(Array(repeating: .bytes(Base.referenced.binaryRepresentation), count: 1025))) }
        ),
        (
            "1,025 in-reply-to", .limitsExceeded,
            { $0.setting(8, to: .array(Array(repeating: .bytes(Base.referenced.binaryRepresentation), count: 1025))) }
        ),
        ("1,025 parts", .limitsExceeded, { $0.updating(7) { .array(Array(repeating: $0.elements[0], count: 1025)) } }),
        (
            "65,537 chunks in all", .limitsExceeded,
            firstPart {
                $0.setting(
                    4, to: .array(Array(repeating: .bytes(Base.part.chunks[0].binaryRepresentation), count: 65_537)))
            }
        ),
    ]

    @Test(
        "msg-manifest-decode, msg-limits: a properly signed manifest that does not decode fails at step 7",
        arguments: manifestDecodeCases.map(\.0)
    )
    func manifestDecode(_ name: String) throws {
        let (_, code, transform) = try #require(TamperingTests.manifestDecodeCases.first { $0.0 == name })
        expectError(code) { _ = try Base.open(Base.envelope(Base.resigned(transform(Base.manifestValue)))) }
    }

    @Test("msg-open step 8: the sender's card is checked before the manifest signature")
    func senderCard() {
        let cardV2 = CardTests.card(CardTests.body(version: 2))
        let cardBadSignature = Fixture.alice.card.encodedBytes.flipping(at: Fixture.alice.card.encodedBytes.count - 1)
        for (card, code) in [
            (cardV2, MessageError.Code.unsupportedVersion), (cardBadSignature, .badSignature), ([0x80], .malformed),
        ] {
            let manifest = Base.manifestValue.setting(3, to: .bytes(card))
            expectError(code) { _ = try Base.open(Base.envelope(Base.resigned(manifest))) }
        }
    }

    static let consistencyCases: [(String, @Sendable (CBORValue) -> CBORValue)] = [
        (
            "two recipients with the same key",
            {
                $0.updating(4) {
                    .array($0.elements + [recipient("robert@example.net", 1, Fixture.bob.card.encryptionKey)])
                }
            }
        ),
        (
            "two recipients with the same address",
            {
                $0.updating(4) {
                    .array($0.elements + [recipient("bob@example.net", 1, Fixture.carol.card.encryptionKey)])
                }
            }
        ),
        (
            "two bcc recipients",
            {
                $0.setting(
                    4,
                    to: .array([
                        recipient("bob@example.net", 2, Fixture.bob.card.encryptionKey),
                        recipient("carol@example.com", 2, Fixture.carol.card.encryptionKey),
                    ]))
            }
        ),
        ("no recipient in encrypted mode", { $0.setting(4, to: .array([])) }),
        ("a part of 5 bytes with 2 chunks", firstPart { $0.updating(4) { .array($0.elements + $0.elements) } }),
        ("a part of CHUNK+1 bytes with 1 chunk", firstPart { $0.setting(2, to: .unsigned(UInt64(chunk) + 1)) }),
        ("a part of 2^64-1 bytes with 1 chunk", firstPart { $0.setting(2, to: .unsigned(.max)) }),
        ("a manifest E that is not the envelope's", { $0.setting(10, to: .bytes(Base.ephemeralKey.flipping(at: 3))) }),
        (
            "a manifest commitment that is not the envelope's",
            { $0.setting(11, to: .bytes(Base.commitment.flipping(at: 3))) }
        ),
        (
            "a public manifest in an encrypted envelope",
            { $0.setting(1, to: 1).setting(10, to: nil).setting(11, to: nil) }
        ),
    ]

    @Test(
        "msg-manifest-consistency: a properly signed but inconsistent manifest is malformed (step 10)",
        arguments: consistencyCases.map(\.0)
    )
    func consistency(_ name: String) throws {
        let (_, transform) = try #require(TamperingTests.consistencyCases.first { $0.0 == name })
        expectError(.malformed) { _ = try Base.open(Base.envelope(Base.resigned(transform(Base.manifestValue)))) }
    }

    @Test("msg-open-order: signature (9) before consistency (10) before sender address (11) before recipient (12)")
    func stepOrder() {
        let duplicated = Base.manifestValue.updating(4) {
            .array($0.elements + [recipient("robert@example.net", 1, Fixture.bob.card.encryptionKey)])
        }
        expectError(.badSignature) { _ = try Base.open(Base.envelope(Base.keepingSignature(duplicated))) }
        let strangeSender = Base.manifestValue.setting(2, to: "someone@example.org")
        expectError(.badSignature) { _ = try Base.open(Base.envelope(Base.keepingSignature(strangeSender))) }
        expectError(.addressMismatch) { _ = try Base.open(Base.envelope(Base.resigned(strangeSender))) }
        let both = duplicated.setting(2, to: "someone@example.org")
        expectError(.malformed) { _ = try Base.open(Base.envelope(Base.resigned(both))) }
        // Sender address (11) before recipient (12): Carol, not listed, holds a stanza.
        let toCarol = Base.envelope(Base.resigned(strangeSender), to: [Fixture.carol.card.encryptionKey])
        expectError(.addressMismatch) { _ = try Base.open(toCarol, as: Fixture.carol) }
    }

    @Test("msg-open step 11: a sender address that is not on the sender's card (signed properly) is address-mismatch")
    func senderNotOnCard() throws {
        let sealed = try EnvelopeSealer.seal(
            Base.manifest(sender: try Address(canonical: "alice@example.net")), signingKey: Fixture.alice.signingKey,
            randomness: Base.randomness
        )
        expectError(.addressMismatch) { _ = try Base.open(sealed.envelopeBytes) }
    }

    @Test("msg-open step 12: a recipient address that is not on the recipient's card is address-mismatch")
    func recipientNotOnCard() throws {
        let wrong = Recipient(
            address: try Address(canonical: "bobby@example.net"), role: .to,
            encryptionKey: Fixture.bob.card.encryptionKey)
        let sealed = try EnvelopeSealer.seal(
            Base.manifest(recipients: [wrong]), signingKey: Fixture.alice.signingKey, randomness: Base.randomness)
        expectError(.addressMismatch) { _ = try Base.open(sealed.envelopeBytes) }
        // The same envelope opens with the key alone when the caller's own addresses include it.
        let opened = try EnvelopeOpener.open(
            sealed.envelopeBytes, encryptionKey: Fixture.bob.encryptionKey, ownAddresses: [wrong.address]
        )
        #expect(opened.recipient == wrong)
    }

    @Test("msg-manifest-consistency: a public envelope must carry a public, properly signed manifest")
    func publicEnvelopeChecks() throws {
        let encryptedInside = CBORValue.map([
            .init(key: 0, value: 1), .init(key: 1, value: 1),
            .init(key: 2, value: .bytes(Base.sealed.signedManifest.encodedBytes)),
        ])
        expectError(.malformed) { _ = try Base.open(Construction.encode(encryptedInside), as: Fixture.carol) }
        let publicManifest = Base.manifestValue.setting(1, to: 1).setting(10, to: nil).setting(11, to: nil)
        let signed = Base.resigned(publicManifest)
        let envelope = { (payload: [UInt8]) in
            Construction.encode(
                .map([.init(key: 0, value: 1), .init(key: 1, value: 1), .init(key: 2, value: .bytes(payload))]))
        }
        #expect(try Base.open(envelope(signed), as: Fixture.carol).isPublic)
        expectError(.badSignature) {
            _ = try Base.open(envelope(signed.flipping(at: signed.count - 1)), as: Fixture.carol)
        }
        expectError(.badSignature) {
            _ = try Base.open(envelope(Base.keepingSignature(publicManifest.setting(5, to: 1))), as: Fixture.carol)
        }
    }

    @Test("msg-open: a message for someone else is not-a-recipient")
    func wrongRecipient() {
        expectError(.notARecipient) { _ = try Base.open(Base.sealed.envelopeBytes, as: Fixture.carol) }
        expectError(.notARecipient) { _ = try Base.open(Base.sealed.envelopeBytes, as: Fixture.alice) }
        expectError(.notARecipient) {
            _ = try EnvelopeOpener.open(Base.sealed.envelopeBytes, as: Fixture.carol, stanzaIndex: 0)
        }
    }

    @Test("msg-manifest: a re-addressed manifest with the original K and e reaches step 12 and is not-a-recipient")
    func reAddressedSameKey() throws {
        // Bob knows K from his stanza; e is known here because the test fixed the randomness.
        let toCarol = Base.envelope(Base.sealed.signedManifest.encodedBytes, to: [Fixture.carol.card.encryptionKey])
        expectError(.notARecipient) { _ = try Base.open(toCarol, as: Fixture.carol) }
        // Even added next to Bob, Carol is not listed.
        let both = Base.envelope(
            Base.sealed.signedManifest.encodedBytes,
            to: [Fixture.bob.card.encryptionKey, Fixture.carol.card.encryptionKey])
        expectError(.notARecipient) { _ = try Base.open(both, as: Fixture.carol) }
        #expect(try Base.open(both).messageID == Base.sealed.signedManifest.messageID)
    }

    @Test(
        "msg-manifest: a re-addressed manifest in a fresh envelope (new K and e) fails the binding to E and the commitment"
    )
    func reAddressedFreshEnvelope() throws {
        // What Bob can really do: he knows K but not e, so he needs a new ephemeral key.
        let opened = try Base.open(Base.sealed.envelopeBytes)
        for messageKey in [Base.randomness.messageKey, [UInt8](repeating: 0xb0, count: 32)] {
            let rewrapped = Construction.envelope(
                signedManifest: opened.signedManifest.encodedBytes, messageKey: messageKey,
                ephemeralSecret: [UInt8](repeating: 0xb1, count: 32), recipients: [Fixture.carol.card.encryptionKey]
            )
            expectError(.malformed) { _ = try Base.open(rewrapped, as: Fixture.carol) }
        }
    }
}

@Suite("Tampering with chunks (messages.md#msg-parts, #msg-chunk-size, #msg-chunk-release)")
struct ChunkTamperingTests {
    static let content = Fixture.content(3 * chunk + 7, salt: 3)

    /// Bob's view of a message with one part of 3*CHUNK+7 bytes (4 chunks, the last of 7 bytes).
    static func message() async throws -> (part: PartDescriptor, store: MemoryBlobStore) {
        let (sealed, store) = try await seal(
            draft(to: [Fixture.bob], parts: [.init(mediaType: "application/octet-stream", content: .bytes(content))])
        )
        let opened = try EnvelopeOpener.open(try #require(await store.get(sealed.envelopeID)), as: Fixture.bob)
        return (opened.manifest.parts[0], store)
    }

    static func slice(_ index: Int) -> [UInt8] {
        Array(content[(index * chunk)..<min(content.count, (index + 1) * chunk)])
    }

    @Test("msg-chunk-release: a flipped chunk byte fails authentication")
    func flippedChunkByte() async throws {
        let (part, store) = try await ChunkTamperingTests.message()
        let blob = try #require(await store.get(part.chunks[1]))
        await store.replace(part.chunks[1], with: blob.flipping(at: 1000))
        let reader = PartReader(part: part, store: store)
        await expectAsyncError(.authenticationFailed) { _ = try await reader.chunk(1) }
        await expectAsyncError(.authenticationFailed) { _ = try await reader.readAll() }
        #expect(try await reader.chunk(0) == ChunkTamperingTests.slice(0))
        #expect(try await reader.chunk(2) == ChunkTamperingTests.slice(2))
    }

    @Test("msg-chunk-release: a blob that has its identifier but not the tag releases no plaintext")
    func noPlaintextReleased() async throws {
        let (part, store) = try await ChunkTamperingTests.message()
        var wrongKey = part
        wrongKey.key = part.key.flipping(at: 0)
        await expectAsyncError(.authenticationFailed) {
            _ = try await PartReader(part: wrongKey, store: store).chunk(0)
        }
        var blob = try #require(await store.get(part.chunks[0]))
        #expect(throws: MessageError(.authenticationFailed, "")) {
            try ChunkCipher.open(&blob, part: wrongKey, index: 0)
        }
        #expect(blob.offset(of: Array(ChunkTamperingTests.slice(0).prefix(64))) == nil, "the buffer holds no plaintext")
    }

    @Test("msg-parts: chunks reordered or duplicated in a descriptor fail authentication (index in the nonce)")
    func reorderedDescriptor() async throws {
        let (part, store) = try await ChunkTamperingTests.message()
        var swapped = part
        swapped.chunks.swapAt(0, 1)
        await expectAsyncError(.authenticationFailed) { _ = try await PartReader(part: swapped, store: store).chunk(0) }
        await expectAsyncError(.authenticationFailed) { _ = try await PartReader(part: swapped, store: store).chunk(1) }
        var duplicated = part
        duplicated.chunks[1] = part.chunks[0]
        await expectAsyncError(.authenticationFailed) {
            _ = try await PartReader(part: duplicated, store: store).chunk(1)
        }
    }

    @Test("msg-parts: a part cut before its final chunk fails authentication (final flag in the nonce)")
    func truncatedDescriptor() async throws {
        let (part, store) = try await ChunkTamperingTests.message()
        var cut = part
        cut.chunks.removeLast()
        cut.size = UInt64(3 * chunk)
        let reader = PartReader(part: cut, store: store)
        #expect(try await reader.chunk(1) == ChunkTamperingTests.slice(1))
        await expectAsyncError(.authenticationFailed) { _ = try await reader.chunk(2) }
        await expectAsyncError(.authenticationFailed) { _ = try await reader.readAll() }
    }

    @Test("msg-chunk-size: chunk 1's bytes stored under chunk 0's identifier fail the identifier check")
    func swappedInStorage() async throws {
        let (part, store) = try await ChunkTamperingTests.message()
        let first = try #require(await store.get(part.chunks[1]))
        await store.replace(part.chunks[0], with: first)
        await expectAsyncError(.authenticationFailed) { _ = try await PartReader(part: part, store: store).chunk(0) }
    }

    @Test("msg-chunk-size: a blob of the wrong length is malformed, checked before the identifier")
    func wrongLengthInStorage() async throws {
        let (part, store) = try await ChunkTamperingTests.message()
        let last = try #require(await store.get(part.chunks[3]))
        #expect(last.count == 7 + 16)
        await store.replace(part.chunks[0], with: last)
        await expectAsyncError(.malformed) { _ = try await PartReader(part: part, store: store).chunk(0) }
        let full = try #require(await store.get(part.chunks[1]))
        await store.replace(part.chunks[3], with: full)
        await expectAsyncError(.malformed) { _ = try await PartReader(part: part, store: store).chunk(3) }
        await store.replace(part.chunks[2], with: [])
        await expectAsyncError(.malformed) { _ = try await PartReader(part: part, store: store).chunk(2) }
    }

    @Test("msg-chunk-release: a dropped last chunk is truncated when reading the whole part")
    func droppedLastChunk() async throws {
        let (part, store) = try await ChunkTamperingTests.message()
        await store.replace(part.chunks[3], with: nil)
        let reader = PartReader(part: part, store: store)
        await expectAsyncError(.truncated) { _ = try await reader.readAll() }
        await expectAsyncError(.truncated) { _ = try await reader.chunk(3) }
        var received: [[UInt8]] = []
        await expectAsyncError(.truncated) {
            for try await plaintext in reader.chunks() { received.append(plaintext) }
        }
        #expect(received == (0..<3).map(ChunkTamperingTests.slice), "the chunks before the gap are released in order")
    }

    @Test("msg-parts: a chunk spliced in from another message fails")
    func splicedChunk() async throws {
        let (part, store) = try await ChunkTamperingTests.message()
        let (other, otherStore) = try await seal(
            draft(
                to: [Fixture.bob],
                parts: [.init(mediaType: "application/octet-stream", content: .bytes(ChunkTamperingTests.content))])
        )
        let otherPart = try EnvelopeOpener.open(try #require(await otherStore.get(other.envelopeID)), as: Fixture.bob)
            .manifest.parts[0]
        #expect(otherPart.chunks[1] != part.chunks[1], "a fresh part key gives different blobs for the same content")
        let foreign = try #require(await otherStore.get(otherPart.chunks[1]))
        // Under our identifier: the hash does not match.
        await store.replace(part.chunks[1], with: foreign)
        await expectAsyncError(.authenticationFailed) { _ = try await PartReader(part: part, store: store).chunk(1) }
        // Listed by its own identifier with our part key: the tag does not verify.
        await store.put(foreign, as: otherPart.chunks[1])
        var spliced = part
        spliced.chunks[1] = otherPart.chunks[1]
        await expectAsyncError(.authenticationFailed) { _ = try await PartReader(part: spliced, store: store).chunk(1) }
    }

    @Test("msg-partial: a chunk index outside the part is malformed")
    func indexOutOfRange() async throws {
        let (part, store) = try await ChunkTamperingTests.message()
        await expectAsyncError(.malformed) { _ = try await PartReader(part: part, store: store).chunk(4) }
        await expectAsyncError(.malformed) { _ = try await PartReader(part: part, store: store).chunk(-1) }
    }
}
