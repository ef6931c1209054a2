/// The parameters of an RFC 8941 item or inner list, in the order received, keys distinct
/// (Spec: delivery.md#dlv-request-verify, step 1).
///
/// RFC 8941 lets a later parameter overwrite an earlier one with the same key; Dialogue's parser
/// rejects the duplicate instead, so that two implementations never read different values out of
/// one field.
public struct StructuredParameters: Hashable, Sendable {
    /// One parameter.
    public struct Parameter: Hashable, Sendable {
        /// The key: a lower-case letter or `*`, then lower-case letters, digits, `_`, `-`, `.`, `*`.
        public let key: String
        /// The value.
        public let value: StructuredBareItem

        /// Creates a parameter; `key` must follow RFC 8941's key syntax.
        public init(_ key: String, _ value: StructuredBareItem) {
            precondition(StructuredParameters.isKey(key), "'\(key)' is not an RFC 8941 key")
            self.key = key
            self.value = value
        }
    }

    /// The parameters, in order.
    public private(set) var parameters: [Parameter]

    /// No parameters.
    public init() { parameters = [] }

    /// These parameters, in this order; the keys must be distinct.
    public init(_ parameters: [Parameter]) {
        precondition(Set(parameters.map(\.key)).count == parameters.count, "duplicate parameter keys")
        self.parameters = parameters
    }

    /// Whether there are no parameters.
    public var isEmpty: Bool { parameters.isEmpty }

    /// The keys, in order.
    public var keys: [String] { parameters.map(\.key) }

    /// The value of `key`, or `nil`.
    public subscript(key: String) -> StructuredBareItem? { parameters.first { $0.key == key }?.value }

    /// Appends a parameter, or returns `false` when its key is already present.
    mutating func appendIfNew(_ parameter: Parameter) -> Bool {
        guard self[parameter.key] == nil else { return false }
        parameters.append(parameter)
        return true
    }

    /// The RFC 8941 section 4.1.1.2 serialization: `;key=value` for each, in order.
    public var serialized: String { parameters.map { ";" + $0.key + "=" + $0.value.serialized }.joined() }

    /// Whether `text` follows RFC 8941's key syntax.
    static func isKey(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, isLowercaseLetter(first) || first == 0x2a else { return false }
        return bytes.dropFirst().allSatisfy(isKeyCharacter)
    }

    static func isLowercaseLetter(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7a }

    static func isKeyCharacter(_ byte: UInt8) -> Bool {
        isLowercaseLetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5f || byte == 0x2d || byte == 0x2e
            || byte == 0x2a
    }
}
