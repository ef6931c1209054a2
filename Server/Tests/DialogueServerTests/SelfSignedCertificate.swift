import Foundation
import Testing

/// A self-signed certificate for 127.0.0.1 (P-256, one day), made by `openssl`, for the HTTPS tests.
enum SelfSignedCertificate {
    /// Writes `tls.pem` and `tls.key` into `directory`.
    static func make(in directory: String) throws {
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", directory + "/tls.key",
            "-out", directory + "/tls.pem",
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0, "openssl could not make a certificate")
    }
}
