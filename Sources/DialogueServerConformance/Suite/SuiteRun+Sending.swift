internal import DialogueCrypto
internal import DialogueDelivery
internal import DialogueIdentifiers
internal import DialogueMessages

extension SuiteRun {
    /// The sender's side: a submission to two recipients at the peer, its blobs served, its
    /// notifications, its status, acknowledgements right and wrong, and deletion after the last one.
    func sending() async {
        let envelopeID = SuiteRun.blobID(envelope)
        let chunkID = SuiteRun.blobID(chunk)
        let deliveries: [Delivery]
        do {
            deliveries = [
                try Delivery(
                    recipient: bob.address, envelope: envelopeID, fingerprint: bob.card.fingerprint, stanzaIndex: 0),
                try Delivery(
                    recipient: carol.address, envelope: envelopeID, fingerprint: carol.card.fingerprint,
                    stanzaIndex: 1),
            ]
        } catch {
            deliveries = []
        }
        func submission(
            chunks: [ContentIdentifier], sender: Address? = nil, key: Ed25519.SigningKey? = nil
        ) throws -> Submission {
            let now = SuiteRun.now()
            return try Submission(
                sender: sender ?? credentials.user.address, deliveries: deliveries, chunks: chunks, created: now,
                expires: now + 86_400, signingKey: key ?? credentials.user.signingKey)
        }

        await check("dlv-submission-verify", "a submission naming a blob the server lacks is 409 missing-blobs") {
            let missing = SuiteRun.blobID(SuiteRun.randomBytes(64))
            let answer = try await post(
                "/submissions", cbor: try submission(chunks: [chunkID, missing]).encodedBytes, as: user)
            try answer.expect(409, problem: "missing-blobs")
            let listed = answer.json?["blobs"] as? [String] ?? []
            try require(
                listed == [missing.text(kind: .blob)], "the problem lists \(listed), not the one missing blob")
        }
        await check("dlv-submission-verify", "a submission whose sender is another user is 403 address-mismatch") {
            let forged = try submission(chunks: [chunkID], sender: credentials.otherUser.address)
            try await post("/submissions", cbor: forged.encodedBytes, as: user).expect(403, problem: "address-mismatch")
        }
        await check("dlv-submission-verify", "a submission signed by another key is 401 bad-signature") {
            let forged = try submission(chunks: [chunkID], key: credentials.otherUser.signingKey)
            try await post("/submissions", cbor: forged.encodedBytes, as: user).expect(401, problem: "bad-signature")
        }
        await check("dlv-submission-verify", "a submission that is not CBOR is 400 malformed") {
            try await post("/submissions", cbor: Array("not a submission".utf8), as: user).expect(
                400, problem: "malformed")
        }
        await check("dlv-submission", "a submission is accepted (201) with its identifier, and a repeat is 200") {
            let accepted = try submission(chunks: [chunkID])
            let first = try await post("/submissions", cbor: accepted.encodedBytes, as: user)
            try first.expect(201)
            let id = accepted.identifier.text(kind: .submission)
            try require(
                first.json?["submission"] as? String == id,
                "the answer names \(first.json?["submission"] ?? "nothing"), not \(id)")
            try await post("/submissions", cbor: accepted.encodedBytes, as: user).expect(200)
            self.submission = accepted
        }

        await blobServing(envelopeID: envelopeID)
        await notifications(envelopeID: envelopeID)
        await acknowledgements(envelopeID: envelopeID, chunkID: chunkID)
    }

