internal import DialogueServerPostgres
internal import DialogueServerStorage
internal import Logging

extension DaemonSettings {
    /// The storage backends `dialogued` can run on.
    enum StoreBackend: Equatable {
        /// `DATA/mail.sqlite`.
        case sqlite
        /// A PostgreSQL database.
        case postgres(PostgresDatabaseURL)
    }

    /// The backend that ``database`` and ``databaseURL`` select; a contradiction is refused, never guessed.
    func storeBackend() throws(DaemonError) -> StoreBackend {
        switch database ?? (databaseURL == nil ? "sqlite" : "postgres") {
        case "sqlite":
            guard databaseURL == nil else { throw .usage("databaseURL is set but database is sqlite") }
            return .sqlite
        case "postgres":
            guard let databaseURL else { throw .usage("database postgres needs databaseURL (DIALOGUED_DATABASE_URL)") }
            do { return .postgres(try PostgresDatabaseURL(databaseURL)) } catch {
                throw .usage("databaseURL: \(error)")
            }
        case let other:
            throw .usage("database '\(other)' is not sqlite or postgres")
        }
    }

    /// Opens (creating and migrating if needed) the store these settings select, for data directory `directory`.
    func openStore(directory: String, logger: Logger) async throws(DaemonError) -> any MailStore {
        switch try storeBackend() {
        case .sqlite:
            let path = directory + "/" + DataDirectory.databaseName
            do { return try SQLiteMailStore(path: path) } catch { throw .io("cannot open \(path): \(error)") }
        case .postgres(let url):
            do { return try await PostgresMailStore(url: url, logger: logger) } catch {
                throw .io("cannot open the database \(url): \(error)")
            }
        }
    }
}
