import DialogueCrypto
import DialogueDelivery
import Testing

/// The profile's Content-Digest (Spec: [dlv-request-verify] steps 2 and 8, RFC 9530).
@Suite struct ContentDigestTests {
    /// SHA-256 of the empty string (FIPS 180-4's well-known e3b0c442…), the specification's example.
    @Test func theEmptyBody() {
        #expect(ContentDigest(body: []).fieldValue == "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:")
        #expect(
            ContentDigest(body: []).sha256.map { String($0, radix: 16) }.prefix(4).joined() == "e3b0c442")
    }

    /// The body of RFC 9421's test request (appendix B.2), `{"hello": "world"}`: its sha-256
    /// digest, computed independently with Python's hashlib when this test was written. The
    /// request's own `Content-Digest` is sha-512, which the profile refuses and DialogueCrypto does
    /// not provide, so it is not recomputed here.
    @Test func theRFCTestBody() throws {
        let body = Array(#"{"hello": "world"}"#.utf8)
        let digest = ContentDigest(body: body)
        #expect(digest.fieldValue == "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:")
        #expect(try ContentDigest(parsing: digest.fieldValue) == digest)
        #expect(digest.matches(body))
        #expect(!digest.matches(body + [0x0a]))
    }

    /// Streaming in any split gives the one-shot digest, so a server can check a body as it reads it.
    @Test func streamingMatchesOneShot() {
        let body = TestBytes.make(100_000, label: "body")
        let cuts = TestBytes.make(4_000, label: "cuts")
        var next = 0
        let whole = ContentDigest(body: body)
        for _ in 0..<20 {
            var hasher = ContentDigest.Hasher()
            var offset = 0
            while offset < body.count {
                let length = Int(cuts[next]) << 5 | Int(cuts[next + 1] & 0x1f)
                next += 2
                let end = min(body.count, offset + length)
                hasher.update(body[offset..<end])
                offset = end
            }
            #expect(hasher.finalize() == whole)
        }
        var empty = ContentDigest.Hasher()
        empty.update([UInt8]())
        #expect(empty.finalize() == ContentDigest(body: []))
        // A copy forks the computation.
        var first = SHA256.Hasher()
        first.update([1, 2, 3])
        var second = first
        second.update([4])
        #expect(first.finalize() == SHA256.hash([1, 2, 3]))
        #expect(second.finalize() == SHA256.hash([1, 2, 3, 4]))
    }

    @Test func onlyOneSHA256MemberOf32Bytes() {
        let sha256 = "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:"
        let sha512 =
            "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"
        for field in [
            sha512, sha256 + ", " + sha512, sha512 + ", " + sha256, "", sha256 + ";a=1", "sha-256=:AAAA:",
            "sha-256=\"X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=\"", sha256 + ", " + sha256,
            "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPF=:",
        ] {
            #expect(throws: DeliveryError.malformed(""), "\(field)") { try ContentDigest(parsing: field) }
        }
    }
}
