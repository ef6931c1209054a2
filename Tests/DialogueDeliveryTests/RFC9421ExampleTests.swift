import DialogueCrypto
import DialogueDelivery
import Foundation
import Testing

/// Outside truth for the signature base and the Ed25519 signature: RFC 9421 appendix B.2.6,
/// copied in `TestVectors/external/rfc9421/` (Spec: [dlv-request], conformance.md, request.sign).
@Suite struct RFC9421ExampleTests {
    struct Example: Decodable {
        struct Request: Decodable {
            let method: String
            let target_uri: String
            let headers: [[String]]
            let body: String
        }
        struct Key: Decodable {
            let public_key_pem: String
            let private_key_pem: String
            let public_key: String
            let seed: String
        }
        let request: Request
        let key: Key
        let label: String
        let covered_components: [String]
        let created: Int64
        let signature_base: String
        let signature_input: String
        let signature: String
    }

    static let example: Example = {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("TestVectors/external/rfc9421/ed25519_b26.json")
        return try! JSONDecoder().decode(Example.self, from: Data(contentsOf: url))
    }()

    var request: RequestHead {
        RequestHead(
            method: Self.example.request.method, targetURI: Self.example.request.target_uri,
            fields: Self.example.request.headers.map { RequestHead.Field($0[0], $0[1]) })
    }

    /// The member of the RFC's `Signature-Input`, read by the strict parser.
    func signatureInput() throws -> StructuredInnerList {
        let dictionary = try StructuredDictionary(parsing: Self.example.signature_input)
        #expect(dictionary.members.map(\.key) == [Self.example.label])
        guard case .innerList(let list) = try #require(dictionary[Self.example.label]) else {
            Issue.record("the member is not an inner list")
            throw DeliveryError.malformed("not an inner list")
        }
        return list
    }

    @Test("the raw keys are the last 32 bytes of the RFC's PEM, and the seed gives the public key")
    func keys() throws {
        let publicDER = try #require(StrictBase64.decode(Self.example.key.public_key_pem))
        let privateDER = try #require(StrictBase64.decode(Self.example.key.private_key_pem))
        #expect(Hex.encode(publicDER.suffix(32)) == Self.example.key.public_key)
        #expect(Hex.encode(privateDER.suffix(32)) == Self.example.key.seed)
        let signingKey = try Ed25519.SigningKey(seed: Hex.decode(Self.example.key.seed))
        #expect(Hex.encode(signingKey.publicKey.rawRepresentation) == Self.example.key.public_key)
    }

    @Test("the signature base rebuilt from the test request equals the RFC's, byte for byte")
    func signatureBase() throws {
        let list = try signatureInput()
        #expect(list.items.map(\.value) == Self.example.covered_components.map { .string($0) })
        #expect(list.parameters["created"] == .integer(Self.example.created))
        #expect(list.parameters["keyid"] == .string("test-key-ed25519"))
        let base = try SignatureBase(request: request, covering: list)
        #expect(base.bytes == Array(Self.example.signature_base.utf8))
        // Re-serializing the parsed member gives the RFC's field value back.
        #expect(Self.example.label + "=" + list.serialized == Self.example.signature_input)
    }

    @Test("the RFC's signature verifies under the RFC's public key, and re-signing gives it exactly")
    func signature() throws {
        let dictionary = try StructuredDictionary(parsing: Self.example.signature)
        guard case .item(let item) = try #require(dictionary[Self.example.label]) else {
            Issue.record("the member is not an item")
            return
        }
        let signature = try #require(item.value.byteSequenceValue)
        #expect(signature.count == 64)
        let base = try SignatureBase(request: request, covering: try signatureInput())
        let publicKey = try Ed25519.VerifyingKey(rawRepresentation: Hex.decode(Self.example.key.public_key))
        #expect(publicKey.isValidSignature(signature, for: base.bytes))
        let signingKey = try Ed25519.SigningKey(seed: Hex.decode(Self.example.key.seed))
        let again = signingKey.signature(for: base.bytes).rawRepresentation
        #expect(again == signature)
        #expect(Self.example.label + "=:" + StrictBase64.encode(again) + ":" == Self.example.signature)
        // One byte of the base changed: the RFC's signature no longer verifies.
        var tampered = base.bytes
        tampered[tampered.count - 1] ^= 1
        #expect(!publicKey.isValidSignature(signature, for: tampered))
    }

    @Test("the derived components of the test request: RFC 9421 section 2.2's values")
    func derivedComponents() throws {
        let names = ["@method", "@target-uri", "@authority", "@scheme", "@path", "@query"]
        let list = StructuredInnerList(names.map { StructuredItem(.string($0)) })
        let base = try SignatureBase(request: request, covering: list)
        #expect(
            base.text.split(separator: "\n").dropLast().map(String.init) == [
                "\"@method\": POST", "\"@target-uri\": https://example.com/foo?param=Value&Pet=dog",
                "\"@authority\": example.com", "\"@scheme\": https", "\"@path\": /foo",
                "\"@query\": ?param=Value&Pet=dog",
            ])
    }
}

/// Lower-case hexadecimal for the tests.
enum Hex {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    static func decode(_ text: String) -> [UInt8] {
        let characters = Array(text.utf8)
        return stride(from: 0, to: characters.count, by: 2).map {
            UInt8(String(decoding: characters[$0..<$0 + 2], as: UTF8.self), radix: 16)!
        }
    }
}
