import DialogueCBOR
import DialogueCrypto
import DialogueIdentifiers
import DialogueMessages
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What a new user of the library meets: identifiers that print their kind, errors that say
/// what went wrong, typed storage errors, secret files written safely, dates, sent copies.
@Suite("library usability")
struct LibraryUsabilityTests {
    @Test("id-kinds: identifiers decoded from a message print as what they name")
    func decodedIdentifiersPrintTheirKind() async throws {
        let (original, store) = try await seal(draft(to: [Fixture.bob], parts: [.text("Hi")]))
        let first = try EnvelopeOpener.open(original.envelopeBytes, as: Fixture.bob)
        let (sealedReply, _) = try await seal(
            MessageDraft.reply(to: first, date: Fixture.date, text: "Re"), from: Fixture.bob, into: store)
        let reply = try EnvelopeOpener.open(sealedReply.envelopeBytes, as: Fixture.alice)
        #expect("\(reply.manifest.inReplyTo[0])" == first.messageID.text(kind: .message))
        #expect("\(reply.manifest.references[0])".hasPrefix("msg-"))
        #expect("\(reply.manifest.parts[0].chunks[0])".hasPrefix("blob-"))
        #expect("\(reply.messageID)".hasPrefix("msg-") && "\(reply.envelopeID)".hasPrefix("blob-"))
        #expect("\(reply.manifest.senderCard.fingerprint)" == Fixture.bob.fingerprint.text(kind: .identityKey))
    }

    @Test("every error's localizedDescription is its code and reason")
    func localizedDescriptions() throws {
        let errors: [any Error & CustomStringConvertible] = [
            MessageError(.notARecipient, "no stanza opens"),
            StorageError(.notFound, "no such blob"),
            CryptoError(code: .authenticationFailed, reason: "bad tag"),
            CBORError(.truncated, reason: "ends early"),
            IdentifierError(.wrongKind, "expected msg"),
        ]
        for error in errors {
            #expect(error.localizedDescription == error.description)
            #expect(!error.localizedDescription.contains("could not be completed"))
        }
        do {
            _ = try Address(parsing: "no at sign")
            Issue.record("parsed")
        } catch {
            #expect((error as any Error).localizedDescription == "missing-or-extra-at: \(error.reason)")
        }
    }

    @Test("a store path that is a file is not-a-directory, not a Cocoa error")
    func storeOnAFile() async throws {
        try await withTemporaryDirectory { directory in
            writeFile("\(directory)/notes.txt", [1, 2, 3])
            #expect(throws: StorageError(.notADirectory, "")) { try DirectoryBlobStore(root: "\(directory)/notes.txt") }
            try FileManager.default.createDirectory(atPath: "\(directory)/store", withIntermediateDirectories: false)
            writeFile("\(directory)/store/tmp", [])
            #expect(throws: StorageError(.notADirectory, "")) { try DirectoryBlobStore(root: "\(directory)/store") }
            #expect(try readFile("\(directory)/notes.txt") == [1, 2, 3])
        }
    }

    @Test("id-verify: a missing envelope is not-found, a wrong one authentication-failed")
    func envelopeFetch() async throws {
        let (sealed, store) = try await seal(draft(to: [Fixture.bob], parts: [.text("Hi")]))
        #expect(try await store.envelope(sealed.envelopeID) == sealed.envelopeBytes)
        let absent = ContentIdentifier.hashing([0], context: .blob)
        await #expect(throws: StorageError(.notFound, "")) { try await store.envelope(absent) }
        await store.replace(sealed.envelopeID, with: sealed.envelopeBytes + [0])
        await #expect(throws: MessageError(.authenticationFailed, "")) { try await store.envelope(sealed.envelopeID) }
    }

    @Test("a missing attachment file is a documented StorageError not-found")
    func missingAttachment() async throws {
        try await withTemporaryDirectory { directory in
            let part = MessageDraft.Part(mediaType: "application/pdf", content: .file(path: "\(directory)/absent.pdf"))
            do {
                _ = try await seal(draft(to: [Fixture.bob], parts: [part]))
                Issue.record("sealed a missing file")
            } catch let error as StorageError {
                #expect(error.code == .notFound && error.reason.contains("absent.pdf"))
            }
        }
    }

