internal import DialogueIdentifiers
internal import Foundation
public import Hummingbird

extension MailProblem {
    /// The problem as an RFC 9457 document, `application/problem+json` (Spec: [dlv-errors]).
    public var response: Response {
        var object: [String: Any] = [
            "type": type.uri, "title": type.title, "status": status, "detail": detail,
        ]
        if type == .missingBlobs { object["blobs"] = blobs.map { $0.text(kind: .blob) } }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if type == .rateLimited || type == .unavailable {
            headers[.retryAfter] = String(retryAfter ?? Self.defaultRetryAfter)
        }
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