    /// `GET`, `Range` and `HEAD` of a live submission's blob ([dlv-blob-serve]).
    private func blobServing(envelopeID: ContentIdentifier) async {
        let path = "/blobs/" + envelopeID.text(kind: .blob)
        await check("dlv-blob-serve", "GET of a submitted blob: 200, its bytes, ETag, immutable caching, ranges") {
            _ = try needs(submission, "an accepted submission")
            let answer = try await send("GET", path)
            try answer.expect(200)
            try require(answer.body == envelope, "the bytes served are not the blob")
            let expected: [(String, String)] = [
                ("content-type", "application/octet-stream"), ("etag", "\"\(envelopeID.text(kind: .blob))\""),
                ("cache-control", "public, max-age=31536000, immutable"), ("accept-ranges", "bytes"),
                ("content-length", String(envelope.count)),
            ]
            for (name, value) in expected {
                try require(answer.field(name) == value, "\(name) is \(answer.field(name) ?? "missing"), not \(value)")
            }
        }
        await check("dlv-blob-serve", "Range: bytes=a-b is 206 with Content-Range and exactly those bytes") {
            _ = try needs(submission, "an accepted submission")
            let answer = try await send("GET", path, extra: [("Range", "bytes=100-1099")])
            try answer.expect(206)
            try require(answer.body == Array(envelope[100...1099]), "the bytes are not bytes 100 to 1099")
            let range = "bytes 100-1099/\(envelope.count)"
            try require(
                answer.field("content-range") == range,
                "Content-Range is \(answer.field("content-range") ?? "missing"), not \(range)")
        }
        await check("dlv-blob-serve", "an unsatisfiable range is 416") {
            _ = try needs(submission, "an accepted submission")
            try await send("GET", path, extra: [("Range", "bytes=\(envelope.count)-")]).expect(416)
        }
        await check("dlv-blob-serve", "HEAD is 200 with the blob's length and no body") {
            _ = try needs(submission, "an accepted submission")
            let answer = try await send("HEAD", path)
            try answer.expect(200)
            try require(
                answer.field("content-length") == String(envelope.count),
                "Content-Length is \(answer.field("content-length") ?? "missing")")
            try require(answer.body.isEmpty, "HEAD has a body")
        }
        await check("dlv-blob-serve", "a blob the server never held is 404 not-found") {
            try await send("GET", "/blobs/" + SuiteRun.blobID(SuiteRun.randomBytes(8)).text(kind: .blob)).expect(
                404, problem: "not-found")
        }
    }

    /// The notifications the server's outbox sends the peer, and the status its sender sees.
    private func notifications(envelopeID: ContentIdentifier) async {
        for recipient in [bob, carol] {
            await check(
                "dlv-notification", "the server notifies \(recipient.address)'s server with a signed notification"
            ) {
                let submission = try needs(submission, "an accepted submission")
                let document = try needs(document, "the server document")
                let received = await peer.waitFor("POST", "/notifications", seconds: deliveryTimeout) { request in
                    guard
                        let notification = try? DialogueDelivery.Notification(
                            verifying: request.body, signerDomain: self.credentials.domain, serverKeys: document.keys,
                            servedDomains: [self.credentials.peerDomain], now: SuiteRun.now())
                    else { return false }
                    return notification.recipient == recipient.address
                }
                let request = try needs(received, "a notification that reached the peer within \(deliveryTimeout) s")
                try await verifyServerRequest(request)
                let notification = try DialogueDelivery.Notification(
                    verifying: request.body, signerDomain: credentials.domain, serverKeys: document.keys,
                    servedDomains: [credentials.peerDomain], now: SuiteRun.now())
                try require(notification.sender == credentials.user.address, "the sender is \(notification.sender)")
                try require(notification.envelope == envelopeID, "the notification names another envelope")
                try require(
                    notification.envelopeSize == UInt64(envelope.count),
                    "the envelope size is \(notification.envelopeSize), not \(envelope.count)")
                try require(
                    notification.messageSize == UInt64(envelope.count + chunk.count),
                    "the message size is \(notification.messageSize), not \(envelope.count + chunk.count)")
                try require(notification.baseURL == document.baseURL, "the base URL is \(notification.baseURL)")
                try require(notification.expires == submission.expires, "the expiry is not the submission's")
            }
        }
        await check("dlv-ep-status", "the sender sees each delivery notified; another user gets 404") {
            let submission = try needs(submission, "an accepted submission")
            let path = "/submissions/" + submission.identifier.text(kind: .submission)
            let expected = [bob.address.text: "notified", carol.address.text: "notified"]
            // The peer has seen both notifications, but a server records "notified" once it has read the
            // peer's answer and committed: give it until the delivery time-out.
            let deadline = ContinuousClock.now + .seconds(deliveryTimeout)
            var answer = try await send("GET", path, as: user)
            var states: [String: String] = [:]
            while true {
                try answer.expect(200)
                let deliveries = answer.json?["deliveries"] as? [[String: Any]] ?? []
                states = Dictionary(
                    deliveries.map { ($0["recipient"] as? String ?? "", $0["state"] as? String ?? "") },
                    uniquingKeysWith: { first, _ in first })
                guard states != expected, ContinuousClock.now < deadline else { break }
                try await Task.sleep(for: .milliseconds(200))
                answer = try await send("GET", path, as: user)
            }
            try require(states == expected, "the deliveries are \(states), not both notified")
            try require(answer.json?["state"] as? String == "live", "the submission is not live")
            try await send("GET", path, as: otherUser).expect(404, problem: "not-found")
        }
    }