    @Test("secret-mode: a secret identity file is created 0600, atomically, never over a file")
    func secretFileWriting() async throws {
        try await withTemporaryDirectory { directory in
            let path = "\(directory)/alice.identity"
            try SecretIdentityFile.write(Fixture.alice, toFile: path)
            var status = stat()
            #expect(stat(path, &status) == 0 && status.st_mode & 0o777 == 0o600)
            let decoded = try SecretIdentityFile.decode(try readFile(path))
            #expect(decoded.card == Fixture.alice.card)

            // An existing file is kept as it was.
            #expect(throws: StorageError(.alreadyExists, "")) {
                try SecretIdentityFile.write(Fixture.bob, toFile: path)
            }
            #expect(try SecretIdentityFile.decode(try readFile(path)).card == Fixture.alice.card)
            #expect(throws: StorageError(.notFound, "")) {
                try SecretIdentityFile.write(Fixture.bob, toFile: "\(directory)/absent/bob.identity")
            }
            // Sealed with a passphrase; a refused cost is a MessageError and writes nothing.
            try SecretIdentityFile.write(
                Fixture.bob, toFile: "\(directory)/bob.identity", passphrase: "pw", parameters: .minimum)
            #expect(try SecretIdentityFile.isSealed(try readFile("\(directory)/bob.identity")))
            #expect(throws: MessageError(.limitsExceeded, "")) {
                try SecretIdentityFile.write(
                    Fixture.carol, toFile: "\(directory)/carol.identity", passphrase: "pw",
                    parameters: .init(opsLimit: 0, memLimit: 8 << 10))
            }
            // No temporary file is left behind.
            #expect(directoryEntries(directory) == ["alice.identity", "bob.identity"])
        }
    }

    @Test("dates: Date overloads round down to the second and default to now")
    func dates() throws {
        let before = UInt64(Date().timeIntervalSince1970)
        let identity = try SecretIdentity.generate(addresses: [Address(parsing: "new@example.org")])
        let after = UInt64(Date().timeIntervalSince1970)
        #expect((before...after).contains(identity.card.created))
        #expect(identity.card.expires - identity.card.created == 2 * 365 * 24 * 3600)
        #expect(identity.card.creationDate == Date(timeIntervalSince1970: TimeInterval(identity.card.created)))
        let draft = MessageDraft(recipients: [], date: Date(timeIntervalSince1970: 1_700_000_000.9))
        #expect(draft.date == 1_700_000_000)
        #expect(MessageDraft(recipients: [], date: Date(timeIntervalSince1970: -5)).date == 0)
        let card = try IdentityCard(
            addresses: Fixture.alice.card.addresses, signingKey: Fixture.alice.signingKey,
            encryptionKey: Fixture.alice.encryptionKey.publicKey,
            created: Date(timeIntervalSince1970: TimeInterval(Fixture.created)),
            expires: Date(timeIntervalSince1970: TimeInterval(Fixture.expires)))
        #expect(card == Fixture.alice.card)
    }

    @Test("msg-open: the sender is not a recipient unless the draft includes a sent copy")
    func sentCopy() async throws {
        let without = try await seal(draft(to: [Fixture.bob], parts: [.text("Hi")]))
        #expect(throws: MessageError(.notARecipient, "")) {
            try EnvelopeOpener.open(without.sealed.envelopeBytes, as: Fixture.alice)
        }
        var withCopy = draft(to: [Fixture.bob], parts: [.text("Hi")])
        withCopy.includeSentCopy(for: Fixture.alice.card)
        withCopy.includeSentCopy(for: Fixture.alice.card)  // once is enough
        #expect(withCopy.recipients.count == 2)
        let sealed = try await seal(withCopy).sealed
        let mine = try EnvelopeOpener.open(sealed.envelopeBytes, as: Fixture.alice)
        let bobs = try EnvelopeOpener.open(sealed.envelopeBytes, as: Fixture.bob)
        #expect(mine.messageID == bobs.messageID && mine.messageID == sealed.messageID)
        #expect(mine.recipient?.role == .cc && mine.recipient?.address == Fixture.alice.card.addresses[0])
    }
}

/// The bytes of the file at `path`.
private func readFile(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }
