public import DialogueDelivery
public import DialogueIdentifiers
public import DialogueMessages
public import DialogueTrust
internal import Foundation

/// A received message, opened: its summary, the verified manifest and the sender's verdict.
public struct OpenedInboxMessage: Sendable {
    /// The summary, as recorded after opening.
    public let message: InboxMessage
    /// The opened envelope.
    public let opened: OpenedMessage
    /// The trust verdict on the sender (the first one, when the message was judged before).
    public let assessment: TrustAssessment
}

extension MailClient {
    /// The largest inbox page asked for ([dlv-inbox-cursor]).
    static let inboxPage = 100

    /// Lists the inbox after this device's cursor, waiting up to `wait` seconds for a first entry
    /// ([dlv-inbox-wait]); verifies each notification as a user agent does ([dlv-notification-verify]),
    /// records it with the new cursor, and opens each new envelope (fetched once, then kept locally)
    /// so that the listing shows subjects and verdicts.
    ///
    /// - Returns: The new messages. A notification that does not verify is skipped and not recorded.
    @discardableResult
    public func sync(wait: Int = 0, openEnvelopes: Bool = true) async throws -> [InboxMessage] {
        var numbers: [Int] = []
        var waiting = max(0, min(60, wait))
        while true {
            var query = "/inbox?limit=\(MailClient.inboxPage)"
            if let cursor = try await store.cursor() { query += "&after=" + cursor }
            if waiting > 0 { query += "&wait=\(waiting)" }
            let answer = try await http.send("GET", home(query), signed: true)
            guard answer.status == 200 else { throw answer.error("GET /inbox") }
            let page: InboxPage
            do { page = try JSONDecoder().decode(InboxPage.self, from: Data(answer.body)) } catch {
                throw ClientError(.invalidResponse, "the inbox listing does not decode: \(error)")
            }
            var verified: [(entry: String, received: UInt64, notification: DialogueDelivery.Notification)] = []
            for entry in page.entries {
                guard let bytes = UnpaddedBase64URL.decode(entry.notification),
                    let notification = try? await verify(bytes)
                else { continue }
                verified.append((entry.entry, entry.received, notification))
            }
            numbers += try await store.record(verified, cursor: page.cursor)
            if page.entries.count < MailClient.inboxPage { break }
            waiting = 0
        }
        if openEnvelopes {
            for number in numbers { _ = try? await open(number) }
        }
        var messages: [InboxMessage] = []
        for number in numbers { messages.append(try await store.message(number)) }
        return messages
    }

    /// Checks a notification as a user agent: with the sender domain's server document
    /// ([dlv-notification-verify], step 5 "for a user agent … the sender's domain").
    func verify(_ bytes: [UInt8]) async throws -> DialogueDelivery.Notification {
        let sender = try NotificationSender.claimed(bytes)
        let document = try await directory.document(for: String(sender.domain))
        do {
            return try DialogueDelivery.Notification(
                verifying: bytes, signerDomain: String(sender.domain), serverKeys: document.keys,
                servedDomains: [String(address.domain)], now: ClientClock.now())
        } catch {
            throw ClientError(.init(error.code.name), "the notification from \(sender): \(error.reason)")
        }
    }

    /// Where message `message`'s blobs are fetched from: the home server's kept copy first when it
    /// keeps one ([dlv-keep]), then the sender's server.
    func sources(_ message: InboxMessage) throws -> [BaseURL] {
        let sender = try BaseURL(message.baseURL)
        return message.kept ? [homeServer, sender] : [sender, homeServer]
    }

