internal import DialogueCBOR
internal import DialogueCrypto
internal import DialogueIdentifiers
internal import DialogueMessages

/// What the delivery objects share (Spec: delivery.md#dlv-conventions): the signed shape, the
/// version read first, the identifier form, and the mapping of DialogueMessages' readers onto
/// ``DeliveryError``.
///
/// The generic readers are DialogueMessages' `Schema`: delivery objects use the same encoding and
/// the same way codec errors become classes (a depth or item-count limit of [enc-limits] is
/// `limits-exceeded`, every other codec error `malformed`).
enum DeliveryWire {
    /// S: the clock-skew bound for dates inside signed objects, in seconds (Spec: [trust-time]).
    static let skew: UInt64 = 600

    /// Runs a `Schema` reader, turning its error into the delivery class of the same name.
    static func lift<T>(_ body: () throws(MessageError) -> T) throws(DeliveryError) -> T {
        do {
            return try body()
        } catch {
            throw DeliveryError(DeliveryError.Code(name: error.code.name) ?? .malformed, error.reason)
        }
    }

    /// Step 1 of every verify list: the size, before anything is decoded.
    static func checkSize(_ bytes: [UInt8], maximum: Int, _ what: String) throws(DeliveryError) {
        guard bytes.count <= maximum else {
            throw DeliveryError(.limitsExceeded, "\(what) is \(bytes.count) bytes; at most \(maximum) are allowed")
        }
    }

    /// Steps 1 and 2 of a singly signed object: at most `maximumSize` bytes, then valid Dialogue CBOR
    /// of the shape `[bstr body, bstr .size 64]`.
    static func signed(_ bytes: [UInt8], maximumSize: Int, _ what: String) throws(DeliveryError) -> (
        body: ArraySlice<UInt8>, signature: [UInt8]
    ) {
        try checkSize(bytes, maximum: maximumSize, what)
        let (body, signature) = try lift { () throws(MessageError) in
            try Schema.signed(Schema.decode(bytes[...], what), what)
        }
        return (body, signature)
    }

    /// Step 3: the body decodes as a map whose version (key 0) is 1, read before anything else
    /// (Spec: [dlv-version-first]).
    static func body(_ body: ArraySlice<UInt8>, _ what: String) throws(DeliveryError) -> CBORNode {
        try lift { () throws(MessageError) in
            let node = try Schema.decode(body, what)
            guard node.type == .map else { throw .malformed("\(what) must be a map, not \(node.type)") }
            try Schema.requireVersion(node, what)
            return node
        }
    }

    /// Step 4: reads a map whose every key `read` must consume; an unread key is `malformed`.
    static func fields<T>(_ node: CBORNode, _ what: String, _ read: (inout FieldReader) throws(DeliveryError) -> T)
        throws(DeliveryError) -> T
    {
        var reader = FieldReader(
            map: try lift { () throws(MessageError) in
                try Schema.reading(what) { () throws(CBORError) in
                    try CBORMapReader(node)
                }
            }, what: what)
        let result = try read(&reader)
        try lift { () throws(MessageError) in
            try Schema.reading(what) { () throws(CBORError) in
                try reader.map.finish()
            }
        }
        return result
    }

    /// A domain as addresses have it: canonical (Spec: identities.md#addr).
    static func domain(_ text: String, _ what: String) throws(DeliveryError) -> String {
        // The local part "a" is valid and independent of the domain: the address is valid exactly
        // when the domain is.
        do {
            _ = try Address(canonical: "a@" + text)
        } catch {
            throw .malformed("\(what) '\(text)' is not a canonical domain: \(error.reason)")
        }
        return text
    }

    /// An identifier inside a delivery object: 33 bytes, algorithm `0x01`; anything else is
    /// `malformed` (Spec: [dlv-identifier-form]).
    static func identifier(_ bytes: some Collection<UInt8>, _ what: String) throws(DeliveryError) -> ContentIdentifier {
        guard bytes.count == 33, bytes.first == HashAlgorithm.blake2b256.code,
            let identifier = try? ContentIdentifier(binaryRepresentation: bytes)
        else {
            let first = bytes.first.map { "0x" + String($0, radix: 16) } ?? "none"
            throw .malformed(
                "\(what) must be 33 bytes with algorithm 0x01 (found \(bytes.count) bytes, first \(first))")
        }
        return identifier
    }

    /// `created ≤ now + S`: a date from the future beyond the skew bound is `expired`.
    static func checkNotFromTheFuture(_ created: UInt64, now: UInt64, _ what: String) throws(DeliveryError) {
        let (latest, overflow) = now.addingReportingOverflow(skew)
        guard overflow || created <= latest else {
            throw DeliveryError(.expired, "\(what) was created at \(created), after now (\(now)) + \(skew) s")
        }
    }

    /// Whether `expires − created` exceeds `maximum` (never when `expires ≤ created`).
    static func lifetime(created: UInt64, expires: UInt64, exceeds maximum: UInt64) -> Bool {
        expires > created && expires - created > maximum
    }

    /// `[body, signature]`, encoded.
    static func encodeSigned(body: [UInt8], signature: Ed25519.Signature) -> [UInt8] {
        Schema.encodeSigned(payload: body, signature: signature.rawRepresentation)
    }

    /// Encodes a map built by this module.
    static func encode(_ entries: [CBORValue.MapEntry]) -> [UInt8] { Schema.encode(.map(entries)) }

    /// The bytes a signature covers: `ctx || 0x00 || body` (Spec: identifiers.md#id-registry).
    static func signatureInput(_ context: DomainContext, _ body: some Collection<UInt8>) -> [UInt8] {
        Schema.signatureInput(context, body)
    }

    /// Verifies `signature` over `ctx || 0x00 || body`: `bad-signature` otherwise.
    static func checkSignature(
        _ signature: some Collection<UInt8>, by key: Ed25519.VerifyingKey, context: DomainContext,
        body: ArraySlice<UInt8>, _ what: String
    ) throws(DeliveryError) {
        guard key.isValidSignature(signature, for: signatureInput(context, body)) else {
            throw DeliveryError(.badSignature, what)
        }
    }
}
