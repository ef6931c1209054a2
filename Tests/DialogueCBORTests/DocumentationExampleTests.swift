import DialogueCBOR
import Testing

/// The worked example of DialogueCBOR.docc, kept compiling and correct.
@Suite("Documentation example")
struct DocumentationExampleTests {
    @Test("the DocC worked example encodes, decodes and parses as documented")
    func workedExample() throws {
        // BEGIN EXAMPLE: DialogueCBOR
        struct Header: Equatable {
            var version: UInt8
            var recipients: [String]
            var subject: String?
        }

        // Entry order does not matter: the encoder sorts keys canonically.
        let value: CBORValue = [3: "Lunch?", 1: 1, 2: ["alice@example.org"]]
        let bytes = try CBOREncoder().encode(value)
        // a3 01 01 02 81 71 616c696365406578616d706c652e6f7267 03 66 4c756e63683f

        let node = try CBORDecoder().decode(bytes)
        let header = try node.withMapReader { map throws(CBORError) in
            Header(
                version: try map.required(1).integer(as: UInt8.self),
                recipients: try map.required(2).array().map { node throws(CBORError) in try node.textString() },
                subject: try map.optional(3)?.textString()
            )
        }
        // An unknown key, say 4, would have thrown CBORError with code .unknownKey.

        print(node.diagnosticDescription)
        // {1: 1, 2: ["alice@example.org"], 3: "Lunch?"}
        // END EXAMPLE: DialogueCBOR
        #expect(hexString(bytes) == "a3" + "0101" + "028171616c696365406578616d706c652e6f7267" + "03664c756e63683f")
        #expect(header == Header(version: 1, recipients: ["alice@example.org"], subject: "Lunch?"))
        #expect(node.diagnosticDescription == #"{1: 1, 2: ["alice@example.org"], 3: "Lunch?"}"#)

        let withUnknown = try CBORDecoder().decode(try CBOREncoder().encode([1: 1, 2: [], 4: 0]))
        #expect(throws: CBORError(.unknownKey)) {
            try withUnknown.withMapReader { map throws(CBORError) in
                _ = try map.required(1)
                _ = try map.required(2)
            }
        }
        do throws(CBORError) {
            _ = try CBORDecoder().decode([0xa2, 0x02, 0x00, 0x01, 0x00])
        } catch {
            #expect(
                error.description.hasPrefix(
                    "unsorted-map-keys: in the map at offset 0, the key at offset 3 sorts before"))
        }
    }
}
