import DialogueIdentifiers
import DialogueServerPostgres
import DialogueServerStorage
import Testing

/// The PostgreSQL backend's own checks: that it is there when expected, its URLs, its migrations. Every
/// behaviour test runs on it through ``StoreBackend``.
@Suite struct PostgresBackendTests {
    /// Without DIALOGUE_TEST_POSTGRES_URL the postgres cases of every store test are left out: this test
    /// is then skipped with the reason, visibly, unless DIALOGUE_REQUIRE_POSTGRES=1 (CI), where it fails.
    @Test(
        .enabled(
            if: StoreBackend.postgresURL != nil || StoreBackend.postgresRequired,
            "DIALOGUE_TEST_POSTGRES_URL is not set: the postgres cases are left out (scripts/postgres-for-tests.sh start)"
        ))
    func postgresBackendIsAvailable() async throws {
        try #require(
            StoreBackend.postgresURL != nil, "DIALOGUE_REQUIRE_POSTGRES=1 but DIALOGUE_TEST_POSTGRES_URL is not set")
        #expect(StoreBackend.allCases.contains(.postgres))
        let store = try await StoreBackend.postgres.make()
        #expect(try await store.lastSequence() == 0)
    }

    /// A second store on the same schema finds the migrations applied and the data there.
    @Test(.enabled(if: StoreBackend.postgresURL != nil, "DIALOGUE_TEST_POSTGRES_URL is not set"))
    func migrationsRunOnce() async throws {
        let url = try PostgresDatabaseURL(try #require(StoreBackend.postgresURL))
        let schema = "test_migrations_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let first = try await PostgresMailStore(url: url, schema: schema, maximumConnections: 2)
        let account = AccountRecord(
            address: "alice@a.example", card: [1], identityKey: [2], fingerprint: Fixture.key("alice"), created: 5)
        try await first.addAccount(account)
        await first.close()
        let second = try await PostgresMailStore(url: url, schema: schema, maximumConnections: 2)
        #expect(try await second.accounts() == [account])
        await second.close()
    }

    /// Database URLs: the parts, the defaults, and specific refusals.
    @Test func databaseURLs() throws {
        let url = try PostgresDatabaseURL("postgres://mail:s%40cret@db.example:6543/dialogue?sslmode=require")
        #expect(url.host == "db.example")
        #expect(url.port == 6543)
        #expect(url.username == "mail")
        #expect(url.password == "s@cret")
        #expect(url.database == "dialogue")
        #expect(url.tls == .require)
        #expect(!url.description.contains("cret"))
        let plain = try PostgresDatabaseURL("postgresql://mail@127.0.0.1/dialogue")
        #expect(plain.port == 5432)
        #expect(plain.tls == .prefer)
        #expect(plain.password == nil)
        #expect(throws: PostgresDatabaseURL.Problem.notPostgres("mysql://a@b/c")) {
            try PostgresDatabaseURL("mysql://a@b/c")
        }
        #expect(throws: PostgresDatabaseURL.Problem.malformed("no database name")) {
            try PostgresDatabaseURL("postgres://a@b/")
        }
        #expect(throws: PostgresDatabaseURL.Problem.malformed("no user")) { try PostgresDatabaseURL("postgres://b/c") }
        #expect(throws: PostgresDatabaseURL.Problem.malformed("unknown parameter sslmode=maybe")) {
            try PostgresDatabaseURL("postgres://a@b/c?sslmode=maybe")
        }
    }

    /// A bad schema name is refused before anything reaches the database.
    @Test func schemaNamesAreChecked() async throws {
        let url = try PostgresDatabaseURL("postgres://nobody@127.0.0.1:1/none?sslmode=disable")
        await #expect(throws: StoreError.unavailable("the schema name 'a;b' is not letters, digits and _")) {
            _ = try await PostgresMailStore(url: url, schema: "a;b")
        }
    }
}
