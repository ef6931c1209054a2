import DialogueCBOR
import Foundation
import Testing

/// RFC 8949 Appendix A, from TestVectors/external/cbor/appendix_a.json.
///
/// Every entry is pinned by an explicit expectation written by hand from the
/// spec (never derived from the decoder): either accepted with its exact
/// value, in which case re-encoding must reproduce the input byte for byte,
/// or rejected with a specific error code at a specific offset.
@Suite("RFC 8949 Appendix A")
struct AppendixATests {
    enum Expectation {
        case accept(CBORValue)
        case reject(CBORError.Code, offset: Int)
    }

    static let tag = Expectation.reject(.typeNotAllowed, offset: 0)
    static let float = Expectation.reject(.typeNotAllowed, offset: 0)

    /// Keyed by the entry's hex.
    static let expectations: [String: Expectation] = [
        // Unsigned integers: all accepted [enc-types], all shortest [enc-shortest].
        "00": .accept(0),
        "01": .accept(1),
        "0a": .accept(10),
        "17": .accept(23),
        "1818": .accept(24),
        "1819": .accept(25),
        "1864": .accept(100),
        "1903e8": .accept(1000),
        "1a000f4240": .accept(1_000_000),
        "1b000000e8d4a51000": .accept(1_000_000_000_000),
        "1bffffffffffffffff": .accept(.unsigned(UInt64.max)),
        // Bignums are tags 2 and 3 [enc-types].
        "c249010000000000000000": tag,
        "3bffffffffffffffff": .accept(.negative(UInt64.max)),  // -2^64
        "c349010000000000000000": tag,
        "20": .accept(-1),
        "29": .accept(-10),
        "3863": .accept(-100),
        "3903e7": .accept(-1000),
        // Floats of every width [enc-types].
        "f90000": float,
        "f98000": float,
        "f93c00": float,
        "fb3ff199999999999a": float,
        "f93e00": float,
        "f97bff": float,
        "fa47c35000": float,
        "fa7f7fffff": float,
        "fb7e37e43c8800759c": float,
        "f90001": float,
        "f90400": float,
        "f9c400": float,
        "fbc010666666666666": float,
        "f97c00": float,
        "f97e00": float,
        "f9fc00": float,
        "fa7f800000": float,
        "fa7fc00000": float,
        "faff800000": float,
        "fb7ff0000000000000": float,
        "fb7ff8000000000000": float,
        "fbfff0000000000000": float,
        // Simple values: only false, true, null [enc-types].
        "f4": .accept(false),
        "f5": .accept(true),
        "f6": .accept(.null),
        "f7": .reject(.typeNotAllowed, offset: 0),  // undefined
        "f0": .reject(.typeNotAllowed, offset: 0),  // simple(16)
        "f818": .reject(.notWellFormed, offset: 0),  // simple(24) in two bytes: not well-formed [enc-well-formed]
        "f8ff": .reject(.typeNotAllowed, offset: 0),  // simple(255)
        // Tags [enc-types].
        "c074323031332d30332d32315432303a30343a30305a": tag,
        "c11a514b67b0": tag,
        "c1fb41d452d9ec200000": tag,
        "d74401020304": tag,
        "d818456449455446": tag,
        "d82076687474703a2f2f7777772e6578616d706c652e636f6d": tag,
        // Strings.
        "40": .accept(.bytes([])),
        "4401020304": .accept(.bytes([1, 2, 3, 4])),
        "60": .accept(""),
        "6161": .accept("a"),
        "6449455446": .accept("IETF"),
        "62225c": .accept("\"\\"),
        "62c3bc": .accept("\u{fc}"),
        "63e6b0b4": .accept("\u{6c34}"),
        "64f0908591": .accept("\u{10151}"),
        // Arrays and maps.
        "80": .accept([]),
        "83010203": .accept([1, 2, 3]),
        "8301820203820405": .accept([1, [2, 3], [4, 5]]),
        "98190102030405060708090a0b0c0d0e0f101112131415161718181819": .accept(.array((1...25).map { .integer($0) })),
        "a0": .accept([:]),
        "a201020304": .accept([1: 2, 3: 4]),
        "a26161016162820203": .accept(["a": 1, "b": [2, 3]]),
        "826161a161626163": .accept(["a", ["b": "c"]]),
        "a56161614161626142616361436164614461656145": .accept(["a": "A", "b": "B", "c": "C", "d": "D", "e": "E"]),
        // Indefinite lengths [enc-definite]; the offset is that of the first
        // indefinite-length head.
        "5f42010243030405ff": .reject(.indefiniteLength, offset: 0),
        "7f657374726561646d696e67ff": .reject(.indefiniteLength, offset: 0),
        "9fff": .reject(.indefiniteLength, offset: 0),
        "9f018202039f0405ffff": .reject(.indefiniteLength, offset: 0),
        "9f01820203820405ff": .reject(.indefiniteLength, offset: 0),
        "83018202039f0405ff": .reject(.indefiniteLength, offset: 5),
        "83019f0203ff820405": .reject(.indefiniteLength, offset: 2),
        "9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff": .reject(.indefiniteLength, offset: 0),
        "bf61610161629f0203ffff": .reject(.indefiniteLength, offset: 0),
        "826161bf61626163ff": .reject(.indefiniteLength, offset: 3),
        "bf6346756ef563416d7421ff": .reject(.indefiniteLength, offset: 0),
    ]

    struct Entry: Decodable {
        let hex: String
    }

    static func loadEntries() throws -> [Entry] {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("TestVectors/external/cbor/appendix_a.json")
        return try JSONDecoder().decode([Entry].self, from: Data(contentsOf: url))
    }

    @Test("every Appendix A entry has exactly one pinned expectation")
    func everyEntryIsPinned() throws {
        let entries = try Self.loadEntries()
        #expect(entries.count == 82)
        #expect(Set(entries.map(\.hex)).count == entries.count)
        #expect(Self.expectations.count == entries.count)
        for entry in entries {
            #expect(Self.expectations[entry.hex] != nil, "no expectation for \(entry.hex)")
        }
        let accepted = Self.expectations.values.filter { if case .accept = $0 { true } else { false } }
        #expect(accepted.count == 37)  // and 45 rejected
    }

    @Test(
        "enc-types, enc-definite, enc-well-formed: each Appendix A entry is accepted canonically or rejected with its code",
        arguments: try loadEntries().map(\.hex)
    )
    func entry(_ hex: String) throws {
        let input = bytes(hex)
        let expectation = try #require(Self.expectations[hex])
        switch expectation {
        case .accept(let value):
            let node = try CBORDecoder().decode(input)
            #expect(node.value == value)
            #expect(Array(node.encodedBytes) == input)
            // The canonical property: the value re-encodes to the very input.
            #expect(try CBOREncoder().encode(value) == input)
            #expect(try CBOREncoder().encode(node.value) == input)
        case .reject(let code, let offset):
            do throws(CBORError) {
                let node = try CBORDecoder().decode(input)
                Issue.record("\(hex) was accepted as \(node)")
            } catch {
                #expect(error.code == code, "\(hex): \(error)")
                #expect(error.offset == offset, "\(hex): \(error)")
            }
        }
    }
}
