internal import DialogueCrypto

/// The name of a byte string: the hash of its exact bytes under a context.
///
/// The binary form is `u8(algorithm) || digest` (Spec: identifiers.md#id-binary);
/// the text form is `kind-base32(binary)` (Spec: identifiers.md#id-text).
///
/// An identifier remembers what it names (its ``kind``) when that is known: hashing under a
/// kind's context, parsing a text form and the decoders that read identifiers from a message
/// all set it, so `print(id)` shows `msg-…` for a message and `key-…` for a fingerprint. The
/// kind is not part of the binary form and is not hashed, so equality ignores it.
///
/// ```swift
/// let id = ContentIdentifier.hashing(Array("hello".utf8), context: .blob)
/// print(id)  // blob-a...
/// ```
public struct ContentIdentifier: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The hash algorithm, which travels in-band as the first byte.
    public let algorithm: HashAlgorithm

    /// The digest bytes, `algorithm.digestByteCount` long.
    public let digest: [UInt8]

    /// The position of the kind in ``IdentifierKind/all`` plus one, or 0 when unknown: one byte,
    /// because a part can list thousands of chunk identifiers.
    private let kindCode: UInt8

    /// What the identifier names, when known; ``description`` uses it.
    public var kind: IdentifierKind? { kindCode == 0 ? nil : IdentifierKind.all[Int(kindCode) - 1] }

    /// Creates an identifier from an algorithm and a digest of the right length.
    ///
    /// - Parameters:
    ///   - algorithm: The hash algorithm.
    ///   - digest: The digest, `algorithm.digestByteCount` bytes.
    ///   - kind: What the identifier names, if known.
    /// - Throws: ``IdentifierError`` `wrong-length` if the digest is not the algorithm's length.
    public init(algorithm: HashAlgorithm, digest: [UInt8], kind: IdentifierKind? = nil) throws(IdentifierError) {
        guard digest.count == algorithm.digestByteCount else {
            throw IdentifierError(
                .wrongLength,
                "a \(algorithm) digest is \(algorithm.digestByteCount) bytes, not \(digest.count)"
            )
        }
        self.algorithm = algorithm
        self.digest = digest
        self.kindCode = ContentIdentifier.code(of: kind)
    }

    private init(algorithm: HashAlgorithm, digest: [UInt8], kindCode: UInt8) {
        self.algorithm = algorithm
        self.digest = digest
        self.kindCode = kindCode
    }

    private static func code(of kind: IdentifierKind?) -> UInt8 {
        guard let kind, let index = IdentifierKind.all.firstIndex(of: kind) else { return 0 }
        return UInt8(index + 1)
    }

    /// The same identifier, labelled with what it names.
    public func labeled(_ kind: IdentifierKind) -> ContentIdentifier {
        ContentIdentifier(algorithm: algorithm, digest: digest, kindCode: ContentIdentifier.code(of: kind))
    }

    /// Parses the binary form `u8(algorithm) || digest` (Spec: [id-binary-algorithm], [id-binary-length]).
    ///
    /// - Parameters:
    ///   - bytes: The binary form.
    ///   - kind: What the identifier names, if the caller knows (the binary form does not say).
    /// - Throws: ``IdentifierError`` `unknown-algorithm` or `wrong-length`.
    public init(binaryRepresentation bytes: some Collection<UInt8>, kind: IdentifierKind? = nil)
        throws(IdentifierError)
    {
        guard let code = bytes.first else {
            throw IdentifierError(.wrongLength, "an identifier cannot be empty")
        }
        guard let algorithm = HashAlgorithm(code: code) else {
            throw IdentifierError(.unknownAlgorithm, "algorithm code 0x\(hexByte(code)) is not assigned")
        }
        guard bytes.count == 1 + algorithm.digestByteCount else {
            throw IdentifierError(
                .wrongLength,
                "a \(algorithm) identifier is \(1 + algorithm.digestByteCount) bytes, not \(bytes.count)"
            )
        }
        self.algorithm = algorithm
        self.digest = contiguousArray(bytes.dropFirst())
        self.kindCode = ContentIdentifier.code(of: kind)
    }

    /// The binary form: the algorithm code followed by the digest.
    public var binaryRepresentation: [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(1 + digest.count)
        bytes.append(algorithm.code)
        bytes.append(contentsOf: digest)
        return bytes
    }

    /// Hashes `content` under `context` with the current algorithm (Spec: [id-hash-context]).
    ///
    /// The result's ``kind`` is the kind computed under `context`, if there is one (`blob`,
    /// `msg`, `key`).
    public static func hashing(_ content: some Sequence<UInt8>, context: DomainContext) -> ContentIdentifier {
        var hasher = ContentHasher(context: context)
        hasher.update(content)
        return hasher.finalize()
    }

    /// Whether `content` hashes to this identifier under `context` (Spec: [id-verify]).
    public func isIdentifier(of content: some Sequence<UInt8>, context: DomainContext) -> Bool {
        ContentIdentifier.hashing(content, context: context) == self
    }

    /// The text form for `kind`: lower-case, unpadded base32 (Spec: [id-text-encode]).
    ///
    /// - Parameter kind: The prefix to write, whatever ``kind`` says.
    /// - Returns: `kind-base32(binary)`.
    public func text(kind: IdentifierKind) -> String {
        kind.prefix + "-" + Base32.encode(binaryRepresentation)
    }

    /// Parses a text form of the expected kind (Spec: [id-text-strict]).
    ///
    /// The errors are checked in the specification's order: the kind (`unknown-kind`, then
    /// `wrong-kind`) before anything after the dash.
    public init(text: some StringProtocol, kind expected: IdentifierKind) throws(IdentifierError) {
        let utf8 = Array(text.utf8)
        let (kind, dash) = try ContentIdentifier.kind(of: utf8)
        guard kind == expected else {
            throw IdentifierError(.wrongKind, "expected a '\(expected.prefix)' identifier, found '\(kind.prefix)'")
        }
        self = try ContentIdentifier(binaryRepresentation: Base32.decode(utf8[(dash + 1)...]), kind: kind)
    }

    /// Parses a text form of any known kind, returning the kind it names.
    public static func parse(text: some StringProtocol) throws(IdentifierError) -> (
        kind: IdentifierKind, identifier: ContentIdentifier
    ) {
        let utf8 = Array(text.utf8)
        let (kind, dash) = try ContentIdentifier.kind(of: utf8)
        let bytes = try Base32.decode(utf8[(dash + 1)...])
        return (kind, try ContentIdentifier(binaryRepresentation: bytes, kind: kind))
    }

    /// The kind before the first `-`, and the position of that `-`.
    private static func kind(of utf8: [UInt8]) throws(IdentifierError) -> (IdentifierKind, Int) {
        guard let dash = utf8.firstIndex(of: UInt8(ascii: "-")) else {
            throw IdentifierError(.unknownKind, "an identifier's text form starts with a kind and '-'")
        }
        let prefix = String(decoding: utf8[..<dash], as: UTF8.self)
        guard let kind = IdentifierKind(prefix: prefix.lowercasedASCII) else {
            throw IdentifierError(.unknownKind, "'\(prefix)' is not a known identifier kind")
        }
        return (kind, dash)
    }

    /// Identifiers are equal when their binary forms are: the kind is a label, not part of the name.
    public static func == (lhs: ContentIdentifier, rhs: ContentIdentifier) -> Bool {
        lhs.algorithm == rhs.algorithm && lhs.digest == rhs.digest
    }

    /// Hashes the binary form only, as equality does.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(algorithm)
        hasher.combine(digest)
    }

    /// Orders identifiers by their binary form.
    public static func < (lhs: ContentIdentifier, rhs: ContentIdentifier) -> Bool {
        lhs.binaryRepresentation.lexicographicallyPrecedes(rhs.binaryRepresentation)
    }

    /// The text form of the identifier's own ``kind``; `blob`, the generic kind, when it is not
    /// known.
    public var description: String { text(kind: kind ?? .blob) }
}

func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef".utf8)
    return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]], as: UTF8.self)
}

extension String {
    var lowercasedASCII: String {
        String(decoding: utf8.map { $0 >= 0x41 && $0 <= 0x5a ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
