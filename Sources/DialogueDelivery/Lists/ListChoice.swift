/// An enumerated field of a list object, with the name the conformance operations give it.
public protocol ListChoice: CaseIterable, Sendable {
    /// The value's name, for example `encrypted` or `key-rolled`.
    var name: String { get }
}

extension ListChoice {
    /// The value with this name, or `nil`.
    public init?(name: String) {
        guard let value = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = value
    }
}
