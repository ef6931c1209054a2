public import Foundation

// The trust layer's errors say what went wrong through `localizedDescription` too, as
// `code: reason`, the text their `description` gives.

extension TrustStoreError: LocalizedError {
    /// `code: reason`.
    public var errorDescription: String? { description }
}

extension TrustDecisionError: LocalizedError {
    /// `code: reason`.
    public var errorDescription: String? { description }
}

extension VerificationPayload.ParseError: LocalizedError {
    /// `code: reason`.
    public var errorDescription: String? { description }
}
