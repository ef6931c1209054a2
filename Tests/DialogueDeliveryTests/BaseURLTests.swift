import DialogueDelivery
import Testing

@Suite struct BaseURLTests {
    /// Spec: [dlv-base-url] — the grammar, exactly: these are accepted, with their parts.
    @Test func acceptsTheGrammar() throws {
        let url = try BaseURL("https://mail.example.org:8443/dialogue/v1")
        #expect(url.isHTTPS && url.host == "mail.example.org" && url.port == 8443)
        #expect(url.endpoint("/server") == "https://mail.example.org:8443/dialogue/v1/server")
        for text in ["http://[::1]", "https://a", "https://x/~a_b-c.d/E", "https://h:65535", "https://h:1"] {
            #expect(throws: Never.self) { try BaseURL(text) }
        }
        #expect(throws: Never.self) { try BaseURL("https://h/" + String(repeating: "a", count: 255 - 10)) }
    }

    /// Spec: [dlv-base-url] — anything else is malformed.
    /// [dlv-request-target]: the origin that `@target-uri` starts with, and the path the endpoints follow.
    @Test func splitsIntoOriginAndPath() throws {
        let cases: [(String, String, String)] = [
            ("https://mail.example.org/dialogue/v1", "https://mail.example.org", "/dialogue/v1"),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080", ""),
            ("http://[::1]:9/a", "http://[::1]:9", "/a"),
        ]
        for (text, origin, path) in cases {
            let url = try BaseURL(text)
            #expect(url.origin == origin)
            #expect(url.path == path)
            #expect(url.origin + url.path == text)
        }
    }

    @Test func refusesEverythingElse() {
        let refused = [
            "", "https://", "https://h/", "https://h//a", "https://h?q", "https://h#f", "https://u@h", "https://h/%41",
            "Https://h", "https://H", "https://h:0", "https://h:01", "https://h:65536", "https://h:", "https://h/.",
            "https://h/..", "https://[]", "https://[::G]", "https://[::1", "ws://h",
            "https://h/" + String(repeating: "a", count: 246),
        ]
        for text in refused {
            #expect(throws: DeliveryError(.malformed, ""), "\(text)") { try BaseURL(text) }
        }
    }

    /// Spec: [dlv-base-url], [dlv-discovery-https] — http only with a peers file or on a loopback host.
    @Test func httpIsUsableOnlyWhereAllowed() throws {
        for loopback in ["http://localhost", "http://[::1]:1", "http://127.0.0.1", "http://127.255.255.255"] {
            #expect(try BaseURL(loopback).isUsable(allowingHTTP: false), "\(loopback)")
        }
        for remote in [
            "http://10.0.0.1", "http://127.0.0.1.nip.io", "http://localhost.example", "http://127.1",
            "http://127.0.0.256", "http://127.00.0.1", "http://[::2]",
        ] {
            let url = try BaseURL(remote)
            #expect(!url.isUsable(allowingHTTP: false), "\(remote)")
            #expect(url.isUsable(allowingHTTP: true))
        }
        #expect(try BaseURL("https://example.org").isUsable(allowingHTTP: false))
    }
}
