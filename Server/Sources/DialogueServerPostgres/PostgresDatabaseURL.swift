internal import Foundation
internal import NIOSSL
internal import PostgresNIO

/// Where a PostgreSQL database is: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=MODE]`, the
/// form libpq and most tools accept. `sslmode` is `disable`, `prefer` (the default: TLS when the server
/// offers it) or `require`.
public struct PostgresDatabaseURL: Hashable, Sendable, CustomStringConvertible {
    /// Why a URL is refused.
    public enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        /// Not a `postgres://` or `postgresql://` URL.
        case notPostgres(String)
        /// A part is missing or malformed.
        case malformed(String)

        /// One line for people.
        public var description: String {
            switch self {
            case .notPostgres(let url): "not a postgres:// URL: \(url)"
            case .malformed(let why): "malformed database URL: \(why)"
            }
        }
    }

    /// How TLS is used.
    public enum TLSMode: String, Hashable, Sendable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it.
        case prefer
        /// TLS or no connection.
        case require
    }

    /// The host name or address.
    public var host: String
    /// The TCP port.
    public var port: Int
    /// The role to log in as.
    public var username: String
    /// Its password, if the server asks for one.
    public var password: String?
    /// The database's name.
    public var database: String
    /// How TLS is used.
    public var tls: TLSMode

    /// Parses `text`.
    public init(_ text: String) throws(Problem) {
        guard let components = URLComponents(string: text),
            components.scheme == "postgres" || components.scheme == "postgresql"
        else { throw .notPostgres(Self.redacted(text)) }
        guard let host = components.host, !host.isEmpty else { throw .malformed("no host") }
        guard let username = components.user, !username.isEmpty else { throw .malformed("no user") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw .malformed("no database name") }
        let port = components.port ?? 5432
        guard (1...65_535).contains(port) else { throw .malformed("port \(port)") }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode", let value = item.value, let mode = TLSMode(rawValue: value) else {
                throw .malformed("unknown parameter \(item.name)=\(item.value ?? "")")
            }
            tls = mode
        }
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        self.port = port
        self.username = username
        self.password = components.password
        self.database = database
        self.tls = tls
    }

    /// The URL without its password, for logs.
    public var description: String {
        "postgres://\(username)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)?sslmode=\(tls.rawValue)"
    }

    /// The client configuration for this URL.
    func clientConfiguration() -> PostgresClient.Configuration {
        let mode: PostgresClient.Configuration.TLS =
            switch tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        return PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: mode)
    }

    private static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "…"
        return components.string ?? "?"
    }
}
