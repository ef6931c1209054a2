internal import DialogueIdentifiers
internal import Foundation

/// One answer of a server: its status, header fields and body.
struct ServerAnswer: Sendable {
    let status: Int
    let fields: [(name: String, value: String)]
    let body: [UInt8]

    /// The first value of the field `name` (compared without case).
    func field(_ name: String) -> String? {
        let name = name.lowercased()
        return fields.first { $0.name == name }?.value
    }

    static let problemPrefix = "urn:dialogue:problem:"

    /// The answer as a ``ClientError``: the problem's type and status when it is a problem document
    /// ([dlv-errors]: clients act on `type` and `status` only), else `invalid-response`.
    func error(_ what: String) -> ClientError {
        if field("content-type")?.lowercased().hasPrefix("application/problem+json") == true,
            let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let type = object["type"] as? String, type.hasPrefix(ServerAnswer.problemPrefix)
        {
            let name = String(type.dropFirst(ServerAnswer.problemPrefix.count))
            let detail = object["detail"] as? String ?? ""
            let blobs = (object["blobs"] as? [String] ?? []).compactMap {
                try? ContentIdentifier(text: $0, kind: .blob)
            }
            return ClientError(
                .init(name), "\(what): \(status) \(name)\(detail.isEmpty ? "" : ": " + detail)", status: status,
                blobs: blobs)
        }
        return ClientError(
            .invalidResponse, "\(what): the server answered \(status) without a problem document",
            status: status)
    }
}
