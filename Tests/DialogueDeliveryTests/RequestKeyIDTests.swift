import DialogueDelivery
import DialogueIdentifiers
import Testing

/// Who signed: PRINCIPAL/FINGERPRINT (Spec: [dlv-request-keyid]).
@Suite struct RequestKeyIDTests {
    let user = RequestFixtures.aliceKeyID
    let server = RequestFixtures.serverKeyID

    @Test func userAndServerKeyIDsRoundTrip() throws {
        let parsedUser = try RequestKeyID(parsing: user.text)
        #expect(parsedUser == user)
        #expect(parsedUser.kind == "user")
        #expect(parsedUser.principalText == "alice@example.org")
        #expect(user.text.hasPrefix("alice@example.org/key-"))
        let parsedServer = try RequestKeyID(parsing: server.text)
        #expect(parsedServer == server)
        #expect(parsedServer.kind == "server")
        #expect(parsedServer.principal == .server(domain: "example.net"))
        #expect(server.text.hasPrefix("example.net/srv-"))
    }

    @Test func everyOtherFormIsMalformed() {
        let key = user.fingerprint.text(kind: .identityKey)
        let srv = server.fingerprint.text(kind: .serverKey)
        for text in [
            "alice@example.org/" + srv, "example.net/" + key, "Alice@example.org/" + key, "EXAMPLE.NET/" + srv,
            "alice@example.org/" + key.uppercased(), "example.net/" + srv.uppercased(), "alice@example.org", "",
            "/" + key, "alice@example.org/", "alice@example.org/" + key + "/", "alice@example.org//" + key,
            "example.net./" + srv, "-example.net/" + srv, "example.net/blob-" + srv.dropFirst(4),
            "alice@example.org/ " + key, "alice@example.org/" + key.dropLast(), "test-key-ed25519",
        ] {
            #expect(throws: DeliveryError.malformed(""), "\(text)") { try RequestKeyID(parsing: text) }
        }
        #expect(throws: DeliveryError.malformed("")) {
            try RequestKeyID(server: "Example.net", fingerprint: server.fingerprint)
        }
    }
}
