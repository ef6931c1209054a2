/// An RFC 8941 dictionary, parsed strictly, in the subset of the request profile
/// (Spec: delivery.md#dlv-request-verify, step 1).
///
/// The three header fields of a signed request are dictionaries: `Signature-Input` (members are
/// inner lists), `Signature` and `Content-Digest` (members are byte sequences). Strict means:
///
/// - a field longer than the limit is `limits-exceeded`, before any parsing;
/// - a key that appears twice, among the members or among one item's parameters, is
///   `malformed` (RFC 8941 keeps the last one; Dialogue refuses, so that implementations agree);
/// - byte sequences are canonical padded base64 (``StrictBase64``);
/// - items outside ``StructuredBareItem``'s subset (tokens, decimals, booleans, bare keys) are
///   `malformed`;
/// - anything else RFC 8941 section 4.2 fails on is `malformed`.
public struct StructuredDictionary: Hashable, Sendable {
    /// A member's value: an item or an inner list.
    public enum Value: Hashable, Sendable {
        /// An item with its parameters.
        case item(StructuredItem)
        /// An inner list with its parameters.
        case innerList(StructuredInnerList)
    }

    /// One member.
    public struct Member: Hashable, Sendable {
        /// The key, for signatures the label.
        public let key: String
        /// The value.
        public let value: Value
    }

    /// The members, in the order received, keys distinct.
    public let members: [Member]

    /// The longest field the parser reads unless told otherwise: 1,024 bytes, the limit of each
    /// request-signature field (Spec: [dlv-request-verify] step 1).
    public static let defaultMaximumLength = 1_024

    /// Parses a field value.
    ///
    /// - Throws: ``DeliveryError`` `limits-exceeded` for a value longer than `maximumLength`
    ///   bytes (checked before parsing), `malformed` for anything the strict parser refuses.
    public init(parsing field: String, maximumLength: Int = StructuredDictionary.defaultMaximumLength)
        throws(DeliveryError)
    {
        let bytes = Array(field.utf8)
        guard bytes.count <= maximumLength else {
            throw DeliveryError(
                .limitsExceeded, "a structured field of \(bytes.count) bytes; at most \(maximumLength) are read")
        }
        var parser = StructuredFieldParser(bytes)
        members = try parser.dictionary()
    }

    /// The value of the member `key`, or `nil`.
    public subscript(key: String) -> Value? { members.first { $0.key == key }?.value }
}
