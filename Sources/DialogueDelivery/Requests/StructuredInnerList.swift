/// An RFC 8941 inner list: items in parentheses, then the list's parameters. A
/// `Signature-Input` member is one: the covered components and the signature parameters
/// (Spec: delivery.md#dlv-request).
public struct StructuredInnerList: Hashable, Sendable, CustomStringConvertible {
    /// The items, in order.
    public let items: [StructuredItem]
    /// The list's parameters, in the order received.
    public let parameters: StructuredParameters

    /// Creates an inner list.
    public init(_ items: [StructuredItem], parameters: StructuredParameters = StructuredParameters()) {
        self.items = items
        self.parameters = parameters
    }

    /// The RFC 8941 section 4.1.1.1 serialization: `(` the items separated by one space `)`, then
    /// the parameters. This is the value of `@signature-params` in a signature base, whatever
    /// whitespace the received field had inside the parentheses.
    public var serialized: String {
        "(" + items.map(\.serialized).joined(separator: " ") + ")" + parameters.serialized
    }

    /// The serialization.
    public var description: String { serialized }
}
