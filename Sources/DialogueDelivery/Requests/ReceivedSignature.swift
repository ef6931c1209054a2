/// The signature of a request as received, once its three header fields have been read strictly
/// and checked against the profile: steps 1 and 2 of [dlv-request-verify]
/// (Spec: delivery.md#dlv-request-verify).
///
/// Step 1 reads the fields in the order `Signature-Input`, `Signature`, `Content-Digest`; each must
/// be present on exactly one line (`malformed`), at most 1,024 bytes long (`limits-exceeded`),
/// and a strict RFC 8941 dictionary (``StructuredDictionary``, `malformed`). The first field that
/// fails decides. Step 2 then checks the profile; every failure there is `malformed`.
public struct ReceivedSignature: Hashable, Sendable {
    /// The label shared by the `Signature-Input` and `Signature` members.
    public let label: String
    /// The `Signature-Input` member: the covered components and the parameters, in the order
    /// received.
    public let signatureInput: StructuredInnerList
    /// `created`.
    public let created: UInt64
    /// `expires`.
    public let expires: UInt64
    /// `nonce`.
    public let nonce: String
    /// `keyid`, as received; step 3 parses it (``RequestKeyID``).
    public let keyID: String
    /// The 64 signature bytes.
    public let signature: [UInt8]
    /// The `Content-Digest`.
    public let contentDigest: ContentDigest

    /// Runs steps 1 and 2 of [dlv-request-verify] on `request`'s header fields.
    ///
    /// - Throws: ``DeliveryError`` `limits-exceeded` or `malformed`, for the first failure.
    public init(_ request: RequestHead) throws(DeliveryError) {
        var dictionaries: [StructuredDictionary] = []
        for name in RequestProfile.fieldNames {
            let values = request.values(of: name)
            guard values.count == 1 else {
                throw .malformed(
                    values.isEmpty ? "the header field '\(name)' is missing" : "the header field '\(name)' is repeated")
            }
            do {
                dictionaries.append(
                    try StructuredDictionary(parsing: values[0], maximumLength: RequestProfile.maximumFieldLength))
            } catch {
                throw DeliveryError(error.code, "\(name): \(error.reason)")
            }
        }
        let (input, signature, digest) = (dictionaries[0], dictionaries[1], dictionaries[2])
        guard input.members.count == 1, let inputMember = input.members.first else {
            throw .malformed("Signature-Input has \(input.members.count) members; the profile has exactly one")
        }
        guard signature.members.count == 1, let signatureMember = signature.members.first else {
            throw .malformed("Signature has \(signature.members.count) members; the profile has exactly one")
        }
        guard inputMember.key == signatureMember.key else {
            throw .malformed("the labels '\(inputMember.key)' and '\(signatureMember.key)' differ")
        }
        label = inputMember.key
        guard case .innerList(let list) = inputMember.value else {
            throw .malformed("the Signature-Input member is not an inner list")
        }
        guard list.items.map(\.value) == RequestProfile.components.map({ .string($0) }) else {
            throw .malformed(
                "the covered components are \(list.items.map(\.serialized)); the profile covers \(RequestProfile.components)"
            )
        }
        guard list.items.allSatisfy(\.parameters.isEmpty) else {
            throw .malformed("a covered component has parameters")
        }
        let parameters = list.parameters
        for key in parameters.keys where !RequestProfile.requiredParameters.contains(key) && key != "alg" {
            throw .malformed("the parameter '\(key)' is not in the profile")
        }
        for key in RequestProfile.requiredParameters.sorted() where parameters[key] == nil {
            throw .malformed("the required parameter '\(key)' is missing")
        }
        func time(_ key: String) throws(DeliveryError) -> UInt64 {
            guard let value = parameters[key]?.integerValue, value >= 0 else {
                throw .malformed("'\(key)' is not a non-negative integer")
            }
            return UInt64(value)
        }
        func string(_ key: String) throws(DeliveryError) -> String {
            guard let value = parameters[key]?.stringValue else { throw .malformed("'\(key)' is not a string") }
            return value
        }
        created = try time("created")
        expires = try time("expires")
        nonce = try string("nonce")
        guard RequestProfile.isNonce(nonce) else {
            throw .malformed("the nonce is not 16 to 64 characters of A-Z a-z 0-9 - _")
        }
        keyID = try string("keyid")
        guard try string("tag") == RequestProfile.tag else { throw .malformed("the tag is not \"dialogue-v1\"") }
        if parameters["alg"] != nil, try string("alg") != RequestProfile.algorithm {
            throw .malformed("the algorithm is not \"ed25519\"")
        }
        signatureInput = list
        guard case .item(let signatureItem) = signatureMember.value,
            let signatureBytes = signatureItem.value.byteSequenceValue
        else { throw .malformed("the Signature member is not a byte sequence") }
        guard signatureItem.parameters.isEmpty else { throw .malformed("the Signature member has parameters") }
        guard signatureBytes.count == 64 else {
            throw .malformed("a signature of \(signatureBytes.count) bytes; Ed25519's has 64")
        }
        self.signature = signatureBytes
        contentDigest = try ContentDigest(dictionary: digest)
    }
}
