/// An inbox cursor: the server's order of arrival of the last entry a listing returned, never a
/// timestamp (Spec: [dlv-inbox-cursor]). Written `c-` and the sequence in decimal, without leading zeros.
public struct InboxCursor: Hashable, Sendable, CustomStringConvertible {
    /// The sequence the cursor ends with; 0 before the first entry.
    public let sequence: UInt64

    /// A cursor at `sequence`.
    public init(sequence: UInt64) { self.sequence = sequence }

    /// Parses the text form; `nil` for anything else.
    public init?(text: String) {
        guard text.hasPrefix("c-") else { return nil }
        let digits = text.dropFirst(2)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), digits.count <= 19,
            digits == "0" || !digits.hasPrefix("0"), let value = UInt64(digits)
        else { return nil }
        sequence = value
    }

    /// `c-SEQUENCE`.
    public var description: String { "c-\(sequence)" }
}
