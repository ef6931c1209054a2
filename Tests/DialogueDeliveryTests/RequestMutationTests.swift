import DialogueDelivery
import Testing

/// Every prefix and every one-byte change of a signed request's three fields is refused with a
/// class of [dlv-request-verify], never a crash, and never accepted unless it reads as the same
/// fields (Spec: [dlv-request-verify]).
@Suite struct RequestMutationTests {
    typealias F = RequestFixtures

    func outcome(_ request: RequestHead) async -> Result<VerifiedRequest, DeliveryError> {
        let verifier = RequestVerifier(
            keys: F.resolver, nonces: MemoryNonceCache(startedAt: 0), clock: { F.created + 5 })
        do { return .success(try await verifier.verify(request, body: Array("hello".utf8))) } catch {
            return .failure(error)
        }
    }

    func replacing(_ request: RequestHead, _ name: String, with value: String) -> RequestHead {
        RequestHead(
            method: request.method, targetURI: request.targetURI,
            fields: request.fields.map { $0.name == name ? RequestHead.Field(name, value) : $0 })
    }

    @Test func everyPrefixIsRefused() async throws {
        let request = try F.request()
        for field in request.fields {
            let bytes = Array(field.value.utf8)
            for length in 0..<bytes.count {
                let prefix = String(decoding: bytes[..<length], as: UTF8.self)
                guard case .failure(let error) = await outcome(replacing(request, field.name, with: prefix)) else {
                    Issue.record("\(field.name) cut to \(length) bytes was accepted")
                    continue
                }
                #expect([.malformed, .limitsExceeded, .badSignature].contains(error.code), "\(error)")
            }
        }
    }

    /// Each byte of each field set to each character that means something to RFC 8941, or to a
    /// letter, digit or base64 character: accepted only when the field parses to what was signed
    /// (a space where RFC 8941 allows one, for instance).
    @Test func everyOneByteChangeIsRefusedOrEquivalent() async throws {
        let request = try F.request()
        let original = try ReceivedSignature(request)
        var accepted = 0
        var refused = 0
        for field in request.fields {
            let bytes = Array(field.value.utf8)
            for index in bytes.indices {
                for replacement in Array(" \t\"()\\;=,:?*-.AaZz09+/".utf8) where replacement != bytes[index] {
                    var changed = bytes
                    changed[index] = replacement
                    let mutated = replacing(request, field.name, with: String(decoding: changed, as: UTF8.self))
                    switch await outcome(mutated) {
                    case .success:
                        accepted += 1
                        #expect(try ReceivedSignature(mutated) == original, "\(field.name): \(changed)")
                    case .failure:
                        refused += 1
                    }
                }
            }
        }
        #expect(refused > 7_000)
        #expect(accepted < 10)
    }
}
