internal import DialogueCrypto

/// The `Content-Digest` of a request body ([RFC 9530]) in the one form the request profile
/// allows: exactly one member, `sha-256`, a byte sequence of 32 bytes without parameters
/// (Spec: delivery.md#dlv-request, [dlv-request-verify] steps 2 and 8).
///
/// ```swift
/// let digest = ContentDigest(body: Array("{\"hello\": \"world\"}".utf8))
/// digest.fieldValue  // "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:"
/// ```
///
/// [RFC 9530]: https://www.rfc-editor.org/rfc/rfc9530
public struct ContentDigest: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes of SHA-256 of the body.
    public let sha256: [UInt8]

    /// The dictionary key of the one algorithm the profile uses.
    public static let algorithm = "sha-256"

    /// The digest of `body`, the bytes exactly as sent (the empty string for a body-less request).
    public init(body: some Sequence<UInt8>) {
        sha256 = SHA256.hash(body)
    }

    /// A digest from its 32 bytes.
    ///
    /// - Throws: ``DeliveryError`` `malformed` unless `sha256` has 32 bytes.
    public init(sha256: [UInt8]) throws(DeliveryError) {
        guard sha256.count == SHA256.byteCount else {
            throw .malformed("a sha-256 digest of \(sha256.count) bytes; it has 32")
        }
        self.sha256 = sha256
    }

    /// Reads a `Content-Digest` field value under the profile: at most 1,024 bytes
    /// (`limits-exceeded`), a strict RFC 8941 dictionary (`malformed`, [dlv-request-verify]
    /// step 1), then exactly one member `sha-256` holding 32 bytes, without parameters
    /// (`malformed`, step 2).
    public init(parsing field: String) throws(DeliveryError) {
        try self.init(dictionary: try StructuredDictionary(parsing: field))
    }

    /// Checks a parsed `Content-Digest` dictionary against the profile ([dlv-request-verify] step 2).
    public init(dictionary: StructuredDictionary) throws(DeliveryError) {
        guard dictionary.members.count == 1, let member = dictionary.members.first else {
            throw .malformed("Content-Digest has \(dictionary.members.count) members; the profile has exactly one")
        }
        guard member.key == ContentDigest.algorithm else {
            throw .malformed("Content-Digest uses '\(member.key)'; the profile uses sha-256 only")
        }
        guard case .item(let item) = member.value, let bytes = item.value.byteSequenceValue else {
            throw .malformed("Content-Digest's sha-256 member is not a byte sequence")
        }
        guard item.parameters.isEmpty else { throw .malformed("Content-Digest's sha-256 member has parameters") }
        try self.init(sha256: bytes)
    }

    /// `sha-256=:BASE64:`, the field value a signer sends.
    public var fieldValue: String { ContentDigest.algorithm + "=:" + StrictBase64.encode(sha256) + ":" }

    /// The field value.
    public var description: String { fieldValue }

    /// Whether `body` is what this digest names (in constant time, though a digest is public).
    public func matches(_ body: some Sequence<UInt8>) -> Bool {
        ConstantTime.equals(SHA256.hash(body), sha256)
    }

    /// Hashes a body piece by piece, so that a server checks a large upload as it streams it and
    /// stores nothing of a body whose digest fails ([dlv-request-verify] step 8).
    public struct Hasher: Sendable {
        private var hasher = SHA256.Hasher()

        /// Starts the digest of an empty body.
        public init() {}

        /// Adds the next piece of the body.
        public mutating func update(_ chunk: some Sequence<UInt8>) { hasher.update(chunk) }

        /// Adds the bytes in `buffer`, without copying them: for a server that already holds a
        /// body's bytes in place to write them, so the digest and the write read them once each.
        public mutating func update(_ buffer: UnsafeRawBufferPointer) { hasher.update(buffer) }

        /// The digest of every piece added, in order; the hasher is consumed.
        public consuming func finalize() -> ContentDigest {
            ContentDigest(uncheckedSHA256: hasher.finalize())
        }
    }

    private init(uncheckedSHA256 sha256: [UInt8]) { self.sha256 = sha256 }
}
