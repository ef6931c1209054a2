internal import DialogueDelivery
internal import DialogueServer
internal import Foundation

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

    /// Creates settings with the defaults above.
    init(domains: [String], baseURL: String, listen: String = "127.0.0.1:8080") {
        self.domains = domains
        self.baseURL = baseURL
        self.listen = listen
    }

    private enum CodingKeys: String, CodingKey {
        case domains, baseURL, listen, peers, deliveryLifetime, peerConcurrency, outboxConcurrency
        case maximumMessageSize, maximumRecipients, logLevel
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
        Settings are read from DATA/dialogued.json (written by `dialogued init`), then from the
        environment, then from flags:

          key in dialogued.json   environment                     default
          domains                 DIALOGUED_DOMAINS (a,b)         (set by init --domain)
          baseURL                 DIALOGUED_BASE_URL              https://DOMAIN/dialogue/v1
          listen                  DIALOGUED_LISTEN  (--listen)    127.0.0.1:8080
          peers                   DIALOGUED_PEERS                 none (a peers file, Spec: dlv-peers)
          deliveryLifetime        DIALOGUED_DELIVERY_LIFETIME     432000 seconds (5 days)
          peerConcurrency         DIALOGUED_PEER_CONCURRENCY      8 (requests to one healthy peer, 1 to 8)
          outboxConcurrency       DIALOGUED_OUTBOX_CONCURRENCY    64 (outbox requests in flight in all)
          maximumMessageSize      DIALOGUED_MAXIMUM_MESSAGE_SIZE  1073741824 bytes
          maximumRecipients       DIALOGUED_MAXIMUM_RECIPIENTS    1000
          logLevel                DIALOGUED_LOG_LEVEL             info
        The data directory is --data, or DIALOGUED_DATA.
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
        let base: BaseURL
        do { base = try BaseURL(baseURL) } catch { throw .data("baseURL '\(baseURL)': \(error)") }
        var configuration = ServerConfiguration(domains: domains, baseURL: base, dataDirectory: directory)
        (configuration.listenHost, configuration.listenPort) = try listenAddress()
        configuration.deliveryLifetime = deliveryLifetime
        configuration.peerConcurrency = peerConcurrency
        configuration.maximumMessageSize = maximumMessageSize
        configuration.maximumRecipients = maximumRecipients
        if let peers {
            let path = peers.hasPrefix("/") ? peers : directory + "/" + peers
            guard let bytes = FileManager.default.contents(atPath: path) else { throw .missing("cannot read \(path)") }
            do { configuration.peers = try PeersFile(parsing: Array(bytes)) } catch { throw .data("\(path): \(error)") }
        }
        return configuration
    }
}
