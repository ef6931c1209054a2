internal import AsyncHTTPClient
internal import DialogueDelivery
internal import NIOCore
internal import NIOHTTP1

/// A request signed before the measurement starts, so that signing does not share the clock with the
/// server: method, URL, fields and body.
struct PreparedRequest: Sendable {
    let method: HTTPMethod
    let url: String
    let fields: [(String, String)]
    let body: [UInt8]

    /// A request signed by `signer` under the profile ([dlv-request-sign]), valid for 300 seconds from now.
    init(signing method: HTTPMethod, url: String, body: [UInt8], contentType: String?, signer: RequestSigner) throws {
        let now = unixNow()
        let signature = try signer.sign(
            method: method.rawValue, targetURI: url, body: body, created: now, expires: now + 300,
            nonce: RequestSigner.randomNonce())
        var fields = signature.fields.map { ($0.name, $0.value) }
        if let contentType { fields.append(("Content-Type", contentType)) }
        self.method = method
        self.url = url
        self.fields = fields
        self.body = body
    }

    /// An unsigned request.
    init(method: HTTPMethod, url: String) {
        self.method = method
        self.url = url
        fields = []
        body = []
    }

    /// The request for AsyncHTTPClient.
    var clientRequest: HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in fields { request.headers.add(name: name, value: value) }
        if !body.isEmpty { request.body = .bytes(ByteBuffer(bytes: body)) }
        return request
    }
}
