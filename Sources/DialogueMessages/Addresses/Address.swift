/// A Dialogue address, `local@domain`, always held in canonical form (Spec: identities.md#addr).
///
/// ```swift
/// let typed = try Address(parsing: "Alice@Example.ORG")   // person's input: case folded
/// let wire = try Address(canonical: "alice@example.org")  // protocol bytes: must already be canonical
/// ```
public struct Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The canonical text: lower-case ASCII.
    public let text: String

    /// Parses an address typed by a person: ASCII upper case is folded to lower case, and
    /// everything else that is not canonical is rejected (Spec: [addr-input]).
    public init(parsing input: String) throws(AddressError) {
        let folded = input.utf8.map { $0 >= 0x41 && $0 <= 0x5a ? $0 | 0x20 : $0 }
        try Address.validate(folded)
        text = String(decoding: folded, as: UTF8.self)
    }

    /// Accepts an address found in protocol bytes, which must already be canonical
    /// (Spec: [addr-wire-canonical]).
    public init(canonical input: String) throws(AddressError) {
        var input = input
        let failure: AddressError? = input.withUTF8 { (bytes) -> AddressError? in
            if bytes.contains(where: { $0 >= 0x41 && $0 <= 0x5a }) {
                return AddressError(
                    .notCanonical, "'\(String(decoding: bytes, as: UTF8.self))' contains upper-case letters")
            }
            do throws(AddressError) {
                try Address.validate(bytes)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
        text = input
    }

    /// The part before the `@`.
    public var localPart: Substring { text[..<text.firstIndex(of: "@")!] }

    /// The part after the `@`.
    public var domain: Substring { text[text.index(after: text.firstIndex(of: "@")!)...] }

    /// The canonical text.
    public var description: String { text }

    /// Orders addresses by their bytes, as cards list them.
    public static func < (lhs: Address, rhs: Address) -> Bool {
        lhs.text.utf8.lexicographicallyPrecedes(rhs.text.utf8)
    }

    private static func isLocalCharacter(_ byte: UInt8) -> Bool {
        isLetterOrDigit(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "+")
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func validate(_ bytes: [UInt8]) throws(AddressError) {
        try bytes.withUnsafeBufferPointer { (buffer) throws(AddressError) in try validate(buffer) }
    }

    /// Cards and manifests carry up to thousands of addresses: valid ones are accepted in one
    /// pass without allocating, and finding the first error, in the order the spec gives, is left
    /// to the rule-by-rule checks.
    private static func validate(_ bytes: UnsafeBufferPointer<UInt8>) throws(AddressError) {
        if isValidInOnePass(bytes) { return }
        try explainInvalid(bytes)
    }

    /// Whether `bytes` is a canonical address, in one pass: the same rules as
    /// ``explainInvalid(_:)``, which a test holds it to.
    static func isValidInOnePass(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        guard count >= 3 else { return false }
        var at = -1
        var labelStart = 0
        var previous: UInt8 = 0
        for offset in 0..<count {
            let byte = bytes[offset]
            if at < 0 {
                if byte == UInt8(ascii: "@") {
                    // The local part: 1 to 64 bytes, not ending with a dot.
                    guard offset >= 1, offset <= 64, previous != UInt8(ascii: ".") else { return false }
                    at = offset
                    labelStart = offset + 1
                } else if byte == UInt8(ascii: ".") {
                    guard offset > 0, previous != UInt8(ascii: ".") else { return false }
                } else {
                    guard isLocalCharacter(byte) else { return false }
                }
            } else if byte == UInt8(ascii: ".") {
                // The end of a domain label: 1 to 63 bytes, not ending with a hyphen.
                guard offset - labelStart >= 1, offset - labelStart <= 63, previous != UInt8(ascii: "-") else {
                    return false
                }
                labelStart = offset + 1
            } else if byte == UInt8(ascii: "-") {
                guard offset != labelStart else { return false }
            } else {
                guard isLetterOrDigit(byte) else { return false }
            }
            previous = byte
        }
        // The last label, and the domain's length.
        return at >= 0 && count - labelStart >= 1 && count - labelStart <= 63 && previous != UInt8(ascii: "-")
            && count - at - 1 <= 253
    }

    /// Throws the first rule `bytes` breaks, in the order of the spec's rules.
    static func explainInvalid(_ bytes: UnsafeBufferPointer<UInt8>) throws(AddressError) {
        guard !bytes.isEmpty else { throw AddressError(.empty, "an address cannot be empty") }
        var at = -1
        var atCount = 0
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "@") {
            atCount += 1
            at = offset
        }
        guard atCount == 1 else {
            throw AddressError(.missingOrExtraAt, "an address has exactly one '@', found \(atCount)")
        }
        for (offset, byte) in bytes.enumerated() where offset != at {
            let allowed =
                offset < at
                ? isLocalCharacter(byte)
                : (isLetterOrDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "."))
            guard allowed else {
                let shown =
                    byte >= 0x21 && byte < 0x7f ? "'\(UnicodeScalar(byte))'" : "byte 0x\(String(byte, radix: 16))"
                throw AddressError(.invalidCharacter, "\(shown) at position \(offset) is not allowed in an address")
            }
        }
        let localCount = at
        guard (1...64).contains(localCount) else {
            throw AddressError(.localPartLength, "the local part has \(localCount) characters; 1 to 64 are allowed")
        }
        let dot = UInt8(ascii: ".")
        var previousWasDot = false
        for offset in 0..<at {
            let isDot = bytes[offset] == dot
            if isDot && (offset == 0 || offset == at - 1 || previousWasDot) {
                throw AddressError(.misplacedDot, "the local part cannot start or end with '.' or contain '..'")
            }
            previousWasDot = isDot
        }
        let domainStart = at + 1
        let domainCount = bytes.count - domainStart
        guard (1...253).contains(domainCount) else {
            throw AddressError(.domainLength, "the domain has \(domainCount) characters; 1 to 253 are allowed")
        }
        var labelStart = domainStart
        for offset in domainStart...bytes.count {
            guard offset == bytes.count || bytes[offset] == dot else { continue }
            let labelCount = offset - labelStart
            guard (1...63).contains(labelCount) else {
                throw AddressError(.domainLength, "a domain label has \(labelCount) characters; 1 to 63 are allowed")
            }
            if bytes[labelStart] == UInt8(ascii: "-") || bytes[offset - 1] == UInt8(ascii: "-") {
                throw AddressError(.misplacedHyphen, "a domain label cannot start or end with '-'")
            }
            labelStart = offset + 1
        }
    }
}
