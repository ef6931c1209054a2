import DialogueClient
import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages
import Foundation
import Testing

/// How a member's user agent reads a list's index (Spec: [list-entry-verify], [list-index-contiguous]),
/// with entries signed here by a server key: no server is needed.
@Suite struct ListIndexVerifierTests {
    let now = UInt64(Date().timeIntervalSince1970)
    let serverKey = Ed25519.SigningKey()
    let list = try! Address(parsing: "dev@lists.test")
    let listIdentity: SecretIdentity
    let author: SecretIdentity

    init() throws {
        listIdentity = try SecretIdentity.generate(addresses: [list], created: now - 60, validity: 86_400)
        author = try SecretIdentity.generate(
            addresses: [try Address(parsing: "bob@b.test")], created: now - 60, validity: 86_400)
    }

    var serverKeys: [ServerKey] {
        get throws { [try ServerKey(publicKey: serverKey.publicKey, validFrom: now - 100, validUntil: now + 86_400)] }
    }

    /// The objects of a list's first entries: its descriptor, bob's joining, and bob's post.
    func objects() throws -> [(ListEntryKind, [UInt8])] {
        let descriptor = try ListDescriptor(
            list: list, owner: try Address(parsing: "alice@a.test"), posting: .members, history: .archive, revision: 1,
            created: now, signingKey: listIdentity.signingKey)
        let joined = try ListEvent(
            list: list, serial: 1, kind: .joined, epoch: 0, epochKey: X25519.PrivateKey().publicKey,
            member: (author.card.addresses[0], author.card.identityKey), created: now,
            signingKey: listIdentity.signingKey)
        let post = try ListPost(
            list: list, author: author.card.addresses[0],
            envelope: ContentIdentifier.hashing(Array("envelope".utf8), context: .blob), envelopeSize: 8,
            messageSize: 8, epoch: 0, created: now, signingKey: author.signingKey)
        return [(.descriptor, descriptor.encodedBytes), (.event, joined.encodedBytes), (.post, post.encodedBytes)]
    }

    /// The index entry of `object` at `position`, as the listing gives it.
    func entry(_ position: UInt64, _ object: (ListEntryKind, [UInt8])) throws -> String {
        UnpaddedBase64URL.encode(
            try ListEntry(
                list: list, position: position, kind: object.0, object: object.1, appended: now,
                signingKey: serverKey
            ).encodedBytes)
    }

    func verifier() throws -> ListIndexVerifier {
        ListIndexVerifier(list: list, pinnedListKey: listIdentity.card.fingerprint, serverKeys: try serverKeys)
    }

    @Test("list-entry-verify: entries in order, each object verified, are read to the end")
    func entriesInOrderVerify() throws {
        var reader = try verifier()
        for (index, object) in try objects().enumerated() {
            try reader.check(try entry(UInt64(index + 1), object), now: now)
        }
        #expect(reader.position == 3)
        #expect(reader.posts.map(\.position) == [3])
    }

    @Test("list-index-contiguous: a gap is reported (malformed) and reading stops before it")
    func aGapIsReportedNotSkipped() throws {
        var reader = try verifier()
        let objects = try objects()
        try reader.check(try entry(1, objects[0]), now: now)
        try reader.check(try entry(2, objects[1]), now: now)
        #expect(throws: ClientError(.malformed, "")) { try reader.check(try entry(4, objects[2]), now: now) }
        #expect(reader.position == 2 && reader.posts.isEmpty)
    }

    @Test("list-entry-verify step 6: an entry whose bytes were changed is reported (bad-signature), not taken")
    func aTamperedEntryIsReported() throws {
        var reader = try verifier()
        let objects = try objects()
        try reader.check(try entry(1, objects[0]), now: now)
        var bytes = try #require(UnpaddedBase64URL.decode(try entry(2, objects[1])))
        bytes[bytes.count - 1] ^= 0x01
        #expect(throws: ClientError(.badSignature, "")) {
            try reader.check(UnpaddedBase64URL.encode(bytes), now: now)
        }
        #expect(reader.position == 1)
    }

    @Test("list-index-contiguous: a first entry that is not the descriptor is malformed")
    func theFirstEntryIsTheDescriptor() throws {
        var reader = try verifier()
        #expect(throws: ClientError(.malformed, "")) { try reader.check(try entry(1, try objects()[1]), now: now) }
    }

    @Test("list-descriptor-verify step 7: a descriptor signed by a key other than the pinned list key is unknown-key")
    func aDescriptorByAnotherKeyIsRefused() throws {
        var reader = ListIndexVerifier(
            list: list,
            pinnedListKey: ContentIdentifier.hashing(
                Ed25519.SigningKey().publicKey.rawRepresentation, context: .identityKey),
            serverKeys: try serverKeys)
        #expect(throws: ClientError(.unknownKey, "")) { try reader.check(try entry(1, try objects()[0]), now: now) }
    }
}

extension ClientError.Code {
    static let badSignature = ClientError.Code("bad-signature")
}
