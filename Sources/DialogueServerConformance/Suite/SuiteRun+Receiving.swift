internal import DialogueCrypto
internal import DialogueDelivery
internal import DialogueIdentifiers
internal import DialogueMessages
internal import Foundation

extension SuiteRun {
    /// The recipient's side: notifications from the peer right and wrong, the inbox and its cursor,
    /// long polling, keep, acknowledging through the home server, and removing an entry.
    func receiving() async {
        let address = credentials.user.address
        await check("dlv-notification-verify", "a notification that is not CBOR is 400 malformed") {
            try await post("/notifications", cbor: Array("no".utf8), as: peerSigner).expect(400, problem: "malformed")
        }
        await check("dlv-abuse-unknown", "a notification for an address without a user is 404 unknown-recipient") {
            let nobody = try Address(canonical: "nobody-here@" + credentials.domain)
            try await post(
                "/notifications", cbor: try peerNotification(to: nobody, blob: incoming).encodedBytes, as: peerSigner
            ).expect(404, problem: "unknown-recipient")
        }
        await check(
            "dlv-notification-verify", "a notification for a domain the server does not serve is 403 address-mismatch"
        ) {
            let elsewhere = try Address(canonical: "someone@elsewhere.invalid")
            try await post(
                "/notifications", cbor: try peerNotification(to: elsewhere, blob: incoming).encodedBytes,
                as: peerSigner
            ).expect(403, problem: "address-mismatch")
        }
        await check("dlv-notification-verify", "a sender outside the signing server's domain is 403 address-mismatch") {
            let notification = try peerNotification(to: address, blob: incoming, sender: "dave@elsewhere.invalid")
            try await post("/notifications", cbor: notification.encodedBytes, as: peerSigner).expect(
                403, problem: "address-mismatch")
        }
        await check(
            "dlv-notification-verify", "a notification signed by a key the peer does not publish is 401 unknown-key"
        ) {
            let notification = try peerNotification(to: address, blob: incoming, key: Ed25519.SigningKey())
            try await post("/notifications", cbor: notification.encodedBytes, as: peerSigner).expect(
                401, problem: "unknown-key")
        }
        await check("dlv-notification-verify", "a notification whose signature is altered is 401 bad-signature") {
            var bytes = try peerNotification(to: address, blob: incoming).encodedBytes
            bytes[bytes.count - 1] ^= 0x01
            try await post("/notifications", cbor: bytes, as: peerSigner).expect(401, problem: "bad-signature")
        }
        await check("dlv-notification-verify", "an expired notification is 401 expired") {
            let notification = try peerNotification(
                to: address, blob: incoming, created: SuiteRun.now() - 7_200, lifetime: 3_600)
            try await post("/notifications", cbor: notification.encodedBytes, as: peerSigner).expect(
                401, problem: "expired")
        }
        await check("dlv-notification", "a notification is accepted (202), and a repeat is 200") {
            let notification = try peerNotification(to: address, blob: incoming)
            try await post("/notifications", cbor: notification.encodedBytes, as: peerSigner).expect(202)
            try await post("/notifications", cbor: notification.encodedBytes, as: peerSigner).expect(200)
            self.notification = notification
        }
        await inbox()
        await keepAndAcknowledge()
    }

    /// Listing, cursors and long polling ([dlv-ep-inbox], [dlv-inbox-cursor], [dlv-inbox-wait]).
    private func inbox() async {
        await check("dlv-ep-inbox", "the inbox lists the notification once, with its exact bytes") {
            let notification = try needs(notification, "an accepted notification")
            let answer = try await send("GET", "/inbox", as: user)
            try answer.expect(200)
            let entries = answer.json?["entries"] as? [[String: Any]] ?? []
            let encoded = UnpaddedBase64URL.encode(notification.encodedBytes)
            let matching = entries.filter { $0["notification"] as? String == encoded }
            try require(matching.count == 1, "the notification is listed \(matching.count) times, not once")
            inboxEntry = try needs(matching[0]["entry"] as? String, "an entry identifier")
            inboxCursor = try needs(answer.json?["cursor"] as? String, "a cursor")
        }
        await check("dlv-inbox-cursor", "after the last cursor the inbox is empty and returns the same cursor") {
            let cursor = try needs(inboxCursor, "a cursor")
            let answer = try await send("GET", "/inbox?after=" + cursor, as: user)
            try answer.expect(200)
            try require((answer.json?["entries"] as? [Any])?.isEmpty == true, "entries after the last cursor")
            try require(answer.json?["cursor"] as? String == cursor, "the cursor changed")
        }
        await check("dlv-inbox-cursor", "a malformed cursor or a limit outside 1 to 1,000 is 400 malformed") {
            try await send("GET", "/inbox?after=%00%01", as: user).expect(400, problem: "malformed")
            try await send("GET", "/inbox?limit=0", as: user).expect(400, problem: "malformed")
            try await send("GET", "/inbox?limit=1001", as: user).expect(400, problem: "malformed")
        }
        await check("dlv-ep-inbox", "another user's inbox does not show the entry") {
            let notification = try needs(notification, "an accepted notification")
            let answer = try await send("GET", "/inbox", as: otherUser)
            try answer.expect(200)
            let encoded = UnpaddedBase64URL.encode(notification.encodedBytes)
            let entries = answer.json?["entries"] as? [[String: Any]] ?? []
            try require(!entries.contains { $0["notification"] as? String == encoded }, "another user sees it")
        }
        await check("dlv-inbox-wait", "a waiting inbox request is answered within a second of a new entry") {
            let cursor = try needs(inboxCursor, "a cursor")
            let late = SuiteRun.randomBytes(900)
            peer.add(blob: late)
            let notification = try peerNotification(to: credentials.user.address, blob: late)
            let started = ContinuousClock.now
            let client = self.client
            let signer = self.user
            async let waited = client.send(
                "GET", "/inbox?after=\(cursor)&wait=20", signer: signer, now: SuiteRun.now())
            try await Task.sleep(for: .seconds(1))
            try await post("/notifications", cbor: notification.encodedBytes, as: peerSigner).expect(202)
            let posted = ContinuousClock.now
            let answer = try await waited
            let delay = ContinuousClock.now - posted
            try answer.expect(200)
            let entries = answer.json?["entries"] as? [[String: Any]] ?? []
            try require(
                entries.map { $0["notification"] as? String } == [UnpaddedBase64URL.encode(notification.encodedBytes)],
                "the answer lists \(entries.count) entries, not the new one")
            try require(posted - started >= .milliseconds(900), "the request did not wait")
            try require(delay < .milliseconds(1_500), "answered \(delay) after the entry arrived")
        }
    }

