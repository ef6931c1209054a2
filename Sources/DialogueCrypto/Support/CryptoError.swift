/// An error thrown by ``DialogueCrypto``.
///
/// The error carries a ``code`` that says what went wrong, a human-readable ``reason`` and the
/// source location that threw it. Check the ``code``; the other fields are for people.
///
/// `CryptoError` is `Equatable` and `Hashable` by ``code`` only, so a test can compare a thrown
/// error with `CryptoError(code: .authenticationFailed)`.
public struct CryptoError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let code: Code

    /// A human-readable explanation, for logs; never parse it.
    public let reason: String

    /// The file that threw the error (`#fileID`).
    public let file: String

    /// The line that threw the error.
    public let line: UInt

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - reason: A human-readable explanation.
    ///   - file: The file that throws the error.
    ///   - line: The line that throws the error.
    public init(code: Code, reason: String = "", file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    /// Compares two errors by ``code`` only.
    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the ``code`` only.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }

    /// The code, the reason and the source location.
    public var description: String {
        "CryptoError.\(code): \(reason) (\(file):\(line))"
    }
}

extension CryptoError {
    /// The kind of a ``CryptoError``.
    ///
    /// New codes may be added in later versions; do not switch over them exhaustively.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: Hashable, Sendable {
            case invalidKeyLength
            case invalidNonceLength
            case invalidSignatureLength
            case invalidTagLength
            case invalidCiphertextLength
            case authenticationFailed
            case weakPublicKey
            case outputLengthTooLarge
            case outputBufferTooSmall
            case invalidParameter
            case operationFailed
            case libraryInitializationFailed
        }

        private let backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// A key has the wrong number of bytes.
        public static let invalidKeyLength = Code(.invalidKeyLength)

        /// A nonce has the wrong number of bytes.
        public static let invalidNonceLength = Code(.invalidNonceLength)

        /// A signature has the wrong number of bytes.
        public static let invalidSignatureLength = Code(.invalidSignatureLength)

        /// An authentication tag has the wrong number of bytes.
        public static let invalidTagLength = Code(.invalidTagLength)

        /// A ciphertext is too short to hold an authentication tag.
        public static let invalidCiphertextLength = Code(.invalidCiphertextLength)

        /// An authentication tag, MAC or signature did not verify.
        public static let authenticationFailed = Code(.authenticationFailed)

        /// An X25519 key agreement produced the all-zero shared secret: the peer's public key is
        /// a low-order point (Spec: primitives.md#prim-x25519-zero).
        public static let weakPublicKey = Code(.weakPublicKey)

        /// The requested output is longer than the primitive can produce.
        public static let outputLengthTooLarge = Code(.outputLengthTooLarge)

        /// A caller-provided output buffer is too small for the result.
        public static let outputBufferTooSmall = Code(.outputBufferTooSmall)

        /// A parameter is outside the range the primitive accepts.
        public static let invalidParameter = Code(.invalidParameter)

        /// libsodium reported a failure that is not one of the other codes (for example, Argon2id
        /// could not allocate its memory).
        public static let operationFailed = Code(.operationFailed)

        /// libsodium could not be initialised.
        public static let libraryInitializationFailed = Code(.libraryInitializationFailed)

        /// The code's name.
        public var description: String {
            String(describing: backing)
        }
    }
}
