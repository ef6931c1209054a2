import DialogueDelivery
import Testing

/// The strict RFC 8941 dictionary parser of the request fields (Spec: [dlv-request-verify] step 1).
@Suite struct StructuredFieldTests {
    let member =
        #"sig1=("@method" "@target-uri" "content-digest");created=1618884473;keyid="test-key";nonce="a\"b\\c""#

    func innerList(_ field: String) throws -> StructuredInnerList {
        guard case .innerList(let list) = try #require(try StructuredDictionary(parsing: field).members.first?.value)
        else { throw DeliveryError.malformed("not an inner list") }
        return list
    }

    @Test func parsesAndReSerializesAnInnerList() throws {
        let list = try innerList(member)
        #expect(list.items.map(\.value) == [.string("@method"), .string("@target-uri"), .string("content-digest")])
        #expect(list.parameters.keys == ["created", "keyid", "nonce"])
        #expect(list.parameters["created"] == .integer(1_618_884_473))
        #expect(list.parameters["nonce"] == .string(#"a"b\c"#))
        #expect("sig1=" + list.serialized == member)
    }

    /// Whitespace RFC 8941 allows inside the list and around the dictionary's commas parses to the same list.
    @Test func whitespaceVariantsGiveTheSameList() throws {
        let canonical = try innerList(member)
        for variant in [
            #"   sig1=(  "@method"   "@target-uri" "content-digest"  );created=1618884473;  keyid="test-key";nonce="a\"b\\c"   "#,
            #"sig1=("@method" "@target-uri" "content-digest");created=1618884473; keyid="test-key"; nonce="a\"b\\c""#,
        ] {
            #expect(try innerList(variant) == canonical)
        }
        let dictionary = try StructuredDictionary(parsing: "a=:AAAA:\t,  b=:AAE=: ,\tc=1")
        #expect(dictionary.members.map(\.key) == ["a", "b", "c"])
        #expect(dictionary["b"] == .item(StructuredItem(.byteSequence([0, 1]))))
    }

    /// Duplicates are refused, where RFC 8941 would keep the last (Spec: [dlv-request-verify] step 1).
    @Test func duplicateKeysAreMalformed() {
        for field in [
            "a=1, a=1", "a=1, b=2, a=3", #"a=("x");p=1;p=1"#, #"a=("x";p=1;p=2)"#, "a=:AAAA:;q=1;q=1",
        ] {
            #expect(throws: DeliveryError.malformed("")) { try StructuredDictionary(parsing: field) }
        }
    }

    @Test func outsideTheSubsetIsMalformed() {
        for field in [
            "a", "a=?1", "a=token", "a=1.5", "a=(x)", "a=1;p", "a=@12345", "A=1", "1a=1", "a=1,", "a=1,,b=2", "a=1 b=2",
            "a=(1", #"a=""#, #"a="\x""#, "a=\"\u{7f}\"", "a=:AAAA", "a=:AAB=:", "a=-", "a=1234567890123456",
            "a=\"é\"", "a=1;", "=1", "a=1 ;p=1", "\ta=1",
        ] {
            #expect(throws: DeliveryError.malformed(""), "\(field)") { try StructuredDictionary(parsing: field) }
        }
    }

    /// The limit is checked before parsing: 1,024 bytes are read, 1,025 are not, whatever they hold.
    @Test func theLimitComesBeforeParsing() throws {
        let exact = "a=(" + String(repeating: " ", count: 1_024 - 4) + ")"
        #expect(exact.utf8.count == 1_024)
        _ = try StructuredDictionary(parsing: exact)
        #expect(throws: DeliveryError(.limitsExceeded, "")) {
            try StructuredDictionary(parsing: "a=(" + String(repeating: " ", count: 1_024 - 3) + ")")
        }
        #expect(throws: DeliveryError(.limitsExceeded, "")) {
            try StructuredDictionary(parsing: String(repeating: "\u{0}", count: 1_025))
        }
        _ = try StructuredDictionary(parsing: "a=1" + String(repeating: " ", count: 5_000), maximumLength: 10_000)
    }

    @Test func integersAtTheirLimits() throws {
        let parsed = try StructuredDictionary(parsing: "a=999999999999999, b=-999999999999999, c=0, d=-0")
        #expect(parsed["a"] == .item(StructuredItem(.integer(999_999_999_999_999))))
        #expect(parsed["b"] == .item(StructuredItem(.integer(-999_999_999_999_999))))
        #expect(parsed["d"] == .item(StructuredItem(.integer(0))))
    }

    /// Every prefix of a valid field either parses (to something else) or fails cleanly.
    @Test func dripFeed() {
        let bytes = Array(member.utf8)
        for length in 0..<bytes.count {
            let prefix = String(decoding: bytes[..<length], as: UTF8.self)
            do {
                let parsed = try StructuredDictionary(parsing: prefix)
                #expect(parsed != (try? StructuredDictionary(parsing: member)))
            } catch {
                #expect(error.code == .malformed)
            }
        }
    }
}
