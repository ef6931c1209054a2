public import Foundation

// The conformance tools' errors say what went wrong through `localizedDescription` too: the
// text their `description` gives.

extension AdapterFailure: LocalizedError {
    /// The description.
    public var errorDescription: String? { description }
}

extension JSONParseError: LocalizedError {
    /// The description.
    public var errorDescription: String? { description }
}

extension VectorFileError: LocalizedError {
    /// The description.
    public var errorDescription: String? { description }
}