    /// Keep, acknowledge through the home server, delete the entry ([dlv-keep], [dlv-ack], [dlv-ep-inbox]).
    private func keepAndAcknowledge() async {
        let incomingID = SuiteRun.blobID(incoming)
        func keep(_ blobs: [ContentIdentifier], entry: String, as signer: SuiteSigner) async throws -> SuiteAnswer {
            let body = try JSONSerialization.data(withJSONObject: ["blobs": blobs.map { $0.text(kind: .blob) }])
            return try await send(
                "POST", "/inbox/\(entry)/keep", body: Array(body), contentType: "application/json", as: signer)
        }
        await check("dlv-keep", "keep fetches the blob from the sender's server, verifies it and serves it") {
            let entry = try needs(inboxEntry, "an inbox entry")
            try await keep([incomingID], entry: entry, as: user).expect(200)
            try require(peer.fetches(of: incomingID) >= 1, "the server never fetched the blob from the peer")
            let answer = try await send("GET", "/blobs/" + incomingID.text(kind: .blob))
            try answer.expect(200)
            try require(answer.body == incoming, "the kept blob served is not the blob")
        }
        await check("dlv-keep", "a repeated keep fetches nothing again") {
            let entry = try needs(inboxEntry, "an inbox entry")
            let before = peer.fetches(of: incomingID)
            try await keep([incomingID], entry: entry, as: user).expect(200)
            try require(peer.fetches(of: incomingID) == before, "the blob was fetched again")
        }
        await check("dlv-keep", "keeping a blob the sender's server does not have is 409 missing-blobs") {
            let entry = try needs(inboxEntry, "an inbox entry")
            let absent = SuiteRun.blobID(SuiteRun.randomBytes(32))
            let answer = try await keep([absent], entry: entry, as: user)
            try answer.expect(409, problem: "missing-blobs")
            try require(
                answer.json?["blobs"] as? [String] == [absent.text(kind: .blob)], "the problem does not list the blob")
        }
        await check("dlv-ep-inbox", "another user cannot keep, acknowledge or remove the entry (404)") {
            let entry = try needs(inboxEntry, "an inbox entry")
            try await keep([incomingID], entry: entry, as: otherUser).expect(404, problem: "not-found")
            try await send("DELETE", "/inbox/" + entry, as: otherUser).expect(404, problem: "not-found")
        }
        await check("dlv-ack-relay", "an acknowledgement through the home server (202) reaches the sender's server") {
            let entry = try needs(inboxEntry, "an inbox entry")
            let notification = try needs(notification, "an accepted notification")
            let ack = try Acknowledgement(
                recipient: credentials.user.address, envelope: incomingID, sender: notification.sender,
                created: SuiteRun.now(), signingKey: credentials.user.signingKey
            ).encodedBytes
            try await post("/inbox/\(entry)/acknowledge", cbor: ack, as: user).expect(202)
            try await post("/inbox/\(entry)/acknowledge", cbor: ack, as: user).expect(oneOf: [200, 202])
            let relayed = await peer.waitFor("POST", "/acknowledgements", seconds: deliveryTimeout) { $0.body == ack }
            let request = try needs(relayed, "the acknowledgement at the peer within \(deliveryTimeout) s")
            try await verifyServerRequest(request)
        }
        await check("dlv-ack-relay", "an acknowledgement the user did not sign is 403 not-a-recipient, not relayed") {
            let entry = try needs(inboxEntry, "an inbox entry")
            let notification = try needs(notification, "an accepted notification")
            let forged = try Acknowledgement(
                recipient: credentials.user.address, envelope: incomingID, sender: notification.sender,
                created: SuiteRun.now(), signingKey: Ed25519.SigningKey()
            ).encodedBytes
            try await post("/inbox/\(entry)/acknowledge", cbor: forged, as: user).expect(
                403, problem: "not-a-recipient")
            try require(
                !peer.received("POST", "/acknowledgements").contains { $0.body == forged }, "it was relayed")
        }
        await check("dlv-ep-inbox", "DELETE /inbox/{entry} is 204 and the entry is gone from the listing") {
            let entry = try needs(inboxEntry, "an inbox entry")
            try await send("DELETE", "/inbox/" + entry, as: user).expect(204)
            let answer = try await send("GET", "/inbox", as: user)
            try answer.expect(200)
            let entries = answer.json?["entries"] as? [[String: Any]] ?? []
            try require(!entries.contains { $0["entry"] as? String == entry }, "the entry is still listed")
            try await send("DELETE", "/inbox/" + entry, as: user).expect(404, problem: "not-found")
        }
    }
}