    /// Acknowledgements from the peer: refused when wrong, accepted once, then deletion.
    private func acknowledgements(envelopeID: ContentIdentifier, chunkID: ContentIdentifier) async {
        func ack(_ recipient: SuiteCredentials.Account, key: Ed25519.SigningKey? = nil, sender: Address? = nil)
            throws -> [UInt8]
        {
            try Acknowledgement(
                recipient: recipient.address, envelope: envelopeID, sender: sender ?? credentials.user.address,
                created: SuiteRun.now(), signingKey: key ?? recipient.signingKey
            ).encodedBytes
        }
        await check(
            "dlv-ack-verify", "an acknowledgement signed by a key the message was not sealed to is 403 not-a-recipient"
        ) {
            _ = try needs(submission, "an accepted submission")
            try await post("/acknowledgements", cbor: try ack(bob, key: Ed25519.SigningKey()), as: peerSigner).expect(
                403, problem: "not-a-recipient")
        }
        await check(
            "dlv-ack-verify", "an acknowledgement by someone the submission does not list is 403 not-a-recipient"
        ) {
            _ = try needs(submission, "an accepted submission")
            let stranger = try SuiteRun.recipient("mallory@" + credentials.peerDomain, now: SuiteRun.now())
            try await post("/acknowledgements", cbor: try ack(stranger), as: peerSigner).expect(
                403, problem: "not-a-recipient")
        }
        await check("dlv-ack-verify", "an acknowledgement naming another sender is 403 address-mismatch") {
            _ = try needs(submission, "an accepted submission")
            try await post(
                "/acknowledgements", cbor: try ack(bob, sender: credentials.otherUser.address), as: peerSigner
            ).expect(403, problem: "address-mismatch")
        }
        await check("dlv-ack-verify", "an acknowledgement that is not CBOR is 400 malformed") {
            try await post("/acknowledgements", cbor: Array("no".utf8), as: peerSigner).expect(
                400, problem: "malformed")
        }
        let envelopePath = "/blobs/" + envelopeID.text(kind: .blob)
        await check("dlv-ack", "the first recipient's acknowledgement is 200, a repeat 200, and the message stays") {
            _ = try needs(submission, "an accepted submission")
            let bytes = try ack(bob)
            try await post("/acknowledgements", cbor: bytes, as: peerSigner).expect(200)
            try await post("/acknowledgements", cbor: bytes, as: peerSigner).expect(200)
            try await send("GET", envelopePath).expect(200)
        }
        await check("dlv-delete", "after the last acknowledgement every blob of the message is 410 gone") {
            _ = try needs(submission, "an accepted submission")
            try await post("/acknowledgements", cbor: try ack(carol), as: peerSigner).expect(200)
            try await send("GET", envelopePath).expect(410, problem: "gone")
            try await send("HEAD", envelopePath).expect(410)
            try await send("GET", "/blobs/" + chunkID.text(kind: .blob)).expect(410, problem: "gone")
        }
        await check("dlv-tombstones", "a deleted submission's status is 410; a late acknowledgement is 200") {
            let submission = try needs(submission, "an accepted submission")
            try await send("GET", "/submissions/" + submission.identifier.text(kind: .submission), as: user).expect(
                410, problem: "gone")
            try await post("/acknowledgements", cbor: try ack(carol), as: peerSigner).expect(200)
        }
    }
}
