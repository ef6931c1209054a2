import DialogueCBOR
import Testing

@Suite("CBORNode")
struct NodeTests {
    static let document: CBORValue = [
        1: 7,
        2: .bytes([0xca, 0xfe]),
        3: "subject",
        4: [true, .null, -300],
        "x": ["y": 1],
    ]

    @Test("enc-verify-received: encodedBytes and byte strings are slices of the input, not copies")
    func zeroCopy() throws {
        let input = try CBOREncoder().encode(Self.document)
        let node = try CBORDecoder().decode(input)
        let payload = try #require(try node.mapValue(forKey: 2)).byteString()
        #expect(Array(payload) == [0xca, 0xfe])
        input.withUnsafeBufferPointer { inputBuffer in
            payload.withUnsafeBufferPointer { payloadBuffer in
                #expect(payloadBuffer.baseAddress == inputBuffer.baseAddress! + payload.startIndex)
            }
            node.encodedBytes.withUnsafeBufferPointer { encoded in
                #expect(encoded.baseAddress == inputBuffer.baseAddress)
                #expect(encoded.count == inputBuffer.count)
            }
        }
        // Children's encodings, concatenated after the head, are the parent's.
        var rebuilt: [UInt8] = [0xa5]
        for entry in try node.map() {
            rebuilt += entry.key.encodedBytes
            rebuilt += entry.value.encodedBytes
        }
        #expect(rebuilt == input)
    }

    @Test("decoding a slice keeps the slice's indices and counts offsets from its start")
    func sliceInput() throws {
        let storage: [UInt8] = [0xee, 0xee] + bytes("82 41ff 00 1c")
        let slice = storage[2..<6]
        let node = try CBORDecoder().decode(slice)
        let elements = try node.array()
        #expect(elements[0].offset == 1)
        #expect(try elements[0].byteString().startIndex == 4)
        #expect(try elements[0].byteString().first == 0xff)
        #expect(node.encodedBytes.startIndex == 2)
        do throws(CBORError) {
            _ = try CBORDecoder().decode(storage[2...])
            Issue.record("trailing 1c accepted")
        } catch {
            #expect(error.code == .trailingBytes && error.offset == 4)  // the 1c
        }
    }

    @Test("typed accessors return content and report unexpected types with the node's offset")
    func typedAccessors() throws {
        let node = try CBORDecoder().decode(try CBOREncoder().encode(Self.document))
        #expect(node.type == .map)
        #expect(node.depth == 1)
        #expect(try node.mapValue(forKey: 1)?.unsignedInteger() == 7)
        #expect(try node.mapValue(forKey: 1)?.integer() == 7)
        #expect(try node.mapValue(forKey: 3)?.textString() == "subject")
        #expect(try node.mapValue(forKey: 3).map { Array(try $0.textStringUTF8()) } == Array("subject".utf8))
        #expect(try node.mapValue(forKey: "x")?.mapValue(forKey: "y")?.depth == 3)
        #expect(try node.mapValue(forKey: 99) == nil)
        #expect(try node.mapValue(forKey: "y") == nil)
        let list = try #require(try node.mapValue(forKey: 4)).array()
        #expect(list.count == 3)
        #expect(try list[0].boolean() == true)
        #expect(list[1].isNull)
        #expect(try list[2].integer() == -300)
        #expect(node.value == Self.document)

        let text = try #require(try node.mapValue(forKey: 3))
        do throws(CBORError) {
            _ = try text.byteString()
            Issue.record("text accepted as bytes")
        } catch {
            #expect(error.code == .unexpectedType)
            #expect(error.offset == text.offset)
            #expect(error.reason.contains("byte string") && error.reason.contains("text string"))
        }
        #expect(throws: CBORError(.unexpectedType)) { try text.unsignedInteger() }
        #expect(throws: CBORError(.unexpectedType)) { try text.integer() }
        #expect(throws: CBORError(.unexpectedType)) { try text.boolean() }
        #expect(throws: CBORError(.unexpectedType)) { try text.array() }
        #expect(throws: CBORError(.unexpectedType)) { try text.map() }
        #expect(throws: CBORError(.unexpectedType)) { try text.mapValue(forKey: 1) }
        #expect(throws: CBORError(.unexpectedType)) { try list[2].unsignedInteger() }
        #expect(throws: CBORError(.unexpectedType)) { try node.textString() }
    }