    /// Opens received message `number`: fetches its envelope unless it is held locally, opens it and
    /// judges its sender (trust on first use), and records its summary and place in the thread index.
    public func open(_ number: Int) async throws -> OpenedInboxMessage {
        let message = try await store.message(number)
        let blobs = fetching(from: try sources(message))
        guard let bytes = try await blobs.get(message.envelope, limit: MessageLimits.maximumEnvelopeSize) else {
            throw ClientError(.notFound, "no server holds the envelope \(message.envelope.text(kind: .blob))")
        }
        let (opened, assessment) = try await TrustedOpener(engine: trust, blobs: blobs).openAssessing(
            bytes, as: identity, stanzaIndex: message.stanzaIndex)
        guard opened.manifest.senderAddress == message.sender else {
            throw ClientError(
                .addressMismatch,
                "the envelope is signed by \(opened.manifest.senderAddress), the notification names \(message.sender)")
        }
        try await store.recordOpened(
            number: number, manifest: opened.manifest, messageID: opened.messageID, verdict: assessment.verdict.name)
        return OpenedInboxMessage(message: try await store.message(number), opened: opened, assessment: assessment)
    }

    /// A reader of part `index` (0-based) of an opened message: its chunks come from the local store,
    /// and only the missing ones are fetched (each verified before it is kept).
    public func partReader(_ opened: OpenedInboxMessage, index: Int) throws -> PartReader {
        let parts = opened.opened.manifest.parts
        guard parts.indices.contains(index) else {
            throw ClientError(.unknownMessage, "message #\(opened.message.number) has \(parts.count) parts")
        }
        return PartReader(part: parts[index], store: fetching(from: try sources(opened.message)))
    }

    /// Marks message `number` read.
    public func markRead(_ number: Int) async throws { try await store.mark(number, "is_read") }

    /// Asks the home server to keep the envelope and every chunk of message `number`
    /// (`POST /inbox/{entry}/keep`, [dlv-keep]), so that this user's other devices can still read it
    /// once the sender's server deleted it.
    public func keep(_ number: Int) async throws {
        let opened = try await open(number)
        let blobs = [opened.message.envelope] + opened.opened.manifest.parts.flatMap(\.chunks)
        var seen = Set<ContentIdentifier>()
        let unique = blobs.filter { seen.insert($0).inserted }
        // A keep list is at most 65,536 bytes ([dlv-limits-before-read]): some 1,000 identifiers.
        for start in stride(from: 0, to: unique.count, by: 500) {
            let slice = unique[start..<min(unique.count, start + 500)]
            let body = try JSONSerialization.data(withJSONObject: ["blobs": slice.map { $0.text(kind: .blob) }])
            let answer = try await http.send(
                "POST", home("/inbox/\(opened.message.entry)/keep"), body: Array(body), contentType: "application/json",
                signed: true)
            guard answer.status == 200 else { throw answer.error("POST /inbox/…/keep") }
        }
        try await store.mark(number, "kept")
    }

    /// Acknowledges message `number` through the home server ([dlv-ack-relay]), after the home
    /// server keeps it when `keeping` ([dlv-keep-before-ack]): a user agent MUST NOT acknowledge before
    /// every blob the user may want again is kept. With `keeping: false` (a single device that holds
    /// what it wants) nothing is kept.
    public func acknowledge(_ number: Int, keeping: Bool = true) async throws {
        if keeping { try await keep(number) }
        // The sender's server deletes the blobs once acknowledged: those this device holds are
        // synced first (their data was synced in the background as they came; this waits for it).
        try await store.flush()
        let message = try await store.message(number)
        let notification = try DialogueDelivery.Notification(
            verifying: try await store.notificationBytes(number), signerDomain: String(message.sender.domain),
            serverKeys: try await directory.document(for: String(message.sender.domain)).keys,
            servedDomains: [String(address.domain)], now: ClientClock.now())
        let ack = try Acknowledgement(
            recipient: notification.recipient, envelope: notification.envelope, sender: notification.sender,
            created: ClientClock.now(), signingKey: identity.signingKey)
        let answer = try await http.send(
            "POST", home("/inbox/\(message.entry)/acknowledge"), body: ack.encodedBytes,
            contentType: "application/cbor",
            signed: true)
        guard answer.status == 202 || answer.status == 200 else { throw answer.error("POST /inbox/…/acknowledge") }
        try await store.mark(number, "acknowledged")
    }

