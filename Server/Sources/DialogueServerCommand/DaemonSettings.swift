internal import DialogueDelivery
internal import DialogueServer
internal import Foundation
internal import NIOSSL

/// The settings of `dialogued`: the file `DATA/dialogued.json`, then `DIALOGUED_*` environment variables,
/// then flags, each overriding the one before.
struct DaemonSettings: Codable, Equatable {
    /// The domains served; the first is the one the server document speaks for.
    var domains: [String]
    /// The published base URL (Spec: [dlv-base-url]).
    var baseURL: String
    /// `HOST:PORT` to listen on.
    var listen: String = "127.0.0.1:8080"
    /// A peers file (Spec: [dlv-peers]), relative to the data directory, or none.
    var peers: String?
    /// The outbox's delivery lifetime, in seconds (Spec: [dlv-retry-backoff]).
    var deliveryLifetime: UInt64 = RetrySchedule.giveUpAfter
    /// Requests in flight to one healthy peer, 1 to 8 (Spec: [dlv-retry-per-peer]).
    var peerConcurrency: Int = 8
    /// Outbox requests in flight over every peer.
    var outboxConcurrency: Int = 64
    /// The largest message accepted, in bytes.
    var maximumMessageSize: UInt64 = 1 << 30
    /// The most recipients of one submission.
    var maximumRecipients: Int = 1_000
    /// `trace`, `debug`, `info`, `notice`, `warning`, `error` or `critical`.
    var logLevel: String = "info"
    /// Server-signed requests a second from one peer domain; 0 turns the limit off (Spec: [dlv-abuse-rate]).
    var peerRateLimit: Double = RateLimits().peer.rate
    /// Requests one peer domain may make at once.
    var peerBurst: Int = RateLimits().peer.burst
    /// User-signed requests a second from one user; 0 turns the limit off.
    var userRateLimit: Double = RateLimits().user.rate
    /// Requests one user may make at once.
    var userBurst: Int = RateLimits().user.burst
    /// Whether a notification is accepted only after a `HEAD` of its envelope (Spec: [dlv-abuse-head]).
    var envelopeCheck = false
    /// Seconds a request's body may take to arrive (Spec: [dlv-limits-time]).
    var requestTimeout = 300
    /// Seconds a connection may send nothing before it is closed.
    var idleTimeout = 30
    /// Seconds the requests in flight get to finish at shutdown (Spec: [dlv-ops-shutdown]).
    var shutdownTimeout = 30
    /// The TLS certificate chain (PEM), relative to the data directory, or none (Spec: [dlv-ops-tls]).
    var tlsCertificate: String?
    /// The TLS private key (PEM), relative to the data directory.
    var tlsKey: String?
    /// Whether `/metrics` is served (Spec: [dlv-ops-metrics]).
    var metrics = true
    /// The storage backend, `sqlite` or `postgres`; unset, `postgres` when ``databaseURL`` is set, else `sqlite`.
    var database: String?
    /// The PostgreSQL database, `postgres://USER[:PASSWORD]@HOST[:PORT]/NAME[?sslmode=…]`.
    var databaseURL: String?
    /// The directory of the blob files (`blobs/`, `tmp/`), relative to the data directory; unset, the data
    /// directory. Several processes on one database share one (any POSIX file system they all mount).
    var blobDirectory: String?
    /// Seconds the outbox leases a job for: a job of a process killed meanwhile waits that long for another.
    var outboxLease: UInt64 = 120

    /// Creates settings with the defaults above.
    init(domains: [String], baseURL: String, listen: String = "127.0.0.1:8080") {
        self.domains = domains
        self.baseURL = baseURL
        self.listen = listen
    }

    private enum CodingKeys: String, CodingKey {
        case domains, baseURL, listen, peers, deliveryLifetime, peerConcurrency, outboxConcurrency
        case maximumMessageSize, maximumRecipients, logLevel
        case peerRateLimit, peerBurst, userRateLimit, userBurst, envelopeCheck, requestTimeout, idleTimeout
        case shutdownTimeout, tlsCertificate, tlsKey, metrics, database, databaseURL, blobDirectory, outboxLease
    }

