internal import Foundation

/// One answer of the server under test: the status, the header fields and the body.
public struct SuiteAnswer: Sendable {
    /// The HTTP status.
    public let status: Int
    /// The header fields, names in lower case, in the order received.
    public let fields: [(name: String, value: String)]
    /// The body.
    public let body: [UInt8]

    /// The first value of the field `name` (compared without case).
    public func field(_ name: String) -> String? {
        let name = name.lowercased()
        return fields.first { $0.name == name }?.value
    }

    /// The body as a JSON object, or `nil`.
    var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] }

    /// The problem type's name (`malformed` for `urn:dialogue:problem:malformed`) of a problem document,
    /// or `nil` when the answer is not one ([dlv-errors]).
    var problem: String? {
        guard field("content-type")?.lowercased().hasPrefix("application/problem+json") == true,
            let type = json?["type"] as? String, type.hasPrefix(SuiteAnswer.problemPrefix)
        else { return nil }
        return String(type.dropFirst(SuiteAnswer.problemPrefix.count))
    }

    static let problemPrefix = "urn:dialogue:problem:"

    /// `201 application/cbor`, or `404 not-found`: what a failing check prints of the answer.
    var summary: String {
        if let problem { return "\(status) \(problem)" }
        return "\(status) \(field("content-type") ?? "no content type"), \(body.count) bytes"
    }
}
