import DialogueMessages
import Testing

@Suite("Addresses (identities.md#addr)")
struct AddressTests {
    static let canonical = [
        "alice@example.org",
        "a@b",
        "mail@localhost",
        "first.last+tag_x-y@sub-domain.example.co.uk",
        "0@0",
        "a-b_c+d.e@x1-y2.z3",
        "xn--bcher-kva@xn--bcher-kva.example",
    ]

    @Test("addr-wire-canonical: canonical addresses are accepted as they are", arguments: canonical)
    func acceptsCanonical(_ text: String) throws {
        let address = try Address(canonical: text)
        #expect(address.text == text)
        #expect(address.description == text)
        #expect(try Address(parsing: text) == address)
    }

    @Test("addr: the local part and the domain are split at the '@'")
    func parts() throws {
        let address = try Address(canonical: "first.last+tag@mail.example.org")
        #expect(address.localPart == "first.last+tag")
        #expect(address.domain == "mail.example.org")
    }

    @Test("addr-input: upper case is folded when parsing a person's input")
    func parsingFoldsCase() throws {
        #expect(try Address(parsing: "Alice@Example.ORG").text == "alice@example.org")
        #expect(try Address(parsing: "BOB+X@LOCALHOST").text == "bob+x@localhost")
    }

    @Test(
        "addr-wire-canonical: upper case is rejected, not normalized, in protocol bytes",
        arguments: ["Alice@example.org", "alice@Example.org", "ALICE@EXAMPLE.ORG", "alice@localhosT"]
    )
    func canonicalRejectsUpperCase(_ text: String) {
        #expect(throws: AddressError.self) { try Address(canonical: text) }
        do {
            _ = try Address(canonical: text)
        } catch {
            #expect(error.code == .notCanonical)
        }
    }

    /// Inputs that trigger each error code, through `Address(parsing:)` unless noted.
    static let invalid: [(String, AddressError.Code)] = [
        ("", .empty),
        ("alice.example.org", .missingOrExtraAt),
        ("alice@@example.org", .missingOrExtraAt),
        ("a@b@example.org", .missingOrExtraAt),
        ("alice smith@example.org", .invalidCharacter),
        (" alice@example.org", .invalidCharacter),
        ("alice@example.org\n", .invalidCharacter),
        ("alice@exa_mple.org", .invalidCharacter),
        ("alice@exa+mple.org", .invalidCharacter),
        ("al!ce@example.org", .invalidCharacter),
        ("\"alice\"@example.org", .invalidCharacter),
        ("alice@[192.0.2.1]", .invalidCharacter),
        ("alice\u{0}@example.org", .invalidCharacter),
        ("@example.org", .localPartLength),
        (String(repeating: "a", count: 65) + "@example.org", .localPartLength),
        (".alice@example.org", .misplacedDot),
        ("alice.@example.org", .misplacedDot),
        ("al..ice@example.org", .misplacedDot),
        ("alice@", .domainLength),
        ("alice@example..org", .domainLength),
        ("alice@.example.org", .domainLength),
        ("alice@example.org.", .domainLength),
        ("alice@" + String(repeating: "a", count: 64) + ".org", .domainLength),
        ("alice@-example.org", .misplacedHyphen),
        ("alice@example-.org", .misplacedHyphen),
        ("alice@example.-org", .misplacedHyphen),
    ]

    @Test("addr-input: each malformed address is rejected with the error that names the problem", arguments: invalid)
    func rejectsWithCode(_ text: String, _ code: AddressError.Code) {
        #expect(throws: AddressError.self) { try Address(parsing: text) }
        do {
            _ = try Address(parsing: text)
        } catch {
            #expect(error.code == code, "\(text.debugDescription): \(error)")
            #expect(!error.reason.isEmpty)
        }
        do {
            _ = try Address(canonical: text)
            Issue.record("\(text.debugDescription) was accepted as canonical")
        } catch {
            #expect(error.code == code)
        }
    }

    @Test("addr-input: every AddressError code is reachable")
    func everyCodeIsCovered() {
        var covered = Set(AddressTests.invalid.map(\.1))
        covered.insert(.notCanonical)  // canonicalRejectsUpperCase
        #expect(covered == Set(AddressError.Code.allCases))
    }

