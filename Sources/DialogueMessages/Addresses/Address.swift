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
        let bytes = Array(input.utf8)
        if bytes.contains(where: { $0 >= 0x41 && $0 <= 0x5a }) {
            throw AddressError(.notCanonical, "'\(input)' contains upper-case letters")
        }
        try Address.validate(bytes)
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
        guard !bytes.isEmpty else { throw AddressError(.empty, "an address cannot be empty") }
        let ats = bytes.indices.filter { bytes[$0] == UInt8(ascii: "@") }
        guard ats.count == 1, let at = ats.first else {
            throw AddressError(.missingOrExtraAt, "an address has exactly one '@', found \(ats.count)")
        }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
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
        guard (1...64).contains(local.count) else {
            throw AddressError(.localPartLength, "the local part has \(local.count) characters; 1 to 64 are allowed")
        }
        if local.first == UInt8(ascii: ".") || local.last == UInt8(ascii: ".")
            || zip(local, local.dropFirst()).contains(where: { $0 == UInt8(ascii: ".") && $1 == UInt8(ascii: ".") })
        {
            throw AddressError(.misplacedDot, "the local part cannot start or end with '.' or contain '..'")
        }
        guard (1...253).contains(domain.count) else {
            throw AddressError(.domainLength, "the domain has \(domain.count) characters; 1 to 253 are allowed")
        }
        for label in domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard (1...63).contains(label.count) else {
                throw AddressError(.domainLength, "a domain label has \(label.count) characters; 1 to 63 are allowed")
            }
            if label.first == UInt8(ascii: "-") || label.last == UInt8(ascii: "-") {
                throw AddressError(.misplacedHyphen, "a domain label cannot start or end with '-'")
            }
        }
    }
}
