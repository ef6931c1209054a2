internal import DialogueDelivery
internal import DialogueMessages

extension SuiteRun {
    /// The server document, cards, unknown routes and methods, path parameters.
    func discovery() async {
        await check("dlv-server-document-verify", "GET /server is the domain's valid, signed server document") {
            let answer = try await send("GET", "/server")
            try answer.expect(200)
            try require(
                answer.field("content-type")?.lowercased() == "application/cbor",
                "the content type is \(answer.field("content-type") ?? "missing"), not application/cbor")
            let document: ServerDocument
            do {
                document = try ServerDocument(
                    verifying: answer.body, domain: credentials.domain, now: SuiteRun.now(), allowingHTTP: true)
            } catch { throw CheckFailure("the document does not verify: \(error)") }
            try require(
                document.baseURL.text == client.baseURL,
                "the document's base URL is \(document.baseURL.text), not \(client.baseURL)")
            self.document = document
        }
        await check("dlv-card-response", "GET /cards/{address} serves the account's registered card") {
            let answer = try await send("GET", "/cards/" + credentials.user.address.text)
            try answer.expect(200)
            let response: CardResponse
            do { response = try CardResponse(decoding: answer.body) } catch {
                throw CheckFailure("the card response does not decode: \(error)")
            }
            try require(
                response.card == credentials.user.card.encodedBytes, "the card served is not the card registered")
        }
        await check("dlv-card", "GET /cards/{address} of an address without an account is 404") {
            try await send("GET", "/cards/nobody-here@" + credentials.domain).expect(404, problem: "not-found")
        }
        await check("dlv-endpoints", "a path parameter that does not parse is 400 malformed, not 404") {
            try await send("GET", "/blobs/not-an-identifier").expect(400, problem: "malformed")
            try await send("GET", "/cards/Not%20An%20Address").expect(400, problem: "malformed")
        }
        await check("dlv-errors", "an unknown route is a 404 not-found problem document") {
            let answer = try await send("GET", "/no-such-route")
            try answer.expect(404, problem: "not-found")
            try require(
                answer.json?["status"] as? Int == 404 && answer.json?["title"] is String,
                "the problem document lacks its status or title")
        }
        await check("dlv-errors", "a method the route does not have is 405 method-not-allowed") {
            try await send("DELETE", "/server").expect(405, problem: "method-not-allowed")
            try await send("PATCH", "/submissions").expect(405, problem: "method-not-allowed")
        }
    }
}