    static let lookAlikes = [
        "p\u{430}ypal@example.org",  // Cyrillic а
        "alice@ex\u{430}mple.org",
        "\u{FF41}lice@example.org",  // fullwidth ａ
        "alice@example.org\u{200B}",  // zero-width space
        "stra\u{DF}e@example.de",  // ß
        "al\u{130}ce@example.org",  // İ, whose lower case is ASCII i plus a combining dot
        "\u{212A}im@example.org",  // Kelvin sign, whose lower case is ASCII k
        "alice@example\u{3002}org",  // ideographic full stop
        "caf\u{E9}@example.org",
        "cafe\u{301}@example.org",
    ]

    @Test("addr: look-alike and other non-ASCII characters are rejected, never folded", arguments: lookAlikes)
    func rejectsNonASCII(_ text: String) {
        for parse in [{ try Address(parsing: $0) }, { try Address(canonical: $0) }] as [(String) throws -> Address] {
            do {
                let address = try parse(text)
                Issue.record("\(text.debugDescription) was accepted as \(address)")
            } catch let error as AddressError {
                #expect(error.code == .invalidCharacter)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test("addr: a local part of 64 characters is accepted, 65 is not")
    func localPartBoundary() throws {
        let local64 = String(repeating: "l", count: 64)
        #expect(try Address(canonical: local64 + "@example.org").localPart.count == 64)
        #expect(throws: AddressError(.localPartLength)) { try Address(canonical: local64 + "l@example.org") }
    }

    @Test("addr: a label of 63 characters is accepted, 64 is not")
    func labelBoundary() throws {
        let label63 = String(repeating: "d", count: 63)
        #expect(try Address(canonical: "a@\(label63).org").domain.count == 67)
        #expect(throws: AddressError(.domainLength)) { try Address(canonical: "a@\(label63)d.org") }
        #expect(throws: AddressError(.domainLength)) { try Address(canonical: "a@" + label63 + "d") }
    }

    @Test("addr: a domain of 253 characters is accepted, 254 is not")
    func domainBoundary() throws {
        let label63 = String(repeating: "x", count: 63)
        let domain253 = [label63, label63, label63, String(repeating: "y", count: 61)].joined(separator: ".")
        #expect(domain253.utf8.count == 253)
        #expect(try Address(canonical: "a@" + domain253).domain.count == 253)
        let domain254 = domain253 + "y"
        #expect(throws: AddressError(.domainLength)) { try Address(canonical: "a@" + domain254) }
    }

    @Test("addr: a single-label domain is accepted (mail@localhost)")
    func singleLabel() throws {
        let address = try Address(parsing: "mail@localhost")
        #expect(address.domain == "localhost")
        #expect(try Address(canonical: "root@intranet") == Address(canonical: "root@intranet"))
    }

    @Test("card-fields: addresses order by their bytes")
    func bytewiseOrder() throws {
        let texts = ["b@x", "a@y", "a-b@x", "a.b@x", "a+b@x", "a_b@x", "a0@x"]
        let sorted = try texts.map { try Address(canonical: $0) }.sorted().map(\.text)
        #expect(sorted == texts.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }
}

extension AddressError {
    /// An error with `code` and no reason, for comparisons (equality compares codes only).
    init(_ code: Code) {
        self = AddressTests.error(code)
    }
}

extension AddressTests {
    /// Produces a real `AddressError` of `code` (its initializer is internal to the module).
    static func error(_ code: AddressError.Code) -> AddressError {
        let trigger: String
        switch code {
        case .empty: trigger = ""
        case .missingOrExtraAt: trigger = "a"
        case .invalidCharacter: trigger = " @a"
        case .localPartLength: trigger = "@a"
        case .misplacedDot: trigger = ".a@a"
        case .domainLength: trigger = "a@"
        case .misplacedHyphen: trigger = "a@-a"
        case .notCanonical: trigger = "A@a"
        }
        do {
            _ = try Address(canonical: trigger)
        } catch {
            precondition(error.code == code)
            return error
        }
        preconditionFailure("\(trigger) was accepted")
    }
}
