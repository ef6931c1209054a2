/// The signature base of RFC 9421 section 2.5: one line per covered component, then the
/// `@signature-params` line, joined by single line feeds, without a final one
/// (Spec: delivery.md#dlv-request).
///
/// ```
/// "@method": POST
/// "@target-uri": https://mail.example.net/dialogue/v1/notifications
/// "content-digest": sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:
/// "@signature-params": ("@method" "@target-uri" "content-digest");created=…;keyid="…";tag="dialogue-v1"
/// ```
///
/// It supports more than the profile covers, so that RFC 9421's own examples can be rebuilt:
/// the derived components `@method`, `@target-uri`, `@authority`, `@scheme`, `@path` and
/// `@query` (section 2.2), and header fields by lower-case name (section 2.1: the values of every
/// line with that name, trimmed, joined by `, `). Component parameters (`;sf`, `;key`, `;req`,
/// …) are not supported. The last line is the serialization of the inner list as parsed, so the
/// whitespace a client put inside it does not matter, and its parameters stay in the order
/// received.
public struct SignatureBase: Hashable, Sendable, CustomStringConvertible {
    /// The signature base, as text (printable ASCII and line feeds only).
    public let text: String

    /// The bytes that are signed: the UTF-8 (here ASCII) of ``text``.
    public var bytes: [UInt8] { Array(text.utf8) }

    /// The text.
    public var description: String { text }

    /// Builds the signature base of `request` for the signature whose `Signature-Input` member is
    /// `signatureParameters`: its items name the covered components, in order.
    ///
    /// - Throws: ``DeliveryError`` `malformed` when a component is not a string, has parameters,
    ///   is repeated, is a derived component this type does not know, is a header field with an
    ///   upper-case name or that the request does not have, or when a value holds a line break or
    ///   another control character (which would let one value pose as several lines).
    public init(request: RequestHead, covering signatureParameters: StructuredInnerList) throws(DeliveryError) {
        var lines: [String] = []
        var seen: Set<String> = []
        for item in signatureParameters.items {
            guard let name = item.value.stringValue else {
                throw .malformed("a covered component \(item.value) is not a string")
            }
            guard item.parameters.isEmpty else {
                throw .malformed("the covered component \"\(name)\" has parameters, which are not supported")
            }
            guard seen.insert(name).inserted else { throw .malformed("the component \"\(name)\" is covered twice") }
            let value = try SignatureBase.value(of: name, in: request)
            lines.append("\"\(name)\": \(value)")
        }
        lines.append("\"@signature-params\": " + signatureParameters.serialized)
        text = lines.joined(separator: "\n")
    }

    private static func value(of name: String, in request: RequestHead) throws(DeliveryError) -> String {
        if name.hasPrefix("@") {
            let value: String
            switch name {
            case "@method": value = request.method
            case "@target-uri": value = request.targetURI
            case "@authority": value = try TargetURI(request.targetURI).authority
            case "@scheme": value = try TargetURI(request.targetURI).scheme
            case "@path": value = try TargetURI(request.targetURI).path
            case "@query": value = try TargetURI(request.targetURI).query
            default: throw .malformed("the derived component \"\(name)\" is not supported")
            }
            guard !value.isEmpty, value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
                throw .malformed("the value of \"\(name)\" is empty or holds a space or a control character")
            }
            return value
        }
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f && !($0 >= 0x41 && $0 <= 0x5a) }) else {
            throw .malformed("the component \"\(name)\" is not a lower-case field name")
        }
        let values = request.values(of: name)
        guard !values.isEmpty else { throw .malformed("the covered field '\(name)' is not in the request") }
        let trimmed = values.map { value in
            var bytes = Substring(value).utf8[...]
            while let first = bytes.first, first == 0x20 || first == 0x09 { bytes = bytes.dropFirst() }
            while let last = bytes.last, last == 0x20 || last == 0x09 { bytes = bytes.dropLast() }
            return String(decoding: bytes, as: UTF8.self)
        }
        let value = trimmed.joined(separator: ", ")
        guard value.utf8.allSatisfy({ ($0 >= 0x20 && $0 < 0x7f) || $0 == 0x09 }) else {
            throw .malformed("the field '\(name)' holds a line break, a control character or non-ASCII")
        }
        return value
    }
}
