internal import Foundation
internal import Logging
internal import PostgresNIO

/// One open transaction on a leased connection: every statement is parameterised (the extended query
/// protocol: values travel as binds, never spliced into SQL text).
struct PostgresTransaction {
    let connection: PostgresConnection
    let logger: Logger

    /// Every row of `query`.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        var rows: [PostgresRandomAccessRow] = []
        for try await row in try await connection.query(query, logger: logger) { rows.append(row.makeRandomAccess()) }
        return rows
    }

    /// The first row of `query`, or `nil`.
    func row(_ query: PostgresQuery) async throws -> PostgresRandomAccessRow? { try await rows(query).first }

    /// The first column of the first row of `query`, or `nil` when there is no row.
    func value<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type) async throws -> T? {
        guard let row = try await row(query) else { return nil }
        return try row[0].decode(T.self)
    }

    /// Runs `query` for its effect; returns how many rows it returned (a `RETURNING` clause counts changes).
    @discardableResult
    func execute(_ query: PostgresQuery) async throws -> Int { try await rows(query).count }
}

/// Conversions between the stores' unsigned times and PostgreSQL's `BIGINT`.
enum PostgresColumns {
    /// `value` as a `BIGINT`; a time beyond its range is refused rather than wrapped.
    static func bigint(_ value: UInt64) throws -> Int64 {
        guard let converted = Int64(exactly: value) else {
            throw PostgresStoreFailure.outOfRange(value)
        }
        return converted
    }

    /// An optional time as a `BIGINT`.
    static func bigint(_ value: UInt64?) throws -> Int64? {
        guard let value else { return nil }
        return try bigint(value)
    }

    /// A stored `BIGINT` time.
    static func time(_ value: Int64) throws -> UInt64 {
        guard let converted = UInt64(exactly: value) else { throw PostgresStoreFailure.outOfRange(UInt64(0)) }
        return converted
    }

    /// A stored optional `BIGINT` time.
    static func time(_ value: Int64?) throws -> UInt64? {
        guard let value else { return nil }
        return try time(value)
    }
}

/// Failures inside the PostgreSQL store before they become ``DialogueServerStorage/StoreError``.
enum PostgresStoreFailure: Error, CustomStringConvertible {
    /// A time outside `BIGINT`'s range.
    case outOfRange(UInt64)

    var description: String {
        switch self {
        case .outOfRange(let value): "the value \(value) is beyond PostgreSQL's BIGINT"
        }
    }
}
