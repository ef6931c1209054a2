import DialogueCrypto
import DialogueIdentifiers
import DialogueMessages
import DialogueTrust
import Foundation
import Testing

/// The one-call opening of a message: from an envelope identifier to headers, verdict, text and
/// parts (Spec: messages.md#msg-open, trust.md#trust-observation).
@Suite("received messages")
struct ReceivedMessageTests {
    let alice = Fixture.identity("alice@example.org", seed: 1)
    let bob = Fixture.identity("bob@example.net", seed: 3)

    func send(_ parts: [MessageDraft.Part], to store: MemoryBlobStore) async throws -> MessageSealer.SealedMessage {
        try await MessageSealer(sender: alice, store: store).seal(
            MessageDraft(
                recipients: [.init(card: bob.card)], date: t0, subject: "Report", headers: ["x-tag": "q3"],
                parts: parts))
    }

    /// [trust-never-reject], [msg-chunk-release]: the verdict, the headers, the body and the parts by index and name.
    @Test("open: headers, verdict, body text, and attachments by index and by name")
    func opensEverything() async throws {
        let store = MemoryBlobStore()
        let pdf = [UInt8](repeating: 7, count: MessageLimits.chunkSize + 5)
        let sent = try await send(
            [.text("See attached."), .init(mediaType: "application/pdf", fileName: "q3.pdf", content: .bytes(pdf))],
            to: store)
        let message = try await ReceivedMessage.open(
            sent.envelopeID, from: store, as: bob, trust: MemoryTrustStore(), clock: ManualTrustClock(t0))
        #expect(message.verdict == .firstContact(address: alice.card.addresses[0], fingerprint: alice.fingerprint))
        #expect(message.messageID == sent.messageID && message.envelopeID == sent.envelopeID)
        #expect(message.sender == alice.card.addresses[0] && message.senderFingerprint == alice.fingerprint)
        #expect(message.subject == "Report" && message.headers["x-tag"] == "q3")
        #expect(message.date == Date(timeIntervalSince1970: TimeInterval(t0)))
        #expect(try await message.bodyText() == "See attached.")
        #expect(message.body?.index == 0 && message.attachments.map(\.index) == [1])
        #expect(try await message.attachment(named: "q3.pdf")?.bytes() == pdf)
        #expect(try await message.parts[1].bytes() == pdf && message.parts[1].size == UInt64(pdf.count))
        #expect(message.attachment(named: "absent.pdf") == nil)
        #expect(!message.assessment.isDuplicate)
    }

    @Test("open: a message whose first part is not unnamed text has no body; every part is an attachment")
    func noBody() async throws {
        let store = MemoryBlobStore()
        let sent = try await send(
            [.init(mediaType: "text/plain; charset=utf-8", fileName: "notes.txt", content: .bytes([0x41]))], to: store)
        let message = try await ReceivedMessage.open(
            sent.envelopeID, from: store, as: bob, trust: MemoryTrustStore(), clock: ManualTrustClock(t0))
        #expect(message.body == nil && message.attachments.count == 1)
        #expect(try await message.bodyText() == nil)
    }

    @Test(
        "id-verify, msg-open-order: a missing envelope is a typed error, not nil; a damaged one is authentication-failed"
    )
    func missingAndDamaged() async throws {
        let store = MemoryBlobStore()
        let sent = try await send([.text("Hi")], to: store)
        let trust = MemoryTrustStore()
        await #expect(throws: StorageError(.notFound, "")) {
            try await ReceivedMessage.open(
                ContentIdentifier.hashing([1], context: .blob), from: store, as: bob, trust: trust)
        }
        await #expect(throws: MessageError(.notARecipient, "")) {
            try await ReceivedMessage.open(sent.envelopeID, from: store, as: alice, trust: trust)
        }
        await store.replace(sent.envelopeID, with: Array(sent.envelopeBytes.dropLast()))
        await #expect(throws: MessageError(.authenticationFailed, "")) {
            try await ReceivedMessage.open(sent.envelopeID, from: store, as: bob, trust: trust)
        }
        // Nothing was judged: no binding was made by the failures.
        #expect(try await TrustEngine(store: trust).bindings().isEmpty)
    }

    /// [trust-store-durable]: a duplicate's verdict comes back from the SQLite store, and its
    /// fingerprint still prints as a key.
    @Test("id-kinds: a verdict read back from the SQLite store prints its fingerprint as key-")
    func storedVerdictPrintsKey() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dialogue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let trust = try SQLiteTrustStore(path: directory.appendingPathComponent("trust.sqlite").path)
        let store = MemoryBlobStore()
        let sent = try await send([.text("Hi")], to: store)
        _ = try await ReceivedMessage.open(sent.envelopeID, from: store, as: bob, trust: trust)
        let again = try await ReceivedMessage.open(sent.envelopeID, from: store, as: bob, trust: trust)
        #expect(again.assessment.isDuplicate)
        guard case .firstContact(_, let fingerprint) = again.verdict else {
            Issue.record("not first-contact: \(again.verdict.name)")
            return
        }
        #expect("\(fingerprint)" == alice.fingerprint.text(kind: .identityKey))
    }

    @Test("trust errors' localizedDescription is their code and reason")
    func localizedDescriptions() throws {
        let errors: [any Error & CustomStringConvertible] = [
            TrustStoreError(.storeLost, "gone"), TrustDecisionError(.unknownAddress, "never seen"),
        ]
        for error in errors { #expect(error.localizedDescription == error.description) }
        do {
            _ = try VerificationPayload(parsing: "dialogue-verify:2/x")
            Issue.record("parsed")
        } catch {
            #expect(error.localizedDescription == "invalid-payload: \(error.reason)")
        }
    }

    @Test("dates: statements and clocks take Date, rounded down to the second")
    func dates() throws {
        let old = Fixture.signingKey(1)
        let new = Fixture.signingKey(2)
        let seconds = try RotationStatement(
            addresses: [Fixture.address("alice@example.org")], from: old, to: new, sequence: 1, previousHash: [],
            created: t0, expires: t0 + 100)
        let dated = try RotationStatement(
            addresses: [Fixture.address("alice@example.org")], from: old, to: new, sequence: 1, previousHash: [],
            created: Date(timeIntervalSince1970: TimeInterval(t0) + 0.5),
            expires: Date(timeIntervalSince1970: TimeInterval(t0 + 100)))
        #expect(dated == seconds && dated.expirationDate == Date(timeIntervalSince1970: TimeInterval(t0 + 100)))
        let revocation = try RevocationStatement(revoking: old, reason: "lost")
        #expect(abs(revocation.creationDate.timeIntervalSinceNow) < 5)
        #expect(ManualTrustClock(Date(timeIntervalSince1970: 12.7)).now() == 12)
    }
}
