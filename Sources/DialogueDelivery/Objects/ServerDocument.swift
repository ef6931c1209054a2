internal import DialogueCBOR
public import DialogueCrypto
public import DialogueIdentifiers
internal import DialogueMessages

/// A server's signed description of itself: the domain it speaks for, its base URL, its keys and
/// its limits (Spec: delivery.md#dlv-server-document).
///
/// ```
/// server-document-body = { 0: 1, 1: domain, 2: base URL, 3: [+ server-key], 4: created,
///                          5: expires, 6: largest message, 7: most recipients }
/// server-key = { 0: bstr .size 32, 1: valid from, 2: valid until }
/// server-document = [ bstr (body), [+ bstr .size 64] ]    ; one signature per key, in order
/// ```
///
/// The document keeps the exact bytes it was decoded from or issued as: those are what every
/// signature covers and what a server serves at `GET /server` (Spec: [dlv-received-bytes]).
///
/// ```swift
/// let document = try ServerDocument(verifying: bytes, domain: "example.org", now: now, allowingHTTP: false)
/// let key = try ServerKey.find(fingerprint, in: document.keys, at: created)
/// ```
public struct ServerDocument: Hashable, Sendable {
    /// The largest document, in bytes (Spec: [dlv-server-document-verify] step 1).
    public static let maximumSize = 8192
    /// The most keys a document lists.
    public static let maximumKeys = 8
    /// The longest validity, `expires − created`, in seconds (30 days).
    public static let maximumLifetime: UInt64 = 2_592_000
    /// The range of the recipient limit a document may announce.
    public static let recipientLimitRange: ClosedRange<UInt64> = 1...4096

    /// The domain the document speaks for, canonical.
    public let domain: String
    /// The base URL of every endpoint of the server.
    public let baseURL: BaseURL
    /// The server's keys, in the document's order; each one signs the document.
    public let keys: [ServerKey]
    /// When the document was made, in seconds since 1970.
    public let created: UInt64
    /// After this second the document is no longer valid.
    public let expires: UInt64
    /// The largest message (envelope and chunks, summed) the server accepts, in bytes.
    public let maximumMessageSize: UInt64
    /// The most recipients the server accepts in one submission: 1 to 4,096.
    public let maximumRecipients: Int
    /// The document exactly as received or issued: `[body, [signatures]]`.
    public let encodedBytes: [UInt8]

    /// Issues a document signed by every key it lists, in order (Spec: [dlv-server-document]).
    ///
    /// - Parameters:
    ///   - signingKeys: The secret keys of `keys`, in the same order.
    /// - Throws: `malformed` or `limits-exceeded` for a document that a verifier would reject at
    ///   steps 1 to 5 (an `http` base URL is the issuer's choice and is not refused here).
    public init(
        domain: String, baseURL: BaseURL, keys: [ServerKey], signingKeys: [Ed25519.SigningKey], created: UInt64,
        expires: UInt64, maximumMessageSize: UInt64, maximumRecipients: Int
    ) throws(DeliveryError) {
        guard maximumRecipients >= 0 else { throw .malformed("a recipient limit of \(maximumRecipients) is negative") }
        guard signingKeys.map(\.publicKey) == keys.map(\.publicKey) else {
            throw .malformed("the signing keys must be the secret keys of the listed keys, in the same order")
        }
        let body = DeliveryWire.encode([
            .init(key: 0, value: 1), .init(key: 1, value: .text(domain)), .init(key: 2, value: .text(baseURL.text)),
            .init(
                key: 3,
                value: .array(
                    keys.map {
                        .map([
                            .init(key: 0, value: .bytes($0.publicKey.rawRepresentation)),
                            .init(key: 1, value: .unsigned($0.validFrom)),
                            .init(key: 2, value: .unsigned($0.validUntil)),
                        ])
                    })),
            .init(key: 4, value: .unsigned(created)), .init(key: 5, value: .unsigned(expires)),
            .init(key: 6, value: .unsigned(maximumMessageSize)),
            .init(key: 7, value: .unsigned(UInt64(maximumRecipients))),
        ])
        let input = DeliveryWire.signatureInput(.serverDocument, body)
        let signatures = signingKeys.map { CBORValue.bytes($0.signature(for: input).rawRepresentation) }
        let encoded = Schema.encode(.array([.bytes(body), .array(signatures)]))
        self = try ServerDocument.parse(encoded, allowingHTTP: true).document
    }

    /// Decodes and verifies a document fetched for `domain`, checking in the order of
    /// [dlv-server-document-verify] and reporting the first failure.
    ///
    /// - Parameters:
    ///   - domain: The domain the verifier asked for (step 7: `address-mismatch` otherwise).
    ///   - now: The verifier's clock, in seconds since 1970 (step 8).
    ///   - allowingHTTP: Whether a peers file names an `http` base URL for this domain; a loopback
    ///     host is allowed either way (Spec: [dlv-base-url]).
    public init(verifying bytes: some Collection<UInt8>, domain: String, now: UInt64, allowingHTTP: Bool)
        throws(DeliveryError)
    {
        let parsed = try ServerDocument.parse(Array(bytes), allowingHTTP: allowingHTTP)
        let input = DeliveryWire.signatureInput(.serverDocument, parsed.body)
        for (index, (key, signature)) in zip(parsed.document.keys, parsed.signatures).enumerated() {
            guard key.publicKey.isValidSignature(signature, for: input) else {
                throw DeliveryError(
                    .badSignature,
                    "signature \(index + 1) of the server document does not verify under "
                        + key.fingerprint.text(kind: .serverKey))
            }
        }
        let document = parsed.document
        guard document.domain == domain else {
            throw DeliveryError(.addressMismatch, "the document speaks for '\(document.domain)', not '\(domain)'")
        }
        try DeliveryWire.checkNotFromTheFuture(document.created, now: now, "the server document")
        guard now <= document.expires else {
            throw DeliveryError(.expired, "the server document expired at \(document.expires); now is \(now)")
        }
        self = document
    }