    /// Whether this device holds every blob of an opened message: its envelope and every chunk of
    /// every part, so that reading it again needs no server.
    public func holdsEverything(_ opened: OpenedInboxMessage) async throws -> Bool {
        for id in [opened.message.envelope] + opened.opened.manifest.parts.flatMap(\.chunks)
        where try await !store.contains(id) {
            return false
        }
        return true
    }

    /// Acknowledges an opened message by `policy` once this device holds every blob of it
    /// ([dlv-ack]); with ``AutoAcknowledgement/keep`` the home server keeps a copy first
    /// ([dlv-keep-before-ack]).
    ///
    /// - Returns: Whether it was acknowledged now: `false` when the policy is
    ///   ``AutoAcknowledgement/off``, a blob is still missing, or it was acknowledged before.
    @discardableResult
    public func acknowledgeIfFetched(_ opened: OpenedInboxMessage, policy: AutoAcknowledgement) async throws -> Bool {
        guard policy != .off, try await !store.message(opened.message.number).acknowledged,
            try await holdsEverything(opened)
        else { return false }
        try await acknowledge(opened.message.number, keeping: policy == .keep)
        return true
    }

    /// Replies to message `number`: to its sender, answering it, continuing its thread
    /// (Spec: messages.md#msg-id). The sender's card is fetched and judged as for any message.
    public func reply(to number: Int, text: String, attachments: [MessageDraft.Part] = []) async throws -> SendReport {
        let original = try await open(number)
        let draft = MessageDraft.reply(to: original.opened, date: ClientClock.now(), text: text, parts: attachments)
        var composition = Composition(to: [original.opened.manifest.senderAddress], subject: draft.headers["subject"])
        composition.parts = draft.parts
        composition.inReplyTo = draft.inReplyTo
        composition.references = draft.references
        let report = try await send(composition)
        try await store.mark(number, "answered")
        return report
    }

    /// Forwards message `number` by reference (Spec: messages.md#msg-forward): the new message carries
    /// the original's signed manifest and reuses its part descriptors, so nothing is encrypted again;
    /// the chunks are uploaded to the home server only where it lacks them.
    public func forward(_ number: Int, to recipients: [Address], text: String? = nil) async throws -> SendReport {
        let original = try await open(number)
        let manifest = original.opened.manifest
        let blobs = fetching(from: try sources(original.message))
        // The home server must hold every chunk the new envelope names ([dlv-submission-verify] step 8).
        for id in manifest.parts.flatMap(\.chunks) where try await !store.contains(id) {
            guard try await blobs.get(id, limit: MessageLimits.maximumChunkBlobSize) != nil else {
                throw ClientError(.missingBlobs, "no server holds \(id.text(kind: .blob)) any more", blobs: [id])
            }
        }
        var composition = Composition(
            to: recipients, subject: manifest.subject.map { $0.lowercased().hasPrefix("fwd:") ? $0 : "Fwd: \($0)" },
            text: text)
        composition.parts.append(.forwarded(original.opened.signedManifest))
        for part in manifest.parts {
            composition.parts.append(
                .init(mediaType: part.mediaType, fileName: part.fileName, content: .existing(part)))
        }
        return try await send(composition)
    }

    /// The thread of `messageID`, rebuilt from the local index alone.
    public func thread(_ messageID: ContentIdentifier) async throws -> [ThreadMessage] {
        try await store.thread(of: messageID)
    }
}

extension ClientError.Code {
    /// An unknown blob, entry or submission ([dlv-errors]).
    public static let notFound = ClientError.Code("not-found")
}

/// One page of `GET /inbox` ([dlv-ep-inbox]).
struct InboxPage: Decodable {
    struct Entry: Decodable {
        let entry: String
        let received: UInt64
        let notification: String
    }

    let entries: [Entry]
    let cursor: String
}
