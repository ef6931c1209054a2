import DialogueIdentifiers
import DialogueServerPostgres
import DialogueServerStorage
import Foundation

/// The store backends every storage test runs against: the same tests, parametrised, never copied.
///
/// `postgres` is among them when DIALOGUE_TEST_POSTGRES_URL names a database
/// (`scripts/postgres-for-tests.sh start` prints one); ``PostgresBackendTests`` says visibly when it is not.
enum StoreBackend: String, CaseIterable, CustomStringConvertible, Sendable {
    case memory
    case sqlite
    case postgres

    var description: String { rawValue }

    /// The test database, from DIALOGUE_TEST_POSTGRES_URL.
    static let postgresURL: String? = ProcessInfo.processInfo.environment["DIALOGUE_TEST_POSTGRES_URL"]
        .flatMap { $0.isEmpty ? nil : $0 }

    /// Whether CI expects the postgres backend (DIALOGUE_REQUIRE_POSTGRES=1), so that its absence fails.
    static let postgresRequired = ProcessInfo.processInfo.environment["DIALOGUE_REQUIRE_POSTGRES"] == "1"

    /// The backends to run: postgres only with a database to run on.
    static var allCases: [StoreBackend] { postgresURL == nil ? [.memory, .sqlite] : [.memory, .sqlite, .postgres] }

    /// A new, empty store of this backend (a SQLite file in a new temporary directory; a new schema of
    /// the test database).
    func make() async throws -> any MailStore {
        switch self {
        case .memory: return MemoryMailStore()
        case .sqlite:
            let directory = NSTemporaryDirectory() + "dialogue-store-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            return try SQLiteMailStore(path: directory + "/mail.sqlite")
        case .postgres:
            guard let text = Self.postgresURL else {
                throw StoreError.unavailable("DIALOGUE_TEST_POSTGRES_URL is not set")
            }
            let schema = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            return try await PostgresMailStore(
                url: try PostgresDatabaseURL(text), schema: schema, maximumConnections: 4)
        }
    }

    /// Whether the backend is shared by several processes (leases are exclusive), rather than owned by one.
    var isShared: Bool { self == .postgres }

    /// Two stores on one database, as two processes of a domain open it: for a backend one process owns,
    /// the same store twice (its leases are always granted).
    func makePair() async throws -> (any MailStore, any MailStore) {
        guard self == .postgres else {
            let store = try await make()
            return (store, store)
        }
        guard let text = Self.postgresURL else { throw StoreError.unavailable("DIALOGUE_TEST_POSTGRES_URL is not set") }
        let url = try PostgresDatabaseURL(text)
        let schema = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return (
            try await PostgresMailStore(url: url, schema: schema, maximumConnections: 4),
            try await PostgresMailStore(url: url, schema: schema, maximumConnections: 4)
        )
    }
}

/// Small builders for store records.
enum Fixture {
    static func blob(_ label: String) -> ContentIdentifier {
        ContentIdentifier.hashing(Array(label.utf8), context: .blob)
    }

    static func key(_ label: String) -> ContentIdentifier {
        ContentIdentifier.hashing(Array(label.utf8), context: .identityKey)
    }

    static func submission(
        _ label: String, sender: String = "alice@a.example", recipients: [(String, ContentIdentifier)],
        chunks: [ContentIdentifier], created: UInt64 = 1_000, expires: UInt64 = 100_000
    ) -> SubmissionRecord {
        let bytes = Array(label.utf8)
        return SubmissionRecord(
            id: ContentIdentifier.hashing(bytes, context: .submissionID), sender: sender, bytes: bytes,
            created: created, expires: expires, accepted: created, chunks: chunks,
            deliveries: recipients.map {
                DeliveryRecord(recipient: $0.0, envelope: $0.1, fingerprint: key($0.0), stanzaIndex: 0)
            })
    }

    /// Uploads each blob as `user`, with a size equal to its label's length.
    static func upload(_ ids: [ContentIdentifier], by user: String = "alice@a.example", to store: any MailStore)
        async throws
    {
        for id in ids { try await store.recordUpload(id, size: 10, by: user, at: 1_000) }
    }
}
