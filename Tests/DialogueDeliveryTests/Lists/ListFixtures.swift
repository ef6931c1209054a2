import DialogueCrypto
import DialogueDelivery
import DialogueIdentifiers
import DialogueMessages

/// A list `dev@lists.example.org` run by alice, its epoch keys and its server key.
enum ListFixtures {
    static let now = Fixtures.now
    static let list = Fixtures.address("dev@lists.example.org")
    static let listKey = Fixtures.key("list/dev")
    static let server = Fixtures.key("server/lists.example.org/1")
    static let serverKey = try! ServerKey(
        publicKey: server.publicKey, validFrom: now - 86_400, validUntil: now + 86_400)

    static func epochSecret(_ epoch: UInt64) -> X25519.PrivateKey {
        let seed = ContentIdentifier.hashing(Array("list/dev/epoch/\(epoch)".utf8), context: .blob)
        return try! X25519.PrivateKey(rawRepresentation: Array(seed.binaryRepresentation.dropFirst()))
    }

    static func epochKey(_ epoch: UInt64) -> EpochKey { EpochKey(epoch: epoch, secretKey: epochSecret(epoch)) }

    static func descriptor(history: ListHistory = .archive, mode: ListMode = .encrypted) throws(DeliveryError)
        -> ListDescriptor
    {
        try ListDescriptor(
            list: list, owner: Fixtures.address("alice@example.org"), mode: mode, posting: .members, history: history,
            revision: 1, created: now - 100, signingKey: listKey)
    }

    static func event(
        _ serial: UInt64, _ kind: ListEventKind, epoch: UInt64, member: (String, Ed25519.SigningKey)?,
        mode: ListMode = .encrypted
    ) throws(DeliveryError) -> ListEvent {
        try ListEvent(
            list: list, serial: serial, kind: kind, epoch: epoch,
            epochKey: mode == .encrypted ? epochSecret(epoch).publicKey : nil,
            member: member.map { (Fixtures.address($0.0), $0.1.publicKey) }, created: now - 90, signingKey: listKey)
    }

    static func identity(_ key: Ed25519.SigningKey, _ address: String) throws -> SecretIdentity {
        try SecretIdentity(
            signingKey: key, encryptionKey: X25519.PrivateKey(), addresses: [Fixtures.address(address)],
            created: now - 1000, expires: now + 86_400)
    }
}