    /// Reads a settings file: `domains` and `baseURL` are required, every other key has its default;
    /// an unknown key is refused, so that a misspelt setting is not silently ignored.
    init(from decoder: any Decoder) throws {
        let unknown = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
            .filter { CodingKeys(rawValue: $0) == nil }
        guard unknown.isEmpty else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "unknown settings: \(unknown.sorted().joined(separator: ", "))")
            )
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            domains: try container.decode([String].self, forKey: .domains),
            baseURL: try container.decode(String.self, forKey: .baseURL))
        listen = try container.decodeIfPresent(String.self, forKey: .listen) ?? listen
        peers = try container.decodeIfPresent(String.self, forKey: .peers)
        deliveryLifetime = try container.decodeIfPresent(UInt64.self, forKey: .deliveryLifetime) ?? deliveryLifetime
        peerConcurrency = try container.decodeIfPresent(Int.self, forKey: .peerConcurrency) ?? peerConcurrency
        outboxConcurrency = try container.decodeIfPresent(Int.self, forKey: .outboxConcurrency) ?? outboxConcurrency
        maximumMessageSize =
            try container.decodeIfPresent(UInt64.self, forKey: .maximumMessageSize) ?? maximumMessageSize
        maximumRecipients = try container.decodeIfPresent(Int.self, forKey: .maximumRecipients) ?? maximumRecipients
        logLevel = try container.decodeIfPresent(String.self, forKey: .logLevel) ?? logLevel
        peerRateLimit = try container.decodeIfPresent(Double.self, forKey: .peerRateLimit) ?? peerRateLimit
        peerBurst = try container.decodeIfPresent(Int.self, forKey: .peerBurst) ?? peerBurst
        userRateLimit = try container.decodeIfPresent(Double.self, forKey: .userRateLimit) ?? userRateLimit
        userBurst = try container.decodeIfPresent(Int.self, forKey: .userBurst) ?? userBurst
        envelopeCheck = try container.decodeIfPresent(Bool.self, forKey: .envelopeCheck) ?? envelopeCheck
        requestTimeout = try container.decodeIfPresent(Int.self, forKey: .requestTimeout) ?? requestTimeout
        idleTimeout = try container.decodeIfPresent(Int.self, forKey: .idleTimeout) ?? idleTimeout
        shutdownTimeout = try container.decodeIfPresent(Int.self, forKey: .shutdownTimeout) ?? shutdownTimeout
        tlsCertificate = try container.decodeIfPresent(String.self, forKey: .tlsCertificate)
        tlsKey = try container.decodeIfPresent(String.self, forKey: .tlsKey)
        metrics = try container.decodeIfPresent(Bool.self, forKey: .metrics) ?? metrics
        database = try container.decodeIfPresent(String.self, forKey: .database)
        databaseURL = try container.decodeIfPresent(String.self, forKey: .databaseURL)
        blobDirectory = try container.decodeIfPresent(String.self, forKey: .blobDirectory)
        outboxLease = try container.decodeIfPresent(UInt64.self, forKey: .outboxLease) ?? outboxLease
    }

    /// Any key, to find the unknown ones.
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// What `dialogued --help` says about the settings.
    static let help = """
        Settings come from DATA/dialogued.json (written by `dialogued init`), then
        the environment, then flags. Each setting: its key in dialogued.json, its
        environment variable, and its default.

          domains             DIALOGUED_DOMAINS (a,b)      set by init --domain
          baseURL             DIALOGUED_BASE_URL           https://DOMAIN/dialogue/v1
          listen              DIALOGUED_LISTEN, --listen   127.0.0.1:8080
          peers               DIALOGUED_PEERS              none (Spec: dlv-peers)
          deliveryLifetime    DIALOGUED_DELIVERY_LIFETIME  432000 s (5 days)
          peerConcurrency     DIALOGUED_PEER_CONCURRENCY   8 to one peer (1 to 8)
          outboxConcurrency   DIALOGUED_OUTBOX_CONCURRENCY 64 in flight in all
          maximumMessageSize  DIALOGUED_MAXIMUM_MESSAGE_SIZE 1073741824 bytes
          maximumRecipients   DIALOGUED_MAXIMUM_RECIPIENTS 1000
          logLevel            DIALOGUED_LOG_LEVEL          info
          peerRateLimit       DIALOGUED_PEER_RATE_LIMIT    50 a second a peer (0: off)
          peerBurst           DIALOGUED_PEER_BURST         500 at once a peer
          userRateLimit       DIALOGUED_USER_RATE_LIMIT    20 a second a user (0: off)
          userBurst           DIALOGUED_USER_BURST         200 at once a user
          envelopeCheck       DIALOGUED_ENVELOPE_CHECK     false (dlv-abuse-head)
          requestTimeout      DIALOGUED_REQUEST_TIMEOUT    300 s for a body
          idleTimeout         DIALOGUED_IDLE_TIMEOUT       30 s of silence
          shutdownTimeout     DIALOGUED_SHUTDOWN_TIMEOUT   30 s to finish requests
          tlsCertificate      DIALOGUED_TLS_CERTIFICATE    none (PEM chain)
          tlsKey              DIALOGUED_TLS_KEY            none (PEM key)
          metrics             DIALOGUED_METRICS            true (serve /metrics)
          database            DIALOGUED_DATABASE           sqlite (DATA/mail.sqlite), or postgres
          databaseURL         DIALOGUED_DATABASE_URL       none; postgres://USER[:PASSWORD]@HOST[:PORT]/DB
                                                           [?sslmode=disable|prefer|require]
          blobDirectory       DIALOGUED_BLOB_DIRECTORY     DATA (holds blobs/ and tmp/)
          outboxLease         DIALOGUED_OUTBOX_LEASE       120 s a job is leased to one process

        Over a rate limit a request is 429 rate-limited with Retry-After.
        envelopeCheck: HEAD the envelope at the sender's server before taking a
        notification. Without TLS the server listens only on a loopback address,
        unless a peers file is set (a private network). Paths are relative to the
        data directory, which is --data or DIALOGUED_DATA. With databaseURL set the
        store is that PostgreSQL database (its schema is migrated at start), which
        several processes may share with one blobDirectory (README: Deploying at
        scale).
        """

    /// Reads the settings of `directory`, with the environment applied.
    static func load(directory: String, environment: [String: String]) throws(DaemonError) -> DaemonSettings {
        let path = directory + "/" + DataDirectory.settingsName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .missing("cannot read \(path) (run `dialogued init` first)")
        }
        var settings: DaemonSettings
        do { settings = try JSONDecoder().decode(DaemonSettings.self, from: data) } catch {
            throw .data("\(path): \(error)")
        }
        try settings.apply(environment)
        return settings
    }

    /// Applies the `DIALOGUED_*` variables.
    mutating func apply(_ environment: [String: String]) throws(DaemonError) {
        func number<T: FixedWidthInteger>(_ name: String, _ value: inout T) throws(DaemonError) {
            guard let text = environment[name] else { return }
            guard let parsed = T(text) else { throw .usage("\(name)=\(text) is not a number") }
            value = parsed
        }
        if let text = environment["DIALOGUED_DOMAINS"] { domains = text.split(separator: ",").map(String.init) }
        if let text = environment["DIALOGUED_BASE_URL"] { baseURL = text }
        if let text = environment["DIALOGUED_LISTEN"] { listen = text }
        if let text = environment["DIALOGUED_PEERS"] { peers = text }
        if let text = environment["DIALOGUED_LOG_LEVEL"] { logLevel = text }
        try number("DIALOGUED_DELIVERY_LIFETIME", &deliveryLifetime)
        try number("DIALOGUED_PEER_CONCURRENCY", &peerConcurrency)
        try number("DIALOGUED_OUTBOX_CONCURRENCY", &outboxConcurrency)
        try number("DIALOGUED_MAXIMUM_MESSAGE_SIZE", &maximumMessageSize)
        try number("DIALOGUED_MAXIMUM_RECIPIENTS", &maximumRecipients)
        try number("DIALOGUED_PEER_BURST", &peerBurst)
        try number("DIALOGUED_USER_BURST", &userBurst)
        try number("DIALOGUED_REQUEST_TIMEOUT", &requestTimeout)
        try number("DIALOGUED_IDLE_TIMEOUT", &idleTimeout)
        try number("DIALOGUED_SHUTDOWN_TIMEOUT", &shutdownTimeout)
        for (name, rate) in [
            ("DIALOGUED_PEER_RATE_LIMIT", \DaemonSettings.peerRateLimit),
            ("DIALOGUED_USER_RATE_LIMIT", \DaemonSettings.userRateLimit),
        ] {
            guard let text = environment[name] else { continue }
            guard let parsed = Double(text), parsed >= 0, parsed.isFinite else {
                throw .usage("\(name)=\(text) is not a number")
            }
            self[keyPath: rate] = parsed
        }
        for (name, flag) in [
            ("DIALOGUED_ENVELOPE_CHECK", \DaemonSettings.envelopeCheck),
            ("DIALOGUED_METRICS", \DaemonSettings.metrics),
        ] {
            guard let text = environment[name] else { continue }
            guard let parsed = Bool(text) else { throw .usage("\(name)=\(text) is not true or false") }
            self[keyPath: flag] = parsed
        }
        if let text = environment["DIALOGUED_TLS_CERTIFICATE"] { tlsCertificate = text }
        if let text = environment["DIALOGUED_TLS_KEY"] { tlsKey = text }
        if let text = environment["DIALOGUED_DATABASE"] { database = text }
        if let text = environment["DIALOGUED_DATABASE_URL"] { databaseURL = text }
        if let text = environment["DIALOGUED_BLOB_DIRECTORY"] { blobDirectory = text }
        try number("DIALOGUED_OUTBOX_LEASE", &outboxLease)
    }

    /// A path of the settings: absolute, or relative to the data directory.
    static func path(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : directory + "/" + path
    }

    /// Whether `host` is a loopback address, where plain HTTP may listen: the base URLs' definition
    /// ([dlv-base-url], [dlv-ops-tls]).
    static func isLoopback(_ host: String) -> Bool {
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return (try? BaseURL("http://" + bracketed))?.isLoopback ?? false
    }

    /// The TLS configuration, `nil` for plain HTTP, which is refused on a non-loopback address unless a
    /// peers file is set (Spec: [dlv-ops-tls]).
    func tlsConfiguration(directory: String) throws(DaemonError) -> TLSConfiguration? {
        switch (tlsCertificate, tlsKey) {
        case (nil, nil):
            let host = try listenAddress().host
            guard Self.isLoopback(host) || peers != nil else {
                throw .usage(
                    "listening on \(host) needs TLS (tlsCertificate and tlsKey); plain HTTP is only for a "
                        + "loopback address or a peers-file deployment")
            }
            return nil
        case (let certificate?, let key?):
            let (certificatePath, keyPath) = (Self.path(certificate, in: directory), Self.path(key, in: directory))
            do { return try serverTLSConfiguration(certificateFile: certificatePath, keyFile: keyPath) } catch {
                throw .data("cannot read the TLS certificate \(certificatePath) and key \(keyPath): \(error)")
            }
        default: throw .usage("tlsCertificate and tlsKey go together")
        }
    }

    /// The host and port of ``listen``.
    func listenAddress() throws(DaemonError) -> (host: String, port: Int) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65_535).contains(port), colon != listen.startIndex
        else { throw .usage("listen '\(listen)' is not HOST:PORT") }
        return (String(listen[..<colon]), port)
    }

    /// The server configuration these settings describe, for `directory`.
    func configuration(directory: String) throws(DaemonError) -> ServerConfiguration {
        guard !domains.isEmpty else { throw .data("no domain is configured") }
        guard (1...8).contains(peerConcurrency) else { throw .usage("peerConcurrency must be 1 to 8") }
        guard outboxConcurrency >= 1 else { throw .usage("outboxConcurrency must be at least 1") }
        guard peerRateLimit >= 0, userRateLimit >= 0, peerBurst >= 1, userBurst >= 1 else {
            throw .usage("rate limits are 0 (off) or more, bursts at least 1")
        }
        guard requestTimeout >= 1, idleTimeout >= 1, shutdownTimeout >= 0 else {
            throw .usage("requestTimeout and idleTimeout are at least 1 second, shutdownTimeout at least 0")
        }
        let base: BaseURL
        do { base = try BaseURL(baseURL) } catch { throw .data("baseURL '\(baseURL)': \(error)") }
        var configuration = ServerConfiguration(domains: domains, baseURL: base, dataDirectory: directory)
        (configuration.listenHost, configuration.listenPort) = try listenAddress()
        configuration.deliveryLifetime = deliveryLifetime
        configuration.peerConcurrency = peerConcurrency
        configuration.maximumMessageSize = maximumMessageSize
        configuration.maximumRecipients = maximumRecipients
        configuration.rateLimits = RateLimits(
            peer: RateLimit(rate: peerRateLimit, burst: peerBurst),
            user: RateLimit(rate: userRateLimit, burst: userBurst))
        configuration.requestTimeout = requestTimeout
        configuration.idleTimeout = idleTimeout
        // A PostgreSQL store may be shared with other processes, and then so is the blob directory.
        configuration.sharesBlobDirectory = databaseURL != nil || database == "postgres"
        if let peers {
            let path = Self.path(peers, in: directory)
            guard let bytes = FileManager.default.contents(atPath: path) else { throw .missing("cannot read \(path)") }
            do { configuration.peers = try PeersFile(parsing: Array(bytes)) } catch { throw .data("\(path): \(error)") }
        }
        return configuration
    }
}
