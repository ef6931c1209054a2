/// An RFC 8941 item: a bare item and its parameters (Spec: delivery.md#dlv-request).
public struct StructuredItem: Hashable, Sendable, CustomStringConvertible {
    /// The value.
    public let value: StructuredBareItem
    /// Its parameters, in the order received.
    public let parameters: StructuredParameters

    /// Creates an item.
    public init(_ value: StructuredBareItem, parameters: StructuredParameters = StructuredParameters()) {
        self.value = value
        self.parameters = parameters
    }

    /// The RFC 8941 section 4.1.3 serialization: the bare item, then its parameters.
    public var serialized: String { value.serialized + parameters.serialized }

    /// The serialization.
    public var description: String { serialized }
}