    /// The key of the document with this fingerprint that is valid at `time`, or `unknown-key`
    /// (Spec: [dlv-server-key-validity]).
    public func key(_ fingerprint: ContentIdentifier, at time: UInt64) throws(DeliveryError) -> ServerKey {
        try ServerKey.find(fingerprint, in: keys, at: time)
    }

    /// Documents are equal when their bytes are.
    public static func == (lhs: ServerDocument, rhs: ServerDocument) -> Bool { lhs.encodedBytes == rhs.encodedBytes }

    /// Hashes the bytes.
    public func hash(into hasher: inout Hasher) { hasher.combine(encodedBytes) }

    private init(
        domain: String, baseURL: BaseURL, keys: [ServerKey], created: UInt64, expires: UInt64,
        maximumMessageSize: UInt64, maximumRecipients: Int, encodedBytes: [UInt8]
    ) {
        self.domain = domain
        self.baseURL = baseURL
        self.keys = keys
        self.created = created
        self.expires = expires
        self.maximumMessageSize = maximumMessageSize
        self.maximumRecipients = maximumRecipients
        self.encodedBytes = encodedBytes
    }

    /// A document that passed steps 1 to 5, with the body and signatures step 6 checks.
    private struct Parsed {
        var document: ServerDocument
        var body: ArraySlice<UInt8>
        var signatures: [ArraySlice<UInt8>]
    }

    /// Steps 1 to 5 of [dlv-server-document-verify].
    private static func parse(_ encoded: [UInt8], allowingHTTP: Bool) throws(DeliveryError) -> Parsed {
        let what = "server document"
        try DeliveryWire.checkSize(encoded, maximum: maximumSize, what)
        let (body, signatures) = try DeliveryWire.lift { () throws(MessageError) in
            let outer = try Schema.decode(encoded[...], what)
            let elements = try Schema.reading(what) { () throws(CBORError) in try outer.array() }
            guard elements.count == 2 else {
                throw .malformed("a server document is [body, [signatures]], not \(elements.count) elements")
            }
            let body = try Schema.bytes(elements[0], "server document body")
            let list = try Schema.reading("server document signatures") { () throws(CBORError) in
                try elements[1].array()
            }
            guard !list.isEmpty else { throw .malformed("a server document has at least one signature") }
            var signatures: [ArraySlice<UInt8>] = []
            for (index, element) in list.enumerated() {
                signatures.append(try Schema.slice(element, count: 64, "server document signature \(index + 1)"))
            }
            return (body, signatures)
        }
        let node = try DeliveryWire.body(body, "server document body")
        typealias RawKey = (key: Ed25519.VerifyingKey, from: UInt64, until: UInt64)
        var domain = ""
        var baseURL: BaseURL?
        var rawKeys: [RawKey] = []
        var created: UInt64 = 0
        var expires: UInt64 = 0
        var messageSize: UInt64 = 0
        var recipients: UInt64 = 0
        try DeliveryWire.fields(node, "server document body") { (map) throws(DeliveryError) in
            _ = try map.unsigned(0, "version")
            domain = try DeliveryWire.domain(try map.text(1, "domain"), "the domain")
            baseURL = try BaseURL(try map.text(2, "base URL"))
            for (index, element) in try map.array(3, "keys", maximumCount: maximumKeys).enumerated() {
                rawKeys.append(
                    try element.deliveryFields("server key \(index + 1)") { (key) throws(DeliveryError) in
                        (
                            try key.verifyingKey(0, "public key"), try key.unsigned(1, "valid from"),
                            try key.unsigned(2, "valid until")
                        )
                    })
            }
            created = try map.unsigned(4, "created")
            expires = try map.unsigned(5, "expires")
            messageSize = try map.unsigned(6, "largest message")
            recipients = try map.unsigned(7, "most recipients")
        }
        guard recipientLimitRange.contains(recipients) else {
            throw DeliveryError(.limitsExceeded, "a recipient limit of \(recipients) is outside 1 to 4,096")
        }
        guard !DeliveryWire.lifetime(created: created, expires: expires, exceeds: maximumLifetime) else {
            throw DeliveryError(
                .limitsExceeded, "the document is valid for \(expires - created) s; at most \(maximumLifetime) s")
        }
        guard !rawKeys.isEmpty else { throw .malformed("a server document lists at least one key") }
        guard Set(rawKeys.map(\.key)).count == rawKeys.count else {
            throw .malformed("a server document lists a key twice")
        }
        var keys: [ServerKey] = []
        for raw in rawKeys {
            keys.append(try ServerKey(publicKey: raw.key, validFrom: raw.from, validUntil: raw.until))
        }
        guard expires > created else {
            throw .malformed("the document expires (\(expires)) before it is created (\(created))")
        }
        guard let baseURL, baseURL.isUsable(allowingHTTP: allowingHTTP) else {
            throw .malformed("the http base URL is neither named by a peers file nor a loopback address")
        }
        guard signatures.count == keys.count else {
            throw .malformed("the document lists \(keys.count) keys but carries \(signatures.count) signatures")
        }
        let document = ServerDocument(
            domain: domain, baseURL: baseURL, keys: keys, created: created, expires: expires,
            maximumMessageSize: messageSize, maximumRecipients: Int(recipients), encodedBytes: encoded)
        return Parsed(document: document, body: body, signatures: signatures)
    }
}
