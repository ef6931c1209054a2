/// An error thrown by the ``DialogueCBOR`` module.
///
/// An error has a ``code`` that says which rule was broken, a human-readable
/// ``reason`` that names what was wrong and where, and the ``offset`` in the
/// input at which the problem was found.
///
/// Errors compare equal when their codes are equal; the reason and the offset
/// are ignored. This makes it easy to test for a specific kind of failure:
///
/// ```swift
/// #expect(throws: CBORError(.truncated)) { try CBORDecoder().decode([0x18]) }
/// ```
///
/// Decoders report the first violation found when reading the input from its
/// first byte to its last, in the order that `Spec/encoding.md` fixes
/// (**[enc-error-order]**), so every conforming implementation reports the
/// same code for the same input.
public struct CBORError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which rule was broken.
    public let code: Code

    /// A human-readable explanation that names what was wrong and where.
    public let reason: String

    /// The byte offset at which the problem was found.
    ///
    /// For the decoder this is an offset into the input (0 is its first byte).
    /// For the diagnostic-notation parser it is an offset into the UTF-8
    /// encoding of the text. For the encoder it is the position in the output
    /// being written. For the schema-level codes it is the offset of the
    /// offending node in the decoded input.
    public let offset: Int

    /// Creates an error.
    ///
    /// Later modules use this to report schema-level problems such as
    /// ``Code/unknownKey`` with a reason of their own.
    ///
    /// - Parameters:
    ///   - code: Which rule was broken.
    ///   - reason: What was wrong and where.
    ///   - offset: The byte offset at which the problem was found.
    public init(_ code: Code, reason: String = "", offset: Int = 0) {
        self.code = code
        self.reason = reason
        self.offset = offset
    }

    /// The code and the reason, as `code: reason`, for example
    /// `truncated: byte string at offset 0 declares 5 content bytes, but 2 remain`.
    public var description: String {
        self.reason.isEmpty ? self.code.name : "\(self.code.name): \(self.reason)"
    }

    /// Compares the codes of two errors; the reasons and offsets are ignored.
    public static func == (lhs: CBORError, rhs: CBORError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code only, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}

extension CBORError {
    /// The kind of an error: which rule of `Spec/encoding.md` was broken.
    ///
    /// Every code has a stable lower-case ``name`` (`"trailing-bytes"`) that
    /// tools print and conformance vectors use. New codes may be added;
    /// existing names never change.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable lower-case name of the code, for example `"non-shortest-form"`.
        public let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// Looks up a code by its stable name; `nil` if no code has that name.
        public init?(name: String) {
            guard let code = Code.allCases.first(where: { $0.name == name }) else {
                return nil
            }
            self = code
        }

        /// The ``name`` of the code.
        public var description: String { self.name }

        // MARK: Decoding (well-formedness and the deterministic subset)

        /// The input ends before the data item it started is complete: a head
        /// is cut short, a string declares more content bytes than remain, or
        /// an array or map declares more elements than could fit in the rest
        /// of the input (**[enc-truncated]**).
        public static let truncated = Code("truncated")

        /// Bytes follow the single top-level data item (**[enc-one-item]**).
        public static let trailingBytes = Code("trailing-bytes")

        /// An integer, a length or a count is not written in its shortest form
        /// (**[enc-shortest]**).
        public static let nonShortestForm = Code("non-shortest-form")

        /// A string, array or map uses an indefinite length, or a "break" stop
        /// code (`0xff`) appears (**[enc-definite]**).
        public static let indefiniteLength = Code("indefinite-length")

        /// The keys of a map are not in strictly increasing bytewise
        /// lexicographic order of their encodings (**[enc-map-order]**).
        public static let unsortedMapKeys = Code("unsorted-map-keys")

        /// A map contains the same key twice (**[enc-map-order]**).
        public static let duplicateMapKey = Code("duplicate-map-key")

        /// A map key is neither an integer nor a text string (**[enc-map-keys]**).
        public static let invalidMapKey = Code("invalid-map-key")

        /// A text string is not valid UTF-8 (**[enc-utf8]**).
        public static let invalidUTF8 = Code("invalid-utf8")

        /// A data item is nested deeper than the depth limit (**[enc-limits]**).
        public static let tooDeep = Code("too-deep")

        /// The input is larger than the size limit, or holds more data items
        /// than the item limit (**[enc-limits]**).
        public static let tooLarge = Code("too-large")

        /// A well-formed data item whose type Dialogue does not allow: a
        /// floating-point number, a tag, `undefined` or another simple value
        /// (**[enc-types]**).
        public static let typeNotAllowed = Code("type-not-allowed")

        /// The input is not well-formed CBOR at all (RFC 8949 section 3): a
        /// reserved additional information value (28 to 30), an indefinite
        /// length on an integer or tag, or a simple value below 32 written in
        /// the two-byte form (**[enc-well-formed]**).
        public static let notWellFormed = Code("not-well-formed")

        // MARK: Schema level

        /// A node has a different type from the one the caller expected.
        public static let unexpectedType = Code("unexpected-type")

        /// A map lacks a key that the caller requires.
        public static let missingKey = Code("missing-key")

        /// A map has a key that the caller does not know.
        public static let unknownKey = Code("unknown-key")

        /// A value has the expected type but is outside the range the caller
        /// accepts, for example an integer that does not fit in `UInt8`.
        public static let valueOutOfRange = Code("value-out-of-range")

        // MARK: Diagnostic notation

        /// A text in diagnostic notation could not be parsed.
        public static let invalidDiagnostic = Code("invalid-diagnostic")

        /// Every code, in the order of the table in `Spec/encoding.md`.
        public static let allCases: [Code] = [
            .truncated, .trailingBytes, .nonShortestForm, .indefiniteLength,
            .unsortedMapKeys, .duplicateMapKey, .invalidMapKey, .invalidUTF8,
            .tooDeep, .tooLarge, .typeNotAllowed, .notWellFormed,
            .unexpectedType, .missingKey, .unknownKey, .valueOutOfRange,
            .invalidDiagnostic,
        ]
    }
}