    @Test("integer(as:) converts exactly or reports value-out-of-range")
    func integerConversions() throws {
        func node(_ hex: String) throws -> CBORNode { try CBORDecoder().decode(bytes(hex)) }
        #expect(try node("18ff").integer(as: UInt8.self) == 255)
        #expect(throws: CBORError(.valueOutOfRange)) { try node("190100").integer(as: UInt8.self) }
        #expect(try node("387f").integer(as: Int8.self) == -128)
        #expect(throws: CBORError(.valueOutOfRange)) { try node("3880").integer(as: Int8.self) }
        #expect(throws: CBORError(.valueOutOfRange)) { try node("20").integer(as: UInt64.self) }
        #expect(try node("3b7fffffffffffffff").integer() == .min)
        #expect(throws: CBORError(.valueOutOfRange)) { try node("3b8000000000000000").integer() }
        #expect(throws: CBORError(.valueOutOfRange)) { try node("1b8000000000000000").integer() }
        #expect(try node("1bffffffffffffffff").unsignedInteger() == .max)
        #expect(try node("3bffffffffffffffff").value == .negative(.max))
        #expect(try node("3bffffffffffffffff").diagnosticDescription == "-18446744073709551616")
    }

    @Test("a map reader finds required and optional keys and reports missing and unknown keys")
    func mapReader() throws {
        let node = try CBORDecoder().decode(try CBOREncoder().encode(Self.document))
        let (version, subject, absent) = try node.withMapReader { map throws(CBORError) in
            let version = try map.required(1).integer(as: UInt8.self)
            let subject = try map.optional(3)?.textString()
            let absent = map.optional(9)
            _ = try map.required(2).byteString()
            _ = try map.required(4).array()
            _ = try map.required("x").map()
            return (version, subject, absent)
        }
        #expect(version == 7 && subject == "subject" && absent == nil)

        var reader = try CBORMapReader(node)
        #expect(throws: CBORError(.missingKey)) { try reader.required(5) }
        #expect(throws: CBORError(.missingKey)) { try reader.required("y") }
        _ = try reader.required(1)
        _ = try reader.required(2)
        #expect(reader.unreadEntries.count == 3)
        do throws(CBORError) {
            try reader.finish()
            Issue.record("unknown keys not reported")
        } catch {
            #expect(error.code == .unknownKey)
            #expect(error.offset == reader.unreadEntries[0].key.offset)
            #expect(error.reason.contains("unknown key 3"))
        }
        #expect(throws: CBORError(.unknownKey)) {
            try node.withMapReader { map throws(CBORError) in _ = map.optional(1) }
        }
        #expect(throws: CBORError(.unexpectedType)) { try CBORMapReader(try CBORDecoder().decode([0x80])) }
    }

    @Test("nodes are equal exactly when their encodings are")
    func nodeEquality() throws {
        let a = try CBORDecoder().decode(bytes("820101"))
        let elements = try a.array()
        #expect(elements[0] == elements[1])
        #expect(elements[0].offset != elements[1].offset)
        #expect(Set(elements).count == 1)
        #expect(a != elements[0])
        #expect(a.description == "[1, 1]")
    }

    @Test("errors carry a stable code name, a reason and an offset, and compare by code")
    func errorShape() {
        do throws(CBORError) {
            _ = try CBORDecoder().decode(bytes("83 01 1801 02"))
        } catch {
            #expect(error.code.name == "non-shortest-form")
            #expect(error.offset == 2)
            #expect(error.description.hasPrefix("non-shortest-form: "))
            #expect(error.reason.contains("offset 2"))
            #expect(error == CBORError(.nonShortestForm, reason: "other", offset: 99))
        }
        let names = CBORError.Code.allCases.map(\.name)
        #expect(
            names == [
                "truncated", "trailing-bytes", "non-shortest-form", "indefinite-length", "unsorted-map-keys",
                "duplicate-map-key", "invalid-map-key", "invalid-utf8", "too-deep", "too-large", "type-not-allowed",
                "not-well-formed", "unexpected-type", "missing-key", "unknown-key", "value-out-of-range",
                "invalid-diagnostic",
            ]
        )
        for code in CBORError.Code.allCases {
            #expect(CBORError.Code(name: code.name) == code)
        }
        #expect(CBORError.Code(name: "nope") == nil)
    }
}
