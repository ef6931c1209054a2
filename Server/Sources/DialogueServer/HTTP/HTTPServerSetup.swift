public import HummingbirdCore
internal import HummingbirdTLS
public import NIOCore
public import NIOSSL

/// HTTP/1.1 that closes a connection silent for `idleTimeout` seconds ([dlv-limits-time]): a client that
/// stops sending in the middle of a request head or body does not hold the connection. With
/// `fastPath`, fetches of live blobs are answered on the event loop (``LiveBlobFastPath``).
public func httpServer(idleTimeout: Int, fastPath: LiveBlobFastPath? = nil) -> HTTPServerBuilder {
    HTTPServerBuilder { responder in httpConnection(idleTimeout: idleTimeout, fastPath: fastPath, responder: responder)
    }
}

/// What ``httpServer(idleTimeout:fastPath:)`` sets up each accepted connection with, for `responder`:
/// its pipeline (``MailHTTP1Channel``) and the loop that hands its requests to `responder`. Public so
/// that a connection can be driven without a socket: the `http-wire` fuzz target sets it up on an
/// in-memory channel and writes hostile bytes into it.
public func httpConnection(
    idleTimeout: Int, fastPath: LiveBlobFastPath?, responder: @escaping HTTPChannelHandler.Responder
) -> some HTTPChannelHandler {
    let configuration = HTTP1Channel.Configuration(idleTimeout: .seconds(Int64(max(1, idleTimeout))))
    return MailHTTP1Channel(http1: HTTP1Channel(responder: responder, configuration: configuration), fastPath: fastPath)
}

/// ``httpServer(idleTimeout:fastPath:)`` behind TLS ([dlv-ops-tls]).
public func httpsServer(idleTimeout: Int, tls: TLSConfiguration, fastPath: LiveBlobFastPath? = nil) throws
    -> HTTPServerBuilder
{
    try .tls(httpServer(idleTimeout: idleTimeout, fastPath: fastPath), tlsConfiguration: tls)
}

/// The TLS configuration of a server from PEM files: the certificate chain (the server's first) and
/// its private key ([dlv-ops-tls]). Throws when either does not read.
public func serverTLSConfiguration(certificateFile: String, keyFile: String) throws -> TLSConfiguration {
    let chain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { NIOSSLCertificateSource.certificate($0) }
    let key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
    return TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
}
