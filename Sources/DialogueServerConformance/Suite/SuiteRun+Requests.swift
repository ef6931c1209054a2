internal import DialogueCrypto
internal import DialogueDelivery
internal import DialogueIdentifiers
internal import DialogueMessages

extension SuiteRun {
    /// Uploads, and every way a signed request is refused.
    func requestSignatures() async {
        await check("dlv-ep-upload", "PUT /blobs/{blob} stores a blob (201) and a repeat is 200") {
            try await upload(envelope).expect(201)
            try await upload(envelope).expect(200)
            try await upload(chunk).expect(201)
        }
        await check("dlv-upload-verify", "bytes that are not the blob named are 422 authentication-failed, not kept") {
            let other = SuiteRun.randomBytes(500)
            let claimed = SuiteRun.blobID(SuiteRun.randomBytes(500))
            try await upload(other, as: claimed).expect(422, problem: "authentication-failed")
            try await send("GET", "/blobs/" + claimed.text(kind: .blob)).expect(404, problem: "not-found")
        }
        await check("dlv-request-verify", "an unsigned request to a signed endpoint is 400 malformed") {
            try await send("GET", "/inbox").expect(400, problem: "malformed")
        }
        for field in ["signature-input", "signature", "content-digest"] {
            await check("dlv-request-verify", "a request without its \(field) field is 400 malformed") {
                try await send("GET", "/inbox", as: user, defect: .missingField(field)).expect(
                    400, problem: "malformed")
            }
        }
        await check("dlv-request-verify", "a signature with one bit flipped is 401 bad-signature") {
            try await send("GET", "/inbox", as: user, defect: .flippedSignature).expect(401, problem: "bad-signature")
        }
        await check("dlv-request-time", "a request signed 1,000 seconds ago is 401 expired") {
            try await send("GET", "/inbox", as: user, defect: .signedAgo(1_000)).expect(401, problem: "expired")
        }
        await check("dlv-request-time", "a request signed 1,000 seconds in the future is 401 expired") {
            try await send("GET", "/inbox", as: user, defect: .signedAgo(-1_000)).expect(401, problem: "expired")
        }
        await check("dlv-request-replay", "the same signature sent twice is 401 replayed the second time") {
            let fields = try user.fields(
                method: "GET", targetURI: client.url("/inbox"), body: [], now: SuiteRun.now(), defect: .none)
            try await client.send("GET", "/inbox", body: nil, fields: fields).expect(200)
            try await client.send("GET", "/inbox", body: nil, fields: fields).expect(401, problem: "replayed")
        }
        await check("dlv-request-replay", "a refused signature does not use up its nonce") {
            let nonce = RequestSigner.randomNonce()
            try await send("GET", "/inbox", as: user, defect: .flippedSignature).expect(401, problem: "bad-signature")
            try await send("GET", "/inbox", as: user, defect: .nonce(nonce)).expect(200)
        }
        await check("dlv-request-verify", "a user the server does not have is 401 unknown-key") {
            let stranger = try SuiteRun.recipient("conformance-nobody@" + credentials.domain, now: SuiteRun.now())
            let signer = SuiteSigner(
                keyID: RequestKeyID(user: stranger.address, fingerprint: stranger.card.fingerprint),
                key: stranger.signingKey)
            try await send("GET", "/inbox", as: signer).expect(401, problem: "unknown-key")
        }
        await check("dlv-request-verify", "a body other than the one signed is 422 authentication-failed, not kept") {
            let bytes = SuiteRun.randomBytes(700)
            let id = SuiteRun.blobID(bytes)
            try await send(
                "PUT", "/blobs/" + id.text(kind: .blob), body: bytes, contentType: "application/octet-stream",
                as: user, defect: .otherBody(SuiteRun.randomBytes(700))
            ).expect(422, problem: "authentication-failed")
            try await send("GET", "/blobs/" + id.text(kind: .blob)).expect(404, problem: "not-found")
        }
        await check("dlv-request-verify", "a user's signature on a server endpoint is 403 forbidden") {
            let notification = try peerNotification(to: credentials.user.address, blob: incoming)
            try await post("/notifications", cbor: notification.encodedBytes, as: user).expect(
                403, problem: "forbidden")
        }
        await check("dlv-request-verify", "a server's signature on a user endpoint is 403 forbidden") {
            try await send("GET", "/inbox", as: peerSigner).expect(403, problem: "forbidden")
        }
        await check("dlv-limits-before-read", "bodies over the endpoint's limit are 413 limits-exceeded") {
            try await post("/notifications", cbor: SuiteRun.randomBytes(2_049), as: peerSigner).expect(
                413, problem: "limits-exceeded")
            try await post("/acknowledgements", cbor: SuiteRun.randomBytes(1_025), as: peerSigner).expect(
                413, problem: "limits-exceeded")
            try await post("/submissions", cbor: SuiteRun.randomBytes(4_194_305), as: user).expect(
                413, problem: "limits-exceeded")
        }
    }
}
