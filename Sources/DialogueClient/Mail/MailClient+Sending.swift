public import DialogueDelivery
public import DialogueIdentifiers
public import DialogueMessages
internal import DialogueTrust
internal import Foundation

extension MailClient {
    /// Sends `composition`: fetches and judges every recipient's card ([dlv-card-judged]), seals to
    /// them into the local store, uploads only the blobs the home server lacks ([dlv-ep-upload]), and
    /// submits ([dlv-submission]).
    ///
    /// - Parameter acceptingKeyChanges: The addresses whose key change the user decided to accept;
    ///   their new key is pinned ([trust-decisions]) and sealed to.
    /// - Throws: ``ClientError`` `trust-alarm` before anything is sealed when a card's verdict is an
    ///   alarm the user did not decide on; the servers' problems; `unreachable`.
    public func send(_ composition: Composition, acceptingKeyChanges: Set<Address> = []) async throws -> SendReport {
        var cards: [JudgedCard] = []
        var addressees: [MessageDraft.Addressee] = []
        for (addresses, role) in [
            (composition.to, Recipient.Role.to), (composition.cc, .cc), (composition.bcc, .bcc),
        ] {
            for recipient in addresses {
                var judged = try await card(for: recipient)
                if judged.assessment.verdict.severity == .alarm {
                    guard acceptingKeyChanges.contains(recipient), judged.assessment.verdict.name == "key-changed"
                    else {
                        throw ClientError(
                            .trustAlarm,
                            "\(recipient): \(judged.assessment.verdict.name): \(judged.assessment.verdict.explanation) "
                                + "Nothing was sent. \(judged.assessment.verdict.howToVerify)")
                    }
                    try await trust.acceptKeyChange(recipient)
                    judged = try await card(for: recipient)
                }
                cards.append(judged)
                addressees.append(.init(card: judged.card, address: recipient, role: role))
            }
        }
        guard !addressees.isEmpty else { throw ClientError(.malformed, "a message needs at least one recipient") }
        var draft = MessageDraft(
            recipients: addressees, date: ClientClock.now(), subject: composition.subject, parts: composition.parts)
        draft.senderAddress = address
        draft.inReplyTo = composition.inReplyTo
        draft.references = composition.references
        let sealed = try await MessageSealer(sender: identity, store: store).seal(draft)
        return try await submit(sealed, cards: cards)
    }

    /// Uploads what the home server lacks and submits `sealed`.
    func submit(_ sealed: MessageSealer.SealedMessage, cards: [JudgedCard]) async throws -> SendReport {
        let fingerprints = Dictionary(cards.map { ($0.address, $0.card.fingerprint) }, uniquingKeysWith: { a, _ in a })
        var deliveries: [Delivery] = []
        var envelopes: [ContentIdentifier] = []
        for envelope in [sealed] + sealed.blindCopies {
            envelopes.append(envelope.envelopeID)
            for (recipient, index) in zip(envelope.signedManifest.manifest.recipients, envelope.stanzaIndices) {
                guard let index, let fingerprint = fingerprints[recipient.address] else { continue }
                deliveries.append(
                    try Delivery(
                        recipient: recipient.address, envelope: envelope.envelopeID, fingerprint: fingerprint,
                        stanzaIndex: index))
            }
        }
        let chunks = Array(Set(sealed.signedManifest.manifest.parts.flatMap(\.chunks))).sorted()
        var uploaded = (blobs: 0, held: 0, bytes: 0)
        // Chunks first, then the envelopes that name them.
        for id in chunks + envelopes {
            let sent = try await upload(id)
            if sent == 0 {
                uploaded.held += 1
            } else {
                uploaded = (uploaded.blobs + 1, uploaded.held, uploaded.bytes + sent)
            }
        }
        let now = ClientClock.now()
        let submission = try Submission(
            sender: address, deliveries: deliveries, chunks: chunks, created: now,
            expires: now + MailClient.submissionLifetime, signingKey: identity.signingKey)
        let answer = try await http.send(
            "POST", home("/submissions"), body: submission.encodedBytes, contentType: "application/cbor", signed: true)
        guard answer.status == 201 || answer.status == 200 else { throw answer.error("POST /submissions") }
        let number = try await store.recordSent(
            submission: submission, manifest: sealed.signedManifest.manifest, messageID: sealed.messageID)
        let sent = SentMessage(
            number: number, submission: submission.identifier, messageID: sealed.messageID,
            subject: sealed.signedManifest.manifest.subject, date: sealed.signedManifest.manifest.date,
            recipients: deliveries.map(\.recipient.text))
        return SendReport(
            sent: sent, cards: cards, uploaded: uploaded.blobs, alreadyHeld: uploaded.held,
            uploadedBytes: uploaded.bytes)
    }

    /// Uploads blob `id` from the local store unless the home server already holds it (a `HEAD` that
    /// answers `200`: a blob of a live submission, [dlv-ep-blob]); returns the bytes sent.
    func upload(_ id: ContentIdentifier) async throws -> Int {
        let url = home("/blobs/" + id.text(kind: .blob))
        let head = try await http.send("HEAD", url)
        if head.status == 200 {
            progress?(.init(direction: .upload, blob: id, bytes: 0, total: nil, finished: true, skipped: true))
            return 0
        }
        guard let bytes = try await store.get(id) else {
            throw ClientError(.missingBlobs, "the local store lacks \(id.text(kind: .blob)) to upload", blobs: [id])
        }
        let answer = try await http.send(
            "PUT", url, body: bytes, contentType: "application/octet-stream", signed: true)
        guard answer.status == 201 || answer.status == 200 else {
            throw answer.error("PUT /blobs/\(id.text(kind: .blob))")
        }
        progress?(
            .init(direction: .upload, blob: id, bytes: bytes.count, total: bytes.count, finished: true, skipped: false))
        return answer.status == 201 ? bytes.count : 0
    }

    /// The delivery status of sent message `number` ([dlv-ep-status]); after the server deleted the
    /// message (`410`, [dlv-tombstones]) the last status this device saw, marked ``DeliveryStatus/gone``.
    public func status(_ number: Int) async throws -> DeliveryStatus {
        let (sent, _) = try await store.sentSubmission(number)
        let key = sent.submission.text(kind: .submission)
        let answer = try await http.send("GET", home("/submissions/" + key), signed: true)
        if answer.status == 410 {
            var last =
                try await store.lastStatus(number) ?? DeliveryStatus(submission: key, state: "deleted", deliveries: [])
            last.state = "deleted"
            last.gone = true
            return last
        }
        guard answer.status == 200 else { throw answer.error("GET /submissions/\(key)") }
        do {
            let status = try JSONDecoder().decode(DeliveryStatus.self, from: Data(answer.body))
            try await store.recordStatus(number, answer.body)
            return status
        } catch let error as ClientError {
            throw error
        } catch {
            throw ClientError(.invalidResponse, "the status of \(key) does not decode: \(error)")
        }
    }
}
