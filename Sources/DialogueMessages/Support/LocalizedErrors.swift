public import DialogueCBOR
public import DialogueCrypto
public import DialogueIdentifiers
public import Foundation

// Every error of the library says what went wrong through `localizedDescription` too, as
// `code: reason`, the text its `description` gives.
//
// DialogueCBOR, DialogueCrypto and DialogueIdentifiers do not import Foundation (the CBOR codec
// promises not to), so their errors get `LocalizedError` here, in the first layer that imports
// it: an application that reaches their errors through this module sees the reason, not
// "The operation could not be completed".

extension MessageError: LocalizedError {
    /// `code: reason`.
    public var errorDescription: String? { description }
}

extension AddressError: LocalizedError {
    /// `code: reason`.
    public var errorDescription: String? { description }
}

extension StorageError: LocalizedError {
    /// `code: reason`.
    public var errorDescription: String? { description }
}

extension CBORError: LocalizedError {
    /// `code: reason`.
    public var errorDescription: String? { description }
}

extension CryptoError: LocalizedError {
    /// `code: reason`.
    public var errorDescription: String? { description }
}

extension IdentifierError: LocalizedError {
    /// `code: reason`.
    public var errorDescription: String? { description }
}
