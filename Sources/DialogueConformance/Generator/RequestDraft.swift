internal import DialogueCrypto
internal import Foundation

/// One signed request as a `request.verify` vector gives it, with every piece replaceable
/// (Spec: delivery.md#dlv-request).
struct RequestDraft {
    var method = "POST"
    var targetURI = RequestVectors.submissions
    var body = RequestVectors.submission
    var label = "dlg"
    var components = ["@method", "@target-uri", "content-digest"]
    /// The serialized items of the inner list, when they are not the quoted component names.
    var componentItems: [String]?
    var parameters: [(String, String)]
    var seed = Cast.alice.seed
    var contentDigest: String?
    var signatureInputField: String?
    var signatureField: String?
    var signature: [UInt8]?
    /// What is signed, when it is not what the request carries.
    var signedMethod: String?
    var signedTargetURI: String?
    var signedDigest: String?
    var signedParameters: String?
    var transformBase: ((String) -> [UInt8])?
    var otherLines: [[String]] = [["content-type", "application/cbor"]]
    var transformLines: (([[String]]) -> [[String]])?
    var now = RequestVectors.now
    var seen: [(String, String)] = []

    init(keyID: String = RequestVectors.aliceKeyID, created: UInt64 = RequestVectors.created, lifetime: UInt64 = 300) {
        parameters = [
            ("created", String(created)), ("expires", String(created + lifetime)),
            ("nonce", "\"\(RequestVectors.nonce)\""), ("keyid", "\"\(keyID)\""), ("tag", "\"dialogue-v1\""),
        ]
    }

    /// A server request by `key` to the notifications endpoint.
    static func server(_ key: RequestVectors.ServerKey = RequestVectors.netCurrent) -> RequestDraft {
        var draft = RequestDraft(keyID: key.keyID)
        draft.seed = key.seed
        draft.targetURI = RequestVectors.notifications
        draft.body = RequestVectors.notification
        return draft
    }

    mutating func set(_ key: String, _ value: String) {
        if let index = parameters.firstIndex(where: { $0.0 == key }) {
            parameters[index].1 = value
        } else {
            parameters.append((key, value))
        }
    }

    mutating func remove(_ key: String) { parameters.removeAll { $0.0 == key } }

    var digest: String { contentDigest ?? RequestVectors.digestField(body) }
    var parametersText: String { parameters.map { ";\($0.0)=\($0.1)" }.joined() }
    var innerList: String {
        "(" + (componentItems ?? components.map { "\"\($0)\"" }).joined(separator: " ") + ")" + parametersText
    }

    /// The signature base of RFC 9421 section 2.5, written out.
    var signatureBase: String {
        var lines: [String] = []
        for component in components {
            let value: String
            switch component {
            case "@method": value = signedMethod ?? method
            case "@target-uri": value = signedTargetURI ?? targetURI
            case "content-digest": value = signedDigest ?? digest.trimmingCharacters(in: .whitespaces)
            default: value = otherLines.first { $0[0] == component }?[1] ?? ""
            }
            lines.append("\"\(component)\": \(value)")
        }
        let signed =
            signedParameters
            ?? "(" + components.map { "\"\($0)\"" }.joined(separator: " ") + ")" + parametersText
        lines.append("\"@signature-params\": " + signed)
        return lines.joined(separator: "\n")
    }

    var signatureBytes: [UInt8] {
        if let signature { return signature }
        let message = transformBase?(signatureBase) ?? Array(signatureBase.utf8)
        return try! Ed25519Signer.sign(seed: seed, message)
    }

    var headers: [[String]] {
        let lines =
            otherLines + [
                ["content-digest", digest], ["signature-input", signatureInputField ?? "\(label)=\(innerList)"],
                ["signature", signatureField ?? "\(label)=:\(RequestVectors.base64(signatureBytes)):"],
            ]
        return transformLines?(lines) ?? lines
    }

    var input: JSONValue {
        .object([
            ("method", .string(method)), ("target_uri", .string(targetURI)),
            ("headers", .array(headers.map { .array($0.map { .string($0) }) })),
            ("body", .string(Hex.encode(body))), ("now", .integer(Int64(now))),
            (
                "users",
                .array(
                    RequestVectors.users.map {
                        .object([
                            ("address", .string($0.0)), ("identity_key", .string(Hex.encode($0.1.identityKey))),
                        ])
                    })
            ),
            ("servers", .array(RequestVectors.servers.map(\.json))),
            (
                "seen_nonces",
                .array(seen.map { .object([("keyid", .string($0.0)), ("nonce", .string($0.1))]) })
            ),
        ])
    }

    /// The output of a valid request, from the fields as written.
    func expected(kind: String, principal: String) -> JSONValue {
        func value(_ key: String) -> String { parameters.first { $0.0 == key }!.1 }
        func unquoted(_ text: String) -> String { String(text.dropFirst().dropLast()) }
        return .object([
            ("keyid", .string(unquoted(value("keyid")))), ("kind", .string(kind)),
            ("principal", .string(principal)), ("created", .integer(Int64(value("created"))!)),
            ("expires", .integer(Int64(value("expires"))!)), ("nonce", .string(unquoted(value("nonce")))),
            ("label", .string(label)),
        ])
    }
}
