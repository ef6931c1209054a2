import DialogueCrypto
import DialogueDelivery
import Testing

/// Signing and verifying requests under the profile, steps 1 to 8 in order
/// (Spec: [dlv-request-verify], [dlv-request-sign], [dlv-request-time], [dlv-request-replay]).
@Suite struct RequestVerifierTests {
    typealias F = RequestFixtures

    func verifier(now: UInt64 = F.created + 5, nonces: any NonceCache = MemoryNonceCache(startedAt: 0))
        -> RequestVerifier
    {
        RequestVerifier(keys: F.resolver, nonces: nonces, clock: { now })
    }

    /// The signer emits exactly the three values [dlv-request-sign] pins.
    @Test func theSignerEmitsThePinnedFields() throws {
        let signer = try RequestSigner(keyID: F.aliceKeyID, signingKey: F.aliceKey)
        let signature = try signer.sign(
            method: "POST", targetURI: F.target, body: [], created: 1_760_000_000, expires: 1_760_000_300,
            nonce: "AAECAwQFBgcICQoLDA0ODw")
        #expect(signature.contentDigest == "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:")
        let params =
            #"("@method" "@target-uri" "content-digest");created=1760000000;expires=1760000300;nonce="AAECAwQFBgcICQoLDA0ODw";keyid="\#(F.aliceKeyID.text)";tag="dialogue-v1""#
        #expect(signature.signatureInput == "dlg=" + params)
        #expect(
            signature.signatureBase.text
                == "\"@method\": POST\n\"@target-uri\": \(F.target)\n\"content-digest\": \(signature.contentDigest)\n\"@signature-params\": \(params)"
        )
        let bytes = try #require(StrictBase64.decode(String(signature.signature.dropFirst(5).dropLast())))
        #expect(F.aliceKey.publicKey.isValidSignature(bytes, for: signature.signatureBase.bytes))
        #expect(signature.signature == "dlg=:" + StrictBase64.encode(bytes) + ":")
    }

    @Test func theSignerRefusesWhatNoVerifierAccepts() throws {
        #expect(throws: DeliveryError.malformed("")) {
            try RequestSigner(keyID: F.aliceKeyID, signingKey: F.mallory)
        }
        #expect(throws: DeliveryError.malformed("")) {
            try RequestSigner(keyID: F.serverKeyID, signingKey: F.aliceKey)
        }
        let signer = try RequestSigner(keyID: F.aliceKeyID, signingKey: F.aliceKey)
        let nonce = "AAECAwQFBgcICQoLDA0ODw"
        for (method, target, created, expires, nonceText) in [
            ("POST", F.target, F.created, F.created, nonce), ("POST", F.target, F.created, F.created + 301, nonce),
            ("POST", F.target, F.created, F.created + 1, "short"), ("PO ST", F.target, F.created, F.created + 1, nonce),
            ("POST", F.target + "\n\"@method\": GET", F.created, F.created + 1, nonce),
            ("POST", "", F.created, F.created + 1, nonce), ("", F.target, F.created, F.created + 1, nonce),
            ("POST", F.target, 999_999_999_999_900, 1_000_000_000_000_000, nonce),
        ] as [(String, String, UInt64, UInt64, String)] {
            #expect(throws: DeliveryError.malformed("")) {
                try signer.sign(
                    method: method, targetURI: target, body: [], created: created, expires: expires, nonce: nonceText)
            }
        }
        let nonceOne = RequestSigner.randomNonce()
        #expect(RequestProfile.isNonce(nonceOne) && nonceOne.utf8.count == 22)
        #expect(nonceOne != RequestSigner.randomNonce())
    }

    @Test func aSignedRequestVerifies() async throws {
        let body = Array("a submission".utf8)
        let verified = try await verifier().verify(try F.request(body: body), body: body)
        #expect(verified.keyID == F.aliceKeyID)
        #expect(verified.label == "dlg")
        #expect(verified.created == F.created && verified.expires == F.created + 300)
        let serverSigner = try RequestSigner(keyID: F.serverKeyID, signingKey: F.serverKey)
        let fromServer = try await verifier().verify(try F.request(body: body, signer: serverSigner), body: body)
        #expect(fromServer.keyID.kind == "server")
    }

    /// Step 8 on a streamed body: the verifier's answer carries the digest to check at the end.
    @Test func theBodyIsCheckedAsItStreams() async throws {
        let body = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let verified = try await verifier().verify(try F.request(body: body))
        var hasher = ContentDigest.Hasher()
        for start in stride(from: 0, to: body.count, by: 4_096) {
            hasher.update(body[start..<min(body.count, start + 4_096)])
        }
        try verified.checkBody(digest: hasher.finalize())
        var tampered = ContentDigest.Hasher()
        tampered.update(body.dropLast())
        #expect(throws: DeliveryError(.authenticationFailed, "")) {
            try verified.checkBody(digest: tampered.finalize())
        }
    }

    /// The time window with the injected clock ([dlv-request-time]).
    @Test func theClockDecides() async throws {
        for (now, accepted) in [
            (F.created - 61, false), (F.created - 60, true), (F.created + 360, true), (F.created + 361, false),
        ] as [(UInt64, Bool)] {
            do {
                _ = try await verifier(now: now).verify(try F.request())
                #expect(accepted, "now \(now)")
            } catch {
                #expect(!accepted && (error as? DeliveryError)?.code == .expired, "now \(now): \(error)")
            }
        }
    }

    /// The nonce cache is asked only once the signature verified, so forged requests cannot use
    /// up a nonce, and the second use of a pair is a replay ([dlv-request-replay]).
    @Test func noncesAreRecordedOnlyAfterTheSignature() async throws {
        let cache = RecordingNonceCache()
        let verifier = verifier(nonces: cache)
        let forger = try RequestSigner(keyID: F.aliceKeyID, signingKey: F.aliceKey)
        var forged = try F.request(signer: forger)
        let signatureLine = forged.fields.first { $0.name == "Signature" }!
        var bytes = StrictBase64.decode(String(signatureLine.value.dropFirst(5).dropLast()))!
        bytes[0] ^= 1
        forged = RequestHead(
            method: forged.method, targetURI: forged.targetURI,
            fields: forged.fields.map {
                $0.name == "Signature" ? .init("Signature", "dlg=:\(StrictBase64.encode(bytes)):") : $0
            })
        await #expect(throws: DeliveryError(.badSignature, "")) { try await verifier.verify(forged) }
        #expect(await cache.admitted.isEmpty)
        _ = try await verifier.verify(try F.request())
        #expect(await cache.admitted.count == 1)
        await #expect(throws: DeliveryError(.replayed, "")) { try await verifier.verify(try F.request()) }
        // Another nonce is fine.
        _ = try await verifier.verify(try F.request(nonce: "AAECAwQFBgcICQoLDA0ODx"))
    }

    /// An unknown key is refused before the signature is checked, and a server key outside its
    /// validity at `created` is unknown ([dlv-server-key-validity]).
    @Test func keysAreResolvedAtCreated() async throws {
        let serverSigner = try RequestSigner(keyID: F.serverKeyID, signingKey: F.serverKey)
        for (created, accepted) in [
            (F.created - 1_000, true), (F.created + 1_000, true), (F.created - 1_001, false),
            (F.created + 1_001, false),
        ] as [(UInt64, Bool)] {
            do {
                _ = try await verifier(now: created).verify(try F.request(signer: serverSigner, created: created))
                #expect(accepted)
            } catch {
                #expect(!accepted && (error as? DeliveryError)?.code == .unknownKey, "\(error)")
            }
        }
    }
}
